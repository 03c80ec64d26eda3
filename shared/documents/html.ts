/**
 * A tiny HTML builder for the print templates. Every interpolated string is escaped unless it is
 * already SafeHtml, so a passenger name, a remark or a server message can never become markup in a
 * document that a privileged window renders.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  return value.map(render).join('');
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Markup produced by code we trust (the barcode SVG from bwip-js), passed through unescaped. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * A CSS string literal, for `content:` in @page margin boxes. Everything outside plain printable
 * ASCII, and the characters that could end the string or the <style> element, become CSS escapes.
 */
export function cssString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f && ch !== '"' && ch !== '\\' && ch !== '<' && ch !== '>') out += ch;
    // The space ends the escape; CSS consumes it, so it never shows.
    else out += `\\${code.toString(16).toUpperCase()} `;
  }
  return `${out}"`;
}

/**
 * Every document main prints carries this Content-Security-Policy as its very first element,
 * whatever the renderer sent. The templates have the same policy of their own; this copy makes it
 * hold even for a document from a compromised renderer: no scripts, no frames, no file:// or
 * network resources, only inline styles and data: images. (Several policies are all enforced.)
 */
export const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

const DOCTYPE = /^\s*<!doctype html>/i;

export function withPrintCsp(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${PRINT_CSP}">`;
  // Right after the doctype (before it would switch the page to quirks mode).
  const doctype = DOCTYPE.exec(html);
  return doctype ? `${doctype[0]}${meta}${html.slice(doctype[0].length)}` : `${meta}${html}`;
}

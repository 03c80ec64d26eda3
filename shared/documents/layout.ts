/**
 * The frame every document shares: a complete HTML page with print CSS, the exact @page size, its
 * own fonts, a restrictive CSP of its own, and the provenance line (data as of, workstation,
 * agent). Documents are black on white with no colour-only meaning, because most gate printers are
 * monochrome thermal or laser printers.
 */
import { age, localDateTime, zoneLabel } from '../time';
import { fontFaces, FONT_MONO, FONT_SANS, type FontSet } from './fonts/print-fonts';
import { cssString, html, trusted, type SafeHtml } from './html';
import { isSheet, type PageSize } from './page';
import { STALE_AFTER_MINUTES, type DocumentKind, type PrintDocument, type Provenance } from './types';

/** Fonts the documents carry with them (fonts/), so a printout looks the same on every machine. */
export { FONT_MONO, FONT_SANS };

/** "26 Nov 14:05 GMT": a station-local time, always with its zone. */
export function stationTime(iso: string, timeZone: string): string {
  return `${localDateTime(iso, timeZone)} ${zoneLabel(iso, timeZone)}`;
}

export function dataAgeMinutes(p: Provenance): number | null {
  if (p.dataAsOf === null) return null;
  return Math.max(0, Math.floor((Date.parse(p.printedAt) - Date.parse(p.dataAsOf)) / 60_000));
}

/** What a document printed during a drill says, prominently, on every page. */
export const DRILL_MARK = 'DRILL \u2014 NOT VALID FOR TRAVEL';

/** The provenance in one line, as printed at the foot of every page. */
export function provenanceLine(p: Provenance): string {
  const parts = [
    ...(p.drill ? [DRILL_MARK] : []),
    p.dataAsOf === null ? 'Data as of: n/a' : `Data as of ${stationTime(p.dataAsOf, p.timeZone)}`,
    `Printed ${stationTime(p.printedAt, p.timeZone)}`,
    `${p.station} workstation ${p.workstation}`,
    `Agent ${p.agent.id} ${p.agent.name}`,
    ...(p.reprint ? [reprintMark(p.reprint)] : []),
    'Backstop (DCS fallback)',
  ];
  return parts.join(' \u00b7 ');
}

/** "REPRINT 2": how a reprinted document says so. */
export function reprintMark(n: number): string {
  return `REPRINT ${n}`;
}

/** A warning when the local copy was already old when this was printed, or null. */
export function staleWarning(p: Provenance): string | null {
  const minutes = dataAgeMinutes(p);
  if (minutes === null || minutes < STALE_AFTER_MINUTES || p.dataAsOf === null) return null;
  return `DATA MAY BE OUT OF DATE: last synchronised ${age(p.dataAsOf, Date.parse(p.printedAt))} before printing`;
}

const BASE_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; color: #000; }
body { font-family: ${FONT_SANS}; font-size: 9.5pt; line-height: 1.25; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1, h2, h3 { margin: 0; font-weight: 700; }
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 1.6mm; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #333; }
.caps { text-transform: uppercase; letter-spacing: 0.04em; }
.fallback-mark { display: inline-block; border: 0.5mm solid #000; padding: 0.6mm 2mm; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; }
.stale { border: 0.6mm solid #000; padding: 1.5mm 2.5mm; font-weight: 700; margin: 2mm 0; }
`;

/**
 * A drill printout: a heavy band with the mark across the top (on every page of a sheet; over the top
 * edge of a card or roll, whose layout fills the page) and DRILL written across the middle.
 */
const DRILL_CSS = `
.drill-band { border: 1.2mm solid #000; background: repeating-linear-gradient(135deg, #fff 0 2.5mm, #ddd 2.5mm 5mm); font-weight: 700; font-size: 13pt; letter-spacing: 0.12em; text-align: center; padding: 1mm 2mm; margin: 0 0 2.5mm; }
.drill-band span { background: #fff; padding: 0 2mm; }
.drill-band.overlay { position: fixed; top: 0; left: 0; right: 0; margin: 0; font-size: 10pt; padding: 0.5mm 1mm; z-index: 20; }
.drill-watermark { position: fixed; top: 50%; left: 50%; transform: translate(-50%, -50%) rotate(-24deg); font-size: 64pt; font-weight: 700; letter-spacing: 0.2em; color: #000; opacity: 0.13; white-space: nowrap; pointer-events: none; z-index: 10; }
.paper-atb .drill-watermark, .paper-roll-80 .drill-watermark { font-size: 40pt; }
`;

function drillMarks(pageSize: PageSize): SafeHtml {
  return html`<div class="drill-band${isSheet(pageSize.paper) ? '' : ' overlay'}" role="note" data-drill="true"><span>${DRILL_MARK}</span></div>
<div class="drill-watermark" aria-hidden="true">DRILL</div>
`;
}

/** Only with the mono faces embedded: a document without them never asks for a font it lacks. */
const MONO_CSS = `.mono { font-family: ${FONT_MONO}; }\n`;

/** Header used by the sheet documents (manifest, SSR list, close-out, reconciliation, test page). */
export const SHEET_CSS = `
.doc-head { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 0.7mm solid #000; padding-bottom: 2.5mm; margin-bottom: 3.5mm; gap: 6mm; }
.doc-head h1 { font-size: 17pt; letter-spacing: 0.01em; }
.doc-head .sub { font-size: 11pt; margin-top: 1mm; }
.doc-head > div:first-child { flex: 1; }
.doc-head .right { text-align: right; font-size: 8pt; max-width: 78mm; }
.doc-head .right .fallback-mark { font-size: 8pt; margin-bottom: 1.2mm; }
h2 { font-size: 11.5pt; margin: 5mm 0 2mm; padding-bottom: 0.8mm; border-bottom: 0.3mm solid #000; }
table.grid th { font-size: 7.5pt; text-transform: uppercase; letter-spacing: 0.04em; border-bottom: 0.4mm solid #000; padding-top: 0.8mm; padding-bottom: 0.8mm; }
table.grid td { border-bottom: 0.15mm solid #999; }
table.grid tr.total td { border-top: 0.4mm solid #000; border-bottom: none; font-weight: 700; }
table.list td, table.list th { padding: 0.7mm 1.4mm; font-size: 8.5pt; }
table.list tbody tr:nth-child(even) td { background: #f0f0f0; }
.kv { display: grid; grid-template-columns: repeat(4, auto); gap: 1mm 6mm; justify-content: start; font-size: 9pt; }
.kv b { font-weight: 700; }
.section { break-inside: avoid; }
.new-page { break-before: page; }
.empty { font-style: italic; padding: 2mm 0; }
`;

export interface ShellOptions {
  kind: DocumentKind;
  title: string;
  pageSize: PageSize;
  provenance: Provenance;
  css: string;
  body: SafeHtml;
  /** "none" prints edge to edge with no margin boxes (the test page measures the real paper). */
  margins?: 'auto' | 'none';
  /** The font families to embed (default: sans and mono). With the sans alone, .mono is not styled. */
  fonts?: FontSet;
}

function pageRule(pageSize: PageSize, provenance: Provenance, margins: 'auto' | 'none'): string {
  const size = `size: ${pageSize.widthMm}mm ${pageSize.heightMm}mm;`;
  if (!isSheet(pageSize.paper) || margins === 'none') return `@page { ${size} margin: 0; }`;
  // Sheets repeat the provenance and "page n of m" on every page through CSS margin boxes.
  return `@page {
  ${size} margin: 12mm 12mm 15mm 12mm;
  @bottom-left { content: ${cssString(provenanceLine(provenance))}; font: 7pt ${FONT_SANS}; color: #000; vertical-align: top; padding-top: 3mm; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7.5pt ${FONT_SANS}; color: #000; vertical-align: top; padding-top: 3mm; }
}`;
}

/**
 * Wraps a template's body into a complete, script-free print document. The CSS is the templates'
 * own constant text plus cssString() literals (which escape `<`), so it cannot close the <style>.
 */
export function documentShell(o: ShellOptions): PrintDocument {
  const fonts = o.fonts ?? 'sans and mono';
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>${o.title}</title>
<style>${trusted(fontFaces(fonts) + pageRule(o.pageSize, o.provenance, o.margins ?? 'auto') + BASE_CSS + (fonts === 'sans' ? '' : MONO_CSS) + (o.provenance.drill ? DRILL_CSS : '') + o.css)}</style>
</head>
<body class="paper-${o.pageSize.paper}${o.provenance.drill ? ' drill' : ''}">
${o.provenance.drill ? drillMarks(o.pageSize) : ''}${o.body}
</body>
</html>
`;
  return { kind: o.kind, title: o.provenance.drill ? `DRILL ${o.title}` : o.title, html: doc.value, pageSize: o.pageSize };
}

/** The common header of sheet documents: title, flight line, the fallback mark and provenance. */
export function sheetHeader(title: string, subtitle: string, provenance: Provenance): SafeHtml {
  const stale = staleWarning(provenance);
  return html`<header class="doc-head">
  <div><h1>${title}</h1><div class="sub">${subtitle}</div></div>
  <div class="right"><div class="fallback-mark">Issued in fallback</div><div>${provenanceLine(provenance)}</div></div>
</header>
${stale ? html`<div class="stale" role="alert">${stale}</div>` : ''}`;
}

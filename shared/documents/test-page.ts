/**
 * The printer test page: proves the printer uses the paper size Backstop asks for (a frame exactly
 * 5 mm inside every edge, with a 10 mm scale), that small type is legible, and (through a BCBP
 * test barcode) that the gate scanner reads what this printer prints.
 */
import { scannerTestPass } from '../bcbp/test-pass';
import { localDate } from '../time';
import { pdf417 } from './barcode';
import { html } from './html';
import { documentShell, provenanceLine } from './layout';
import { PAGE_SIZES, type Paper } from './page';
import type { PrintDocument, Provenance } from './types';

export interface TestPageInput {
  paper: Paper;
  /** The printer (or queue) name as the agent chose it, printed so the sheet says where it came from. */
  printer: string;
  provenance: Provenance;
}

const INSET_MM = 5;

const TEST_CSS = `
.tp { position: relative; overflow: hidden; }
.frame { position: absolute; inset: ${INSET_MM}mm; border: 0.3mm solid #000; padding: 3.5mm 4mm;
  background-image: repeating-linear-gradient(to right, #000 0 0.3mm, transparent 0.3mm 10mm), repeating-linear-gradient(to bottom, #000 0 0.3mm, transparent 0.3mm 10mm);
  background-size: 100% 2.5mm, 2.5mm 100%; background-repeat: no-repeat; background-position: 0 0, 0 0; }
.content { display: flex; gap: 5mm; align-items: flex-start; height: 100%; }
.text { flex: 1; min-width: 0; display: grid; gap: 1.8mm; align-content: start; padding-left: 2mm; padding-top: 1.5mm; }
h1 { font-size: 15pt; letter-spacing: 0.02em; }
.samples span { display: block; }
.s7 { font-size: 7pt; } .s9 { font-size: 9pt; } .s12 { font-size: 12pt; } .s18 { font-size: 18pt; font-weight: 700; }
.barcode { padding: 3mm; text-align: center; font-size: 7pt; }
.barcode svg { display: block; margin: 0 auto 1mm; }
.prov { font-size: 6.5pt; }
.paper-atb h1 { font-size: 11pt; } .paper-atb .text { gap: 0.8mm; font-size: 7.5pt; } .paper-atb .s18 { font-size: 13pt; } .paper-atb .s12 { display: none; } .paper-atb .frame { padding: 2.5mm 3mm; }
.paper-roll-80 .content { flex-direction: column; align-items: stretch; } .paper-roll-80 .text { flex: none; font-size: 8pt; }
`;

export function printerTestPage(input: TestPageInput): PrintDocument {
  const size = PAGE_SIZES[input.paper];
  const pv = input.provenance;
  const frameW = size.widthMm - 2 * INSET_MM;
  const frameH = size.heightMm - 2 * INSET_MM;
  const code = pdf417(scannerTestPass(localDate(pv.printedAt, pv.timeZone)), {
    columns: input.paper === 'roll-80' ? 4 : 5,
    moduleMm: input.paper === 'atb' ? 0.3 : undefined,
    label: 'Scanner test barcode',
  });
  const body = html`<main class="tp" style="width:${size.widthMm}mm;height:${size.heightMm}mm">
<div class="frame"><div class="content">
  <div class="text">
    <h1>Backstop printer test</h1>
    <div>Printer <b>${input.printer}</b> · paper <b>${input.paper}</b> ${size.widthMm} × ${size.heightMm} mm</div>
    <div>The frame is ${INSET_MM} mm inside each edge and measures <b>${frameW.toFixed(1).replace(/\.0$/, '')} × ${frameH.toFixed(1).replace(/\.0$/, '')} mm</b>; the ticks are 10 mm apart. If the frame is cut off or the ticks are not 10 mm apart, this printer is not set to this paper.</div>
    <div class="samples"><span class="s7">7 pt: data as of, workstation, agent</span><span class="s9">9 pt: SMITH/ANNA MS · PNR ABC123 · ETKT 176-1000000001</span><span class="s12">12 pt: FLIGHT BQ123 · FROM LHR TO MAD</span><span class="s18">SEAT 10A · GATE B32 · SSSS</span></div>
    <div class="prov">${provenanceLine(pv)}</div>
  </div>
  <div class="barcode">${code.svg}Scan to test the gate scanner: it reports a test pass.</div>
</div></div>
</main>`;
  return documentShell({
    kind: 'test-page',
    title: `Printer test ${input.printer} ${input.paper}`,
    pageSize: size,
    provenance: pv,
    css: TEST_CSS,
    body,
    margins: 'none',
  });
}

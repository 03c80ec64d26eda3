/**
 * The load figures sheet for the load controller, and the printout of a flight message (LDM, PFS,
 * PTM): figures per destination by cabin and category, the bags, the standard masses used, the
 * passenger and baggage mass, and the message text to send or read out by phone.
 */
import type { LoadFigures } from '../domain/load';
import { flightLabel } from '../domain/rules';
import type { Flight } from '../domain/schemas';
import { CABIN_NAMES } from './format';
import { html, type SafeHtml } from './html';
import { documentShell, SHEET_CSS, sheetHeader } from './layout';
import { flightSubtitle } from './manifest';
import { PAGE_SIZES } from './page';
import type { PrintDocument, Provenance } from './types';

export interface LoadSheetInput {
  flight: Flight;
  figures: LoadFigures;
  /** The LDM made from these figures (shared/domain/load.ts ldmText). */
  ldm: string;
  provenance: Provenance;
  paper?: 'A4' | 'Letter';
}

const CSS = `
table.load { width: auto; min-width: 150mm; }
table.load td, table.load th { padding: 1mm 3mm; }
pre.message { font-size: 11pt; line-height: 1.35; border: 0.4mm solid #000; padding: 3mm 4mm; white-space: pre-wrap; margin: 2mm 0; }
/* Type B text in the bundled mono (.mono), so its columns line up as on a teleprinter. */
pre.message.mono { letter-spacing: 0.02em; }
.load-kv { grid-template-columns: repeat(2, auto); margin-top: 2mm; }
.sign { display: flex; gap: 12mm; margin-top: 6mm; font-size: 9pt; }
.sign span span { display: inline-block; min-width: 40mm; border-bottom: 0.3mm solid #000; }
`;

function destinationTable(d: LoadFigures['destinations'][number]): SafeHtml {
  return html`<table class="grid load" aria-label="Passengers to ${d.destination} by cabin"><thead><tr><th>Cabin</th><th class="num">Male</th><th class="num">Female</th><th class="num">Child</th><th class="num">Infant</th><th class="num">Seated</th></tr></thead><tbody>
${d.cabins.map((c) => html`<tr><td>${c.cabin} ${CABIN_NAMES[c.cabin]}</td><td class="num">${c.male}</td><td class="num">${c.female}</td><td class="num">${c.child}</td><td class="num">${c.infant}</td><td class="num">${c.seated}</td></tr>`)}
<tr class="total"><td>Total</td><td class="num">${d.totals.male}</td><td class="num">${d.totals.female}</td><td class="num">${d.totals.child}</td><td class="num">${d.totals.infant}</td><td class="num">${d.totals.seated}</td></tr>
</tbody></table>
<div class="kv load-kv">
<span>Checked bags: <b>${d.bags.pieces} pc / ${d.bags.weightKg} kg</b></span>
<span>Passenger mass (standard): <b>${d.passengerKg} kg</b></span>
<span>Passengers + bags: <b>${d.passengerKg + d.bags.weightKg} kg</b></span>
${d.genderGuessed > 0 ? html`<span>Adults of unknown gender counted as male: <b>${d.genderGuessed}</b></span>` : ''}
</div>`;
}

export function loadSheet(input: LoadSheetInput): PrintDocument {
  const { flight: f, figures, provenance: pv } = input;
  const w = figures.weights;
  const basis =
    figures.basis === 'boarded'
      ? 'Final figures: passengers on board.'
      : 'PRELIMINARY: every accepted passenger, boarded or not. Print again after boarding for the final figures.';
  const body = html`${sheetHeader('Load figures', flightSubtitle(f, pv.timeZone), pv)}
<p><b>${basis}</b></p>
${figures.destinations.map((d) => html`<section class="section"><h2>To ${d.destination}</h2>${destinationTable(d)}</section>`)}
<section class="section"><h2>Standard masses used</h2><div class="kv"><span>Male <b>${w.male} kg</b></span><span>Female <b>${w.female} kg</b></span><span>Child <b>${w.child} kg</b></span><span>Infant <b>${w.infant} kg</b></span></div></section>
<section class="section"><h2>LDM</h2><pre class="message mono" aria-label="LDM text">${input.ldm}</pre></section>
<div class="sign"><span>Load controller: <span></span></span><span>Time: <span></span></span></div>`;
  return documentShell({
    kind: 'load-sheet',
    title: `Load figures ${flightLabel(f)} ${f.date}`,
    pageSize: PAGE_SIZES[input.paper ?? 'A4'],
    provenance: pv,
    css: SHEET_CSS + CSS,
    body,
  });
}

export interface FlightMessageInput {
  flight: Flight;
  kind: 'PFS' | 'PTM' | 'LDM';
  text: string;
  provenance: Provenance;
  paper?: 'A4' | 'Letter';
}

const MESSAGE_NAMES = { PFS: 'Passenger final sales (PFS)', PTM: 'Passenger transfer message (PTM)', LDM: 'Load message (LDM)' } as const;

/** A flight message as text on paper, to fax, hand over or read out. */
export function flightMessage(input: FlightMessageInput): PrintDocument {
  const { flight: f, provenance: pv } = input;
  const body = html`${sheetHeader(MESSAGE_NAMES[input.kind], flightSubtitle(f, pv.timeZone), pv)}
<pre class="message mono" aria-label="${input.kind} text">${input.text}</pre>`;
  return documentShell({
    kind: 'flight-message',
    title: `${input.kind} ${flightLabel(f)} ${f.date}`,
    pageSize: PAGE_SIZES[input.paper ?? 'A4'],
    provenance: pv,
    css: SHEET_CSS + CSS,
    body,
  });
}

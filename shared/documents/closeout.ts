/**
 * The boarding close-out (headcount) report: the counts the gate signs off before the door
 * closes, who was accepted but has not boarded (their bags must come off), who was offloaded or did
 * not show, and signature lines for the gate agent, the supervisor and the captain or purser.
 */
import { plateLabel } from '../domain/bag-tags';
import { apisMissing, headcount, inSeatOrder, type BagCount, type BagReconciliation } from '../domain/headcount';
import { displayName, flightLabel } from '../domain/rules';
import type { Flight, Passenger, SeatMap } from '../domain/schemas';
import { COUNTS_CSS, countsFacts, countsTable } from './counts';
import { seqLabel, STATUS_LABELS } from './format';
import { html, type SafeHtml } from './html';
import { documentShell, SHEET_CSS, sheetHeader, stationTime } from './layout';
import { flightSubtitle } from './manifest';
import { PAGE_SIZES } from './page';
import type { PrintDocument, Provenance } from './types';

export interface CloseoutInput {
  flight: Flight;
  passengers: readonly Passenger[];
  seatMap?: SeatMap;
  provenance: Provenance;
  paper?: 'A4' | 'Letter';
}

const CLOSEOUT_CSS = `
.alert { border: 0.8mm solid #000; padding: 2.5mm 3.5mm; font-weight: 700; font-size: 11pt; margin: 3mm 0; }
.ok { border: 0.3mm solid #000; padding: 2mm 3.5mm; font-weight: 700; margin: 3mm 0; }
.status-line { font-size: 10pt; margin-bottom: 2mm; }
.crew-count { display: flex; gap: 10mm; margin: 3mm 0 1mm; font-size: 10pt; }
.blank { display: inline-block; min-width: 22mm; border-bottom: 0.3mm solid #000; }
.signatures { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6mm; margin-top: 5mm; break-inside: avoid; }
.sig { border: 0.3mm solid #000; padding: 2.5mm 3mm; }
.sig h3 { font-size: 9pt; text-transform: uppercase; letter-spacing: 0.05em; margin-bottom: 3mm; }
.sig .line { display: flex; align-items: flex-end; gap: 2mm; margin-top: 5.5mm; font-size: 8pt; }
.sig .line span:last-child { flex: 1; border-bottom: 0.3mm solid #000; }
`;

function passengerRows(list: readonly Passenger[], withRemark: boolean): SafeHtml {
  return html`<table class="grid list"><thead><tr><th>Seat</th><th>Name</th><th>Type</th><th class="num">Seq</th><th>Status</th><th class="num">Bags</th><th>PNR</th>${
    withRemark ? html`<th>Remark</th>` : ''
  }</tr></thead><tbody>
${list.map(
  (p) =>
    html`<tr><td class="mono">${p.seat ?? (p.paxType === 'INF' ? 'INF' : p.standby ? 'STBY' : '—')}</td><td><b>${displayName(p)}</b></td><td>${p.paxType}</td><td class="num mono">${seqLabel(p.seqNo)}</td><td>${STATUS_LABELS[p.status]}</td><td class="num">${
      p.bags.count > 0 ? `${p.bags.count} pc / ${p.bags.weightKg} kg` : '—'
    }</td><td class="mono">${p.pnr}</td>${withRemark ? html`<td>${p.remark ?? ''}</td>` : ''}</tr>`,
)}
</tbody></table>`;
}

function pieces(b: BagCount): string {
  return b.count === 0 ? 'none' : `${b.count} pc / ${b.weightKg} kg`;
}

/** The bags against the people, for the ramp: a bag flies only with its passenger. */
function bagsSection(r: BagReconciliation): SafeHtml {
  return html`<section class="section"><h2>Bags against passengers</h2><table class="grid"><tbody>
<tr><td>With boarded passengers (may fly)</td><td class="num"><b>${pieces(r.ofBoarded)}</b></td></tr>
<tr><td>With accepted passengers not boarded (off unless they board)</td><td class="num"><b>${pieces(r.ofNotBoarded)}</b></td></tr>
<tr><td>With offloaded passengers (must come off)</td><td class="num"><b>${pieces(r.ofOffloaded)}</b></td></tr>
</tbody></table>
${
  r.removal.length > 0
    ? html`<table class="grid list" aria-label="Bags to take off"><thead><tr><th>Passenger</th><th class="num">Seq</th><th>PNR</th><th>Why</th><th class="num">Bags</th><th>Tags</th></tr></thead><tbody>
${r.removal.map((x) => html`<tr><td><b>${displayName(x.passenger)}</b></td><td class="num mono">${seqLabel(x.passenger.seqNo)}</td><td class="mono">${x.passenger.pnr}</td><td>${x.why === 'offloaded' ? 'Offloaded: take off' : 'Not boarded: off unless they board'}</td><td class="num">${pieces(x.bags)}</td><td class="mono">${x.tags.map(plateLabel).join(', ')}${x.untagged > 0 ? `${x.tags.length > 0 ? ' + ' : ''}${x.untagged} tag(s) not known` : ''}</td></tr>`)}
</tbody></table>`
    : ''
}
<div class="crew-count"><span>Hold count by the ramp: <span class="blank"></span> pc</span><span>Agrees with bags that may fly: YES / NO</span></div>
</section>`;
}

function signature(role: string): SafeHtml {
  return html`<div class="sig"><h3>${role}</h3>${['Name', 'Staff ID', 'Signature', 'Time'].map((l) => html`<div class="line"><span>${l}</span><span></span></div>`)}</div>`;
}

export function closeoutReport(input: CloseoutInput): PrintDocument {
  const pv = input.provenance;
  const f = input.flight;
  const h = headcount(input.passengers, input.seatMap);
  const missing = h.notYetBoarded;
  const apis = apisMissing(f, input.passengers);
  const gone = inSeatOrder(input.passengers.filter((p) => p.status === 'offloaded' || p.status === 'no-show'));
  const status =
    f.closedAt !== null
      ? `Flight closed ${stationTime(f.closedAt, pv.timeZone)}${f.closedBy ? ` by ${f.closedBy}` : ''}.`
      : `Flight status: ${f.status.toUpperCase()}. Not yet closed when this report was printed.`;
  const body = html`${sheetHeader('Boarding close-out report', flightSubtitle(f, pv.timeZone), pv)}
<div class="status-line">${status}</div>
${
  missing.length > 0
    ? html`<div class="alert" role="alert">${missing.length} ACCEPTED ${missing.length === 1 ? 'PASSENGER HAS' : 'PASSENGERS HAVE'} NOT BOARDED. Page them, or offload them and their bags before departure.</div>`
    : html`<div class="ok">All accepted passengers have boarded.</div>`
}
${apis.length > 0 ? html`<div class="alert" role="alert">APIS: ${apis.length} BOARDED ${apis.length === 1 ? 'PASSENGER HAS' : 'PASSENGERS HAVE'} NO TRAVEL DOCUMENT READ: ${apis.map((p, i) => html`${i > 0 ? ', ' : ''}${displayName(p)} (${p.seat ?? 'INF'})`)}.</div>` : ''}
<section class="section"><h2>Headcount</h2>${countsTable(h)}${countsFacts(h)}
<div class="crew-count"><span>Cabin crew headcount: <span class="blank"></span> + <span class="blank"></span> INF</span><span>Agrees with boarded count: YES / NO</span></div>
</section>
${bagsSection(h.bagReconciliation)}
${missing.length > 0 ? html`<section><h2>Accepted, not boarded (${missing.length})</h2>${passengerRows(missing, false)}</section>` : ''}
${gone.length > 0 ? html`<section><h2>Offloaded and no-show (${gone.length})</h2>${passengerRows(gone, true)}</section>` : ''}
<section class="signatures" aria-label="Signatures">${signature('Gate agent')}${signature('Supervisor')}${signature('Captain or purser')}</section>`;
  return documentShell({
    kind: 'closeout',
    title: `Close-out report ${flightLabel(f)} ${f.date}`,
    pageSize: PAGE_SIZES[input.paper ?? 'A4'],
    provenance: pv,
    css: SHEET_CSS + COUNTS_CSS + CLOSEOUT_CSS,
    body,
  });
}

/**
 * The passenger manifest (station copy: everyone on the list, with PNR, sequence, status and bags)
 * and the crew's passenger information list (PIL: accepted passengers, seat, SSRs, infants). Both
 * open with the counts by cabin and an SSR summary, then list passengers in seat order and again
 * in alphabetical order, as the crew and the gate look people up both ways.
 */
import { headcount, inNameOrder, inSeatOrder } from '../domain/headcount';
import { displayName, flightLabel, isAccepted } from '../domain/rules';
import type { Flight, Passenger, SeatMap } from '../domain/schemas';
import { COUNTS_CSS, countsFacts, countsTable, ssrTally } from './counts';
import { longDate, seqLabel, STATUS_CODES, timeWithZone } from './format';
import { html, type SafeHtml } from './html';
import { documentShell, SHEET_CSS, sheetHeader } from './layout';
import { PAGE_SIZES } from './page';
import { ssrName } from './ssr-names';
import type { PrintDocument, Provenance } from './types';

export type ListOrder = 'seat' | 'name';

export interface ManifestInput {
  flight: Flight;
  passengers: readonly Passenger[];
  seatMap?: SeatMap;
  provenance: Provenance;
  paper?: 'A4' | 'Letter';
  /** "manifest" for the station; "crew" for the passenger information list handed to the purser. */
  variant?: 'manifest' | 'crew';
  orders?: readonly ListOrder[];
}

export function flightSubtitle(flight: Flight, timeZone: string): string {
  const etd = flight.etd !== null && flight.etd !== flight.std ? `, ETD ${timeWithZone(flight.etd, timeZone)}` : '';
  return `${flightLabel(flight)} ${longDate(flight.date)} · ${flight.origin}–${flight.destination} · STD ${timeWithZone(flight.std, timeZone)}${etd} · Gate ${flight.gate ?? 'TBA'} · ${flight.aircraftType}${flight.registration ? ` ${flight.registration}` : ''}`;
}

function notes(p: Passenger, byId: ReadonlyMap<string, Passenger>, variant: 'manifest' | 'crew'): string {
  const out: string[] = [];
  if (p.vetting === 'selectee') out.push('SSSS');
  if (variant === 'manifest' && (p.vetting === 'inhibited' || p.vetting === 'pending')) out.push('VETTING HOLD');
  if (p.standby && p.seat === null && p.paxType !== 'INF') out.push('STBY');
  if (p.infantId !== null) {
    const inf = byId.get(p.infantId);
    out.push(`+INF ${inf ? inf.firstName : ''}`.trim());
  }
  if (p.paxType === 'INF' && p.infantOf !== null) {
    const adult = byId.get(p.infantOf);
    if (adult) out.push(`with ${adult.seat ?? displayName(adult)}`);
  }
  if (variant === 'manifest' && isAccepted(p) && !p.docsChecked) out.push('docs not checked');
  if (variant === 'manifest' && p.remark) out.push(p.remark);
  return out.join(' · ');
}

function seatCell(p: Passenger, byId: ReadonlyMap<string, Passenger>): string {
  if (p.paxType === 'INF') {
    const adult = p.infantOf !== null ? byId.get(p.infantOf) : undefined;
    return adult?.seat ? `(${adult.seat})` : 'INF';
  }
  return p.seat ?? (p.standby ? 'STBY' : '—');
}

function listTable(
  list: readonly Passenger[],
  byId: ReadonlyMap<string, Passenger>,
  variant: 'manifest' | 'crew',
  label: string,
): SafeHtml {
  if (list.length === 0) return html`<p class="empty">No passengers to list.</p>`;
  const station = variant === 'manifest';
  return html`<table class="grid list" aria-label="${label}">
<thead><tr><th class="num">#</th><th>Seat</th><th>Name</th><th>Type</th><th>Cl</th>${
    station ? html`<th class="num">Seq</th><th>Status</th><th class="num">Bags</th>` : ''
  }<th>SSR</th>${station ? html`<th>PNR</th>` : ''}<th>Notes</th></tr></thead>
<tbody>
${list.map(
  (p, i) =>
    html`<tr class="${p.paxType === 'INF' ? 'inf' : ''}"><td class="num">${i + 1}</td><td class="mono">${seatCell(p, byId)}</td><td class="nm">${p.paxType === 'INF' ? '+ ' : ''}${displayName(p)}</td><td>${p.paxType}</td><td>${p.bookingClass}</td>${
      station
        ? html`<td class="num mono">${seqLabel(p.seqNo)}</td><td>${STATUS_CODES[p.status]}</td><td class="num">${p.bags.count > 0 ? `${p.bags.count}/${p.bags.weightKg}` : ''}</td>`
        : ''
    }<td>${p.ssrs.join(' ')}</td>${station ? html`<td class="mono">${p.pnr}</td>` : ''}<td class="notes">${notes(p, byId, variant)}</td></tr>`,
)}
</tbody>
</table>`;
}

export function ssrSummary(passengers: readonly Passenger[]): SafeHtml {
  const tally = ssrTally(passengers.flatMap((p) => p.ssrs));
  if (tally.length === 0) return html`<p class="empty">No special service requests.</p>`;
  return html`<table class="grid ssr-sum" aria-label="SSR summary"><thead><tr><th>SSR</th><th class="num">Pax</th><th>Meaning</th></tr></thead><tbody>
${tally.map(([code, n]) => html`<tr><td class="mono"><b>${code}</b></td><td class="num">${n}</td><td>${ssrName(code)}</td></tr>`)}
</tbody></table>`;
}

const MANIFEST_CSS = `
table.list td.nm { font-weight: 700; white-space: nowrap; }
table.list tr.inf td.nm { font-weight: 400; padding-left: 4mm; }
table.list td.notes { font-size: 7.5pt; }
table.ssr-sum { width: auto; min-width: 120mm; }
.summary { display: grid; grid-template-columns: auto; gap: 2mm; }
`;

export function passengerManifest(input: ManifestInput): PrintDocument {
  const variant = input.variant ?? 'manifest';
  const orders = input.orders ?? ['seat', 'name'];
  const pv = input.provenance;
  const byId = new Map(input.passengers.map((p) => [p.id, p]));
  // The crew list shows who is (or will be) on board; the station copy shows everyone.
  const listed = variant === 'crew' ? input.passengers.filter(isAccepted) : [...input.passengers];
  const counts = headcount(input.passengers, input.seatMap);
  const title = variant === 'crew' ? 'Passenger information list (crew)' : 'Passenger manifest';
  const sections = orders.map((order, i) => {
    const list = order === 'seat' ? inSeatOrder(listed) : inNameOrder(listed);
    const heading = order === 'seat' ? 'Passengers in seat order' : 'Passengers in alphabetical order';
    return html`<section class="${i > 0 ? 'new-page' : ''}"><h2>${heading} (${list.length})</h2>${listTable(list, byId, variant, heading)}</section>`;
  });
  const body = html`${sheetHeader(title, flightSubtitle(input.flight, pv.timeZone), pv)}
<section class="section summary"><h2>Counts</h2>${countsTable(counts)}${countsFacts(counts)}</section>
<section class="section"><h2>Special service requests</h2>${ssrSummary(listed.filter((p) => p.status !== 'offloaded' && p.status !== 'no-show'))}</section>
${sections}`;
  return documentShell({
    kind: 'manifest',
    title: `${title} ${flightLabel(input.flight)} ${input.flight.date}`,
    pageSize: PAGE_SIZES[input.paper ?? 'A4'],
    provenance: pv,
    css: SHEET_CSS + COUNTS_CSS + MANIFEST_CSS,
    body,
  });
}

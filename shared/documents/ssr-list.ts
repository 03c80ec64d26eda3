/**
 * The SSR list for ground handling and cabin crew: every special service request on the flight,
 * grouped by code, with seat and name, for passengers still travelling (offloaded and no-show
 * passengers are left out, and the list says so).
 */
import { inSeatOrder } from '../domain/headcount';
import { displayName, flightLabel } from '../domain/rules';
import type { Flight, Passenger } from '../domain/schemas';
import { ssrTally } from './counts';
import { STATUS_LABELS } from './format';
import { html } from './html';
import { documentShell, FONT_MONO, SHEET_CSS, sheetHeader } from './layout';
import { flightSubtitle } from './manifest';
import { PAGE_SIZES } from './page';
import { ssrName } from './ssr-names';
import type { PrintDocument, Provenance } from './types';

export interface SsrListInput {
  flight: Flight;
  passengers: readonly Passenger[];
  provenance: Provenance;
  paper?: 'A4' | 'Letter';
}

const SSR_CSS = `
.group { break-inside: avoid; }
.group h2 { display: flex; gap: 3mm; align-items: baseline; }
.group h2 .code { font-family: ${FONT_MONO}; font-size: 13pt; }
.group h2 .count { margin-left: auto; font-size: 9.5pt; }
td.nm { font-weight: 700; }
`;

export function ssrList(input: SsrListInput): PrintDocument {
  const pv = input.provenance;
  const travelling = input.passengers.filter((p) => p.status !== 'offloaded' && p.status !== 'no-show');
  const left = input.passengers.length - travelling.length;
  const byId = new Map(input.passengers.map((p) => [p.id, p]));
  const tally = ssrTally(travelling.flatMap((p) => p.ssrs));
  const groups = tally.map(([code, n]) => {
    const pax = inSeatOrder(travelling.filter((p) => p.ssrs.includes(code)));
    return html`<section class="group"><h2><span class="code">${code}</span><span>${ssrName(code)}</span><span class="count">${n} pax</span></h2>
<table class="grid list" aria-label="${code} passengers"><thead><tr><th>Seat</th><th>Name</th><th>Type</th><th>Status</th><th>Other SSRs</th><th>Notes</th></tr></thead><tbody>
${pax.map((p) => {
  const adult = p.infantOf !== null ? byId.get(p.infantOf) : undefined;
  const infant = p.infantId !== null ? byId.get(p.infantId) : undefined;
  const note = [
    adult ? `infant of ${displayName(adult)}${adult.seat ? ` (${adult.seat})` : ''}` : '',
    infant ? `+INF ${displayName(infant)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return html`<tr><td class="mono">${p.seat ?? (p.paxType === 'INF' ? 'INF' : '—')}</td><td class="nm">${displayName(p)}</td><td>${p.paxType}</td><td>${STATUS_LABELS[p.status]}</td><td class="mono">${p.ssrs.filter((s) => s !== code).join(' ')}</td><td>${note}</td></tr>`;
})}
</tbody></table></section>`;
  });
  const body = html`${sheetHeader('Special service request list', flightSubtitle(input.flight, pv.timeZone), pv)}
<p>${tally.length === 0 ? 'No special service requests on this flight.' : `${tally.reduce((n, [, c]) => n + c, 0)} requests for ${travelling.filter((p) => p.ssrs.length > 0).length} passengers.`}${
    left > 0 ? ` ${left} offloaded or no-show passengers are not listed.` : ''
  }</p>
${groups}`;
  return documentShell({
    kind: 'ssr-list',
    title: `SSR list ${flightLabel(input.flight)} ${input.flight.date}`,
    pageSize: PAGE_SIZES[input.paper ?? 'A4'],
    provenance: pv,
    css: SHEET_CSS + SSR_CSS,
    body,
  });
}

/** The headcount tables several documents print, drawn from shared/domain/headcount only. */
import type { Headcount, StatusCounts } from '../domain/headcount';
import { CABIN_NAMES } from './format';
import { html, type SafeHtml } from './html';

function row(label: string, c: StatusCounts, capacity: number | null, cls = ''): SafeHtml {
  return html`<tr class="${cls}"><td>${label}</td><td class="num">${capacity ?? ''}</td><td class="num">${c.booked}</td><td class="num">${c.checkedIn}</td><td class="num">${c.boarded}</td><td class="num">${c.notBoarded}</td></tr>`;
}

/** Booked / checked in / boarded / not boarded per cabin, a total line, then infants and children. */
export function countsTable(h: Headcount): SafeHtml {
  const capacity = h.cabins.every((c) => c.capacity !== null) ? h.cabins.reduce((n, c) => n + (c.capacity ?? 0), 0) : null;
  return html`<table class="grid counts" aria-label="Passenger counts by cabin">
<thead><tr><th>Cabin</th><th class="num">Seats</th><th class="num">Booked</th><th class="num">Checked in</th><th class="num">Boarded</th><th class="num">Not boarded</th></tr></thead>
<tbody>
${h.cabins.map((c) => row(`${c.cabin} ${CABIN_NAMES[c.cabin]}`, c, c.capacity))}
${row('Total (seats)', h.total, capacity, 'total')}
${row('Infants (lap, no seat)', h.infants, null)}
${row('of which children', h.children, null)}
</tbody>
</table>`;
}

/** The one-line facts under the table: standby, offloads, no-shows, souls on board, bags. */
export function countsFacts(h: Headcount): SafeHtml {
  return html`<div class="kv facts">
<span>Standby (no seat): <b>${h.standby}</b></span>
<span>Offloaded: <b>${h.offloaded}</b></span>
<span>No-show: <b>${h.noShow}</b></span>
<span>Bags (accepted): <b>${h.bags.count} pc / ${h.bags.weightKg} kg</b></span>
<span>Persons on board (boarded + infants): <b>${h.total.boarded} + ${h.infants.boarded} INF = ${h.soulsOnBoard}</b></span>
</div>`;
}

export const COUNTS_CSS = `
table.counts { width: auto; min-width: 120mm; }
table.counts td, table.counts th { padding: 0.9mm 2.5mm; }
.facts { grid-template-columns: repeat(3, auto); margin-top: 2.5mm; }
`;

/** "WCHR 3 · UMNR 1": SSR codes with how many passengers have each, most frequent first. */
export function ssrTally(codes: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

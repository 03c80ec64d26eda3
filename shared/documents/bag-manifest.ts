/**
 * The bag manifest of a flight: every checked bag by its tag, whose it is and where its passenger
 * stands, so the ramp can load against it and pull the bags that may not fly. Bags are reconciled
 * against the people (shared/domain/headcount.ts): a bag flies only with its passenger.
 */
import { plateLabel, readPlate } from '../domain/bag-tags';
import { headcount, inSeatOrder, type BagCount } from '../domain/headcount';
import { displayName, flightLabel } from '../domain/rules';
import type { Flight, Passenger } from '../domain/schemas';
import { seqLabel } from './format';
import { html, type SafeHtml } from './html';
import { documentShell, SHEET_CSS, sheetHeader } from './layout';
import { flightSubtitle } from './manifest';
import { PAGE_SIZES } from './page';
import type { PrintDocument, Provenance } from './types';

export interface BagManifestInput {
  flight: Flight;
  passengers: readonly Passenger[];
  provenance: Provenance;
  paper?: 'A4' | 'Letter';
}

/** What the ramp does with a passenger's bags, from the passenger's status. */
export function bagVerdict(p: Passenger): 'LOAD' | 'HOLD' | 'OFFLOAD' {
  if (p.status === 'boarded') return 'LOAD';
  if (p.status === 'checked-in') return 'HOLD';
  return 'OFFLOAD';
}

const VERDICT_WORDS = { LOAD: 'may fly (boarded)', HOLD: 'hold: not boarded yet', OFFLOAD: 'OFFLOAD' } as const;

function pieces(b: BagCount): string {
  return b.count === 0 ? 'none' : `${b.count} pc / ${b.weightKg} kg`;
}

const CSS = `
table.bags td.tag { font-weight: 700; white-space: nowrap; }
tr.OFFLOAD td { font-weight: 700; }
tr.OFFLOAD td.verdict { text-decoration: underline; }
.totals { width: auto; min-width: 120mm; }
`;

function rows(passengers: readonly Passenger[]): SafeHtml {
  const lines = inSeatOrder(passengers.filter((p) => p.bags.count > 0 && p.status !== 'booked' && p.status !== 'no-show')).flatMap((p) => {
    const verdict = bagVerdict(p);
    const tagged = (p.bags.pieces ?? []).map(
      (b) =>
        html`<tr class="${verdict}"><td class="tag mono">${plateLabel(b.tag)}</td><td>${readPlate(b.tag)?.fallback ? 'FB' : 'DCS'}</td><td>${b.destination}</td><td class="num">${b.weightKg}</td><td><b>${displayName(p)}</b></td><td class="mono">${p.seat ?? '—'}</td><td class="num mono">${seqLabel(p.seqNo)}</td><td class="mono">${p.pnr}</td><td class="verdict">${VERDICT_WORDS[verdict]}</td></tr>`,
    );
    const untagged = p.bags.count - (p.bags.pieces?.length ?? 0);
    return untagged > 0
      ? [
          ...tagged,
          html`<tr class="${verdict}"><td class="tag">${untagged} × tag not known</td><td>DCS</td><td></td><td class="num">${p.bags.weightKg - (p.bags.pieces ?? []).reduce((n, b) => n + b.weightKg, 0)}</td><td><b>${displayName(p)}</b></td><td class="mono">${p.seat ?? '—'}</td><td class="num mono">${seqLabel(p.seqNo)}</td><td class="mono">${p.pnr}</td><td class="verdict">${VERDICT_WORDS[verdict]}</td></tr>`,
        ]
      : tagged;
  });
  if (lines.length === 0) return html`<p class="empty">No checked bags.</p>`;
  return html`<table class="grid list bags" aria-label="Bags by tag"><thead><tr><th>Tag</th><th>Issued</th><th>To</th><th class="num">kg</th><th>Passenger</th><th>Seat</th><th class="num">Seq</th><th>PNR</th><th>Ramp</th></tr></thead><tbody>
${lines}
</tbody></table>`;
}

export function bagManifest(input: BagManifestInput): PrintDocument {
  const { flight: f, provenance: pv } = input;
  const r = headcount(input.passengers).bagReconciliation;
  const off = r.removal.filter((x) => x.why === 'offloaded');
  const body = html`${sheetHeader('Bag manifest', flightSubtitle(f, pv.timeZone), pv)}
<section class="section"><h2>Bags against passengers</h2><table class="grid totals"><tbody>
<tr><td>With boarded passengers: load</td><td class="num"><b>${pieces(r.ofBoarded)}</b></td></tr>
<tr><td>With accepted passengers not boarded: hold, off unless they board</td><td class="num"><b>${pieces(r.ofNotBoarded)}</b></td></tr>
<tr><td>With offloaded passengers: OFFLOAD</td><td class="num"><b>${pieces(r.ofOffloaded)}</b></td></tr>
</tbody></table>
${off.length > 0 ? html`<p><b>Find and offload:</b> ${off.map((x, i) => html`${i > 0 ? '; ' : ''}${displayName(x.passenger)} — ${x.tags.map(plateLabel).join(', ') || 'tags not known'}${x.untagged > 0 && x.tags.length > 0 ? ` + ${x.untagged} untagged` : ''}`)}.</p>` : ''}
</section>
<section><h2>Bags by tag, in seat order</h2>${rows(input.passengers)}</section>`;
  return documentShell({
    kind: 'bag-manifest',
    title: `Bag manifest ${flightLabel(f)} ${f.date}`,
    pageSize: PAGE_SIZES[input.paper ?? 'A4'],
    provenance: pv,
    css: SHEET_CSS + CSS,
    body,
  });
}

/**
 * Fallback bag tags (IATA Resolution 740) on 54 mm bag-tag stock, one page per bag: the licence
 * plate as Interleaved 2 of 5 barcodes twice across the strip ("picket fence") and once along it
 * ("ladder"), so a ramp scanner reads it whichever way the tag hangs; the destination in the largest
 * type, the flight, date and passenger; the plate in digits; and a receipt stub the agent tears off
 * for the passenger. Leading digit 1 marks the tag as issued in fallback, as the plate itself says.
 */
import { plateLabel, readPlate } from '../domain/bag-tags';
import { displayName, flightLabel } from '../domain/rules';
import type { BagPiece, Flight, Passenger } from '../domain/schemas';
import { itf } from './barcode';
import { ddmmm, seqLabel } from './format';
import { html, type SafeHtml } from './html';
import { documentShell, provenanceLine, reprintMark } from './layout';
import { PAGE_SIZES } from './page';
import type { PrintDocument, Provenance } from './types';

export interface BagTagInput {
  flight: Flight;
  passenger: Passenger;
  provenance: Provenance;
  /** Which of the passenger's tagged bags to print (default: all of them). */
  tags?: readonly string[];
}

const CSS = `
.tag { width: 54mm; height: 470mm; padding: 4mm 3mm 3mm; display: flex; flex-direction: column; gap: 2.5mm; overflow: hidden; break-after: page; }
.tag:last-child { break-after: auto; }
.head { display: flex; justify-content: space-between; align-items: center; border-bottom: 0.6mm solid #000; padding-bottom: 1mm; }
.carrier { font-weight: 900; font-size: 16pt; }
.mark { font-size: 6.5pt; font-weight: 700; border: 0.4mm solid #000; padding: 0.3mm 1mm; text-transform: uppercase; letter-spacing: 0.05em; }
.dest { font-weight: 900; font-size: 46pt; line-height: 1; text-align: center; letter-spacing: 0.04em; }
.via { text-align: center; font-size: 9pt; font-weight: 700; }
.line { display: flex; justify-content: space-between; font-size: 10pt; font-weight: 700; }
.name { font-size: 11pt; font-weight: 700; overflow-wrap: anywhere; }
.small { font-size: 7.5pt; }
.plate { font-family: inherit; font-weight: 900; font-size: 17pt; text-align: center; letter-spacing: 0.06em; }
.fence { display: flex; justify-content: center; padding: 0 4mm; background: #fff; }
.fence svg { display: block; }
.ladder { height: 95mm; display: flex; align-items: center; justify-content: center; }
.ladder .turn { transform: rotate(90deg); background: #fff; padding: 4mm 5mm; }
.ladder svg { display: block; }
.pieces { text-align: center; font-size: 11pt; font-weight: 700; }
.grow { flex: 1; }
.stub { border-top: 0.5mm dashed #000; padding-top: 2mm; display: flex; flex-direction: column; gap: 1.2mm; }
.stub h2 { font-size: 8pt; text-transform: uppercase; letter-spacing: 0.08em; }
.stub .plate { font-size: 13pt; }
.prov { font-size: 5.5pt; line-height: 1.2; }
`;

function page(f: Flight, p: Passenger, piece: BagPiece, index: number, of: number, pv: Provenance): SafeHtml {
  const plate = piece.tag;
  const fallback = readPlate(plate)?.fallback ?? false;
  const label = `Bag tag ${plateLabel(plate)}`;
  const fence = itf(plate, { moduleMm: 0.33, heightMm: 18, label });
  const ladder = itf(plate, { moduleMm: 0.5, heightMm: 22, label });
  const through = piece.destination !== f.destination;
  return html`<section class="tag" aria-label="${label}" data-plate="${plate}">
  <div class="head"><span class="carrier">${f.carrier}</span><span class="mark">${fallback ? 'Fallback tag' : 'Bag tag'}</span>${pv.reprint ? html`<span class="mark">${reprintMark(pv.reprint)}</span>` : ''}</div>
  <div class="dest">${piece.destination}</div>
  ${through ? html`<div class="via">VIA ${f.destination} · ${flightLabel(f)} then ${p.onward?.[0] ? `${p.onward[0].carrier}${p.onward[0].number}` : 'connection'}</div>` : ''}
  <div class="line"><span>${flightLabel(f)}</span><span>${ddmmm(f.date)}</span><span>${f.origin}</span></div>
  <div class="name">${displayName(p)}</div>
  <div class="line small"><span>PNR ${p.pnr}</span><span>SEQ ${seqLabel(p.seqNo)}</span><span>${piece.weightKg} KG</span></div>
  <div class="fence">${fence.svg}</div>
  <div class="plate">${plateLabel(plate)}</div>
  <div class="ladder"><div class="turn">${ladder.svg}</div></div>
  <div class="fence">${fence.svg}</div>
  <div class="pieces">BAG ${index} OF ${of}</div>
  <div class="grow"></div>
  <div class="stub" aria-label="Bag receipt">
    <h2>Bag receipt — keep this</h2>
    <div class="plate">${plateLabel(plate)}</div>
    <div class="line"><span>${piece.destination}</span><span>${flightLabel(f)} ${ddmmm(f.date)}</span></div>
    <div class="name small">${displayName(p)} · ${piece.weightKg} KG</div>
    <div class="prov">${provenanceLine(pv)}</div>
  </div>
</section>`;
}

/**
 * The tags of a passenger's bags, one page each, or null when they have no tagged bag to print.
 * (Bags the DCS counted without telling us their tags cannot be printed here.)
 */
export function bagTags(input: BagTagInput): PrintDocument | null {
  const { flight: f, passenger: p, provenance: pv } = input;
  const all = p.bags.pieces ?? [];
  const chosen = input.tags ? all.filter((b) => input.tags!.includes(b.tag)) : all;
  if (chosen.length === 0) return null;
  const body = html`<main>${chosen.map((piece) => page(f, p, piece, all.indexOf(piece) + 1, all.length, pv))}</main>`;
  return documentShell({
    kind: 'bag-tag',
    title: `Bag tag${chosen.length === 1 ? '' : 's'} ${chosen.map((b) => b.tag).join(' ')} ${displayName(p)} ${flightLabel(f)}`.slice(
      0,
      200,
    ),
    pageSize: PAGE_SIZES['bag-tag'],
    provenance: pv,
    css: CSS,
    body,
    fonts: 'sans',
  });
}

/**
 * The manual boarding pass: what an agent hands over during a DCS outage instead of a handwritten
 * one. Same facts in three layouts (A4/Letter sheet, 80 mm thermal roll, ATB card), an IATA BCBP
 * PDF417 barcode the gate (ours or anyone's) can scan, and the marks the rules require: "SSSS" for
 * selectees, the infant, "ISSUED IN FALLBACK", and where, when and by whom it was issued.
 */
import { encodeBoardingPass } from '../bcbp/encode';
import type { RuleCode } from '../domain/codes';
import { plateLabel } from '../domain/bag-tags';
import { canPrintBoardingPass, displayName, flightLabel } from '../domain/rules';
import type { Flight, Passenger } from '../domain/schemas';
import { fail, ok, type Result } from '../result';
import { localDate } from '../time';
import { pdf417 } from './barcode';
import { boardingTime, CABIN_NAMES, ddmmm, eticketLabel, longDate, seqLabel, timeWithZone } from './format';
import { html, type SafeHtml } from './html';
import { documentShell, provenanceLine, reprintMark, staleWarning } from './layout';
import { PAGE_SIZES, type Paper } from './page';
import type { PrintDocument, Provenance } from './types';

/** The stock a pass is laid out for; bag-tag stock is not one (asked for it, a pass is laid out as an ATB card). */
export type BoardingPassLayout = Paper;

export interface BoardingPassInput {
  flight: Flight;
  passenger: Passenger;
  /** For an adult: their lap infant (named on the pass). For an infant: the adult they travel with. */
  companion?: Passenger | null;
  provenance: Provenance;
  layout: BoardingPassLayout;
}

/** Everything a layout prints, worked out once. */
interface PassFacts {
  carrier: string;
  name: string;
  flight: string;
  date: string;
  dateLong: string;
  from: string;
  to: string;
  departs: string;
  etd: string | null;
  boarding: string;
  gate: string;
  seat: string;
  seq: string;
  cabin: string;
  bookingClass: string;
  selectee: boolean;
  infantLine: string | null;
  standby: boolean;
  pnr: string;
  eticket: string;
  bags: string;
  /** The bag receipt: each tagged bag's plate, weight and destination ("1934 000123 JFK 23KG"). */
  receipt: string[];
  ff: string | null;
  bcbp: string;
  /** "REPRINT 1", or null on a first print. */
  reprint: string | null;
}

function facts(input: BoardingPassInput): PassFacts {
  const { flight: f, passenger: p, companion, provenance: pv } = input;
  const tz = pv.timeZone;
  const isInfant = p.paxType === 'INF';
  let infantLine: string | null = null;
  if (isInfant) infantLine = companion ? `INFANT on the lap of ${displayName(companion)}` : 'INFANT (lap)';
  else if (p.infantId !== null) infantLine = `+ INFANT ${companion ? displayName(companion) : ''}`.trim();
  return {
    carrier: f.carrier,
    name: displayName(p),
    flight: flightLabel(f),
    date: ddmmm(f.date),
    dateLong: longDate(f.date),
    from: f.origin,
    to: f.destination,
    departs: timeWithZone(f.std, tz),
    etd: f.etd !== null && f.etd !== f.std ? timeWithZone(f.etd, tz) : null,
    boarding: timeWithZone(boardingTime(f), tz),
    gate: f.gate ?? 'TBA',
    seat: isInfant ? 'INF' : (p.seat ?? 'STBY'),
    seq: seqLabel(p.seqNo),
    cabin: CABIN_NAMES[p.cabin],
    bookingClass: p.bookingClass,
    selectee: p.vetting === 'selectee',
    infantLine,
    standby: p.standby && p.seat === null && !isInfant,
    pnr: p.pnr,
    eticket: eticketLabel(p.eticket),
    bags: p.bags.count > 0 ? `${p.bags.count} PC / ${p.bags.weightKg} KG` : 'NIL',
    receipt: (p.bags.pieces ?? []).map((b) => `${plateLabel(b.tag)} ${b.destination} ${b.weightKg}KG`),
    ff: p.ffNumber,
    bcbp: encodeBoardingPass({ flight: f, passenger: p, issuedOn: localDate(pv.printedAt, tz) }),
    reprint: pv.reprint ? reprintMark(pv.reprint) : null,
  };
}

/** The reprint mark, boxed next to the title so it is seen at the gate as well as read. */
function reprintBox(x: PassFacts): SafeHtml | '' {
  return x.reprint ? html`<span class="reprint" data-reprint>${x.reprint}</span>` : '';
}

const cell = (label: string, value: string, cls = '') =>
  html`<div class="cell ${cls}"><div class="label">${label}</div><div class="value">${value}</div></div>`;

function selecteeMark(x: PassFacts): SafeHtml | '' {
  return x.selectee ? html`<div class="ssss" aria-label="Selectee: secondary security screening">SSSS</div>` : '';
}

function notes(x: PassFacts): SafeHtml {
  return html`${x.infantLine ? html`<div class="infant">${x.infantLine}</div>` : ''}${
    x.standby ? html`<div class="standby">STANDBY: seat given at the gate</div>` : ''
  }`;
}

function barcodeBlock(x: PassFacts, columns: number): SafeHtml {
  const code = pdf417(x.bcbp, { columns, label: `IATA boarding pass barcode for ${x.name}` });
  return html`<div class="barcode" style="width:${(code.widthMm + 8).toFixed(1)}mm">${code.svg}</div>`;
}

function refs(x: PassFacts): SafeHtml {
  return html`<div class="refs">PNR <b>${x.pnr}</b> · ETKT ${x.eticket} · BAGS ${x.bags}${x.ff ? html` · FF ${x.ff}` : ''}</div>`;
}

/** The bag receipt: the tags on the passenger's checked bags, for a claim at the other end. */
function receipt(x: PassFacts): SafeHtml | '' {
  return x.receipt.length > 0
    ? html`<div class="receipt" aria-label="Bag receipt" data-bag-receipt><b>BAG RECEIPT</b> ${x.receipt.join(' · ')}</div>`
    : '';
}

const COMMON_CSS = `
.label { font-size: 6.5pt; text-transform: uppercase; letter-spacing: 0.06em; }
.value { font-weight: 700; font-size: 11pt; white-space: nowrap; }
.big .value { font-size: 17pt; }
.name { font-weight: 700; font-size: 15pt; letter-spacing: 0.01em; overflow-wrap: anywhere; }
.ssss { display: inline-block; border: 1mm solid #000; font-weight: 900; font-size: 22pt; letter-spacing: 0.12em; padding: 0 2.5mm; line-height: 1.15; }
.infant, .standby { font-weight: 700; font-size: 10pt; margin-top: 0.8mm; }
.barcode { background: #fff; padding: 4mm; }
.barcode svg { display: block; }
.refs { font-size: 7.5pt; }
.prov { font-size: 6.5pt; line-height: 1.2; }
.stale { font-size: 7pt; padding: 0.8mm 1.5mm; margin: 1mm 0; border-width: 0.4mm; }
.band { display: flex; align-items: center; justify-content: space-between; border-bottom: 0.6mm solid #000; }
.band .carrier { font-weight: 900; font-size: 16pt; letter-spacing: 0.04em; }
.band .title { font-weight: 700; font-size: 10pt; letter-spacing: 0.14em; text-transform: uppercase; }
.fallback-mark { font-size: 7.5pt; }
.grid { display: grid; gap: 1.5mm 3mm; }
.reprint { display: inline-block; border: 0.6mm solid #000; font-weight: 900; font-size: 9pt; letter-spacing: 0.1em; padding: 0 1.2mm; white-space: nowrap; }
.stub .reprint { font-size: 7pt; letter-spacing: 0.04em; padding: 0 0.8mm; border-width: 0.4mm; }
.receipt { font-size: 7.5pt; border: 0.3mm solid #000; padding: 0.6mm 1.2mm; }
`;

/** A4 or Letter: the pass (with a tear-off stub) across the top of the sheet, notes below. */
function sheetBody(x: PassFacts, pv: Provenance): SafeHtml {
  const stale = staleWarning(pv);
  return html`<main class="sheet">
<section class="pass" aria-label="Boarding pass">
  <div class="main">
    <div class="band"><span class="carrier">${x.carrier}</span><span class="title">Boarding pass</span>${reprintBox(x)}<span class="fallback-mark">Issued in fallback</span></div>
    <div class="who"><div><div class="label">Passenger</div><div class="name">${x.name}</div>${notes(x)}</div>${selecteeMark(x)}</div>
    <div class="grid g5">${cell('Flight', x.flight)}${cell('Date', x.date)}${cell('From', x.from)}${cell('To', x.to)}${cell('Departs', x.etd ? `${x.departs} / ETD ${x.etd}` : x.departs)}</div>
    <div class="grid g5 big">${cell('Boarding', x.boarding)}${cell('Gate', x.gate)}${cell('Seat', x.seat)}${cell('Seq', x.seq)}${cell('Class', `${x.bookingClass} ${x.cabin}`, 'cabin')}</div>
    <div class="bottom">${barcodeBlock(x, 6)}${refs(x)}</div>
  </div>
  <div class="stub" aria-label="Stub">
    <div class="band"><span class="carrier">${x.carrier}</span><span class="title">Stub</span>${reprintBox(x)}</div>
    <div class="name small">${x.name}</div>${x.selectee ? html`<div class="ssss small">SSSS</div>` : ''}
    <div class="grid g2">${cell('Flight', x.flight)}${cell('Date', x.date)}${cell('From', x.from)}${cell('To', x.to)}</div>
    <div class="grid g2 big">${cell('Seat', x.seat)}${cell('Seq', x.seq)}${cell('Gate', x.gate)}${cell('Boarding', x.boarding.split(' ')[0] ?? x.boarding)}</div>
    <div class="refs">PNR <b>${x.pnr}</b></div>
  </div>
</section>
<div class="cut" aria-hidden="true">cut or fold here</div>
${receipt(x)}
${stale ? html`<div class="stale" role="alert">${stale}</div>` : ''}
<section class="info">
  <p><b>Issued in fallback.</b> The airline's departure control system was unavailable, so this pass was issued by an agent with Backstop. It is valid for travel on ${x.flight} on ${x.dateLong}. Boarding starts ${x.boarding} at gate ${x.gate}${x.etd ? html`; the flight is now expected to depart ${x.etd}` : ''}.</p>
  <p class="prov">${provenanceLine(pv)}</p>
</section>
</main>`;
}

const SHEET_CSS = `
.pass { display: grid; grid-template-columns: 1fr 52mm; border: 0.6mm solid #000; }
.pass .main { padding: 3mm 4mm; display: grid; gap: 2.5mm; border-right: 0.5mm dashed #000; }
.pass .stub { padding: 3mm 3.5mm; display: grid; gap: 2mm; align-content: start; }
.band { padding-bottom: 1.5mm; }
.who { display: flex; justify-content: space-between; align-items: center; gap: 3mm; }
.g5 { grid-template-columns: 22mm 20mm 16mm 16mm 1fr; }
.g5.big { grid-template-columns: 34mm 20mm 20mm 16mm 1fr; }
.g2 { grid-template-columns: 1fr 1fr; }
.stub .big .value { font-size: 13pt; }
.name.small { font-size: 10pt; }
.ssss.small { font-size: 13pt; padding: 0 1.5mm; border-width: 0.7mm; justify-self: start; }
.cabin .value { font-size: 10pt; white-space: normal; }
.bottom { display: flex; align-items: flex-end; justify-content: space-between; gap: 4mm; }
.bottom .refs { text-align: right; padding-bottom: 4mm; }
.cut { text-align: center; font-size: 6.5pt; letter-spacing: 0.2em; text-transform: uppercase; border-bottom: 0.3mm dashed #000; margin: 4mm 0 5mm; }
.info { font-size: 9pt; max-width: 160mm; }
.info p { margin: 0 0 2mm; }
`;

/** 80 mm thermal roll: one narrow column, the facts the gate reads in large type. */
function rollBody(x: PassFacts, pv: Provenance): SafeHtml {
  const stale = staleWarning(pv);
  return html`<main class="roll" aria-label="Boarding pass">
<div class="band"><span class="carrier">${x.carrier}</span><span class="title">Boarding pass</span></div>
<div class="mark"><span class="fallback-mark">Issued in fallback</span>${x.reprint ? html` ${reprintBox(x)}` : ''}</div>
<div><div class="label">Passenger</div><div class="name">${x.name}</div>${notes(x)}</div>
${x.selectee ? html`<div class="center">${selecteeMark(x)}</div>` : ''}
<div class="grid g3">${cell('Flight', x.flight)}${cell('Date', x.date)}${cell('Departs', x.departs)}</div>
<div class="grid g3">${cell('From', x.from)}${cell('To', x.to)}${cell('Class', x.bookingClass)}</div>
${x.etd ? html`<div class="etd">Now expected to depart ${x.etd}</div>` : ''}
<div class="grid g2 big">${cell('Boarding', x.boarding)}${cell('Gate', x.gate)}${cell('Seat', x.seat)}${cell('Seq', x.seq)}</div>
<div class="center">${barcodeBlock(x, 5)}</div>
${refs(x)}
${receipt(x)}
${stale ? html`<div class="stale" role="alert">${stale}</div>` : ''}
<div class="prov">${provenanceLine(pv)}</div>
</main>`;
}

const ROLL_CSS = `
.roll { width: 80mm; padding: 4mm 4mm 6mm; display: grid; gap: 2.2mm; }
.band { padding-bottom: 1.2mm; }
.band .title { font-size: 9pt; }
.mark { text-align: center; }
.center { text-align: center; }
.center .barcode { display: inline-block; }
.g3 { grid-template-columns: 1fr 1fr 1.3fr; }
.g2 { grid-template-columns: 1fr 1fr; }
.big .value { font-size: 18pt; }
.name { font-size: 14pt; }
.etd { font-weight: 700; font-size: 9pt; }
.refs { font-size: 7pt; }
`;

/** ATB card, 203 × 82 mm landscape: coupon with barcode on the left, tear-off stub on the right. */
function atbBody(x: PassFacts, pv: Provenance): SafeHtml {
  const stale = staleWarning(pv);
  return html`<main class="atb" aria-label="Boarding pass">
<section class="coupon">
  <div class="band"><span class="carrier">${x.carrier}</span><span class="title">Boarding pass</span>${reprintBox(x)}<span class="fallback-mark">Issued in fallback</span></div>
  <div class="who"><div><div class="name">${x.name}</div>${notes(x)}</div>${selecteeMark(x)}</div>
  <div class="body">
    <div class="facts">
      <div class="grid g4">${cell('Flight', x.flight)}${cell('Date', x.date)}${cell('From', x.from)}${cell('To', x.to)}</div>
      <div class="grid g4 big">${cell('Gate', x.gate)}${cell('Seat', x.seat)}${cell('Seq', x.seq)}${cell('Class', x.bookingClass)}</div>
      <div class="grid g2">${cell('Boarding', x.boarding)}${cell('Departs', x.etd ? `ETD ${x.etd}` : x.departs)}</div>
    </div>
    ${barcodeBlock(x, 6)}
  </div>
  <div class="foot">${stale ? html`<b>${stale}.</b> ` : ''}PNR ${x.pnr} · ETKT ${x.eticket} · BAGS ${x.bags}${x.receipt.length > 0 ? html` · <b>BAG RECEIPT</b> ${x.receipt.join(' · ')}` : ''} · ${provenanceLine(pv)}</div>
</section>
<section class="stub" aria-label="Stub">
  <div class="band"><span class="carrier">${x.carrier}</span><span class="title">Stub</span>${reprintBox(x)}</div>
  <div class="name small">${x.name}</div>
  ${x.selectee ? html`<div class="ssss small">SSSS</div>` : ''}${x.infantLine ? html`<div class="infant small">${x.infantLine}</div>` : ''}
  <div class="grid g2">${cell('Flight', x.flight)}${cell('Date', x.date)}${cell('From', x.from)}${cell('To', x.to)}</div>
  <div class="grid g2 big">${cell('Seat', x.seat)}${cell('Seq', x.seq)}</div>
  <div class="refs">Gate ${x.gate} · Boarding ${x.boarding}</div>
</section>
</main>`;
}

const ATB_CSS = `
.atb { width: 203mm; height: 82mm; display: grid; grid-template-columns: 1fr 52mm; overflow: hidden; }
.coupon { padding: 3mm 3.5mm 2.5mm 5mm; display: grid; grid-template-rows: auto auto 1fr auto; gap: 1.5mm; border-right: 0.5mm dashed #000; min-width: 0; }
.stub { padding: 3mm 4mm 2.5mm 3.5mm; display: grid; gap: 1.6mm; align-content: start; }
.band { padding-bottom: 1mm; gap: 3mm; }
.band .carrier { font-size: 13pt; }
.who { display: flex; justify-content: space-between; align-items: center; gap: 2mm; min-height: 9mm; }
.name { font-size: 13pt; }
.name.small { font-size: 9pt; }
.infant, .standby { font-size: 8.5pt; margin-top: 0.3mm; }
.infant.small { font-size: 7pt; }
.ssss { font-size: 17pt; padding: 0 2mm; border-width: 0.8mm; }
.ssss.small { font-size: 11pt; padding: 0 1.2mm; border-width: 0.6mm; justify-self: start; }
.body { display: flex; justify-content: space-between; align-items: center; gap: 2mm; min-height: 0; }
.facts { display: grid; gap: 1.5mm; flex: 1; }
.g4 { grid-template-columns: 19mm 15mm 12mm 12mm; }
.g2 { grid-template-columns: 1fr 1fr; }
.big .value { font-size: 14pt; }
.value { font-size: 10pt; }
.barcode { padding: 3mm; }
.foot { font-size: 5.8pt; line-height: 1.2; }
.refs { font-size: 7pt; }
`;

/**
 * A boarding pass, or the rule that forbids one: no pass without check-in and a vetting clearance
 * (selectees get theirs marked SSSS).
 */
export function boardingPass(input: BoardingPassInput): Result<PrintDocument, RuleCode> {
  const { flight, passenger } = input;
  if (passenger.flightId !== flight.id) {
    return fail('WRONG_FLIGHT', `${displayName(passenger)} is not on ${flightLabel(flight)}.`);
  }
  const refusal = canPrintBoardingPass(passenger);
  if (refusal) return fail(refusal.code, refusal.message);
  const x = facts(input);
  const pv = input.provenance;
  const layout = input.layout === 'bag-tag' ? 'atb' : input.layout;
  const [body, css] =
    layout === 'roll-80' ? [rollBody(x, pv), ROLL_CSS] : layout === 'atb' ? [atbBody(x, pv), ATB_CSS] : [sheetBody(x, pv), SHEET_CSS];
  return ok(
    documentShell({
      kind: 'boarding-pass',
      title: `Boarding pass ${x.name} ${x.flight} ${x.date}${x.reprint ? ` ${x.reprint}` : ''}`,
      pageSize: PAGE_SIZES[layout],
      provenance: pv,
      css: COMMON_CSS + css,
      body,
      fonts: 'sans',
    }),
  );
}

/**
 * The rules that must hold offline and online alike. The backend and the local write path both
 * decide with these functions, so a workstation that is cut off refuses exactly what the backend
 * would. Each returns null when the action is allowed, or a Refusal that says why in plain words.
 */
import type { RuleCode } from './codes';
import type { Flight, Passenger, SeatMap } from './schemas';
import { findSeat, type SeatInfo } from './seatmap';

export interface Refusal {
  code: RuleCode;
  message: string;
}

function refuse(code: RuleCode, message: string): Refusal {
  return { code, message };
}

export function displayName(p: Pick<Passenger, 'lastName' | 'firstName' | 'title'>): string {
  return `${p.lastName}/${p.firstName}${p.title ? ` ${p.title}` : ''}`;
}

export function flightLabel(f: Pick<Flight, 'carrier' | 'number'>): string {
  return `${f.carrier}${f.number}`;
}

/** Statuses in which a passenger's seat is held and cannot be given to anyone else. */
export function holdsSeat(p: Passenger): boolean {
  return p.seat !== null && (p.status === 'booked' || p.status === 'checked-in' || p.status === 'boarded');
}

export function isAccepted(p: Passenger): boolean {
  return p.status === 'checked-in' || p.status === 'boarded';
}

/** SSRs that keep a passenger out of an exit row (they could not assist in an evacuation). */
export const EXIT_ROW_RESTRICTED_SSRS: ReadonlySet<string> = new Set([
  'WCHR',
  'WCHS',
  'WCHC',
  'BLND',
  'DEAF',
  'DPNA',
  'UMNR',
  'SVAN',
  'MAAS',
  'MEDA',
  'STCR',
  'EXST',
]);

/** The flight must still be open for passenger handling. */
export function flightOpen(flight: Flight): Refusal | null {
  switch (flight.status) {
    case 'cancelled':
      return refuse('FLIGHT_CANCELLED', `${flightLabel(flight)} is cancelled.`);
    case 'departed':
      return refuse('FLIGHT_DEPARTED', `${flightLabel(flight)} has departed.`);
    case 'closed':
      return refuse('FLIGHT_CLOSED', `${flightLabel(flight)} is closed. A supervisor must reopen it first.`);
    case 'scheduled':
      return null;
  }
}

/** Watch-list vetting: only cleared passengers and selectees (who get SSSS) may travel. */
export function vettingAllows(p: Passenger): Refusal | null {
  if (p.vetting === 'cleared' || p.vetting === 'selectee') return null;
  if (p.vetting === 'inhibited') {
    return refuse('VETTING_HOLD', `${displayName(p)} is inhibited by watch-list vetting and cannot fly. Do not accept or board.`);
  }
  if (p.vettingOverride) return null;
  return refuse(
    'VETTING_HOLD',
    `${displayName(p)} has no vetting clearance yet. Wait for it, or a supervisor accepts with a reason (recorded).`,
  );
}

export function checkSeat(seatMap: SeatMap, passengers: readonly Passenger[], pax: Passenger, seatCode: string): Refusal | null {
  if (pax.paxType === 'INF') return refuse('INFANT_HAS_NO_SEAT', 'A lap infant sits with their adult and has no seat.');
  const seat = findSeat(seatMap, seatCode);
  if (!seat) return refuse('SEAT_UNKNOWN', `Seat ${seatCode} does not exist on this aircraft.`);
  if (seat.blocked) return refuse('SEAT_BLOCKED', `Seat ${seatCode} is blocked and cannot be used.`);
  if (seat.cabin !== pax.cabin) {
    return refuse('SEAT_WRONG_CABIN', `Seat ${seatCode} is in cabin ${seat.cabin}; ${displayName(pax)} is booked in cabin ${pax.cabin}.`);
  }
  const holder = passengers.find((o) => o.id !== pax.id && o.seat === seatCode && holdsSeat(o));
  if (holder) return refuse('SEAT_TAKEN', `Seat ${seatCode} is taken by ${displayName(holder)}.`);
  if (seat.exit) {
    const why = exitRowBar(pax);
    if (why) return refuse('EXIT_ROW_RESTRICTED', `Seat ${seatCode} is in an exit row; not allowed for a passenger ${why}.`);
  }
  if (pax.infantId !== null) {
    const [sameBlock] = lapInfantNeighbours(seatMap, passengers, pax, seatCode);
    if (sameBlock) {
      return refuse(
        'INFANT_LIMIT',
        `Row ${seat.row} already has a lap infant on that side (${displayName(sameBlock)}); choose another row or side.`,
      );
    }
  }
  return null;
}

/**
 * Adults with a lap infant who hold a seat in the same oxygen block (row and side) as `seatCode`:
 * each block has one spare mask, so one lap infant per block. The seat rule and the backend's
 * account of an INFANT_LIMIT clash both ask this one function.
 */
export function lapInfantNeighbours(
  seatMap: SeatMap,
  passengers: readonly Passenger[],
  pax: Pick<Passenger, 'id'>,
  seatCode: string,
): Passenger[] {
  const seat = findSeat(seatMap, seatCode);
  if (!seat) return [];
  return passengers.filter(
    (o) => o.id !== pax.id && o.infantId !== null && holdsSeat(o) && o.seat !== null && sameOxygenBlock(seatMap, seat, o.seat),
  );
}

function sameOxygenBlock(seatMap: SeatMap, seat: SeatInfo, otherCode: string): boolean {
  const other = findSeat(seatMap, otherCode);
  return other !== undefined && other.row === seat.row && other.block === seat.block;
}

function exitRowBar(p: Passenger): string | null {
  if (p.paxType === 'CHD') return 'who is a child';
  if (p.infantId !== null) return 'travelling with an infant';
  const ssr = p.ssrs.find((s) => EXIT_ROW_RESTRICTED_SSRS.has(s));
  return ssr ? `with special service ${ssr}` : null;
}

/** Can this passenger walk through the gate now? Used for scans, manual boarding and the UI. */
export function canBoard(flight: Flight, pax: Passenger): Refusal | null {
  if (pax.flightId !== flight.id) return refuse('WRONG_FLIGHT', `${displayName(pax)} is not on ${flightLabel(flight)}.`);
  const closed = flightOpen(flight);
  if (closed) return closed;
  switch (pax.status) {
    case 'boarded':
      return refuse(
        'ALREADY_BOARDED',
        `${displayName(pax)} already boarded${pax.boardedAt ? ` at ${pax.boardedAt}` : ''}${pax.boardedBy ? ` by ${pax.boardedBy}` : ''}.`,
      );
    case 'booked':
      return refuse('NOT_CHECKED_IN', `${displayName(pax)} is not checked in.`);
    case 'offloaded':
      return refuse('OFFLOADED', `${displayName(pax)} was offloaded${pax.remark ? `: ${pax.remark}` : ''}.`);
    case 'no-show':
      return refuse('NO_SHOW', `${displayName(pax)} was marked no-show.`);
    case 'checked-in':
      break;
  }
  if (pax.standby) return refuse('STANDBY_NOT_CLEARED', `${displayName(pax)} is on standby and has no seat yet.`);
  return vettingAllows(pax);
}

/** Can this passenger be accepted (checked in) now? Seat and sequence checks come on top. */
export function canCheckIn(flight: Flight, pax: Passenger): Refusal | null {
  if (pax.flightId !== flight.id) return refuse('WRONG_FLIGHT', `${displayName(pax)} is not on ${flightLabel(flight)}.`);
  const closed = flightOpen(flight);
  if (closed) return closed;
  if (pax.paxType === 'INF') {
    return refuse('INFANT_TRAVELS_WITH_ADULT', 'A lap infant is checked in together with their adult.');
  }
  if (isAccepted(pax)) return refuse('ALREADY_CHECKED_IN', `${displayName(pax)} is already checked in (seq ${pax.seqNo ?? '—'}).`);
  return vettingAllows(pax);
}

/** No boarding pass without a vetting clearance; selectees get one marked SSSS. */
export function canPrintBoardingPass(pax: Passenger): Refusal | null {
  if (!isAccepted(pax)) return refuse('NOT_CHECKED_IN', `${displayName(pax)} is not checked in.`);
  return vettingAllows(pax);
}

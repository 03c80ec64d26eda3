/**
 * The flight's numbers, from one pure function: the boarding screen, the manifest, the crew list
 * and the close-out report all show these, and they must never disagree with each other.
 *
 * Conventions (as in airline load messages): cabin counts are seats, so lap infants are counted
 * apart from them; "checked in" includes passengers who have since boarded.
 */
import { displayName } from './rules';
import { CABINS, type Cabin, type Flight, type Passenger, type SeatMap } from './schemas';
import { compareSeats, seatCountByCabin } from './seatmap';

export interface StatusCounts {
  /** On the passenger list, whatever their status (offloaded and no-show included). */
  booked: number;
  /** Accepted: checked in or already boarded. */
  checkedIn: number;
  boarded: number;
  /** Accepted but not yet boarded. */
  notBoarded: number;
}

export interface CabinHeadcount extends StatusCounts {
  cabin: Cabin;
  /** Seats in this cabin on the seat map, when one was given. */
  capacity: number | null;
}

export interface Headcount {
  /** Cabins that have a passenger or a seat, in F, J, W, Y order. Infants are not in these. */
  cabins: CabinHeadcount[];
  /** All cabins together, infants not included. */
  total: StatusCounts;
  infants: StatusCounts;
  children: StatusCounts;
  /** Accepted on standby and not yet given a seat. */
  standby: number;
  offloaded: number;
  noShow: number;
  /** People on board: boarded passengers plus boarded lap infants. */
  soulsOnBoard: number;
  /** Checked bags of accepted passengers. */
  bags: BagCount;
  /** Where the checked bags stand against the people: what the hold may carry and what must come off. */
  bagReconciliation: BagReconciliation;
  /** Accepted but not boarded, in seat order (unseated last, by name): who the gate is waiting for. */
  notYetBoarded: Passenger[];
}

export interface BagCount {
  count: number;
  weightKg: number;
}

/**
 * A bag flies only with its passenger. Bags of boarded passengers may be loaded; bags of accepted
 * passengers not yet boarded come off if the passenger does not board; bags of offloaded passengers
 * come off. Lap infants' bags count with everyone else's.
 */
export interface BagReconciliation {
  ofBoarded: BagCount;
  ofNotBoarded: BagCount;
  ofOffloaded: BagCount;
  /** Offloaded passengers with checked bags, in seat order: whose bags to find and take off. */
  toTakeOff: Passenger[];
  /**
   * Every bag that may not fly as things stand, by passenger, with its tag numbers: offloaded
   * passengers' bags (must come off), then those of accepted passengers not on board (off unless
   * they board), each in seat order.
   */
  removal: BagRemoval[];
  /** Tag numbers of the bags of boarded passengers: what the hold may carry. */
  tagsOfBoarded: string[];
}

/** One passenger's bags that are to come off (or will, unless they board), by tag. */
export interface BagRemoval {
  passenger: Passenger;
  why: 'offloaded' | 'not-boarded';
  bags: BagCount;
  /** The tag numbers known for these bags (fallback tags, and DCS tags when the DCS sent them). */
  tags: string[];
  /** Bags whose tag number Backstop does not know (the DCS counted them without their tags). */
  untagged: number;
}

function emptyCounts(): StatusCounts {
  return { booked: 0, checkedIn: 0, boarded: 0, notBoarded: 0 };
}

function add(counts: StatusCounts, p: Passenger): void {
  counts.booked += 1;
  if (p.status === 'checked-in' || p.status === 'boarded') counts.checkedIn += 1;
  if (p.status === 'boarded') counts.boarded += 1;
  if (p.status === 'checked-in') counts.notBoarded += 1;
}

/** Accepted and not on board (lap infants apart: they go wherever their adult goes). */
export function acceptedNotBoarded(passengers: readonly Passenger[]): Passenger[] {
  return passengers.filter((p) => p.status === 'checked-in' && p.paxType !== 'INF');
}

/** Seat order: seated passengers by row and letter, then unseated ones by name. */
export function compareBySeat(a: Passenger, b: Passenger): number {
  if (a.seat !== null && b.seat !== null) return compareSeats(a.seat, b.seat) || displayName(a).localeCompare(displayName(b));
  if (a.seat !== null) return -1;
  if (b.seat !== null) return 1;
  return displayName(a).localeCompare(displayName(b));
}

export function compareByName(a: Passenger, b: Passenger): number {
  return a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.id.localeCompare(b.id);
}

/** Seat order with each lap infant listed right after the adult they sit with. */
export function inSeatOrder(passengers: readonly Passenger[]): Passenger[] {
  const infantsOf = new Map<string, Passenger[]>();
  const others: Passenger[] = [];
  const ids = new Set(passengers.map((p) => p.id));
  for (const p of passengers) {
    if (p.paxType === 'INF' && p.infantOf !== null && ids.has(p.infantOf)) {
      infantsOf.set(p.infantOf, [...(infantsOf.get(p.infantOf) ?? []), p]);
    } else {
      others.push(p);
    }
  }
  return others.sort(compareBySeat).flatMap((p) => [p, ...(infantsOf.get(p.id) ?? [])]);
}

export function inNameOrder(passengers: readonly Passenger[]): Passenger[] {
  return [...passengers].sort(compareByName);
}

/** The counts, in one pass and without sorting anyone: what `headcount` and `flightFigures` build on. */
export interface Tally {
  byCabin: Map<Cabin, StatusCounts>;
  total: StatusCounts;
  infants: StatusCounts;
  children: StatusCounts;
  standby: number;
  offloaded: number;
  noShow: number;
  soulsOnBoard: number;
  bags: { count: number; weightKg: number };
}

export function tally(passengers: readonly Passenger[]): Tally {
  const byCabin = new Map<Cabin, StatusCounts>();
  const total = emptyCounts();
  const infants = emptyCounts();
  const children = emptyCounts();
  let standby = 0;
  let offloaded = 0;
  let noShow = 0;
  const bags = { count: 0, weightKg: 0 };

  for (const p of passengers) {
    if (p.status === 'offloaded') offloaded += 1;
    if (p.status === 'no-show') noShow += 1;
    if (p.status === 'checked-in' || p.status === 'boarded') {
      bags.count += p.bags.count;
      bags.weightKg += p.bags.weightKg;
      if (p.standby && p.seat === null && p.paxType !== 'INF') standby += 1;
    }
    if (p.paxType === 'INF') {
      add(infants, p);
      continue;
    }
    if (p.paxType === 'CHD') add(children, p);
    add(total, p);
    let cabin = byCabin.get(p.cabin);
    if (!cabin) byCabin.set(p.cabin, (cabin = emptyCounts()));
    add(cabin, p);
  }
  return { byCabin, total, infants, children, standby, offloaded, noShow, soulsOnBoard: total.boarded + infants.boarded, bags };
}

export function headcount(passengers: readonly Passenger[], seatMap?: SeatMap): Headcount {
  const capacity = seatMap ? seatCountByCabin(seatMap) : {};
  const { byCabin, ...t } = tally(passengers);
  const cabins: CabinHeadcount[] = CABINS.filter((c) => byCabin.has(c) || capacity[c] !== undefined).map((c) => ({
    cabin: c,
    ...(byCabin.get(c) ?? emptyCounts()),
    capacity: capacity[c] ?? null,
  }));
  return {
    ...t,
    cabins,
    bagReconciliation: bagReconciliation(passengers),
    notYetBoarded: inSeatOrder(passengers.filter((p) => p.status === 'checked-in')),
  };
}

export function bagReconciliation(passengers: readonly Passenger[]): BagReconciliation {
  const ofBoarded = { count: 0, weightKg: 0 };
  const ofNotBoarded = { count: 0, weightKg: 0 };
  const ofOffloaded = { count: 0, weightKg: 0 };
  const toTakeOff: Passenger[] = [];
  for (const p of passengers) {
    const into =
      p.status === 'boarded' ? ofBoarded : p.status === 'checked-in' ? ofNotBoarded : p.status === 'offloaded' ? ofOffloaded : null;
    if (!into) continue;
    into.count += p.bags.count;
    into.weightKg += p.bags.weightKg;
    if (p.status === 'offloaded' && p.bags.count > 0) toTakeOff.push(p);
  }
  const tagsOf = (p: Passenger) => (p.bags.pieces ?? []).map((b) => b.tag);
  const removalOf = (why: BagRemoval['why']) => (p: Passenger) => {
    const tags = tagsOf(p);
    return {
      passenger: p,
      why,
      bags: { count: p.bags.count, weightKg: p.bags.weightKg },
      tags,
      untagged: Math.max(0, p.bags.count - tags.length),
    };
  };
  const withBags = (status: Passenger['status']) => inSeatOrder(passengers.filter((p) => p.status === status && p.bags.count > 0));
  return {
    ofBoarded,
    ofNotBoarded,
    ofOffloaded,
    toTakeOff: inSeatOrder(toTakeOff),
    removal: [...withBags('offloaded').map(removalOf('offloaded')), ...withBags('checked-in').map(removalOf('not-boarded'))],
    tagsOfBoarded: inSeatOrder(passengers.filter((p) => p.status === 'boarded')).flatMap(tagsOf),
  };
}

/** Boarded passengers of an APIS flight whose travel document was never read: they hold the close. */
export function apisMissing(flight: Pick<Flight, 'apis'>, passengers: readonly Passenger[]): Passenger[] {
  if (flight.apis !== true) return [];
  return inSeatOrder(passengers.filter((p) => p.status === 'boarded' && p.document === undefined));
}

/**
 * A flight's figures in one line, as the departures board and the flight header show them, kept
 * on each flight record so the board never loads manifests. Same conventions as `headcount`.
 */
export interface FlightFigures {
  /** On the passenger list (lap infants apart), whatever their status. */
  booked: number;
  /** Accepted: checked in or already boarded. */
  checkedIn: number;
  boarded: number;
  /** Still to check in: on the list and neither accepted, offloaded nor a no-show. */
  awaitingCheckIn: number;
  /** Lap infants on the list. */
  infants: number;
  soulsOnBoard: number;
  standby: number;
  offloaded: number;
  noShow: number;
  /** Passengers (infants included) with a reconciliation flag a person must finish. */
  attention: number;
}

export function flightFigures(passengers: readonly Passenger[]): FlightFigures {
  const t = tally(passengers);
  let awaitingCheckIn = 0;
  let attention = 0;
  for (const p of passengers) {
    if (p.paxType !== 'INF' && p.status === 'booked') awaitingCheckIn += 1;
    if (p.flags && p.flags.length > 0) attention += 1;
  }
  return {
    booked: t.total.booked,
    checkedIn: t.total.checkedIn,
    boarded: t.total.boarded,
    awaitingCheckIn,
    infants: t.infants.booked,
    soulsOnBoard: t.soulsOnBoard,
    standby: t.standby,
    offloaded: t.offloaded,
    noShow: t.noShow,
    attention,
  };
}

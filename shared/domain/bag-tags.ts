/**
 * Fallback bag tags (IATA Resolution 740). A licence plate is ten digits: a leading digit, the
 * carrier's three-digit airline code, and a six-digit serial. Leading digit 1 is reserved for
 * fallback tags, printed when the DCS cannot send its baggage source messages; 0 is an ordinary
 * DCS tag. Serials come from blocks the backend leases to each workstation (TagLease), so two desks
 * that cannot see each other never print the same plate.
 */
import type { BagPiece, Bags, Passenger, TagLease } from './schemas';

/** Leading digit of a fallback tag (Res. 740); 0 is an interline tag issued by the DCS. */
export const FALLBACK_DIGIT = '1';
export const DCS_DIGIT = '0';
/** Six-digit serials: 000000 … 999999. */
export const SERIALS = 1_000_000;

export function licencePlate(airlineCode: string, serial: number, leading: string = FALLBACK_DIGIT): string {
  if (!/^\d{3}$/.test(airlineCode)) throw new Error(`airline code must be three digits: ${airlineCode}`);
  if (!Number.isInteger(serial) || serial < 0 || serial >= SERIALS) throw new Error(`serial out of range: ${serial}`);
  return `${leading}${airlineCode}${String(serial).padStart(6, '0')}`;
}

export interface PlateParts {
  fallback: boolean;
  airlineCode: string;
  serial: number;
}

/** The parts of a plate, or null when it is not ten digits. */
export function readPlate(plate: string): PlateParts | null {
  const m = /^(\d)(\d{3})(\d{6})$/.exec(plate);
  if (!m) return null;
  return { fallback: m[1] === FALLBACK_DIGIT, airlineCode: m[2]!, serial: Number(m[3]) };
}

/** "1934 000123": how a plate is read out, the airline code apart from the serial. */
export function plateLabel(plate: string): string {
  return plate.length === 10 ? `${plate.slice(0, 4)} ${plate.slice(4)}` : plate;
}

/** What a desk knows of a tag lease: the lease and how far it has got through it. */
export interface HeldTagLease extends TagLease {
  /** The next serial this desk would print from the lease. */
  next: number;
}

/**
 * A lease as the backend sends it, merged with what this desk already holds of it: the desk never
 * moves back over serials it printed (its own count), nor over those the backend saw it use (a desk
 * that lost its local copy gets its blocks again with a re-enrolment, and must not print them twice).
 */
export function heldLease(lease: TagLease, held: Pick<HeldTagLease, 'next'> | undefined): HeldTagLease {
  const next = Math.max(held?.next ?? lease.from, lease.from, lease.usedTo === undefined ? lease.from : lease.usedTo + 1);
  return { ...lease, next };
}

/**
 * The next `n` plates this desk can print for `carrier`: the lowest unused serials of its leases in
 * order, never one already on a bag of this flight (`used`). Null when the leases do not hold `n`.
 */
export function allocatePlates(
  leases: readonly HeldTagLease[],
  carrier: string,
  n: number,
  used: ReadonlySet<string>,
): { plates: string[]; next: Map<string, number> } | null {
  const plates: string[] = [];
  const next = new Map<string, number>();
  const own = leases.filter((l) => l.carrier === carrier).sort((a, b) => a.from - b.from);
  for (const lease of own) {
    let serial = Math.max(lease.next, lease.from);
    while (plates.length < n && serial <= lease.to) {
      const plate = licencePlate(lease.airlineCode, serial);
      serial++;
      if (!used.has(plate)) plates.push(plate);
    }
    if (serial !== Math.max(lease.next, lease.from)) next.set(lease.id, serial);
    if (plates.length === n) return { plates, next };
  }
  return plates.length === n ? { plates, next } : null;
}

/** How many plates a desk can still print for a carrier. */
export function platesLeft(leases: readonly HeldTagLease[], carrier: string): number {
  return leases.filter((l) => l.carrier === carrier).reduce((n, l) => n + Math.max(0, l.to - Math.max(l.next, l.from) + 1), 0);
}

/** Every tag on the passengers' bags. */
export function tagsOnFlight(passengers: readonly Passenger[]): Set<string> {
  return new Set(passengers.flatMap((p) => (p.bags.pieces ?? []).map((b) => b.tag)));
}

/** Bags made of tagged pieces: count and weight are the pieces'. */
export function bagsOfPieces(pieces: readonly BagPiece[]): Bags {
  return { count: pieces.length, weightKg: pieces.reduce((n, b) => n + b.weightKg, 0), pieces: [...pieces] };
}

/**
 * The bags of one passenger from several acceptances (two desks that could not see each other both
 * accepted them, each printing tags): the standing acceptance's bags, plus every piece another one
 * tagged that it does not have. A tag is a bag that exists; it is never dropped.
 */
export function unionBags(standing: Bags, others: readonly Bags[]): Bags {
  const seen = new Set((standing.pieces ?? []).map((b) => b.tag));
  const extra: BagPiece[] = [];
  for (const o of others) {
    for (const piece of o.pieces ?? []) {
      if (seen.has(piece.tag)) continue;
      seen.add(piece.tag);
      extra.push(piece);
    }
  }
  if (extra.length === 0) return standing;
  return {
    count: standing.count + extra.length,
    weightKg: standing.weightKg + extra.reduce((n, b) => n + b.weightKg, 0),
    pieces: [...(standing.pieces ?? []), ...extra],
  };
}

/** The digits of a tag as scanned or typed ("1934 000123", "1934000123"), or null when it is no plate. */
export function plateOf(text: string): string | null {
  const digits = text.replace(/[\s-]/g, '');
  return readPlate(digits) === null ? null : digits;
}

/** What the ramp loaded, checked against the people: by tag, whose bag it is and whether it may fly. */
export interface RampCheck {
  /** Loaded, with a boarded passenger: may fly. */
  ok: string[];
  /** Loaded, but their passenger is not on board: the bag comes off. */
  takeOff: { tag: string; passenger: Passenger; why: 'offloaded' | 'not-boarded' }[];
  /** Loaded, and on no passenger of this flight: another flight's bag, or a misread tag. */
  unknown: string[];
  /** Bags of boarded passengers the ramp has not reported loaded. */
  missing: { tag: string; passenger: Passenger }[];
  /** Bags of boarded passengers whose tags Backstop does not know (the DCS counted them): count them by hand. */
  untagged: number;
  /** Every loaded bag may fly and every boarded passenger's tagged bag is loaded. */
  agrees: boolean;
}

/**
 * The ramp's loaded tags (scanned or read out, in any order, repeats allowed) against the bags of the
 * flight's passengers: a bag flies only with its passenger.
 */
export function rampCheck(passengers: readonly Passenger[], loaded: readonly string[]): RampCheck {
  const owner = new Map<string, Passenger>();
  for (const p of passengers) for (const b of p.bags.pieces ?? []) owner.set(b.tag, p);
  const seen = [...new Set(loaded)];
  const ok: string[] = [];
  const takeOff: RampCheck['takeOff'] = [];
  const unknown: string[] = [];
  for (const tag of seen) {
    const p = owner.get(tag);
    if (!p) unknown.push(tag);
    else if (p.status === 'boarded') ok.push(tag);
    else takeOff.push({ tag, passenger: p, why: p.status === 'offloaded' ? 'offloaded' : 'not-boarded' });
  }
  const isLoaded = new Set(seen);
  const boarded = passengers.filter((p) => p.status === 'boarded');
  const missing = boarded.flatMap((p) =>
    (p.bags.pieces ?? []).filter((b) => !isLoaded.has(b.tag)).map((b) => ({ tag: b.tag, passenger: p })),
  );
  const untagged = boarded.reduce((n, p) => n + Math.max(0, p.bags.count - (p.bags.pieces?.length ?? 0)), 0);
  return { ok, takeOff, unknown, missing, untagged, agrees: takeOff.length === 0 && unknown.length === 0 && missing.length === 0 };
}

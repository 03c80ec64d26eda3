/**
 * How Backstop's domain values are written into IATA BCBP (Resolution 792) fields, in one place, so
 * the encoder and the gate's scan matching normalise names, seats and flight numbers the same way.
 */
import type { Passenger } from '../domain/schemas';
import { foldName } from '../names';

/** Length of the passenger name field in the mandatory section. */
export const BCBP_NAME_LENGTH = 20;

/**
 * "LAST/FIRST", plain letters and spaces only (reservation systems drop apostrophes, hyphens and
 * accents: MÜLLER → MULLER), cut to the 20 characters the barcode holds. Titles are left out: they
 * would only cost name characters.
 */
export function bcbpName(p: Pick<Passenger, 'lastName' | 'firstName'>): string {
  const clean = (s: string) => foldName(s.replace(/-/g, ''));
  return `${clean(p.lastName)}/${clean(p.firstName)}`.slice(0, BCBP_NAME_LENGTH);
}

/** "123" → "0123", "4512A" → "4512A": four digits and an optional operational suffix. */
export function bcbpFlightNumber(number: string): string {
  const m = /^(\d{1,4})([A-Z]?)$/.exec(number);
  if (!m) throw new Error(`not a flight number: ${number}`);
  return `${m[1]!.padStart(4, '0')}${m[2]!}`;
}

/** "0123" → "123", "0834A" → "834A": the flight number as Backstop stores it. */
export function normaliseFlightNumber(field: string): string | null {
  const m = /^(\d{1,4})([A-Z]?)$/.exec(field.trim());
  if (!m) return null;
  return `${String(parseInt(m[1]!, 10))}${m[2]!}`;
}

/** Seat as printed in the barcode: "10A" → "010A"; a lap infant's pass says "INF". */
export const INFANT_SEAT = 'INF';

export function bcbpSeat(seat: string): string {
  const m = /^(\d{1,3})([A-K])$/.exec(seat);
  if (!m) throw new Error(`not a seat: ${seat}`);
  return `${m[1]!.padStart(3, '0')}${m[2]!}`;
}

/** "010A" → "10A"; "INF" stays "INF"; anything else (blank, "STBY", "GATE") → null. */
export function normaliseSeat(field: string | undefined): string | null {
  if (field === undefined) return null;
  const f = field.trim();
  if (f === INFANT_SEAT) return INFANT_SEAT;
  const m = /^(\d{1,3})([A-Z])$/.exec(f);
  return m ? `${parseInt(m[1]!, 10)}${m[2]!}` : null;
}

export function bcbpSequence(seqNo: number): string {
  return String(seqNo).padStart(4, '0');
}

/**
 * Passenger status (Res. 792 Attachment C): 1 = checked in, 3 = checked in with bags,
 * 7 = standby.
 */
export function bcbpPassengerStatus(p: Pick<Passenger, 'standby' | 'bags'>): string {
  if (p.standby) return '7';
  return p.bags.count > 0 ? '3' : '1';
}

/**
 * Passenger description: 0 adult, 3 child, 4 infant. Backstop issues the lap infant a boarding pass
 * of its own (seat "INF"), so an adult with an infant is still 0 (IATA BCBP implementation guide).
 */
export function bcbpPassengerDescription(p: Pick<Passenger, 'paxType'>): string {
  switch (p.paxType) {
    case 'ADT':
      return '0';
    case 'CHD':
      return '3';
    case 'INF':
      return '4';
  }
}

/** Day of the year (1–366) of a calendar date "YYYY-MM-DD". */
export function julianDay(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 0)) / 86_400_000;
}

/** The calendar date of day `day` of `year`, as "YYYY-MM-DD". */
export function dateOfJulianDay(year: number, day: number): string {
  return new Date(Date.UTC(year, 0, day)).toISOString().slice(0, 10);
}

/** Midnight UTC of a calendar date: the form the bcbp package reads dates in. */
export function utcMidnight(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00.000Z`);
}

/** Small formatting rules shared by the templates, named in airline terms. */
import type { Cabin, Flight, Passenger } from '../domain/schemas';
import { addMinutes, localTime, zoneLabel } from '../time';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** "2026-11-26" → "26NOV", the way boarding passes and load messages print dates. */
export function ddmmm(isoDate: string): string {
  const [, m, d] = isoDate.split('-');
  return `${d}${MONTHS[Number(m) - 1] ?? '???'}`;
}

/** "2026-11-26" → "26 NOV 2026". */
export function longDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d} ${MONTHS[Number(m) - 1] ?? '???'} ${y}`;
}

export const CABIN_NAMES: Readonly<Record<Cabin, string>> = {
  F: 'First',
  J: 'Business',
  W: 'Premium Economy',
  Y: 'Economy',
};

/** "14:30 GMT" in the station's zone. */
export function timeWithZone(iso: string, timeZone: string): string {
  return `${localTime(iso, timeZone)} ${zoneLabel(iso, timeZone)}`;
}

/** Boarding starts `boardingMinutes` before the estimated departure, or the scheduled one. */
export function boardingTime(flight: Pick<Flight, 'std' | 'etd' | 'boardingMinutes'>): string {
  return addMinutes(flight.etd ?? flight.std, -flight.boardingMinutes);
}

/** Three digits, as agents call sequence numbers: 7 → "007". */
export function seqLabel(seqNo: number | null): string {
  return seqNo === null ? '—' : String(seqNo).padStart(3, '0');
}

export const STATUS_LABELS: Readonly<Record<Passenger['status'], string>> = {
  booked: 'Not checked in',
  'checked-in': 'Checked in',
  boarded: 'Boarded',
  offloaded: 'Offloaded',
  'no-show': 'No-show',
};

/** Three-letter status codes for dense lists (as DCS manifests print them). */
export const STATUS_CODES: Readonly<Record<Passenger['status'], string>> = {
  booked: 'BKD',
  'checked-in': 'CKI',
  boarded: 'BRD',
  offloaded: 'OFL',
  'no-show': 'NOSH',
};

/** "176-1000000001": the ticketing airline's code apart from the serial number. */
export function eticketLabel(eticket: string): string {
  return `${eticket.slice(0, 3)}-${eticket.slice(3)}`;
}

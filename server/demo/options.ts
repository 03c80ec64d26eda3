/**
 * Options of the demo data generator, resolved once: which station, how many flights and passengers,
 * which seed, and "now", rounded to the timetable's five minutes.
 */
import type { Station } from '../../shared/domain/schemas';
import { airport, stationRecord, type Airport } from './places';

export const DEMO_CARRIER = 'BQ';
/** The demo carrier's three-digit airline code: its e-tickets' prefix and its bag tags' digits 2–4. */
export const DEMO_AIRLINE_CODE = '934';

export interface DemoOptions {
  station?: string;
  flights?: number;
  /** Passengers per flight, infants included. Omitted: each flight gets a realistic load for its aircraft. */
  paxPerFlight?: number | null;
  seed?: number | string;
  /** The instant the timetable is built around (the server's clock). */
  now: Date;
  pbkdf2Iterations?: number;
}

/** Options with defaults applied and checked. */
export interface Resolved {
  station: Station;
  home: Airport;
  flights: number;
  paxPerFlight: number | null;
  seed: string;
  nowMs: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function resolve(options: DemoOptions): Resolved {
  const code = options.station ?? 'LHR';
  const station = stationRecord(code);
  const home = airport(code);
  if (!station || !home) throw new Error(`No demo data for station ${code}.`);
  const flights = options.flights ?? 40;
  if (!Number.isInteger(flights) || flights < 0 || flights > 5000) throw new Error('flights must be an integer from 0 to 5000');
  const paxPerFlight = options.paxPerFlight ?? null;
  if (paxPerFlight !== null && (!Number.isInteger(paxPerFlight) || paxPerFlight < 0 || paxPerFlight > 400)) {
    throw new Error('paxPerFlight must be an integer from 0 to 400');
  }
  // Whole five minutes, like a timetable.
  const nowMs = Math.floor(options.now.getTime() / (5 * MINUTE)) * 5 * MINUTE;
  return { station, home, flights, paxPerFlight, seed: String(options.seed ?? 1), nowMs };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Demo data for the reference backend: one station's departures over now − 2 h … now + 36 h with
 * their passengers, deterministic from a seed (only the staff credentials' salts are random).
 *
 * The state of each flight follows the clock the way a real day does: flights that left are
 * departed with their no-shows; flights in boarding are being boarded; check-in opens 24 h out and
 * fills up towards departure; flights further out have no one checked in. Every generated seat
 * respects the shared rules (one passenger per seat, exit rows, lap infants per row side), which
 * generate.test.ts checks with the very functions the backend decides with.
 *
 * Flights are generated one at a time (`demoFlights`), so seeding hub scale never holds more than
 * one flight's passengers in memory.
 */
import type { Flight, Passenger, SeatMap, Staff, Station } from '../../shared/domain/schemas';
import { localDate } from '../../shared/time';
import { DEMO_CARRIER, HOUR, MINUTE, iso, resolve, type DemoOptions, type Resolved } from './options';
import { PassengerBuilder, type Context } from './passengers';
import { Random } from './random';
import { plan, type FlightPlan } from './schedule';
import { SEAT_MAPS } from './seatmaps';
import { demoStaff, type DemoLogin } from './staff';

export { DEMO_CARRIER, type DemoOptions } from './options';
export { DEMO_STAFF, demoStaff, type DemoLogin } from './staff';

export interface DemoFlight {
  flight: Flight;
  passengers: Passenger[];
  /** First check-in sequence number nobody has used yet on this flight. */
  nextSeq: number;
}

export interface DemoData {
  station: Station;
  seatMaps: SeatMap[];
  flights: DemoFlight[];
  staff: Staff[];
  logins: DemoLogin[];
}

export async function createDemoData(options: DemoOptions): Promise<DemoData> {
  const r = resolve(options);
  const { staff, logins } = await demoStaff(r.station.code, options.pbkdf2Iterations);
  return { station: r.station, seatMaps: demoSeatMaps(options), flights: [...demoFlights(options)], staff, logins };
}

export function demoStation(options: DemoOptions): Station {
  return resolve(options).station;
}

/** The seat maps the demo flights use. */
export function demoSeatMaps(options: DemoOptions): SeatMap[] {
  const types = new Set(plan(resolve(options)).map((p) => p.aircraftType));
  return Object.values(SEAT_MAPS).filter((m) => types.has(m.aircraftType));
}

export function* demoFlights(options: DemoOptions): Generator<DemoFlight> {
  const r = resolve(options);
  const ctx: Context = { pnrs: new Set(), ticket: new Random(`${r.seed}:tickets`).int(2_100_000_000, 2_400_000_000), bagTag: 0 };
  for (const p of plan(r)) yield generateFlight(r, ctx, p);
}

function flightStatus(nowMs: number, depMs: number): Flight['status'] {
  if (depMs < nowMs - 10 * MINUTE) return 'departed';
  if (depMs - 15 * MINUTE <= nowMs) return 'closed';
  return 'scheduled';
}

function generateFlight(r: Resolved, ctx: Context, p: FlightPlan): DemoFlight {
  const rng = new Random(`${r.seed}:flight:${r.station.code}:${p.index}`);
  const seatMap = SEAT_MAPS[p.aircraftType];
  const depMs = p.stdMs + p.delayMin * MINUTE;
  const status = flightStatus(r.nowMs, depMs);
  const hoursOut = (p.stdMs - r.nowMs) / HOUR;
  const date = localDate(new Date(p.stdMs).toISOString(), r.station.timeZone);
  const widebody = p.aircraftType === 'B789';
  const flight: Flight = {
    id: `${DEMO_CARRIER}${p.number}-${date}`,
    carrier: DEMO_CARRIER,
    number: p.number,
    date,
    origin: r.station.code,
    destination: p.dest.code,
    std: iso(p.stdMs),
    etd: p.delayMin > 0 ? iso(depMs) : null,
    // Gates are announced a few hours out; tails are assigned the day before.
    gate: hoursOut < 5 ? gateFor(rng, widebody) : null,
    aircraftType: p.aircraftType,
    registration:
      hoursOut < 24
        ? `G-${p.aircraftType === 'B789' ? 'ZB' : p.aircraftType === 'A320' ? 'EU' : 'GB'}${rng.chars(2, 'ABCDEFGHJKLMNPRSTUVWXY')}`
        : null,
    seatMapId: seatMap.id,
    status,
    boardingMinutes: widebody ? 50 : 35,
    closedAt: status === 'scheduled' ? null : iso(Math.min(depMs - 15 * MINUTE, r.nowMs)),
    closedBy: status === 'scheduled' ? null : 'DCS',
    // The Americas want advance passenger information: every boarded passenger's document.
    ...(p.dest.region === 'americas' && r.home.region !== 'americas' ? { apis: true } : {}),
  };
  const passengers = new PassengerBuilder(r, ctx, rng, flight, seatMap, p).build();
  const nextSeq = passengers.reduce((max, x) => Math.max(max, x.seqNo ?? 0), 0) + 1;
  return { flight, passengers, nextSeq };
}

function gateFor(rng: Random, widebody: boolean): string {
  // Heathrow T5 style: A gates for narrowbodies, B and C for widebodies.
  return widebody ? (rng.chance(0.5) ? `B${rng.int(32, 48)}` : `C${rng.int(52, 66)}`) : `A${rng.int(1, 24)}`;
}

/**
 * Writes demo data into an empty database: one bulk-load transaction (server/store: SQLite builds its
 * indexes once at the end; PostgreSQL sends multi-row inserts), one flight's passengers in memory at
 * a time, so hub scale (300k passengers) seeds in seconds. When several backend processes start on
 * one empty PostgreSQL database at once, one of them seeds and the others find it seeded.
 */
import type { Store } from '../store/store';
import { demoFlights, demoSeatMaps, demoStaff, demoStation, type DemoLogin, type DemoOptions } from './generate';

export interface SeedSummary {
  station: string;
  flights: number;
  passengers: number;
  logins: DemoLogin[];
  ms: number;
}

export function isEmpty(store: Store): Promise<boolean> {
  return store.isEmpty();
}

/** Seeds an empty database; null when it was not empty (any more). */
export async function seedDemo(store: Store, options: DemoOptions): Promise<SeedSummary | null> {
  const started = performance.now();
  const station = demoStation(options);
  // Hash the PINs before taking the write lock: PBKDF2 is deliberately slow.
  const { staff, logins } = await demoStaff(station.code, options.pbkdf2Iterations);
  let flights = 0;
  let passengers = 0;
  const loaded = await store.bulkLoad(station.code, async (tx) => {
    tx.put('station', station.code, station);
    for (const map of demoSeatMaps(options)) tx.put('seatMap', station.code, map);
    for (const s of staff) tx.put('staff', s.station, s);
    for (const { flight, passengers: pax, nextSeq } of demoFlights(options)) {
      tx.putFlight(flight, nextSeq);
      for (const p of pax) tx.put('passenger', flight.origin, p, { flightId: flight.id });
      flights++;
      passengers += pax.length;
      // Bounded memory: let the store catch up (PostgreSQL sends rows ahead) every few flights.
      if (flights % 25 === 0) await tx.flush();
    }
    tx.setMeta(
      'demo',
      JSON.stringify({ station: station.code, flights, passengers, seed: String(options.seed ?? 1), seededAt: options.now.toISOString() }),
    );
    return true;
  });
  if (loaded === null) return null;
  return { station: station.code, flights, passengers, logins, ms: performance.now() - started };
}

/**
 * Writes demo data into an empty database: one transaction, prepared statements, one flight's
 * passengers in memory at a time, so hub scale (300k passengers) seeds in seconds.
 */
import type { Db } from '../db/database';
import { setMeta } from '../db/database';
import type { EntityStore } from '../db/entities';
import { demoFlights, demoSeatMaps, demoStaff, demoStation, type DemoLogin, type DemoOptions } from './generate';

export interface SeedSummary {
  station: string;
  flights: number;
  passengers: number;
  logins: DemoLogin[];
  ms: number;
}

export function isEmpty(store: EntityStore): boolean {
  return store.currentVersion() === 0;
}

export async function seedDemo(db: Db, store: EntityStore, options: DemoOptions): Promise<SeedSummary> {
  const started = performance.now();
  const station = demoStation(options);
  // Hash the PINs before taking the write lock: PBKDF2 is deliberately slow.
  const { staff, logins } = await demoStaff(station.code, options.pbkdf2Iterations);
  let flights = 0;
  let passengers = 0;
  // For the one big load of an empty database: a rollback journal writes the data once (WAL would
  // write it twice, log then checkpoint), and a big page cache keeps SQLite from spilling dirty
  // pages mid-transaction. Both go back to normal afterwards; a crash mid-seed rolls back to empty.
  const cacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('journal_mode = DELETE');
  db.pragma('cache_size = -262144');
  try {
    store.bulkLoad((w) => {
      w.put('station', station.code, station);
      for (const map of demoSeatMaps(options)) w.put('seatMap', station.code, map);
      for (const s of staff) w.put('staff', s.station, s);
      for (const { flight, passengers: pax, nextSeq } of demoFlights(options)) {
        w.putFlight(flight, nextSeq);
        for (const p of pax) w.put('passenger', flight.origin, p, { flightId: flight.id });
        flights++;
        passengers += pax.length;
      }
      setMeta(
        db,
        'demo',
        JSON.stringify({
          station: station.code,
          flights,
          passengers,
          seed: String(options.seed ?? 1),
          seededAt: options.now.toISOString(),
        }),
      );
    });
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
    db.pragma('journal_mode = WAL');
  }
  return { station: station.code, flights, passengers, logins, ms: performance.now() - started };
}

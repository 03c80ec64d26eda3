/** Test helpers: an in-memory database (fake-indexeddb) seeded the way a pull would leave it. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Flight, Passenger, SeatMap, Staff } from '../../shared/domain/schemas';
import { flightFigures } from '../../shared/domain/headcount';
import { openDatabase, type BackstopDB, type LocalLease } from '../../renderer/db/schema';
import { buildSearchText } from '../../renderer/db/search-text';

let n = 0;

export function memoryDatabase(options: { uptoVersion?: number; name?: string; factory?: IDBFactory } = {}): BackstopDB {
  n += 1;
  return openDatabase(options.name ?? `test-${n}`, {
    indexedDB: options.factory ?? new IDBFactory(),
    IDBKeyRange,
    ...(options.uptoVersion ? { uptoVersion: options.uptoVersion } : {}),
  });
}

export async function seedFlight(
  db: BackstopDB,
  data: { flight: Flight; seatMap: SeatMap; passengers: Passenger[]; leases?: LocalLease[]; staff?: Staff[] },
  asOf = '2026-11-26T12:00:00.000Z',
): Promise<void> {
  await db.seatMaps.put(data.seatMap);
  await db.flights.put({ ...data.flight, version: 1, asOf, counts: flightFigures(data.passengers) });
  await db.manifests.put({ flightId: data.flight.id, passengers: data.passengers, base: null, asOf });
  await db.searchIndex.put({ flightId: data.flight.id, rev: 1, text: buildSearchText(data.passengers) });
  if (data.leases) await db.leases.bulkPut(data.leases);
  if (data.staff) await db.staff.bulkPut(data.staff);
}

export function lease(flightId: string, from: number, to: number, deviceId = 'DEV1'): LocalLease {
  return { id: `${deviceId}-${flightId}-${from}`, deviceId, flightId, from, to, next: from };
}

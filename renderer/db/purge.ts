/**
 * Retention: flights leave the local copy when they are no longer needed, unless this workstation
 * still has actions on them waiting to sync (those are never thrown away).
 */
import type { BackstopDB, LocalFlight } from './schema';

/** Version of a flight kept through a cache reset that the backend has not sent again (yet). */
export const UNCONFIRMED_VERSION = -1;

/** Removes the flights `pick` selects that have nothing pending; returns their ids. */
async function purgeIdle(db: BackstopDB, pick: (f: LocalFlight) => boolean): Promise<string[]> {
  return db.transaction('rw', [db.flights, db.manifests, db.searchIndex, db.leases, db.outbox], async () => {
    const purged: string[] = [];
    for (const f of await db.flights.filter(pick).toArray()) {
      if ((await db.outbox.where('flightId').equals(f.id).count()) > 0) continue;
      await Promise.all([
        db.flights.delete(f.id),
        db.manifests.delete(f.id),
        db.searchIndex.delete(f.id),
        db.leases.where('flightId').equals(f.id).delete(),
      ]);
      purged.push(f.id);
    }
    return purged;
  });
}

/** Flights that departed more than `retentionHours` ago. */
export function purgeDepartedFlights(db: BackstopDB, now: Date, retentionHours: number): Promise<string[]> {
  const cutoff = new Date(now.getTime() - retentionHours * 3_600_000).toISOString();
  return purgeIdle(db, (f) => (f.etd ?? f.std) < cutoff);
}

/**
 * After a complete sync, a flight kept through a cache reset that the backend still has not sent
 * does not exist there any more.
 */
export function purgeUnconfirmedFlights(db: BackstopDB): Promise<string[]> {
  return purgeIdle(db, (f) => f.version === UNCONFIRMED_VERSION);
}

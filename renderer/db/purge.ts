/**
 * Retention: flights leave the local copy when they are no longer needed, unless this workstation
 * still has actions on them waiting to sync (those are never thrown away).
 */
import type { BackstopDB, LocalFlight } from './schema';
import { SYNC_KEYS } from './sync-state';

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

/**
 * Forgets the local copy of backend data so the next pull starts from scratch (the backend's
 * database was replaced), except flights with actions still waiting to sync (they stay, with their
 * actions, until those are sent), seat maps (those flights need them) and staff sign-in data (so
 * agents can still sign in if the pull fails).
 */
export async function dropCache(db: BackstopDB): Promise<void> {
  await db.transaction('rw', [db.syncState, db.stations, db.leases, db.flights, db.manifests, db.searchIndex, db.outbox], async () => {
    const keep = new Set((await db.outbox.toArray()).flatMap((e) => (e.flightId ? [e.flightId] : [])));
    await db.syncState.bulkDelete([SYNC_KEYS.cursor, SYNC_KEYS.lastCompleteSyncAt]);
    await Promise.all([db.stations.clear(), db.leases.clear()]);
    await db.flights.filter((f) => !keep.has(f.id)).delete();
    // Kept flights are unconfirmed until the new backend sends them (see purgeUnconfirmedFlights).
    await db.flights.toCollection().modify((f) => {
      f.version = UNCONFIRMED_VERSION;
    });
    await db.manifests.filter((m) => !keep.has(m.flightId)).delete();
    await db.searchIndex.filter((d) => !keep.has(d.flightId)).delete();
  });
}

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
  return (await purgeIdleScan(db, pick)).purged;
}

async function purgeIdleScan(db: BackstopDB, pick: (f: LocalFlight) => boolean): Promise<{ purged: string[]; kept: LocalFlight[] }> {
  return db.transaction('rw', [db.flights, db.manifests, db.searchIndex, db.leases, db.outbox], async () => {
    const purged: string[] = [];
    const kept: LocalFlight[] = [];
    for (const f of await db.flights.toArray()) {
      if (!pick(f)) {
        kept.push(f);
        continue;
      }
      if ((await db.outbox.where('flightId').equals(f.id).count()) > 0) {
        kept.push(f);
        continue;
      }
      await Promise.all([
        db.flights.delete(f.id),
        db.manifests.delete(f.id),
        db.searchIndex.delete(f.id),
        db.leases.where('flightId').equals(f.id).delete(),
      ]);
      purged.push(f.id);
    }
    return { purged, kept };
  });
}

const HOUR_MS = 3_600_000;

function departedBefore(cutoff: string): (f: LocalFlight) => boolean {
  return (f) => (f.etd ?? f.std) < cutoff;
}

/** Flights that departed more than `retentionHours` ago. */
export function purgeDepartedFlights(db: BackstopDB, now: Date, retentionHours: number): Promise<string[]> {
  return purgeIdle(db, departedBefore(new Date(now.getTime() - retentionHours * HOUR_MS).toISOString()));
}

/**
 * After a complete sync, a flight kept through a cache reset that the backend still has not sent
 * does not exist there any more.
 */
export function purgeUnconfirmedFlights(db: BackstopDB): Promise<string[]> {
  return purgeIdle(db, (f) => f.version === UNCONFIRMED_VERSION);
}

/**
 * Both rules above in one pass over the flight records (the sync runs them after every cycle, and
 * reading every flight is most of their cost). Also says when the earliest flight kept falls due,
 * so a caller that knows no flight record changed since can skip the pass until then; null when a
 * flight was kept only because it has actions pending or is unconfirmed (look again next time).
 */
export async function purgeIdleFlights(
  db: BackstopDB,
  now: Date,
  retentionHours: number,
): Promise<{ purged: string[]; nextDueAt: number | null }> {
  const departed = departedBefore(new Date(now.getTime() - retentionHours * HOUR_MS).toISOString());
  const pick = (f: LocalFlight) => f.version === UNCONFIRMED_VERSION || departed(f);
  const { purged, kept } = await purgeIdleScan(db, pick);
  let nextDueAt = Infinity;
  for (const f of kept) {
    if (pick(f)) return { purged, nextDueAt: null };
    nextDueAt = Math.min(nextDueAt, dueAt(f.etd ?? f.std, retentionHours));
  }
  return { purged, nextDueAt };
}

/**
 * The earliest moment the departed rule could pick a flight leaving at `departure`. The rule
 * compares ISO strings, which orders UTC ('Z') times as time does; a time with an offset may
 * compare up to 14 hours off, so it is taken as due that much sooner (looking early costs a pass).
 */
function dueAt(departure: string, retentionHours: number): number {
  const slack = departure.endsWith('Z') ? 0 : 14 * HOUR_MS;
  return Date.parse(departure) + retentionHours * HOUR_MS - slack;
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

/**
 * Recovery from a backend whose database went back to an older copy (a nightly file copied back, a
 * point-in-time restore). It lost actions it had acknowledged, which left our outbox when it did, and
 * its change feed no longer holds what we pulled from it. We notice in two ways:
 * - a pull is refused with BACKEND_RESTORED (our cursor names history it lost, or we remember more
 *   of our actions confirmed than it holds): every action in the journal for this backend goes back
 *   in the outbox, ahead of the pending ones, and the local copy is dropped; the next cycle pushes
 *   first, then pulls from the start (a desk the restored copy no longer knows enrols again first,
 *   then finds it this way);
 * - a push answer says it has processed fewer of our actions (lastSeq) than it once confirmed: what
 *   the journal holds beyond that goes back in the outbox, numbered on from there, and (unless the
 *   first way already did) the local copy is dropped.
 * Re-sending is safe: the backend answers an action it still has by its id, exactly as before, with
 * no second effect. Numbering: after the first way our numbers stay above what the backend holds, so
 * an action it lost is deferred (never refused as stale); its answer then tells where it stands, and
 * the second way numbers on from there.
 */
import { domainFlight } from '../db/flight-store';
import { dropCache } from '../db/purge';
import type { BackstopDB, OutboxEntry } from '../db/schema';
import { SYNC_KEYS } from '../db/sync-state';
import { forgetParkedCursors, readBook, type SourceBook } from './sources';

/**
 * Set (to the backend's URL) once the local copy was rebuilt after a restore found by a pull, until
 * a push answer says where that backend's numbering of our actions stands: meanwhile pulls do not
 * claim an `acked` the backend may never reach, and a push that finds the same restore keeps the copy.
 */
export const RESTORE_UNCONFIRMED_KEY = 'restoreUnconfirmed';

/**
 * Puts journaled actions back in the outbox. With `backendHas` (the active enrolment's lastSeq, from
 * a push answer): those of this enrolment above it, and the numbering continues from there. Without:
 * the whole journal — under this enrolment or an earlier one (a desk whose token the copy predates
 * enrols again, and what it did under the lost enrolment must go too), and what a station relay
 * settled for us (central may have lost it, or, restored itself, a relay what central settled); every
 * backend answers an id it has seen with what it answered before, whoever sent it. Returns how many
 * went back.
 */
export async function requeueJournal(db: BackstopDB, backendHas: number | null): Promise<number> {
  return db.transaction('rw', [db.journal, db.outbox, db.manifests, db.flights, db.syncState], async () => {
    const book = await readBook(db);
    const deviceId = (await db.syncState.get(SYNC_KEYS.deviceId))?.value;
    if (!book || typeof deviceId !== 'string') return 0;
    const lost = (await db.journal.toArray())
      .filter((j) => backendHas === null || (j.source === book.url && j.deviceId === deviceId && j.wireSeq > backendHas))
      .sort((a, b) => a.seq - b.seq);
    const back: OutboxEntry[] = lost.map(({ source: _s, deviceId: _d, wireSeq: _w, ackedAt: _a, ...m }) => ({
      ...m,
      attempts: 0,
      lastError: 'BACKEND_RESTORED',
      resent: true,
    }));
    await db.outbox.bulkPut(back);
    await db.journal.bulkDelete(lost.map((j) => j.id));
    // Their effect is in the local view already; with nothing pending before, that view becomes the base they sit on.
    for (const flightId of new Set(back.flatMap((e) => (e.flightId ? [e.flightId] : [])))) {
      const [manifest, flight] = await Promise.all([db.manifests.get(flightId), db.flights.get(flightId)]);
      if (manifest && flight && manifest.base === null) {
        await db.manifests.put({ ...manifest, base: { flight: domainFlight(flight), passengers: manifest.passengers } });
      }
    }
    // A relay that held some of our actions may have lost them too: they go again like new ones.
    await db.outbox
      .filter((e) => e.relayed?.source === book.url)
      .modify((e) => {
        delete e.relayed;
      });
    if (backendHas !== null) {
      await db.syncState.put({ key: SYNC_KEYS.source, value: { ...book, acked: backendHas, sent: backendHas, confirmedSeq: 0 } });
    }
    return back.length;
  });
}

/** The first way (a pull refused): everything journaled goes again, then the copy is rebuilt from the start. */
export async function recoverFromRestoredPull(db: BackstopDB): Promise<number> {
  const back = await requeueJournal(db, null);
  await dropCache(db);
  await forgetParkedCursors(db);
  const book = await readBook(db);
  if (book) await db.syncState.put({ key: RESTORE_UNCONFIRMED_KEY, value: book.url });
  return back;
}

/**
 * The second way (a push answered with a lastSeq below what it confirmed before): what the backend
 * lost goes again, numbered on from `backendHas`. Returns whether the local copy was dropped (the
 * caller then pulls from the start).
 */
export async function recoverFromRestoredPush(db: BackstopDB, backendHas: number): Promise<boolean> {
  await requeueJournal(db, backendHas);
  if (await restoreUnconfirmed(db)) return false;
  await dropCache(db);
  await forgetParkedCursors(db);
  return true;
}

/** A push answer said where the backend's numbering stands: pulls may claim `acked` again. */
export async function restoreConfirmed(db: BackstopDB): Promise<void> {
  await db.syncState.delete(RESTORE_UNCONFIRMED_KEY);
}

/** Whether pulls should leave `acked` out (see RESTORE_UNCONFIRMED_KEY); `book`: the caller's, if it has read it. */
export async function restoreUnconfirmed(db: BackstopDB, book?: SourceBook | null): Promise<boolean> {
  const active = book === undefined ? await readBook(db) : book;
  return active !== null && (await db.syncState.get(RESTORE_UNCONFIRMED_KEY))?.value === active.url;
}

/**
 * The backends a workstation may sync with — an ordered list, the station relay first and central
 * second (or the reverse, by policy) — and what it keeps for each, in its local database.
 *
 * One backend is active at a time. Its enrolment (device id, token), its cursor in the change feed
 * and its push bookkeeping sit under the usual sync keys, so the rest of the app (enrolment.ts, the
 * pull's cursor, purge.ts) reads them as it always has; the others wait, parked, under
 * `parkedSources`, until the workstation turns to them again. Turning is one transaction.
 *
 * Sequence numbers. Each backend knows this workstation as a client of its own, whose actions must
 * arrive in order, gap-free, from 1. The outbox keeps one order (its own seq); what goes on the wire
 * to a backend is that backend's next number, counted from the last one it confirmed (`acked`,
 * its PushResponse.lastSeq). While an answer is outstanding (`sent` > `acked`) only the same actions
 * may follow under the same numbers; a backend left in that state and returned to later is given a
 * fresh enrolment instead, so no number ever names two actions there. Re-sent actions keep their ids:
 * every backend answers an id it has seen with what it answered before, whichever enrolment sent it.
 *
 * A station relay's answer is provisional: the action stays in the outbox (marked `relayed`) until
 * the relay reports central's answer for it (its pull's `confirmedSeq`), which the next push fetches.
 * Turned to central meanwhile, the workstation sends it there itself; central answers it once,
 * whichever of the two reaches it first.
 */
import type { BackstopDB, OutboxEntry } from '../db/schema';
import { SYNC_KEYS } from '../db/sync-state';

export interface SourceBook {
  url: string;
  /** The last seq this backend confirmed of ours (PushResponse.lastSeq); null: not known yet, so seq on the wire = outbox seq. */
  acked: number | null;
  /** The highest seq sent to it; above `acked` while an answer is outstanding. */
  sent: number | null;
  /** The backend said it is a station relay (its health or pull carried `relay`); null: not known yet. */
  relay: boolean | null;
  /** From a relay: central has answered our actions up to this seq (PullResponse.relay.confirmedSeq). */
  confirmedSeq: number;
}

/** The sync keys that belong to one backend: its enrolment of us, its token's age, our place in its feed. */
const PER_BACKEND = [
  SYNC_KEYS.deviceId,
  SYNC_KEYS.token,
  SYNC_KEYS.tokenIssuedAt,
  SYNC_KEYS.previousDeviceId,
  SYNC_KEYS.previousToken,
  SYNC_KEYS.cursor,
] as const;
type PerBackendKey = (typeof PER_BACKEND)[number];

/** A backend's keys while another is active (kept sealed at rest: they hold tokens, see db/at-rest.ts). */
interface Parked extends SourceBook {
  keys: Partial<Record<PerBackendKey, string>>;
}

function fresh(url: string): SourceBook {
  return { url, acked: null, sent: null, relay: null, confirmedSeq: 0 };
}

function isBook(v: unknown): v is SourceBook {
  return typeof v === 'object' && v !== null && typeof (v as { url?: unknown }).url === 'string';
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export async function readBook(db: BackstopDB): Promise<SourceBook | null> {
  const row = await db.syncState.get(SYNC_KEYS.source);
  return isBook(row?.value) ? { ...fresh(row.value.url), ...row.value } : null;
}

export async function updateBook(db: BackstopDB, patch: Partial<Omit<SourceBook, 'url'>>): Promise<void> {
  await db.transaction('rw', db.syncState, async () => {
    const book = await readBook(db);
    if (book) await db.syncState.put({ key: SYNC_KEYS.source, value: { ...book, ...patch } });
  });
}

async function parked(db: BackstopDB): Promise<Record<string, Parked>> {
  const row = await db.syncState.get(SYNC_KEYS.parkedSources);
  return typeof row?.value === 'object' && row.value !== null ? (row.value as Record<string, Parked>) : {};
}

/**
 * Makes `url` the active backend. The keys of the one active before are parked; `url`'s are brought
 * back (or none, for a backend never used: it enrols and pulls from the start). Keys from before
 * this bookkeeping existed belong to `legacyOwner` (the workstation's only backend then).
 * `inDoubt`: the backend was left with an answer outstanding; it gets a fresh enrolment.
 */
export async function activate(db: BackstopDB, url: string, legacyOwner: string): Promise<{ switched: boolean }> {
  return db.transaction('rw', [db.syncState, db.outbox], async () => {
    const current = await readBook(db);
    if (current?.url === url) return { switched: false };
    const all = await parked(db);
    if (current === null && legacyOwner === url) {
      // The keys already there are this backend's (a workstation from before this bookkeeping).
      await db.syncState.put({ key: SYNC_KEYS.source, value: fresh(url) });
      return { switched: false };
    }
    // Park what is there under its owner (for a workstation from before this bookkeeping: legacyOwner).
    const keys: Parked['keys'] = {};
    for (const key of PER_BACKEND) {
      const value = str((await db.syncState.get(key))?.value);
      if (value !== null) keys[key] = value;
    }
    const owner = current ?? fresh(legacyOwner);
    all[owner.url] = { ...owner, keys };
    let target: Parked = all[url] ?? { ...fresh(url), keys: {} };
    delete all[url];
    if (target.sent !== null && target.acked !== null && target.sent > target.acked && target.keys.deviceId) {
      // Left with an answer outstanding: what it holds of ours under those numbers is unknown, and the
      // actions may since have gone elsewhere. A new enrolment starts its numbering afresh; the old
      // one's token goes with it as the proof that moves its leases over.
      const { deviceId, token } = target.keys;
      target = {
        ...target,
        acked: null,
        sent: null,
        confirmedSeq: 0,
        keys: {
          ...(target.keys.cursor ? { cursor: target.keys.cursor } : {}),
          previousDeviceId: deviceId,
          ...(token ? { previousToken: token } : {}),
        },
      };
      await forgetRelayed(db, url);
    }
    for (const key of PER_BACKEND) {
      const value = target.keys[key];
      if (value === undefined) await db.syncState.delete(key);
      else await db.syncState.put({ key, value });
    }
    const { keys: _keys, ...book } = target;
    await db.syncState.put({ key: SYNC_KEYS.source, value: book });
    await db.syncState.put({ key: SYNC_KEYS.parkedSources, value: all });
    return { switched: true };
  });
}

/**
 * The active backend forgot us (or we it): a new enrolment numbers from 1, and what the old one
 * held under its numbers for a relay must be asked for again (by id, it answers the same).
 */
export async function resetNumbering(db: BackstopDB): Promise<void> {
  await db.transaction('rw', [db.syncState, db.outbox], async () => {
    const book = await readBook(db);
    if (!book) return;
    await db.syncState.put({ key: SYNC_KEYS.source, value: { ...book, acked: 0, sent: 0, confirmedSeq: 0 } });
    await forgetRelayed(db, book.url);
  });
}

async function forgetRelayed(db: BackstopDB, url: string): Promise<void> {
  await db.outbox
    .filter((e) => e.relayed?.source === url)
    .modify((e) => {
      delete e.relayed;
    });
}

/** The local copy was dropped (a backend's database was replaced): every backend's place in its feed goes too. */
export async function forgetParkedCursors(db: BackstopDB): Promise<void> {
  await db.transaction('rw', db.syncState, async () => {
    const all = await parked(db);
    for (const p of Object.values(all)) delete p.keys.cursor;
    await db.syncState.put({ key: SYNC_KEYS.parkedSources, value: all });
  });
}

export interface Outgoing {
  entry: OutboxEntry;
  /** The seq it goes under to this backend. */
  wire: number;
  /** A relay's final answer is asked for (central answered it there): the answer settles it. */
  final: boolean;
}

/**
 * What to push to the active backend next, in order: to a relay, first the actions it holds whose
 * central answer it now has, then everything it does not hold yet; to central, everything.
 */
export function outgoing(book: SourceBook, entries: readonly OutboxEntry[], limit: number): Outgoing[] {
  const atRelay = (e: OutboxEntry) => book.relay === true && e.relayed?.source === book.url;
  const finals: Outgoing[] = entries
    .filter((e) => atRelay(e) && e.relayed!.wireSeq <= book.confirmedSeq)
    .map((e) => ({ entry: e, wire: e.relayed!.wireSeq, final: true }));
  const news = entries
    .filter((e) => !atRelay(e))
    .slice(0, Math.max(0, limit - finals.length))
    .map((e, i) => ({ entry: e, wire: book.acked === null ? e.seq : book.acked + 1 + i, final: false }));
  return [...finals.slice(0, limit), ...news];
}

/** Actions a relay holds for us whose central answer has not come yet. */
export function heldAtRelay(book: SourceBook | null, entries: readonly OutboxEntry[]): number {
  return entries.filter((e) => e.relayed && !(book && e.relayed.source === book.url && e.relayed.wireSeq <= book.confirmedSeq)).length;
}

/**
 * The journal of acknowledged actions. An action leaves the outbox once a backend has answered it;
 * a copy stays here for a while, because a backend's database can be restored from an older copy
 * (a nightly file, a point-in-time restore) and lose what it had acknowledged. A fact, such as a
 * passenger boarded, must never be lost, so the workstation then sends those actions again
 * (renderer/sync/restored.ts). Bounded by age and by count: the oldest go first, so what stays of one
 * enrolment is always its newest actions, an unbroken run of seqs.
 */
import type { BackstopDB, JournalEntry, OutboxEntry } from './schema';

export interface JournalLimits {
  /** Acknowledged actions are kept this long… */
  keepHours: number;
  /** …and never more than this many (a busy desk in a hub: a few thousand a day). */
  maxEntries: number;
}

/** Three days: a restore from last night's copy, noticed after a weekend shift, still finds everything. */
export const JOURNAL_LIMITS: JournalLimits = { keepHours: 72, maxEntries: 50_000 };

const HOUR_MS = 3_600_000;

/** The journal's copy of an answered outbox entry (without the outbox's bookkeeping). */
export function journalEntry(e: OutboxEntry, at: { source: string; deviceId: string; wireSeq: number; ackedAt: string }): JournalEntry {
  const { attempts: _a, lastError: _l, relayed: _r, resent: _s, ...mutation } = e;
  return { ...mutation, ...at };
}

/** Entries acknowledged before this (UTC ISO) are past keeping. */
export function journalCutoff(nowMs: number, limits: JournalLimits): string {
  return new Date(nowMs - limits.keepHours * HOUR_MS).toISOString();
}

/**
 * Drops what the limits no longer keep; inside the caller's transaction over the journal. Reads
 * only the ids and times of the entries that may go (by the ackedAt index), not their arguments.
 */
export async function pruneJournal(db: BackstopDB, nowMs: number, limits: JournalLimits = JOURNAL_LIMITS): Promise<number> {
  const cutoff = journalCutoff(nowMs, limits);
  const old = await db.journal.where('ackedAt').below(cutoff).primaryKeys();
  const over = Math.max(0, (await db.journal.count()) - old.length - limits.maxEntries);
  const excess = over > 0 ? await db.journal.orderBy('ackedAt').offset(old.length).limit(over).primaryKeys() : [];
  const gone = [...old, ...excess];
  if (gone.length > 0) await db.journal.bulkDelete(gone);
  return gone.length;
}

/**
 * Whether a pull cursor names a point of this database's own history. A database restored from an
 * older copy (a nightly SQLite file copied back, a PostgreSQL point-in-time restore) keeps its epoch,
 * so the epoch alone cannot tell: a desk that pulled after the copy was taken holds a cursor at a
 * version the restored database has not reached, or will reach again with other changes, and would
 * silently skip them.
 *
 * Every cursor names the backend process (its boot) that issued it. The newest version of each
 * station when this process started is its start head. A cursor at or below the start head is
 * sound whoever issued it: the database held all of that history when this process opened it, and a
 * copy holds all of its own history up to where it was taken. A cursor above it is sound only from
 * a process that has written to this very database since this one started: this process itself, or
 * (PostgreSQL, several processes) one whose heartbeat this database shows since then. Anything else
 * was issued from history the database has lost.
 *
 * "Since then" is counted, not timed: each process start bumps a counter in the database (the
 * tick), and each heartbeat records the tick it saw. Clocks of several machines need not agree, and a
 * restored copy holds only heartbeats from before the copy, all below the tick of a process started
 * on it. For its first few seconds a process cannot tell a live neighbour that has not beaten yet from
 * a process of lost history: it asks the desk to try again shortly instead of deciding.
 */
import type { Store } from '../store/store';

/** How often a backend process on a shared database says it is alive. */
export const BOOT_HEARTBEAT_MS = 2_000;
/** For this long after its start a process waits for its neighbours' heartbeats before it refuses their cursors. */
export const BOOT_SETTLE_MS = 2 * BOOT_HEARTBEAT_MS + 1_000;
/** Registrations of processes not heard of for this long are removed at start. */
export const BOOT_FORGET_MS = 7 * 24 * 3_600_000;

const BOOT_KEY = 'feedBoot.';
const TICK_KEY = 'feedBootTick';

export type Verdict = 'holds' | 'lost' | 'unsettled';

interface Beat {
  tick: number;
  at: string;
}

function beatOf(text: string | null): Beat | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<Beat>;
    return typeof v.tick === 'number' && typeof v.at === 'string' ? { tick: v.tick, at: v.at } : null;
  } catch {
    return null;
  }
}

export class FeedLineage {
  private heartbeat: ReturnType<typeof setInterval> | null = null;

  private constructor(
    readonly boot: string,
    private readonly store: Store,
    private readonly startHeads: ReadonlyMap<string, number>,
    /** The tick this process started at (shared stores; 0 otherwise). */
    private readonly tick: number,
    private readonly settledAt: number,
    private readonly uptime: () => number,
  ) {}

  /**
   * Reads the start heads; must run before this process writes anything. `uptime`: a monotonic
   * millisecond clock for the settle window (the server's own clock may be pinned or set back).
   */
  static async start(store: Store, clock: () => Date, boot: string, uptime: () => number = () => performance.now()): Promise<FeedLineage> {
    const rows = await store.sql.all<{ station: string; v: number | string | null }>(
      'SELECT station, max(version) AS v FROM entity GROUP BY station',
    );
    const heads = new Map(rows.map((r) => [r.station, Number(r.v ?? 0)]));
    if (!store.shared) return new FeedLineage(boot, store, heads, 0, uptime(), uptime);
    const [bumped] = await store.sql.all<{ value: string }>(
      `INSERT INTO meta (key, value) VALUES (?, '1')
       ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT) RETURNING value`,
      [TICK_KEY],
    );
    const tick = Number(bumped?.value ?? 1);
    const forgetBefore = new Date(clock().getTime() - BOOT_FORGET_MS).toISOString();
    for (const r of await store.sql.all<{ key: string; value: string }>('SELECT key, value FROM meta WHERE key LIKE ?', [`${BOOT_KEY}%`])) {
      const beat = beatOf(r.value);
      if (!beat || beat.at < forgetBefore) await store.sql.run('DELETE FROM meta WHERE key = ?', [r.key]);
    }
    const lineage = new FeedLineage(boot, store, heads, tick, uptime() + BOOT_SETTLE_MS, uptime);
    const beat = async () => {
      const now = Number((await store.getMeta(TICK_KEY)) ?? tick);
      await store.setMeta(BOOT_KEY + boot, JSON.stringify({ tick: now, at: clock().toISOString() } satisfies Beat));
    };
    await beat();
    lineage.heartbeat = setInterval(() => void beat().catch(() => {}), BOOT_HEARTBEAT_MS);
    lineage.heartbeat.unref();
    return lineage;
  }

  /** Whether a cursor issued by `boot` (null: before boots were named) at `version` of `station` is of this database's history. */
  async holds(station: string, boot: string | null, version: number): Promise<Verdict> {
    if (version <= (this.startHeads.get(station) ?? 0)) return 'holds';
    // Our own cursor, beyond the newest version: the database went back under this very process (a
    // PostgreSQL restore the backend processes were not restarted for).
    if (boot === this.boot) return version <= (await this.store.docs.head(station)) ? 'holds' : 'lost';
    if (!this.store.shared) return 'lost';
    const beat = boot === null ? null : beatOf(await this.store.getMeta(BOOT_KEY + boot));
    if (beat && beat.tick >= this.tick) return 'holds';
    return this.uptime() < this.settledAt ? 'unsettled' : 'lost';
  }

  /** Stops the heartbeat. The registration stays: cursors this process issued remain sound elsewhere. */
  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

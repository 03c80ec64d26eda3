/**
 * Wrong PINs against the backend, counted per staff member and per workstation in the database (a
 * restart, a second backend process or a reload of the page resets nothing). After FREE_TRIES wrong
 * PINs in a row the key is locked, for LOCK_BASE_MS, doubling with each further wrong PIN up to
 * LOCK_MAX_MS. A right PIN clears the staff member's count.
 */
import type { Clock } from '../../shared/clock';
import type { SqlRunner } from '../store/sql-runner';

export const FREE_TRIES = 5;
export const LOCK_BASE_MS = 30_000;
export const LOCK_MAX_MS = 60 * 60_000;

export class PinLockout {
  constructor(
    private readonly sql: SqlRunner,
    private readonly clock: Clock,
  ) {}

  /** The latest time any of `keys` is locked until, or null when none is locked now. */
  async lockedUntil(keys: readonly string[]): Promise<string | null> {
    const now = this.clock().toISOString();
    let latest: string | null = null;
    for (const key of keys) {
      const [row] = await this.sql.all<{ until: string | null }>('SELECT locked_until AS "until" FROM pin_failure WHERE key = ?', [key]);
      if (row?.until && row.until > now && (latest === null || row.until > latest)) latest = row.until;
    }
    return latest;
  }

  async failed(keys: readonly string[]): Promise<void> {
    const now = this.clock();
    for (const key of keys) {
      const [row] = await this.sql.all<{ failures: number }>('SELECT failures FROM pin_failure WHERE key = ?', [key]);
      const failures = Number(row?.failures ?? 0) + 1;
      const over = failures - FREE_TRIES;
      const until = over >= 0 ? new Date(now.getTime() + Math.min(LOCK_MAX_MS, LOCK_BASE_MS * 2 ** over)).toISOString() : null;
      await this.sql.run(
        `INSERT INTO pin_failure (key, failures, locked_until, last_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, last_at = excluded.last_at`,
        [key, failures, until, now.toISOString()],
      );
    }
  }

  async succeeded(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.sql.run('DELETE FROM pin_failure WHERE key = ?', [key]);
  }
}

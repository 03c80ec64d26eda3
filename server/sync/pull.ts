/**
 * Builds one pull page from the stored change text. Two queries, no JSON work in JavaScript:
 * the first finds the page's extent from the covering index alone (versions and sizes, cut by both
 * maxChanges and maxBytes); the second has SQLite concatenate those rows into one buffer, which is
 * sent as it is. At hub scale (300k passengers, ~170 MB) this is what keeps the backend's share of a
 * workstation's full cache fill small: per-row JavaScript strings cost several times more.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database';
import type { Estimate } from './cursor';

export interface PageRequest {
  station: string;
  deviceId: string;
  afterVersion: number;
  /** Carried in the cursor from the previous page of the same pull; null: count afresh. */
  estimate: Estimate | null;
  maxChanges: number;
  maxBytes: number;
}

export interface Page {
  /** The changes as JSON array elements joined by commas (no brackets), UTF-8. */
  changes: Buffer;
  count: number;
  bytes: number;
  /** Version of the last change in the page, or the requested one when the page is empty. */
  lastVersion: number;
  hasMore: boolean;
  /**
   * Changes still to come. Exact, except that an entity changed again while a paged pull is under
   * way may be counted twice: good enough for progress and an ETA, which is what it is for.
   */
  remaining: number;
  /** For the next page's cursor, when there is one. */
  estimate: Estimate | null;
}

interface Extent {
  n: number;
  last: number | null;
  bytes: number | null;
}

type Params = { station: string; device: string; after: number };

export class PageReader {
  private readonly extent: Statement<[Params & { limit: number }], Extent>;
  private readonly sizes: Statement<[Params & { limit: number }], [version: number, size: number]>;
  private readonly anyAfter: Statement<[Params], { one: number }>;
  private readonly body: Statement<[Params & { last: number }], { body: Buffer | null }>;
  private readonly countAfter: Statement<[Params], { n: number }>;
  private readonly newest: Statement<[], { v: number | null }>;

  constructor(db: Db) {
    const feed = 'station = @station AND version > @after AND (device_id IS NULL OR device_id = @device)';
    // Leases of other workstations share the station's feed and are skipped in the index; they are few.
    this.extent = db.prepare(
      `SELECT count(*) AS n, max(version) AS last, sum(size) + count(*) - 1 AS bytes
       FROM (SELECT version, size FROM entity WHERE ${feed} ORDER BY version LIMIT @limit)`,
    );
    this.sizes = db
      .prepare<[Params & { limit: number }], [number, number]>(
        `SELECT version, size FROM entity WHERE ${feed} ORDER BY version LIMIT @limit`,
      )
      .raw(true);
    this.anyAfter = db.prepare(`SELECT 1 AS one FROM entity WHERE ${feed} LIMIT 1`);
    // The rows arrive in version order from the (station, version) index and group_concat keeps
    // arrival order; "group_concat(… ORDER BY version)" would say so outright but sorts again in a
    // temporary b-tree, which costs more than the rest of the page. pull.test.ts checks the order.
    this.body = db.prepare(
      `SELECT CAST(group_concat(change, ',') AS BLOB) AS body
       FROM (SELECT change FROM entity WHERE ${feed} AND version <= @last ORDER BY version)`,
    );
    this.countAfter = db.prepare(`SELECT count(*) AS n FROM entity WHERE ${feed}`);
    this.newest = db.prepare('SELECT max(version) AS v FROM entity');
  }

  read({ station, deviceId, afterVersion, estimate, maxChanges, maxBytes }: PageRequest): Page {
    const at = { station, device: deviceId, after: afterVersion };
    const { count, lastVersion } = this.cut(at, maxChanges, maxBytes);
    const changes = count > 0 ? (this.body.get({ ...at, last: lastVersion })?.body ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const hasMore = this.anyAfter.get({ ...at, after: lastVersion }) !== undefined;
    const remaining = hasMore ? this.remainingAfter(station, deviceId, afterVersion, lastVersion, count, estimate) : 0;
    const highWater = this.newest.get()?.v ?? 0;
    return {
      changes,
      count,
      bytes: changes.length,
      lastVersion,
      hasMore,
      remaining,
      estimate: hasMore ? { remaining, highWater } : null,
    };
  }

  /** How many changes fit in the page under both limits, read from the covering index only. */
  private cut(at: Params, maxChanges: number, maxBytes: number): { count: number; lastVersion: number } {
    const all = this.extent.get({ ...at, limit: maxChanges });
    if (!all || all.n === 0) return { count: 0, lastVersion: at.after };
    if ((all.bytes ?? 0) <= maxBytes) return { count: all.n, lastVersion: all.last ?? at.after };
    // Over the byte budget: walk the sizes to the cut. Always at least one change, or an entity
    // larger than maxBytes would stall the feed.
    let bytes = -1;
    let count = 0;
    let lastVersion = at.after;
    for (const [version, size] of this.sizes.iterate({ ...at, limit: maxChanges })) {
      if (count > 0 && bytes + size + 1 > maxBytes) break;
      bytes += size + 1;
      count++;
      lastVersion = version;
    }
    return { count, lastVersion };
  }

  private remainingAfter(station: string, device: string, after: number, last: number, count: number, estimate: Estimate | null): number {
    const countFrom = (v: number) => this.countAfter.get({ station, device, after: v })?.n ?? 0;
    // First page: count once (an index-only scan). Later pages: what was left, minus this page,
    // plus whatever was written since the count (a short scan of the newest versions).
    if (!estimate || last > estimate.highWater) return countFrom(last);
    return Math.max(0, estimate.remaining - count) + countFrom(estimate.highWater);
  }
}

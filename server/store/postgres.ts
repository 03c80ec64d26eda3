/**
 * The PostgreSQL store (node-postgres): the airline's backend, which several backend processes may
 * serve at once — the HTTP layer keeps no state that matters between requests.
 *
 * Commit order. `entity` is the change feed and a pull page is a range scan of `(station, version >
 * cursor)`. With several writers, versions taken from a sequence would not be commit-ordered: T1 takes
 * 100, T2 takes 101 and commits first, a pull sees 101 and moves its cursor past 100, and T1's change
 * is never sent. So every write transaction of a station first takes the station's row in
 * `station_feed` FOR UPDATE and hands out versions above the one it holds, writing the last back
 * before COMMIT. Write transactions of one station are therefore serial; row locks are released only
 * after the commit is visible, so the next one — and any version above — can only become visible
 * after it. A snapshot that sees version N of a station sees every version below N: no pull that
 * raced a commit can skip a change (server/multi-process.test.ts checks it with two processes).
 *
 * Why a lock and not SERIALIZABLE: serializable transactions guarantee that the outcome equals *some*
 * serial order, not that the version numbers we hand out follow the commit order the feed is read in
 * (T2, the reader, then T1 is a valid serial order in the example above). They would also abort and
 * retry whole push groups whenever two desks touch the same flight, which is the common case. The
 * station lock costs what SQLite's single writer costs today: one writer per station at a time (every
 * station of the airline in parallel), and it is what the ledger needs anyway — a fact is folded over
 * every fact recorded before it on the flight, so two processes must not fold the same flight at
 * once. Lease counters are additionally taken FOR UPDATE by each grant (belt and braces).
 *
 * Round trips. Each connection pipelines (pg's `pipeline` mode): writes inside a transaction are sent
 * without waiting for their answers, and a failure surfaces at the next read or at COMMIT — before
 * anything is answered. A push mutation costs about two waits (its state, then its ledger on the
 * first fact of a flight) instead of a dozen.
 */
import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import { randomBytes } from 'node:crypto';
import type { Passenger } from '../../shared/domain/schemas';
import type { EntityKind, EntityOf, MutationResult } from '../../shared/protocol/v1';
import { dataOf, flightOfWrite, Generations, putRow, removeRow, type EntityRow } from '../db/entities';
import { LEASE_POLICY, MAX_REGULAR_SEQ } from '../sync/lease-policy';
import { remainingPlan } from '../sync/pull';
import { ADD_ENTITY_KEY, DROP_ENTITY_INDEXES, DROP_ENTITY_KEY, ENTITY_INDEXES, MIGRATIONS, TABLES } from './pg-schema';
import { numberedPlaceholders, type SqlRunner } from './sql-runner';
import { PgFlightDocs } from './flight-docs-pg';
import type { Device, DeviceRow, LeaseNeed, Links, MutationState, Page, PageRequest, SeqCounter, Store, Telemetry, Tx } from './store';
import { describeError } from './sqlite';

/** bigint (counts, versions) as a number: versions stay far below 2^53. This pool only; pg's global parsers stay as they are. */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export interface PgOpenOptions {
  url: string;
  /** Drop this schema's tables first. */
  reset?: boolean;
  /** Connections of this process (default 10). */
  poolSize?: number;
}

/** Rows per multi-row INSERT while bulk loading (9 parameters each, under PostgreSQL's 65,535). */
const BULK_ROWS = 2_000;

const FEED = 'station = $1 AND (device_id IS NULL OR device_id = $3)';

const SQL = {
  lockFeed: 'SELECT version FROM station_feed WHERE station = $1 FOR UPDATE',
  createFeed: `INSERT INTO station_feed (station, version)
               VALUES ($1, coalesce((SELECT max(version) FROM entity WHERE station = $1), 0)) ON CONFLICT (station) DO NOTHING`,
  saveFeed: 'UPDATE station_feed SET version = $2 WHERE station = $1',
  upsert: `INSERT INTO entity (station, version, kind, id, flight_id, device_id, live, size, change) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (station, kind, id) DO UPDATE SET
             version = excluded.version, flight_id = excluded.flight_id, device_id = excluded.device_id,
             live = excluded.live, size = excluded.size, change = excluded.change`,
  upsertFlightSeq: `INSERT INTO flight_seq (flight_id, station, next_seq, open) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (flight_id) DO UPDATE SET open = excluded.open, next_seq = GREATEST(flight_seq.next_seq, excluded.next_seq)`,
  selectOne: 'SELECT change FROM entity WHERE station = $1 AND kind = $2 AND id = $3 AND live',
  selectKind: 'SELECT change FROM entity WHERE station = $1 AND kind = $2 AND live',
  selectFlightRows: "SELECT change FROM entity WHERE flight_id = $1 AND kind = 'passenger' AND live",
  getMeta: 'SELECT value FROM meta WHERE key = $1',
  setMeta: 'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  mutationState: `SELECT (SELECT last_seq FROM device WHERE id = $1) AS "lastSeq", s.result, s.status, s.code,
                         CASE WHEN s.result IS NULL THEN (SELECT result FROM mutation_log WHERE id = $2 LIMIT 1) END AS earlier
                  FROM (SELECT 1) AS one LEFT JOIN mutation_log s ON s.device_id = $1 AND s.id = $2`,
  logResult: `INSERT INTO mutation_log (device_id, id, seq, type, staff_id, status, code, mutation, result, processed_at)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  advance: 'UPDATE device SET last_seq = $2 WHERE id = $1',
  logPrint: `INSERT INTO print_log (print_job_id, device_id, mutation_id, staff_id, document, flight_id, passenger_id, copies, destination, reprint, printed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (print_job_id) DO NOTHING`,
  needs: `SELECT "flightId", free, block, "hasEmergency" FROM (
            SELECT f.flight_id AS "flightId", f.next_seq AS "nextSeq",
                   coalesce((SELECT sum(l.seq_to - l.seq_from + 1 - l.used) FROM lease l
                             WHERE l.device_id = $1 AND l.flight_id = f.flight_id AND NOT l.emergency), 0)::int AS free,
                   coalesce((SELECT max(l.seq_to - l.seq_from + 1) FROM lease l
                             WHERE l.device_id = $1 AND l.flight_id = f.flight_id AND NOT l.emergency), 0)::int AS block,
                   EXISTS (SELECT 1 FROM lease l WHERE l.device_id = $1 AND l.flight_id = f.flight_id AND l.emergency) AS "hasEmergency"
            FROM flight_seq f
            WHERE f.station = $2 AND f.open) AS n
          WHERE ("nextSeq" <= ${MAX_REGULAR_SEQ} AND (free < ${LEASE_POLICY.minFree} OR free < block * ${LEASE_POLICY.lowShare}))
             OR NOT "hasEmergency"`,
  awaiting: `SELECT count(*)::int AS n FROM entity WHERE flight_id = $1 AND kind = 'passenger' AND live AND change LIKE '%"status":"booked"%'`,
  counter: 'SELECT station, next_seq AS "nextSeq", next_emergency AS "nextEmergency" FROM flight_seq WHERE flight_id = $1 FOR UPDATE',
  setNextSeq: 'UPDATE flight_seq SET next_seq = $2 WHERE flight_id = $1',
  setNextEmergency: 'UPDATE flight_seq SET next_emergency = $2 WHERE flight_id = $1',
  insertLease: 'INSERT INTO lease (id, device_id, flight_id, seq_from, seq_to, granted_at, emergency) VALUES ($1, $2, $3, $4, $5, $6, $7)',
  use: 'UPDATE lease SET used = used + 1 WHERE device_id = $1 AND flight_id = $2 AND $3 BETWEEN seq_from AND seq_to',
  spent: 'UPDATE lease SET used = LEAST(seq_to - seq_from + 1, GREATEST(used, $3 - seq_from)) WHERE id = $2 AND device_id = $1',
  onFlight: `SELECT l.id, f.station, l.device_id AS "deviceId" FROM lease l JOIN flight_seq f ON f.flight_id = l.flight_id WHERE l.flight_id = $1`,
  dropFlight: 'DELETE FROM lease WHERE flight_id = $1',
  ofDevice: `SELECT l.id, l.flight_id AS "flightId", l.seq_from AS "from", l.seq_to AS "to", f.station
             FROM lease l JOIN flight_seq f ON f.flight_id = l.flight_id WHERE l.device_id = $1`,
  reassign: 'UPDATE lease SET device_id = $2 WHERE device_id = $1',
  selectBase: 'SELECT view FROM ledger_base WHERE flight_id = $1',
  upsertBase:
    'INSERT INTO ledger_base (flight_id, station, view) VALUES ($1, $2, $3) ON CONFLICT (flight_id) DO UPDATE SET view = excluded.view',
  selectFacts: 'SELECT origin, mutation FROM ledger_fact WHERE flight_id = $1',
  insertFact: 'INSERT INTO ledger_fact (flight_id, mutation_id, origin, mutation) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
  deleteFact: 'DELETE FROM ledger_fact WHERE flight_id = $1 AND mutation_id = $2',
  anyAfter: `SELECT 1 AS one FROM entity WHERE ${FEED} AND version > $2 LIMIT 1`,
  lastSeq: 'SELECT last_seq AS "lastSeq" FROM device WHERE id = $1',
  // One statement, so one snapshot: the page's extent from the feed index (cut by count and bytes),
  // its body concatenated by string_agg (rows arrive in version order from the ordered subquery,
  // which PostgreSQL never flattens; pull.test.ts checks the order), and on a page with more after
  // it the count of what remains (see remainingPlan).
  page: `
WITH feed AS (
  SELECT version, size FROM entity WHERE ${FEED} AND version > $2 ORDER BY version LIMIT $4::int + 1
), cut AS (
  SELECT version, row_number() OVER w AS n, sum(size + 1) OVER w - 1 AS upto
  FROM feed WINDOW w AS (ORDER BY version ROWS UNBOUNDED PRECEDING)
), page AS (
  SELECT count(*)::int AS n, max(version) AS last, (SELECT count(*) FROM feed)::int AS fetched
  FROM cut WHERE n <= $4 AND (n = 1 OR upto <= $5)
)
SELECT page.n, page.last, page.fetched,
  CASE WHEN page.n > 0 THEN (
    SELECT string_agg(change, ',') FROM (
      SELECT change FROM entity WHERE ${FEED} AND version > $2 AND version <= page.last ORDER BY version
    ) AS rows
  ) END AS body,
  CASE WHEN page.fetched > page.n THEN
    (SELECT count(*)::int FROM entity WHERE ${FEED} AND version > (CASE WHEN $6::bigint IS NULL OR page.last > $6::bigint THEN page.last ELSE $6::bigint END))
  END AS counted,
  (SELECT version FROM station_feed WHERE station = $1) AS high
FROM page`,
  insertDevice: 'INSERT INTO device (id, name, station, token_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5)',
  byTokenHash: 'SELECT id, name, station, last_seq AS "lastSeq" FROM device WHERE token_hash = $1',
  allDevices: `SELECT id, name, station, enrolled_at AS "enrolledAt", last_seen_at AS "lastSeenAt", last_pull_at AS "lastPullAt",
                      app_version AS "appVersion", backlog, backlog_at AS "backlogAt" FROM device`,
  // Several processes flush telemetry: a time never moves backwards, the newest backlog report wins.
  telemetry: `UPDATE device SET
                last_seen_at = GREATEST(last_seen_at, $2), last_pull_at = GREATEST(last_pull_at, $3),
                app_version = coalesce($4, app_version),
                backlog = CASE WHEN $6::text IS NOT NULL AND (backlog_at IS NULL OR $6::text >= backlog_at) THEN $5 ELSE backlog END,
                backlog_at = GREATEST(backlog_at, $6)
              WHERE id = $1`,
  station: "SELECT station FROM entity WHERE kind = 'station' AND live LIMIT 1",
  anyEntity: 'SELECT EXISTS (SELECT 1 FROM entity) AS any',
} as const;

/** The URL without its password, for logs and the start banner. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    return u.toString().replace(/:@/, '@');
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** Runs a query on a pipelining client; resolves with its rows. */
function run<R extends QueryResultRow>(client: PoolClient, text: string, values?: readonly unknown[], name?: string): Promise<R[]> {
  return new Promise((resolve, reject) => {
    client.query<R>({ text, values: values as unknown[] | undefined, ...(name ? { name } : {}) }, (error, result) =>
      error ? reject(error) : resolve(result.rows),
    );
  });
}

export class PgStore implements Store {
  readonly kind = 'postgres' as const;
  readonly shared = true;
  readonly sql: SqlRunner = {
    all: async <T>(q: string, p: readonly unknown[] = []) =>
      (await this.pool.query({ text: numberedPlaceholders(q), values: [...p] })).rows as T[],
    run: async (q, p = []) => (await this.pool.query({ text: numberedPlaceholders(q), values: [...p] })).rowCount ?? 0,
  };
  private readonly generations = new Generations();
  /** The feed version of each station as this process's last transaction of it left it. */
  private readonly known = new Map<string, number>();

  readonly docs: PgFlightDocs;

  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
    readonly epoch: string,
  ) {
    this.docs = new PgFlightDocs(pool);
  }

  static async open({ url, reset = false, poolSize = 10 }: PgOpenOptions): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      pipeline: true,
      types,
      application_name: 'backstop-server',
      connectionTimeoutMillis: 10_000,
      // A process that hangs with a transaction open must not hold its station's lock for ever.
      idle_in_transaction_session_timeout: 60_000,
    });
    // An idle connection that breaks (a restart, a failover) is dropped by the pool; the next request reconnects.
    pool.on('error', () => {});
    try {
      const epoch = await migrate(pool, reset);
      return new PgStore(pool, redactUrl(url), epoch);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  write<T>(station: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction(station, false, fn) as Promise<T>;
  }

  async bulkLoad<T>(station: string, fn: (tx: Tx) => Promise<T>): Promise<T | null> {
    const result = await this.transaction(station, true, fn);
    if (result === NOT_EMPTY) return null;
    // Statistics for the planner (an empty table's would make it scan), and the visibility map, so the
    // feed's extent and the count of what remains are index-only scans from the first pull on.
    await this.pool.query('VACUUM (ANALYZE) entity');
    return result;
  }

  private async transaction<T>(station: string, bulk: boolean, fn: (tx: Tx) => Promise<T>): Promise<T | typeof NOT_EMPTY> {
    const client = await this.pool.connect();
    const tx = new PgTx(client, station, this.generations, bulk);
    let broken: Error | undefined;
    try {
      tx.exec('BEGIN');
      if (bulk) {
        // One seeding process at a time, and only into an empty database.
        tx.exec("SELECT pg_advisory_xact_lock(hashtext('backstop.seed.' || coalesce(current_schema(), '')))");
        const [state] = await tx.query<{ any: boolean }>(SQL.anyEntity);
        if (state?.any) {
          await run(client, 'ROLLBACK');
          return NOT_EMPTY;
        }
        // Indexes built once at the end (a sort each) instead of 300k b-tree inserts, with room to sort in memory.
        tx.exec(DROP_ENTITY_INDEXES);
        tx.exec(DROP_ENTITY_KEY);
        tx.exec("SET LOCAL maintenance_work_mem = '256MB'");
      }
      const start = await tx.lockFeed();
      // Another process wrote to this station since our last transaction of it: cached flights are stale.
      if (this.known.get(station) !== start) this.generations.touchAll();
      const result = await fn(tx);
      if (bulk) {
        tx.flushRows();
        tx.exec(ADD_ENTITY_KEY);
        tx.exec(ENTITY_INDEXES);
      }
      await tx.commit(start);
      this.known.set(station, tx.version);
      return result;
    } catch (error) {
      this.known.delete(station);
      try {
        await run(client, 'ROLLBACK');
      } catch (rollback) {
        broken = rollback instanceof Error ? rollback : new Error(String(rollback));
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private async rows<R extends QueryResultRow>(text: string, values: readonly unknown[] = [], name?: string): Promise<R[]> {
    const result = await this.pool.query<R>({ text, values: [...values], ...(name ? { name } : {}) });
    return result.rows;
  }

  async get<K extends EntityKind>(station: string, kind: K, id: string): Promise<EntityOf<K> | null> {
    const [row] = await this.rows<{ change: string }>(SQL.selectOne, [station, kind, id], 'select_one');
    return row ? dataOf<EntityOf<K>>(row.change) : null;
  }

  async all<K extends EntityKind>(station: string, kind: K): Promise<EntityOf<K>[]> {
    return (await this.rows<{ change: string }>(SQL.selectKind, [station, kind], 'select_kind')).map((r) => dataOf<EntityOf<K>>(r.change));
  }

  async passengersOf(flightId: string): Promise<Passenger[]> {
    return (await this.rows<{ change: string }>(SQL.selectFlightRows, [flightId], 'select_flight')).map((r) => dataOf<Passenger>(r.change));
  }

  async isEmpty(): Promise<boolean> {
    const [row] = await this.rows<{ any: boolean }>(SQL.anyEntity);
    return !row?.any;
  }

  async liveStation(): Promise<string | null> {
    const [row] = await this.rows<{ station: string }>(SQL.station);
    return row?.station ?? null;
  }

  async getMeta(key: string): Promise<string | null> {
    const [row] = await this.rows<{ value: string }>(SQL.getMeta, [key], 'get_meta');
    return row?.value ?? null;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.rows(SQL.setMeta, [key, value], 'set_meta');
  }

  leaseNeeds(deviceId: string, station: string): Promise<LeaseNeed[]> {
    return this.rows<LeaseNeed>(SQL.needs, [deviceId, station], 'lease_needs');
  }

  async lastSeq(deviceId: string): Promise<number> {
    const [row] = await this.rows<{ lastSeq: number }>(SQL.lastSeq, [deviceId], 'last_seq');
    return row?.lastSeq ?? 0;
  }

  async readPage({ station, deviceId, afterVersion, estimate, maxChanges, maxBytes }: PageRequest): Promise<Page> {
    const [row] = await this.rows<{
      n: number;
      last: number | null;
      fetched: number;
      body: string | null;
      counted: number | null;
      high: number | null;
    }>(SQL.page, [station, afterVersion, deviceId, maxChanges, maxBytes, estimate?.highWater ?? null], 'page');
    const count = row?.n ?? 0;
    const lastVersion = count > 0 ? (row?.last ?? afterVersion) : afterVersion;
    const changes = row?.body ? Buffer.from(row.body, 'utf8') : Buffer.alloc(0);
    const hasMore = (row?.fetched ?? 0) > count;
    const remaining = hasMore ? remainingPlan(estimate, lastVersion, count).plus + (row?.counted ?? 0) : 0;
    const highWater = row?.high ?? lastVersion;
    return { changes, count, bytes: changes.length, lastVersion, hasMore, remaining, estimate: hasMore ? { remaining, highWater } : null };
  }

  async hasChangesAfter(station: string, deviceId: string, afterVersion: number): Promise<boolean> {
    return (await this.rows(SQL.anyAfter, [station, afterVersion, deviceId], 'any_after')).length > 0;
  }

  async enrolDevice(r: { id: string; name: string; station: string; tokenHash: string; enrolledAt: string }): Promise<void> {
    await this.rows(SQL.insertDevice, [r.id, r.name, r.station, r.tokenHash, r.enrolledAt], 'insert_device');
  }

  async deviceByTokenHash(tokenHash: string): Promise<Device | null> {
    const [row] = await this.rows<Device>(SQL.byTokenHash, [tokenHash], 'device_by_token');
    return row ?? null;
  }

  devices(): Promise<DeviceRow[]> {
    return this.rows<DeviceRow>(SQL.allDevices);
  }

  async saveTelemetry(batch: readonly (readonly [string, Telemetry])[]): Promise<void> {
    if (batch.length === 0) return;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const done = [run(client, 'BEGIN')];
      for (const [id, t] of batch) {
        done.push(
          run(
            client,
            SQL.telemetry,
            [id, t.lastSeenAt ?? null, t.lastPullAt ?? null, t.appVersion ?? null, t.backlog ?? null, t.backlogAt ?? null],
            'telemetry',
          ),
        );
      }
      done.push(run(client, 'COMMIT'));
      const settled = await Promise.allSettled(done);
      const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) {
        await run(client, 'ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
        throw failed.reason;
      }
    } finally {
      client.release(broken);
    }
  }

  /**
   * Commits one tiny write to `meta` on a connection of the pool: the database is reachable, takes
   * writes (not a read-only replica, not out of disk) and a lock within `lockWaitMs`.
   */
  async probeWrite(nowIso: string, lockWaitMs: number): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`timed out after ${lockWaitMs + 2_000} ms`), lockWaitMs + 2_000);
    });
    const attempt = (async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        const done = [
          run(client, 'BEGIN'),
          run(client, `SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockWaitMs))}`),
          run(client, SQL.setMeta, ['ready_probe', nowIso], 'set_meta'),
        ];
        const settled = await Promise.allSettled(done);
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        if (failed) {
          await run(client, 'ROLLBACK').catch((e: unknown) => (broken = e instanceof Error ? e : new Error(String(e))));
          return describeError(failed.reason);
        }
        await run(client, 'COMMIT');
        return null;
      } finally {
        client.release(broken);
      }
    })().catch((error: unknown) => describeError(error));
    try {
      return await Promise.race([attempt, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

const NOT_EMPTY = Symbol('not empty');

/** Runs the migrations this database lacks, under a session advisory lock; returns the database's epoch. */
async function migrate(pool: pg.Pool, reset: boolean): Promise<string> {
  const client = await pool.connect();
  const lock = "hashtext('backstop.migrate.' || coalesce(current_schema(), ''))";
  try {
    await run(client, `SELECT pg_advisory_lock(${lock})`);
    try {
      if (reset) await run(client, `DROP TABLE IF EXISTS ${TABLES.join(', ')} CASCADE`);
      await run(
        client,
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const done = new Set((await run<{ version: number }>(client, 'SELECT version FROM schema_migrations')).map((r) => r.version));
      const known = Math.max(...MIGRATIONS.map((m) => m.version));
      const newest = Math.max(0, ...done);
      if (newest > known) {
        throw new Error(`The database has schema version ${newest}; this server knows up to ${known}. Run a newer server.`);
      }
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await run(client, 'BEGIN');
        try {
          await run(client, m.sql);
          await run(client, 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await run(client, 'COMMIT');
        } catch (error) {
          await run(client, 'ROLLBACK');
          throw error;
        }
      }
      // The epoch goes into every cursor, so a cursor from a database that has since been reset is
      // recognised instead of silently skipping everything below its version.
      await run(client, "INSERT INTO meta (key, value) VALUES ('epoch', $1), ('dcs', 'up') ON CONFLICT (key) DO NOTHING", [
        randomBytes(6).toString('hex'),
      ]);
      const [epoch] = await run<{ value: string }>(client, "SELECT value FROM meta WHERE key = 'epoch'");
      return epoch?.value ?? 'unknown';
    } finally {
      await run(client, `SELECT pg_advisory_unlock(${lock})`);
    }
  } finally {
    client.release();
  }
}

/**
 * One write transaction on one pipelining connection. Writes are sent at once and not waited for
 * (their failure is kept and thrown at the next read or at commit); reads wait, and see every write
 * sent before them.
 */
class PgTx implements Tx {
  version = 0;
  private failure: Error | null = null;
  private last: Promise<void> = Promise.resolve();
  /** Bulk inserts sent and not yet done. */
  private readonly inFlight: Promise<void>[] = [];
  private readonly rows: unknown[] = [];
  private bulkCount = 0;
  /** Reads wait for the writes sent before them; writes go down the pipeline (rows changed: -1). */
  readonly sql: SqlRunner = {
    all: <T>(q: string, p: readonly unknown[] = []) => this.query(numberedPlaceholders(q), p) as Promise<T[]>,
    run: (q, p = []) => {
      this.exec(numberedPlaceholders(q), p);
      return Promise.resolve(-1);
    },
  };

  constructor(
    private readonly client: PoolClient,
    readonly station: string,
    private readonly generations: Generations,
    private readonly bulk: boolean,
  ) {}

  exec(text: string, values?: readonly unknown[], name?: string): void {
    this.last = new Promise<void>((resolve) => {
      this.client.query({ text, values: values as unknown[] | undefined, ...(name ? { name } : {}) }, (error) => {
        if (error) this.failure ??= error;
        resolve();
      });
    });
  }

  async query<R extends QueryResultRow>(text: string, values?: readonly unknown[], name?: string): Promise<R[]> {
    this.flushRows();
    try {
      const rows = await run<R>(this.client, text, values, name);
      if (this.failure) throw this.failure;
      return rows;
    } catch (error) {
      throw this.failure ?? (error instanceof Error ? error : new Error(String(error)));
    }
  }

  async lockFeed(): Promise<number> {
    let [row] = await this.query<{ version: number }>(SQL.lockFeed, [this.station], 'lock_feed');
    if (!row) {
      this.exec(SQL.createFeed, [this.station], 'create_feed');
      [row] = await this.query<{ version: number }>(SQL.lockFeed, [this.station], 'lock_feed');
    }
    if (!row) throw new Error(`No feed clock for station ${this.station}`);
    this.version = row.version;
    return row.version;
  }

  async commit(start: number): Promise<void> {
    this.flushRows();
    if (this.version !== start) this.exec(SQL.saveFeed, [this.station, this.version], 'save_feed');
    // COMMIT in a failed transaction answers ROLLBACK, not an error: check what happened before it.
    const rows = await this.query('COMMIT');
    void rows;
    if (this.failure) throw this.failure;
  }

  async flush(): Promise<void> {
    this.flushRows();
    while (this.inFlight.length > 2) await this.inFlight.shift();
    if (this.failure) throw this.failure;
  }

  private save(row: EntityRow): number {
    if (row.station !== this.station) throw new Error(`A transaction of ${this.station} cannot write to ${row.station}'s feed.`);
    const values = [row.station, row.version, row.kind, row.id, row.flightId, row.deviceId, row.live, row.size, row.change];
    if (!this.bulk) {
      this.exec(SQL.upsert, values, 'entity_upsert');
      return row.version;
    }
    this.rows.push(...values);
    if (++this.bulkCount >= BULK_ROWS) this.flushRows();
    return row.version;
  }

  /** Bulk load: the gathered rows as one multi-row INSERT. */
  flushRows(): void {
    if (this.bulkCount === 0) return;
    const tuples: string[] = [];
    for (let r = 0; r < this.bulkCount; r++) {
      const b = r * 9;
      tuples.push(`($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9})`);
    }
    this.exec(
      `INSERT INTO entity (station, version, kind, id, flight_id, device_id, live, size, change) VALUES ${tuples.join(',')}`,
      this.rows.splice(0),
    );
    this.inFlight.push(this.last);
    this.bulkCount = 0;
  }

  private async changes(text: string, values: readonly unknown[], name: string): Promise<string[]> {
    return (await this.query<{ change: string }>(text, values, name)).map((r) => r.change);
  }

  async get<K extends EntityKind>(station: string, kind: K, id: string): Promise<EntityOf<K> | null> {
    const [change] = await this.changes(SQL.selectOne, [station, kind, id], 'select_one');
    return change === undefined ? null : dataOf<EntityOf<K>>(change);
  }

  async all<K extends EntityKind>(station: string, kind: K): Promise<EntityOf<K>[]> {
    return (await this.changes(SQL.selectKind, [station, kind], 'select_kind')).map((c) => dataOf<EntityOf<K>>(c));
  }

  async passengersOf(flightId: string): Promise<Passenger[]> {
    return (await this.changes(SQL.selectFlightRows, [flightId], 'select_flight')).map((c) => dataOf<Passenger>(c));
  }

  put<K extends EntityKind>(kind: K, station: string, data: EntityOf<K>, links?: Links): number {
    const row = putRow(++this.version, kind, station, data, links);
    this.generations.touch(flightOfWrite(kind, row.id, links));
    return this.save(row);
  }

  remove(kind: EntityKind, station: string, id: string, links?: Links): number {
    this.generations.touch(flightOfWrite(kind, id, links));
    return this.save(removeRow(++this.version, kind, station, id, links));
  }

  putFlight(flight: EntityOf<'flight'>, firstFreeSeq = 1): number {
    this.exec(SQL.upsertFlightSeq, [flight.id, flight.origin, firstFreeSeq, flight.status === 'scheduled'], 'flight_seq_upsert');
    return this.put('flight', flight.origin, flight);
  }

  generation(flightId: string): string {
    return this.generations.of(flightId);
  }

  async nested<T>(fn: () => Promise<T>): Promise<T> {
    this.exec('SAVEPOINT mutation');
    const result = await fn();
    this.exec('RELEASE SAVEPOINT mutation');
    return result;
  }

  async getMeta(key: string): Promise<string | null> {
    const [row] = await this.query<{ value: string }>(SQL.getMeta, [key], 'get_meta');
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.exec(SQL.setMeta, [key, value], 'set_meta');
  }

  async mutationState(deviceId: string, mutationId: string): Promise<MutationState> {
    const [row] = await this.query<{
      lastSeq: number | null;
      result: string | null;
      status: MutationResult['status'] | null;
      code: string | null;
      earlier: string | null;
    }>(SQL.mutationState, [deviceId, mutationId], 'mutation_state');
    const stored = row?.result && row.status ? { result: row.result, status: row.status, code: row.code } : null;
    return { stored, lastSeq: row?.lastSeq ?? 0, earlier: stored ? stored.result : (row?.earlier ?? null) };
  }

  logResult(r: Parameters<Tx['logResult']>[0]): void {
    this.exec(
      SQL.logResult,
      [r.deviceId, r.id, r.seq, r.type, r.staffId, r.status, r.code, r.mutation, r.result, r.processedAt],
      'log_result',
    );
    this.exec(SQL.advance, [r.deviceId, r.seq], 'advance');
  }

  logPrint(r: Parameters<Tx['logPrint']>[0]): void {
    this.exec(
      SQL.logPrint,
      [
        r.printJobId,
        r.deviceId,
        r.mutationId,
        r.staffId,
        r.document,
        r.flightId,
        r.passengerId,
        r.copies,
        r.destination,
        r.reprint,
        r.printedAt,
      ],
      'log_print',
    );
  }

  leaseNeeds(deviceId: string, station: string): Promise<LeaseNeed[]> {
    return this.query<LeaseNeed>(SQL.needs, [deviceId, station], 'lease_needs');
  }

  async awaitingCheckIn(flightId: string): Promise<number> {
    const [row] = await this.query<{ n: number }>(SQL.awaiting, [flightId], 'awaiting');
    return row?.n ?? 0;
  }

  async lockCounter(flightId: string): Promise<SeqCounter | null> {
    const [row] = await this.query<SeqCounter>(SQL.counter, [flightId], 'lock_counter');
    return row ?? null;
  }

  setNextSeq(flightId: string, next: number): void {
    this.exec(SQL.setNextSeq, [flightId, next], 'set_next_seq');
  }

  setNextEmergency(flightId: string, next: number): void {
    this.exec(SQL.setNextEmergency, [flightId, next], 'set_next_emergency');
  }

  insertLease(l: Parameters<Tx['insertLease']>[0]): void {
    this.exec(SQL.insertLease, [l.id, l.deviceId, l.flightId, l.from, l.to, l.grantedAt, l.emergency], 'insert_lease');
  }

  markLeaseUsed(deviceId: string, flightId: string, seqNo: number): void {
    this.exec(SQL.use, [deviceId, flightId, seqNo], 'lease_use');
  }

  recordLeaseUse(deviceId: string, leaseId: string, next: number): void {
    this.exec(SQL.spent, [deviceId, leaseId, next], 'lease_spent');
  }

  leasesOnFlight(flightId: string): Promise<{ id: string; station: string; deviceId: string }[]> {
    return this.query(SQL.onFlight, [flightId], 'leases_on_flight');
  }

  dropLeases(flightId: string): void {
    this.exec(SQL.dropFlight, [flightId], 'drop_leases');
  }

  leasesOfDevice(deviceId: string): Promise<{ id: string; flightId: string; from: number; to: number; station: string }[]> {
    return this.query(SQL.ofDevice, [deviceId], 'leases_of_device');
  }

  reassignLeases(fromDeviceId: string, toDeviceId: string): void {
    this.exec(SQL.reassign, [fromDeviceId, toDeviceId], 'reassign_leases');
  }

  async ledgerBase(flightId: string): Promise<string | null> {
    const [row] = await this.query<{ view: string }>(SQL.selectBase, [flightId], 'ledger_base');
    return row?.view ?? null;
  }

  saveLedgerBase(flightId: string, station: string, view: string): void {
    this.exec(SQL.upsertBase, [flightId, station, view], 'save_ledger_base');
  }

  ledgerFacts(flightId: string): Promise<{ origin: string; mutation: string }[]> {
    return this.query(SQL.selectFacts, [flightId], 'ledger_facts');
  }

  addLedgerFact(flightId: string, mutationId: string, origin: string, mutation: string): void {
    this.exec(SQL.insertFact, [flightId, mutationId, origin, mutation], 'add_ledger_fact');
  }

  removeLedgerFact(flightId: string, mutationId: string): void {
    this.exec(SQL.deleteFact, [flightId, mutationId], 'remove_ledger_fact');
  }
}

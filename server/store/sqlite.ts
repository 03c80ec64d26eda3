/**
 * The SQLite store (better-sqlite3 or node:sqlite, see server/db/driver.ts; WAL, one file): the embedded default for a demo, a station relay
 * and the tests. One connection and one writer: write transactions are strictly serial, so versions
 * (the rowid, one counter for the file) are in commit order. better-sqlite3 is synchronous; the
 * interface is async, so a mutex keeps one caller's open transaction from being interleaved with
 * another's statements on the same connection (reads outside a transaction wait for it too, or they
 * could see — and page past — versions that are then rolled back). Without contention every call
 * runs at once, synchronously underneath.
 */
import type { Passenger } from '../../shared/domain/schemas';
import type { EntityKind, EntityOf, MutationResult } from '../../shared/protocol/v1';
import { DROP_ENTITY_INDEXES, ENTITY_INDEXES, dbPath, getMeta, openDatabase, setMeta, type Db } from '../db/database';
import type { SqliteDriver, Statement } from '../db/driver';
import { dataOf, flightOfWrite, Generations, putRow, removeRow, type EntityRow } from '../db/entities';
import { migrateDeviceTelemetry } from '../db/telemetry';
import { MAX_REGULAR_SEQ, LEASE_POLICY } from '../sync/lease-policy';
import { remainingPlan } from '../sync/pull';
import type { SqlRunner } from './sql-runner';
import { SqliteFlightDocs } from './flight-docs-sqlite';
import {
  Mutex,
  type Device,
  type DeviceRow,
  type LeaseNeed,
  type Page,
  type PageRequest,
  type SeqCounter,
  type Store,
  type Telemetry,
  type Tx,
} from './store';

type EntityParams = [
  version: number,
  station: string,
  kind: string,
  id: string,
  flightId: string | null,
  deviceId: string | null,
  live: 0 | 1,
  size: number,
  change: string,
];

type Feed = { station: string; device: string; after: number };

interface Extent {
  n: number;
  last: number | null;
  bytes: number | null;
}

const params = (r: EntityRow): EntityParams => [
  r.version,
  r.station,
  r.kind,
  r.id,
  r.flightId,
  r.deviceId,
  r.live ? 1 : 0,
  r.size,
  r.change,
];

export interface SqliteOpenOptions {
  dataDir: string;
  /** Delete an existing database first. */
  reset?: boolean;
  driver?: SqliteDriver;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly shared = false;
  readonly location: string;
  readonly epoch: string;
  private readonly mutex = new Mutex();
  private readonly generations = new Generations();
  /** The highest version handed out, while a write transaction is open. */
  private version = 0;
  private bulk = false;
  private readonly s: ReturnType<typeof prepare>;
  private readonly tx: Tx;
  private readonly statements = new Map<string, Statement<unknown[]>>();
  readonly sql: SqlRunner;
  readonly docs: SqliteFlightDocs;

  constructor(readonly db: Db) {
    migrateDeviceTelemetry(db);
    this.location = db.name;
    this.epoch = getMeta(db, 'epoch') ?? 'unknown';
    this.s = prepare(db);
    this.docs = new SqliteFlightDocs(db, (fn) => this.read(fn));
    this.tx = this.transaction();
    this.sql = {
      all: (q, p = []) => this.read(() => this.statement(q).all(...p) as never[]),
      run: (q, p = []) => this.read(() => this.statement(q).run(...p).changes),
    };
  }

  /** A prepared statement for the SqlRunner, made once per text. */
  private statement(sql: string): Statement<unknown[]> {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  static open({ dataDir, reset = false, driver }: SqliteOpenOptions): SqliteStore {
    return new SqliteStore(openDatabase({ dataDir, reset, ...(driver ? { driver } : {}) }));
  }

  static fileIn(dataDir: string): string {
    return dbPath(dataDir);
  }

  /** Runs a synchronous read now, or after the open transaction when there is one. */
  private read<T>(fn: () => T): Promise<T> {
    return this.mutex.busy ? this.mutex.run(fn) : Promise.resolve(fn());
  }

  write<T>(_station: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        this.version = this.s.maxVersion.get()?.v ?? 0;
        const result = await fn(this.tx);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /**
   * Plain inserts without secondary indexes, which are built once at the end (sorting once is several
   * times faster than 300k b-tree inserts); a rollback journal writes the data once (WAL would write
   * it twice, log then checkpoint), and a big page cache keeps SQLite from spilling dirty pages
   * mid-transaction. All back to normal afterwards; a crash mid-load rolls back to empty.
   */
  async bulkLoad<T>(station: string, fn: (tx: Tx) => Promise<T>): Promise<T | null> {
    if (!(await this.isEmpty())) return null;
    const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma('journal_mode = DELETE');
    this.db.pragma('cache_size = -262144');
    try {
      return await this.write(station, async (tx) => {
        this.db.exec(DROP_ENTITY_INDEXES);
        this.bulk = true;
        try {
          return await fn(tx);
        } finally {
          this.bulk = false;
          this.db.exec(ENTITY_INDEXES);
        }
      });
    } finally {
      this.db.pragma(`cache_size = ${cacheSize}`);
      this.db.pragma('journal_mode = WAL');
    }
  }

  private save(row: EntityRow): number {
    (this.bulk ? this.s.insert : this.s.upsert).run(...params(row));
    return row.version;
  }

  private transaction(): Tx {
    const s = this.s;
    const tx: Tx = {
      station: '',
      sql: {
        all: (q, p = []) => Promise.resolve(this.statement(q).all(...p) as never[]),
        run: (q, p = []) => Promise.resolve(this.statement(q).run(...p).changes),
      },
      get: (station, kind, id) => Promise.resolve(this.getNow(station, kind, id)),
      all: (station, kind) => Promise.resolve(this.allNow(station, kind)),
      passengersOf: (flightId) => Promise.resolve(this.passengersNow(flightId)),
      put: (kind, station, data, links) => {
        const row = putRow(++this.version, kind, station, data, links);
        this.generations.touch(flightOfWrite(kind, row.id, links));
        return this.save(row);
      },
      remove: (kind, station, id, links) => {
        this.generations.touch(flightOfWrite(kind, id, links));
        return this.save(removeRow(++this.version, kind, station, id, links));
      },
      putFlight: (flight, firstFreeSeq = 1) => {
        s.upsertFlightSeq.run(flight.id, flight.origin, firstFreeSeq, flight.status === 'scheduled' ? 1 : 0);
        return tx.put('flight', flight.origin, flight);
      },
      generation: (flightId) => this.generations.of(flightId),
      flush: () => Promise.resolve(),
      nested: async (fn) => {
        this.db.exec('SAVEPOINT mutation');
        try {
          const result = await fn();
          this.db.exec('RELEASE mutation');
          return result;
        } catch (error) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK TO mutation; RELEASE mutation');
          throw error;
        }
      },
      getMeta: (key) => Promise.resolve(getMeta(this.db, key)),
      setMeta: (key, value) => setMeta(this.db, key, value),
      mutationState: (deviceId, mutationId) => {
        const stored = s.stored.get(deviceId, mutationId) ?? null;
        return Promise.resolve({
          stored,
          lastSeq: s.lastSeq.get(deviceId)?.last_seq ?? 0,
          earlier: stored ? stored.result : (s.storedAnywhere.get(mutationId)?.result ?? null),
        });
      },
      logResult: (r) => {
        s.logResult.run(r.deviceId, r.id, r.seq, r.type, r.staffId, r.status, r.code, r.mutation, r.result, r.processedAt);
        s.advance.run(r.seq, r.deviceId);
      },
      logPrint: (r) =>
        void s.logPrint.run(
          r.printJobId,
          r.deviceId,
          r.mutationId,
          r.staffId,
          r.document,
          r.flightId,
          r.passengerId,
          r.copies,
          r.destination,
          r.reprint ? 1 : 0,
          r.printedAt,
        ),
      leaseNeeds: (deviceId, station) => Promise.resolve(this.needsNow(deviceId, station)),
      awaitingCheckIn: (flightId) => Promise.resolve(s.awaiting.get(flightId)?.n ?? 0),
      lockCounter: (flightId) => Promise.resolve<SeqCounter | null>(s.counter.get(flightId) ?? null),
      setNextSeq: (flightId, next) => void s.setNextSeq.run(next, flightId),
      setNextEmergency: (flightId, next) => void s.setNextEmergency.run(next, flightId),
      insertLease: (l) => void s.insertLease.run(l.id, l.deviceId, l.flightId, l.from, l.to, l.grantedAt, l.emergency ? 1 : 0),
      markLeaseUsed: (deviceId, flightId, seqNo) => void s.use.run(deviceId, flightId, seqNo),
      recordLeaseUse: (deviceId, leaseId, next) => void s.spent.run(next, leaseId, deviceId),
      leasesOnFlight: (flightId) => Promise.resolve(s.onFlight.all(flightId)),
      dropLeases: (flightId) => void s.dropFlight.run(flightId),
      leasesOfDevice: (deviceId) => Promise.resolve(s.ofDevice.all(deviceId)),
      reassignLeases: (from, to) => void s.reassign.run(to, from),
      ledgerBase: (flightId) => Promise.resolve(s.selectBase.get(flightId)?.view ?? null),
      saveLedgerBase: (flightId, station, view) => void s.upsertBase.run(flightId, station, view),
      ledgerFacts: (flightId) => Promise.resolve(s.selectFacts.all(flightId)),
      addLedgerFact: (flightId, mutationId, origin, mutation) => void s.insertFact.run(flightId, mutationId, origin, mutation),
      removeLedgerFact: (flightId, mutationId) => void s.deleteFact.run(flightId, mutationId),
    };
    return tx;
  }

  private getNow<K extends EntityKind>(station: string, kind: K, id: string): EntityOf<K> | null {
    const row = this.s.selectOne.get(station, kind, id);
    return row ? dataOf<EntityOf<K>>(row.change) : null;
  }

  private allNow<K extends EntityKind>(station: string, kind: K): EntityOf<K>[] {
    return this.s.selectKind.all(station, kind).map((r) => dataOf<EntityOf<K>>(r.change));
  }

  private passengersNow(flightId: string): Passenger[] {
    return this.s.selectFlightRows.all(flightId, 'passenger').map((r) => dataOf<Passenger>(r.change));
  }

  private needsNow(deviceId: string, station: string): LeaseNeed[] {
    return this.s.needs.all({ device: deviceId, station }).map((n) => ({ ...n, hasEmergency: n.hasEmergency === 1 }));
  }

  get<K extends EntityKind>(station: string, kind: K, id: string): Promise<EntityOf<K> | null> {
    return this.read(() => this.getNow(station, kind, id));
  }

  all<K extends EntityKind>(station: string, kind: K): Promise<EntityOf<K>[]> {
    return this.read(() => this.allNow(station, kind));
  }

  passengersOf(flightId: string): Promise<Passenger[]> {
    return this.read(() => this.passengersNow(flightId));
  }

  isEmpty(): Promise<boolean> {
    return this.read(() => (this.s.maxVersion.get()?.v ?? 0) === 0);
  }

  liveStation(): Promise<string | null> {
    return this.read(() => this.s.station.get()?.station ?? null);
  }

  getMeta(key: string): Promise<string | null> {
    return this.read(() => getMeta(this.db, key));
  }

  setMeta(key: string, value: string): Promise<void> {
    return this.read(() => setMeta(this.db, key, value));
  }

  leaseNeeds(deviceId: string, station: string): Promise<LeaseNeed[]> {
    return this.read(() => this.needsNow(deviceId, station));
  }

  lastSeq(deviceId: string): Promise<number> {
    return this.read(() => this.s.lastSeq.get(deviceId)?.last_seq ?? 0);
  }

  readPage(request: PageRequest): Promise<Page> {
    return this.read(() => this.pageNow(request));
  }

  hasChangesAfter(station: string, deviceId: string, afterVersion: number): Promise<boolean> {
    return this.read(() => this.s.anyAfter.get({ station, device: deviceId, after: afterVersion }) !== undefined);
  }

  private pageNow({ station, deviceId, afterVersion, estimate, maxChanges, maxBytes }: PageRequest): Page {
    const s = this.s;
    const at: Feed = { station, device: deviceId, after: afterVersion };
    const { count, lastVersion } = this.cut(at, maxChanges, maxBytes);
    const changes = count > 0 ? (s.body.get({ ...at, last: lastVersion })?.body ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const hasMore = s.anyAfter.get({ ...at, after: lastVersion }) !== undefined;
    let remaining = 0;
    if (hasMore) {
      const plan = remainingPlan(estimate, lastVersion, count);
      remaining = plan.plus + (s.countAfter.get({ ...at, after: plan.countAfter })?.n ?? 0);
    }
    const highWater = s.maxVersion.get()?.v ?? 0;
    return { changes, count, bytes: changes.length, lastVersion, hasMore, remaining, estimate: hasMore ? { remaining, highWater } : null };
  }

  /** How many changes fit in the page under both limits, read from the covering index only. */
  private cut(at: Feed, maxChanges: number, maxBytes: number): { count: number; lastVersion: number } {
    const all = this.s.extent.get({ ...at, limit: maxChanges });
    if (!all || all.n === 0) return { count: 0, lastVersion: at.after };
    if ((all.bytes ?? 0) <= maxBytes) return { count: all.n, lastVersion: all.last ?? at.after };
    // Over the byte budget: walk the sizes to the cut. Always at least one change, or an entity
    // larger than maxBytes would stall the feed.
    let bytes = -1;
    let count = 0;
    let lastVersion = at.after;
    for (const [version, size] of this.s.sizes.iterate({ ...at, limit: maxChanges })) {
      if (count > 0 && bytes + size + 1 > maxBytes) break;
      bytes += size + 1;
      count++;
      lastVersion = version;
    }
    return { count, lastVersion };
  }

  enrolDevice(r: { id: string; name: string; station: string; tokenHash: string; enrolledAt: string }): Promise<void> {
    return this.read(() => void this.s.insertDevice.run(r.id, r.name, r.station, r.tokenHash, r.enrolledAt));
  }

  deviceByTokenHash(tokenHash: string): Promise<Device | null> {
    return this.read(() => this.s.byTokenHash.get(tokenHash) ?? null);
  }

  devices(): Promise<DeviceRow[]> {
    return this.read(() => this.s.allDevices.all());
  }

  saveTelemetry(batch: readonly (readonly [string, Telemetry])[]): Promise<void> {
    return this.mutex.run(() =>
      this.db.transaction(() => {
        for (const [id, t] of batch) {
          this.s.updateTelemetry.run(
            t.lastSeenAt ?? null,
            t.lastPullAt ?? null,
            t.appVersion ?? null,
            t.backlog ?? null,
            t.backlogAt ?? null,
            id,
          );
        }
      })(),
    );
  }

  /**
   * Commits one tiny write (the probe's own time in `meta`): the file is writable, the disk not full,
   * the lock obtainable within `lockWaitMs` (another process's write transaction, a backup).
   */
  probeWrite(nowIso: string, lockWaitMs: number): Promise<string | null> {
    return this.read(() => {
      const previous = Number(this.db.pragma('busy_timeout', { simple: true }));
      this.db.pragma(`busy_timeout = ${lockWaitMs}`);
      try {
        this.db.transaction(() => this.s.probe.run(nowIso))();
        return null;
      } catch (error) {
        return describeError(error);
      } finally {
        this.db.pragma(`busy_timeout = ${previous}`);
      }
    });
  }

  close(): Promise<void> {
    return this.mutex.run(() => void this.db.close());
  }
}

export function describeError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return `${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`;
}

function prepare(db: Db) {
  const feed = 'station = @station AND version > @after AND (device_id IS NULL OR device_id = @device)';
  return {
    upsert: db.prepare<EntityParams>(
      `INSERT INTO entity (version, station, kind, id, flight_id, device_id, live, size, change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (station, kind, id) DO UPDATE SET
         version = excluded.version, flight_id = excluded.flight_id, device_id = excluded.device_id,
         live = excluded.live, size = excluded.size, change = excluded.change`,
    ),
    insert: db.prepare<EntityParams>(
      'INSERT INTO entity (version, station, kind, id, flight_id, device_id, live, size, change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    maxVersion: db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM entity'),
    station: db.prepare<[], { station: string }>("SELECT station FROM entity WHERE kind = 'station' AND live = 1 LIMIT 1"),
    upsertFlightSeq: db.prepare<[string, string, number, number]>(
      `INSERT INTO flight_seq (flight_id, station, next_seq, open) VALUES (?, ?, ?, ?)
       ON CONFLICT (flight_id) DO UPDATE SET open = excluded.open, next_seq = max(next_seq, excluded.next_seq)`,
    ),
    selectOne: db.prepare<[string, string, string], { change: string }>(
      'SELECT change FROM entity WHERE station = ? AND kind = ? AND id = ? AND live = 1',
    ),
    selectFlightRows: db.prepare<[string, string], { change: string }>(
      'SELECT change FROM entity WHERE flight_id = ? AND kind = ? AND live = 1',
    ),
    selectKind: db.prepare<[string, string], { change: string }>('SELECT change FROM entity WHERE station = ? AND kind = ? AND live = 1'),

    // Push
    stored: db.prepare<[string, string], { result: string; status: MutationResult['status']; code: string | null }>(
      'SELECT result, status, code FROM mutation_log WHERE device_id = ? AND id = ?',
    ),
    storedAnywhere: db.prepare<[string], { result: string }>('SELECT result FROM mutation_log WHERE id = ? LIMIT 1'),
    lastSeq: db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM device WHERE id = ?'),
    logResult: db.prepare<[string, string, number, string, string, string, string | null, string, string, string]>(
      `INSERT INTO mutation_log (device_id, id, seq, type, staff_id, status, code, mutation, result, processed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    advance: db.prepare<[number, string]>('UPDATE device SET last_seq = ? WHERE id = ?'),
    logPrint: db.prepare<[string, string, string, string, string, string | null, string | null, number, string, number, string]>(
      `INSERT INTO print_log (print_job_id, device_id, mutation_id, staff_id, document, flight_id, passenger_id, copies, destination, reprint, printed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (print_job_id) DO NOTHING`,
    ),

    // Leases
    needs: db.prepare<[{ device: string; station: string }], Omit<LeaseNeed, 'hasEmergency'> & { hasEmergency: number }>(
      `SELECT flightId, free, block, hasEmergency FROM (
         SELECT f.flight_id AS flightId, f.next_seq AS nextSeq,
                coalesce((SELECT sum(l.seq_to - l.seq_from + 1 - l.used) FROM lease l
                          WHERE l.device_id = @device AND l.flight_id = f.flight_id AND l.emergency = 0), 0) AS free,
                coalesce((SELECT max(l.seq_to - l.seq_from + 1) FROM lease l
                          WHERE l.device_id = @device AND l.flight_id = f.flight_id AND l.emergency = 0), 0) AS block,
                EXISTS (SELECT 1 FROM lease l WHERE l.device_id = @device AND l.flight_id = f.flight_id AND l.emergency = 1) AS hasEmergency
         FROM flight_seq f
         WHERE f.station = @station AND f.open = 1)
       WHERE (nextSeq <= ${MAX_REGULAR_SEQ} AND (free < ${LEASE_POLICY.minFree} OR free < block * ${LEASE_POLICY.lowShare}))
          OR hasEmergency = 0`,
    ),
    awaiting: db.prepare<[string], { n: number }>(
      `SELECT count(*) AS n FROM entity WHERE flight_id = ? AND kind = 'passenger' AND live = 1 AND change LIKE '%"status":"booked"%'`,
    ),
    counter: db.prepare<[string], SeqCounter>(
      'SELECT station, next_seq AS nextSeq, next_emergency AS nextEmergency FROM flight_seq WHERE flight_id = ?',
    ),
    setNextSeq: db.prepare<[number, string]>('UPDATE flight_seq SET next_seq = ? WHERE flight_id = ?'),
    setNextEmergency: db.prepare<[number, string]>('UPDATE flight_seq SET next_emergency = ? WHERE flight_id = ?'),
    insertLease: db.prepare<[string, string, string, number, number, string, 0 | 1]>(
      'INSERT INTO lease (id, device_id, flight_id, seq_from, seq_to, granted_at, emergency) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    use: db.prepare<[string, string, number]>(
      'UPDATE lease SET used = used + 1 WHERE device_id = ? AND flight_id = ? AND ? BETWEEN seq_from AND seq_to',
    ),
    spent: db.prepare<[number, string, string]>(
      'UPDATE lease SET used = min(seq_to - seq_from + 1, max(used, ? - seq_from)) WHERE id = ? AND device_id = ?',
    ),
    onFlight: db.prepare<[string], { id: string; station: string; deviceId: string }>(
      'SELECT l.id, f.station, l.device_id AS deviceId FROM lease l JOIN flight_seq f ON f.flight_id = l.flight_id WHERE l.flight_id = ?',
    ),
    dropFlight: db.prepare<[string]>('DELETE FROM lease WHERE flight_id = ?'),
    ofDevice: db.prepare<[string], { id: string; flightId: string; from: number; to: number; station: string }>(
      'SELECT l.id, l.flight_id AS flightId, l.seq_from AS "from", l.seq_to AS "to", f.station FROM lease l JOIN flight_seq f ON f.flight_id = l.flight_id WHERE l.device_id = ?',
    ),
    reassign: db.prepare<[string, string]>('UPDATE lease SET device_id = ? WHERE device_id = ?'),

    // Ledgers
    selectBase: db.prepare<[string], { view: string }>('SELECT view FROM ledger_base WHERE flight_id = ?'),
    upsertBase: db.prepare<[string, string, string]>(
      'INSERT INTO ledger_base (flight_id, station, view) VALUES (?, ?, ?) ON CONFLICT (flight_id) DO UPDATE SET view = excluded.view',
    ),
    selectFacts: db.prepare<[string], { origin: string; mutation: string }>('SELECT origin, mutation FROM ledger_fact WHERE flight_id = ?'),
    insertFact: db.prepare<[string, string, string, string]>(
      'INSERT INTO ledger_fact (flight_id, mutation_id, origin, mutation) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    deleteFact: db.prepare<[string, string]>('DELETE FROM ledger_fact WHERE flight_id = ? AND mutation_id = ?'),

    // Pull. Leases of other workstations share the station's feed and are skipped in the index; they are few.
    extent: db.prepare<[Feed & { limit: number }], Extent>(
      `SELECT count(*) AS n, max(version) AS last, sum(size) + count(*) - 1 AS bytes
       FROM (SELECT version, size FROM entity WHERE ${feed} ORDER BY version LIMIT @limit)`,
    ),
    sizes: db
      .prepare<[Feed & { limit: number }], [number, number]>(`SELECT version, size FROM entity WHERE ${feed} ORDER BY version LIMIT @limit`)
      .raw(true),
    anyAfter: db.prepare<[Feed], { one: number }>(`SELECT 1 AS one FROM entity WHERE ${feed} LIMIT 1`),
    // The rows arrive in version order from the (station, version) index and group_concat keeps
    // arrival order; "group_concat(… ORDER BY version)" would say so outright but sorts again in a
    // temporary b-tree, which costs more than the rest of the page. pull.test.ts checks the order.
    body: db.prepare<[Feed & { last: number }], { body: Buffer | null }>(
      `SELECT CAST(group_concat(change, ',') AS BLOB) AS body
       FROM (SELECT change FROM entity WHERE ${feed} AND version <= @last ORDER BY version)`,
    ),
    countAfter: db.prepare<[Feed], { n: number }>(`SELECT count(*) AS n FROM entity WHERE ${feed}`),

    // Devices and telemetry
    insertDevice: db.prepare<[string, string, string, string, string]>(
      'INSERT INTO device (id, name, station, token_hash, enrolled_at) VALUES (?, ?, ?, ?, ?)',
    ),
    byTokenHash: db.prepare<[string], Device>('SELECT id, name, station, last_seq AS lastSeq FROM device WHERE token_hash = ?'),
    allDevices: db.prepare<[], DeviceRow>(
      `SELECT id, name, station, enrolled_at AS enrolledAt, last_seen_at AS lastSeenAt, last_pull_at AS lastPullAt,
              app_version AS appVersion, backlog, backlog_at AS backlogAt
       FROM device`,
    ),
    updateTelemetry: db.prepare<[string | null, string | null, string | null, number | null, string | null, string]>(
      `UPDATE device SET last_seen_at = coalesce(?, last_seen_at), last_pull_at = coalesce(?, last_pull_at),
              app_version = coalesce(?, app_version), backlog = coalesce(?, backlog), backlog_at = coalesce(?, backlog_at)
       WHERE id = ?`,
    ),
    probe: db.prepare<[string]>(
      "INSERT INTO meta (key, value) VALUES ('ready_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ),
  };
}

/**
 * Test helpers: a real server on loopback over a real database — a SQLite file in a temp dir, or, when
 * BACKSTOP_TEST_DATABASE_URL names a PostgreSQL cluster (`postgres://user@127.0.0.1:5432/db`), a fresh
 * schema of that database per test server, dropped on cleanup — and a small workstation client that
 * speaks protocol v1 and parses every answer with the shared schemas.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Mutation, MutationArgs, MutationType } from '../../shared/domain/mutations';
import { holdsSeat } from '../../shared/domain/rules';
import type { Flight, Passenger, SeatMap, SeqLease } from '../../shared/domain/schemas';
import { seatsOf } from '../../shared/domain/seatmap';
import {
  EnrolResponse,
  ErrorBody,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  PullResponse,
  PushResponse,
  StaffSession,
  type Change,
} from '../../shared/protocol/v1';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app';
import { dbPath } from '../../server/db/database';
import { openSqlite } from '../../server/db/driver';

/** A Thursday, 10:00 in London: the demo window then holds departed, boarding and future flights. */
/** A check-in as the harness builds it, with its args typed (tests read seqNo back). */
export type CheckInMutation = Extract<Mutation, { type: 'passenger.checkIn' }>;

export const TEST_NOW = new Date('2026-11-26T10:00:00.000Z');
/** At least 32 characters, as the backend requires of an admin token. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** The PostgreSQL database the server tests run against, or null: SQLite (the default). */
export const TEST_DATABASE_URL: string | null = process.env.BACKSTOP_TEST_DATABASE_URL || null;
export const TEST_STORE: 'sqlite' | 'postgres' = TEST_DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestServer extends RunningServer {
  /** The PostgreSQL URL (with its schema) the server uses; null on SQLite. */
  databaseUrl: string | null;
  cleanup(): Promise<void>;
}

export function tempDir(prefix = 'backstop-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Where a test server keeps its data: the SQLite file in `dataDir`, or (BACKSTOP_TEST_DATABASE_URL)
 * a schema named after `dataDir`, created if missing, so a server restarted on the same dataDir finds
 * its data again. `url` is what `startServer({ databaseUrl })` or `server/cli.ts --database` takes.
 */
export interface TestDatabase {
  dataDir: string;
  /** null: SQLite in dataDir. */
  url: string | null;
  /** Removes the data (the schema, or the data dir). */
  drop(): Promise<void>;
}

export async function testDatabase(dataDir: string = tempDir()): Promise<TestDatabase> {
  const dropDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (!TEST_DATABASE_URL) return { dataDir, url: null, drop: async () => dropDir() };
  const schema = `backstop_test_${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)}`;
  await admin(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    dataDir,
    url: url.toString(),
    drop: async () => {
      await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      dropDir();
    },
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL ?? undefined });
  await client.connect();
  try {
    // Quiet about NOTICEs (a schema that was already there, the tables a cascade dropped).
    await client.query('SET client_min_messages = warning');
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const database = await testDatabase(options.dataDir ?? tempDir());
  const databaseUrl = options.databaseUrl === undefined ? database.url : options.databaseUrl;
  const server = await startServer({
    port: 0,
    flights: 8,
    logLevel: 'silent',
    now: () => TEST_NOW,
    pbkdf2Iterations: 10_000,
    adminToken: ADMIN_TOKEN,
    ...options,
    // Tests enrol and push from one address far faster than a station would; the rate-limit tests set their own.
    rateLimits: { enrolPerMinute: 10_000, signInPerMinute: 10_000, pushPerMinute: 100_000, ...options.rateLimits },
    dataDir: database.dataDir,
    databaseUrl,
  });
  return {
    ...server,
    databaseUrl: databaseUrl ?? null,
    cleanup: async () => {
      await server.close();
      await database.drop();
    },
  };
}

/** Read-only SQL on a test server's database, the same text on either store (`?` placeholders). */
export interface DatabaseProbe {
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function inspectDatabase(target: { dataDir: string; databaseUrl: string | null }): Promise<DatabaseProbe> {
  if (!target.databaseUrl) {
    const db = openSqlite(dbPath(target.dataDir), undefined, { readonly: true });
    return {
      all: async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  return {
    all: async <T>(sql: string, ...params: unknown[]) => {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      return (await client.query(text, params)).rows as T[];
    },
    close: () => client.end(),
  };
}

/**
 * Holds the database's write lock from another connection (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
 * EXCLUSIVE lock on `meta`, which the readiness probe writes) until `release()`.
 */
export async function holdWriteLock(server: TestServer): Promise<{ code: string; release(): Promise<void> }> {
  if (!server.databaseUrl) {
    const other = openSqlite(server.dbFile);
    other.exec('BEGIN IMMEDIATE');
    return {
      code: 'SQLITE_BUSY',
      release: async () => {
        other.exec('ROLLBACK');
        other.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE meta IN EXCLUSIVE MODE');
  return {
    code: '55P03',
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

export async function request(
  url: string,
  method: 'GET' | 'POST' | 'OPTIONS',
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const init: RequestInit = { method, headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export function errorOf(res: RawResponse): ErrorBody['error'] {
  return ErrorBody.parse(JSON.parse(res.text)).error;
}

export class Workstation {
  private seq = 0;
  /** The sign-in each staff member's actions name (the id of their staff.signIn action). */
  private readonly signIns = new Map<string, string>();

  private constructor(
    /** Where the server is; a restarted server on port 0 may be somewhere else. */
    public url: string,
    readonly deviceId: string,
    readonly token: string,
    readonly station: string,
  ) {}

  static async enrol(url: string, name = 'TEST PC', station = 'LHR', enrolmentKey = 'backstop-demo'): Promise<Workstation> {
    const res = await request(`${url}/v1/devices`, 'POST', { name, station, enrolmentKey });
    if (res.status !== 201) throw new Error(`enrol failed: ${res.status} ${res.text}`);
    const { deviceId, token } = EnrolResponse.parse(JSON.parse(res.text));
    return new Workstation(url, deviceId, token, station);
  }

  post(pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    return request(`${this.url}${pathname}`, 'POST', body, { authorization: `Bearer ${this.token}`, ...headers });
  }

  async pull(cursor: string | null, limits: { maxChanges?: number; maxBytes?: number } = {}): Promise<PullResponse & { raw: RawResponse }> {
    const raw = await this.post('/v1/sync/pull', { clientId: this.deviceId, station: this.station, cursor, ...limits });
    if (raw.status !== 200) throw new Error(`pull failed: ${raw.status} ${raw.text}`);
    return { ...PullResponse.parse(JSON.parse(raw.text)), raw };
  }

  /** Pulls every page from `cursor` on; returns all changes in order and the final cursor. */
  async pullAll(
    cursor: string | null = null,
    limits: { maxChanges?: number; maxBytes?: number } = {},
  ): Promise<{ changes: Change[]; cursor: string; pages: number }> {
    const changes: Change[] = [];
    let pages = 0;
    for (;;) {
      const page = await this.pull(cursor, limits);
      pages++;
      changes.push(...page.changes);
      cursor = page.cursor;
      if (!page.hasMore) return { changes, cursor, pages };
    }
  }

  async push(mutations: Mutation[]): Promise<PushResponse & { raw: RawResponse }> {
    const raw = await this.post('/v1/sync/push', { clientId: this.deviceId, mutations });
    if (raw.status !== 200) throw new Error(`push failed: ${raw.status} ${raw.text}`);
    return { ...PushResponse.parse(JSON.parse(raw.text)), raw };
  }

  /** A mutation with this workstation's next seq (naming the staff member's sign-in, once they signed in). */
  mutation<T extends MutationType>(type: T, args: MutationArgs<T>, staffId = 'AG1001', at = TEST_NOW.toISOString()): Mutation {
    const signIn = this.signIns.get(staffId);
    return { id: randomUUID(), seq: ++this.seq, at, staffId, type, args, ...(signIn ? { signIn } : {}) } as Mutation;
  }

  /** Asks the backend to check a PIN: the answer as it came (a StaffSession on 201). */
  staffSession(staffId: string, pin: string): Promise<RawResponse> {
    return this.post('/v1/staff/sessions', { clientId: this.deviceId, staffId, pin });
  }

  /**
   * Signs a staff member in — online (the backend checks the PIN and issues a session) or offline —
   * and returns the staff.signIn action to push; this workstation's later actions for them name it.
   */
  async signIn(staffId: string, how: { pin: string } | 'offline', at = TEST_NOW.toISOString()): Promise<Mutation> {
    let session: string | undefined;
    if (how !== 'offline') {
      const res = await this.staffSession(staffId, how.pin);
      if (res.status !== 201) throw new Error(`online sign-in failed: ${res.status} ${res.text}`);
      session = StaffSession.parse(JSON.parse(res.text)).token;
    }
    const m = this.mutation(
      'staff.signIn',
      { flightId: null, method: session ? 'online' : 'offline', ...(session ? { session } : {}) },
      staffId,
      at,
    );
    this.signIns.set(staffId, m.id);
    return m;
  }

  /** Sets the next seq (to test gaps and stale clients). */
  setSeq(next: number): void {
    this.seq = next - 1;
  }
}

/** The state a workstation holds after applying changes in order. */
export class Replica {
  readonly entities = new Map<string, { version: number; data: unknown }>();

  apply(changes: readonly Change[]): this {
    for (const c of changes) {
      const key = `${c.kind}:${c.id}`;
      if (c.op === 'delete') this.entities.delete(key);
      else this.entities.set(key, { version: c.version, data: c.data });
    }
    return this;
  }

  of<T>(kind: string): T[] {
    return [...this.entities.entries()].filter(([k]) => k.startsWith(`${kind}:`)).map(([, v]) => v.data as T);
  }

  flights(): Flight[] {
    return this.of<Flight>('flight');
  }

  passengers(flightId?: string): Passenger[] {
    const all = this.of<Passenger>('passenger');
    return flightId ? all.filter((p) => p.flightId === flightId) : all;
  }

  passenger(id: string): Passenger {
    const p = this.of<Passenger>('passenger').find((x) => x.id === id);
    if (!p) throw new Error(`no passenger ${id}`);
    return p;
  }

  leases(flightId: string): SeqLease[] {
    return this.of<SeqLease>('lease').filter((l) => l.flightId === flightId);
  }
}

/** Flights where check-in is open for this workstation: scheduled, with a lease. */
export function openFlights(replica: Replica): Flight[] {
  return replica.flights().filter((f) => f.status === 'scheduled' && replica.leases(f.id).length > 0);
}

/** Booked adults without infant or restrictions who could be checked in right now. */
export function bookable(replica: Replica, flightId: string): Passenger[] {
  return replica
    .passengers(flightId)
    .filter(
      (p) =>
        p.status === 'booked' &&
        p.paxType === 'ADT' &&
        p.infantId === null &&
        p.vetting === 'cleared' &&
        p.cabin === 'Y' &&
        p.ssrs.length === 0,
    )
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Seats of the flight nobody holds, in walk order, skipping exit rows. */
export function freeSeats(replica: Replica, flight: Flight, cabin = 'Y'): string[] {
  const map = replica.of<SeatMap>('seatMap').find((m) => m.id === flight.seatMapId);
  if (!map) throw new Error(`no seat map ${flight.seatMapId}`);
  const held = new Set(
    replica
      .passengers(flight.id)
      .filter(holdsSeat)
      .map((p) => p.seat),
  );
  return seatsOf(map)
    .filter((s) => s.cabin === cabin && !s.blocked && !s.exit && !held.has(s.code))
    .map((s) => s.code);
}

/** A workstation with its local copy, kept current by incremental pulls. */
export class Synced {
  readonly replica = new Replica();
  cursor: string | null = null;

  constructor(readonly ws: Workstation) {}

  static async enrol(url: string, name?: string, station?: string): Promise<Synced> {
    const s = new Synced(await Workstation.enrol(url, name, station));
    await s.sync();
    return s;
  }

  /** Pulls everything new; returns the changes it received. */
  async sync(): Promise<Change[]> {
    const r = await this.ws.pullAll(this.cursor);
    this.replica.apply(r.changes);
    this.cursor = r.cursor;
    return r.changes;
  }

  /** Lease numbers this workstation has handed out locally, pushed or not. */
  private readonly spent = new Set<string>();

  /** The next free number(s) from this workstation's own leases. */
  takeSeqs(flightId: string, count: number): number[] {
    const used = new Set(this.replica.passengers(flightId).map((p) => p.seqNo));
    const out: number[] = [];
    // Regular blocks only: the emergency block waits for a supervisor.
    for (const l of this.replica.leases(flightId).filter((x) => !x.emergency)) {
      for (let n = l.from; n <= l.to && out.length < count; n++) {
        if (!used.has(n) && !this.spent.has(`${flightId}/${n}`)) out.push(n);
      }
    }
    if (out.length < count) throw new Error(`only ${out.length} free lease numbers on ${flightId}`);
    for (const n of out) this.spent.add(`${flightId}/${n}`);
    return out;
  }

  /** A check-in with this workstation's next free lease number(s). */
  checkIn(p: Passenger, seat: string | null, extra: Partial<MutationArgs<'passenger.checkIn'>> = {}, staffId = 'AG1001'): CheckInMutation {
    const [seqNo = 0, infantSeqNo = null] = this.takeSeqs(p.flightId, p.infantId ? 2 : 1);
    return this.ws.mutation(
      'passenger.checkIn',
      {
        flightId: p.flightId,
        passengerId: p.id,
        seat,
        seqNo,
        infantSeqNo,
        bags: { count: 1, weightKg: 20 },
        docsChecked: true,
        standby: seat === null,
        ...extra,
      },
      staffId,
    ) as CheckInMutation;
  }
}

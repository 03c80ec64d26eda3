/**
 * A backend restored from an older copy of its database loses nothing: the real reference backend
 * on a real SQLite file (or PostgreSQL, BACKSTOP_TEST_DATABASE_URL), the app's sync engine on
 * fake-indexeddb. A copy of the database is taken the way an operator's backup takes it, the backend
 * goes on acknowledging actions, then it is stopped, the copy put back, and it is started again on
 * the same address.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../server/db/database';
import { openSqlite } from '../../server/db/driver';
import { checkIn, perform } from '../../renderer/db/write-path';
import type { BackstopDB } from '../../renderer/db/schema';
import type { CycleResult, SyncEngine } from '../../renderer/sync/engine';
import { BOOT_SETTLE_MS } from '../../server/sync/lineage';
import { SyncHttpClient } from '../../renderer/sync/http';
import type { Passenger } from '../../shared/domain/schemas';
import { clockStartingAt } from '../../shared/clock';
import { memoryDatabase } from '../support/memory-db';
import { testEngine } from '../support/test-engine';
import {
  bookable,
  freeSeats,
  inspectDatabase,
  startTestServer,
  Synced,
  TEST_NOW,
  tempDir,
  testDatabase,
  type TestDatabase,
  type TestServer,
} from '../support/server-harness';

const agent = { staffId: 'AG1001', role: 'agent' as const };
const clock = clockStartingAt(TEST_NOW);

/** A backup of the live database and putting it back, as an operator would, on either store. */
interface Backup {
  take(): Promise<void>;
  /** With the backend stopped. */
  putBack(): Promise<void>;
}

function backupOf(server: TestServer, database: TestDatabase): Backup {
  const copy = path.join(tempDir('backstop-backup-'), 'copy.db');
  if (!server.databaseUrl) {
    return {
      // SQLite's own consistent snapshot of a live database (what `sqlite3 .backup` or a nightly job does).
      take: async () => {
        const live = openSqlite(server.dbFile);
        try {
          live.exec(`VACUUM INTO '${copy}'`);
        } finally {
          live.close();
        }
      },
      putBack: async () => {
        const file = dbPath(database.dataDir);
        for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
        fs.copyFileSync(copy, file);
      },
    };
  }
  // PostgreSQL: a pg_dump of the test server's schema, restored over it with psql.
  const url = new URL(server.databaseUrl);
  const schema = /search_path=(\w+)/.exec(decodeURIComponent(url.searchParams.get('options') ?? ''))![1]!;
  url.searchParams.delete('options');
  return {
    take: async () => void execFileSync('pg_dump', ['--schema', schema, '--no-owner', '--file', copy, url.toString()]),
    putBack: async () => {
      execFileSync('psql', ['--quiet', '--set', 'ON_ERROR_STOP=1', '--command', `DROP SCHEMA ${schema} CASCADE`, url.toString()]);
      execFileSync('psql', ['--quiet', '--set', 'ON_ERROR_STOP=1', '--file', copy, url.toString()]);
    },
  };
}

function engineFor(db: BackstopDB, baseUrl: string, name: string): SyncEngine {
  return testEngine({ db, transport: new SyncHttpClient({ baseUrl, timeoutMs: 5_000 }), clock }, { workstation: name });
}

/**
 * One sync cycle, and its error code. A backend process on PostgreSQL asks for a few seconds'
 * patience before it refuses a cursor another process issued (TRY_AGAIN): those cycles are repeated.
 */
async function syncOnce(engine: SyncEngine): Promise<[CycleResult, string | null | undefined]> {
  const until = performance.now() + BOOT_SETTLE_MS + 5_000;
  for (;;) {
    const result = await engine.syncNow();
    const code = result === 'ok' ? null : engine.currentStatus.lastError?.code;
    if (code !== 'TRY_AGAIN' || performance.now() > until) return [result, code];
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Syncs until a cycle goes through (a recovery takes one failed cycle, at most two); returns how many it took. */
async function syncUntilOk(engine: SyncEngine): Promise<number> {
  for (let cycles = 1; cycles <= 4; cycles++) if ((await syncOnce(engine))[0] === 'ok') return cycles;
  throw new Error('the workstation did not get through a sync cycle');
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** A backend on a database of its own that can be stopped and started again on the same address. */
async function restartable(): Promise<{
  server: () => TestServer;
  database: TestDatabase;
  restart(between: () => Promise<void>): Promise<void>;
}> {
  const database = await testDatabase();
  let server = await startTestServer({ dataDir: database.dataDir, databaseUrl: database.url, flights: 6, seed: 11 });
  const port = Number(new URL(server.url).port);
  cleanups.push(async () => {
    await server.close();
    await database.drop();
  });
  return {
    server: () => server,
    database,
    restart: async (between) => {
      await server.close();
      await between();
      server = await startTestServer({ dataDir: database.dataDir, databaseUrl: database.url, flights: 6, seed: 11, port });
    },
  };
}

function desk(url: string, name: string): { db: BackstopDB; engine: SyncEngine } {
  const db = memoryDatabase({ name });
  const engine = engineFor(db, url, name);
  cleanups.push(async () => {
    await engine.stop();
    db.close();
  });
  return { db, engine };
}

async function checkInAt(db: BackstopDB, p: Passenger, seat: string): Promise<void> {
  const out = await checkIn(
    db,
    agent,
    { flightId: p.flightId, passengerId: p.id, seat, bags: { count: 1, weightKg: 18 }, docsChecked: true, standby: false },
    clock,
  );
  expect(out.ok).toBe(true);
}

/** The ids of the actions waiting in a desk's outbox, in order. */
async function outboxIds(db: BackstopDB): Promise<string[]> {
  return (await db.outbox.orderBy('seq').toArray()).map((e) => e.id);
}

/** How often the backend recorded each of these actions (the mutation log holds one row per decision). */
async function timesRecorded(server: TestServer, ids: readonly string[]): Promise<number[]> {
  const probe = await inspectDatabase({ dataDir: path.dirname(server.dbFile), databaseUrl: server.databaseUrl });
  try {
    const out: number[] = [];
    for (const id of ids) {
      const [row] = await probe.all<{ n: number | string }>(
        "SELECT count(*) AS n FROM mutation_log WHERE id = ? AND status = 'applied'",
        id,
      );
      out.push(Number(row?.n ?? 0));
    }
    return out;
  } finally {
    await probe.close();
  }
}

/** The feed version a desk's cursor names (the test peeks into the opaque cursor: `<epoch>.<version>…`). */
async function feedVersionOf(db: BackstopDB): Promise<number> {
  const cursor = (await db.syncState.get('cursor'))?.value;
  if (typeof cursor !== 'string') throw new Error('the desk has no cursor');
  return Number(Buffer.from(cursor, 'base64url').toString('utf8').split('.')[1]);
}

async function feedHead(server: TestServer): Promise<number> {
  const probe = await inspectDatabase({ dataDir: path.dirname(server.dbFile), databaseUrl: server.databaseUrl });
  try {
    const [row] = await probe.all<{ v: number | string }>("SELECT max(version) AS v FROM entity WHERE station = 'LHR'");
    return Number(row?.v ?? 0);
  } finally {
    await probe.close();
  }
}

/** The passengers of a flight as a desk shows them, next to the backend's, by id: status and seat. */
async function agrees(db: BackstopDB, server: TestServer, flightId: string): Promise<void> {
  const backend = (await Synced.enrol(server.url, 'OBSERVER')).replica.passengers(flightId);
  const local = (await db.manifests.get(flightId))!.passengers;
  const shape = (ps: readonly Passenger[]) =>
    ps.map((p) => ({ id: p.id, status: p.status, seat: p.seat, seqNo: p.seqNo })).sort((a, b) => a.id.localeCompare(b.id));
  expect(shape(local)).toEqual(shape(backend));
}

describe('a backend restored from an older copy of its database', () => {
  it('gets back every action it had acknowledged, exactly once, and every desk ends with the backend’s state', async () => {
    const backend = await restartable();
    const url = backend.server().url;
    const one = desk(url, 'DESK-1');
    const two = desk(url, 'DESK-2');
    expect(await one.engine.syncNow()).toBe('ok');
    expect(await two.engine.syncNow()).toBe('ok');
    const state = (await Synced.enrol(url, 'SCOUT')).replica;
    const flight = state.flights().find((f) => f.status === 'scheduled' && bookable(state, f.id).length >= 4)!;
    const [a, b, c, d] = bookable(state, flight.id);
    const [seatA, seatB, seatC, seatD] = freeSeats(state, flight);

    // A third desk, enrolled before the copy too (the harness's protocol-level workstation).
    const three = await Synced.enrol(url, 'DESK-3');
    // A: checked in and acknowledged; then the nightly copy is taken.
    await checkInAt(one.db, a!, seatA!);
    const acknowledged = await outboxIds(one.db);
    expect(await one.engine.syncNow()).toBe('ok');
    const backup = backupOf(backend.server(), backend.database);
    await backup.take();

    // B: checked in, then boarded, each acknowledged after the copy; the second desk pulls it.
    await checkInAt(one.db, b!, seatB!);
    acknowledged.push(...(await outboxIds(one.db)));
    expect(await one.engine.syncNow()).toBe('ok');
    expect(
      (await perform(one.db, agent, { type: 'passenger.board', args: { flightId: flight.id, passengerId: b!.id, via: 'scan' } }, clock)).ok,
    ).toBe(true);
    acknowledged.push(...(await outboxIds(one.db)));
    expect(await one.engine.syncNow()).toBe('ok');
    expect(await one.db.outbox.count()).toBe(0);
    expect(await two.engine.syncNow()).toBe('ok');
    expect((await two.db.manifests.get(flight.id))!.passengers.find((p) => p.id === b!.id)!.status).toBe('boarded');
    expect(acknowledged).toHaveLength(3);

    // The backend goes back to the copy. Meanwhile desk 1 checks in C, not yet sent.
    await backend.restart(() => backup.putBack());
    expect(await timesRecorded(backend.server(), acknowledged)).toEqual([1, 0, 0]);
    await checkInAt(one.db, c!, seatC!);
    const pendingC = await outboxIds(one.db);
    expect(pendingC).toHaveLength(1);
    // The restored backend takes new work at once: the third desk checks in D.
    const byThree = three.checkIn(d!, seatD!);
    expect((await three.ws.push([byThree])).results[0]).toMatchObject({ status: 'applied' });

    // Desk 1 syncs first: its sends put B back on the backend before desk 2 comes, so the backend's
    // feed reaches desk 2's old position again, with other changes in it.
    // Its push finds the backend holds fewer of its actions than it confirmed: it re-sends and rebuilds in that one cycle.
    expect(await syncUntilOk(one.engine)).toBe(1);
    expect(await one.db.outbox.count()).toBe(0);
    const twoWasAt = await feedVersionOf(two.db);
    const headThen = await feedHead(backend.server());
    const [twoFirst, twoFound] = await syncOnce(two.engine);
    await syncUntilOk(two.engine);

    const server = backend.server();
    expect(await timesRecorded(server, [...acknowledged, ...pendingC])).toEqual([1, 1, 1, 1]);
    const after = (await Synced.enrol(server.url, 'OBSERVER')).replica;
    expect(after.passenger(a!.id)).toMatchObject({ status: 'checked-in', seat: seatA });
    expect(after.passenger(b!.id)).toMatchObject({ status: 'boarded', seat: seatB });
    expect(after.passenger(c!.id)).toMatchObject({ status: 'checked-in', seat: seatC });
    expect(after.passenger(d!.id)).toMatchObject({ status: 'checked-in', seat: seatD });
    await agrees(one.db, server, flight.id);
    await agrees(two.db, server, flight.id);
    // The reconciliation screen has nothing new to say: everything applied.
    expect(await one.db.outcomes.count()).toBe(0);
    // Desk 2's position was in the restored feed's range again, and still it was told.
    expect(headThen).toBeGreaterThanOrEqual(twoWasAt);
    expect([twoFirst, twoFound]).toEqual(['failed', 'BACKEND_RESTORED']);
  });

  it('is found by a desk with nothing to send; it sends its journal again, and what the backend still had is answered as before', async () => {
    const backend = await restartable();
    const url = backend.server().url;
    const one = desk(url, 'DESK-1');
    expect(await one.engine.syncNow()).toBe('ok');
    const state = (await Synced.enrol(url, 'SCOUT')).replica;
    const flight = state.flights().find((f) => f.status === 'scheduled' && bookable(state, f.id).length >= 2)!;
    const [a, b] = bookable(state, flight.id);
    const [seatA, seatB] = freeSeats(state, flight);
    await checkInAt(one.db, a!, seatA!);
    const [idA] = await outboxIds(one.db);
    expect(await one.engine.syncNow()).toBe('ok');
    const backup = backupOf(backend.server(), backend.database);
    await backup.take();
    await checkInAt(one.db, b!, seatB!);
    const [idB] = await outboxIds(one.db);
    expect(await one.engine.syncNow()).toBe('ok');

    await backend.restart(() => backup.putBack());
    // Nothing pending: the pull finds it (the desk says what the backend confirmed; the cursor names lost history).
    expect(await one.engine.syncNow()).toBe('failed');
    expect(one.engine.currentStatus.lastError).toMatchObject({ code: 'BACKEND_RESTORED' });
    expect((await one.db.outbox.toArray()).map((e) => e.id).sort()).toEqual([idA, idB].sort());
    expect(await syncUntilOk(one.engine)).toBe(1);

    const server = backend.server();
    // A, which the copy held, was answered from the backend's log (no second effect); B was recorded again.
    expect(await timesRecorded(server, [idA!, idB!])).toEqual([1, 1]);
    expect(await one.db.outbox.count()).toBe(0);
    expect(await one.db.outcomes.count()).toBe(0);
    await agrees(one.db, server, flight.id);
    // And the next sync is an ordinary one.
    expect(await one.engine.syncNow()).toBe('ok');
  });

  it('reaches a desk the copy does not know: it enrols again and still sends what it did under the lost enrolment', async () => {
    const backend = await restartable();
    const url = backend.server().url;
    const backup = backupOf(backend.server(), backend.database);
    await backup.take();
    // Enrolled after the copy (or its token rotated since): the restored database will not know it.
    const one = desk(url, 'DESK-NEW');
    expect(await one.engine.syncNow()).toBe('ok');
    const state = (await Synced.enrol(url, 'SCOUT')).replica;
    const flight = state.flights().find((f) => f.status === 'scheduled' && bookable(state, f.id).length >= 1)!;
    const [a] = bookable(state, flight.id);
    await checkInAt(one.db, a!, freeSeats(state, flight)[0]!);
    const [idA] = await outboxIds(one.db);
    expect(await one.engine.syncNow()).toBe('ok');
    const enrolledAs = (await one.db.syncState.get('deviceId'))?.value;

    await backend.restart(() => backup.putBack());
    await syncUntilOk(one.engine);
    const server = backend.server();
    expect((await one.db.syncState.get('deviceId'))?.value).not.toBe(enrolledAs);
    expect(await timesRecorded(server, [idA!])).toEqual([1]);
    expect(await one.db.outbox.count()).toBe(0);
    expect(await one.db.outcomes.count()).toBe(0);
    await agrees(one.db, server, flight.id);
  });
});

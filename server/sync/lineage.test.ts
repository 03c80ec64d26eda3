/**
 * How the backend tells a desk that its database went back to an older copy (lineage.ts, the pull,
 * bulk and long-poll routes), and that a desk sending again what it still has changes nothing.
 * Restoring a real copy, end to end with the app's engine: tests/integration/restored-backend.test.ts.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flight } from '../../shared/domain/schemas';
import {
  bookable,
  errorOf,
  freeSeats,
  inspectDatabase,
  openFlights,
  request,
  startTestServer,
  Synced,
  TEST_STORE,
  type TestServer,
} from '../../tests/support/server-harness';
import { encodeBulkCursor } from './bulk';
import { BOOT_HEARTBEAT_MS, BOOT_SETTLE_MS } from './lineage';
import { decodeCursor, encodeCursor } from './cursor';

let server: TestServer;
let desk: Synced;
let flight: Flight;
/** The database's epoch and the newest version when the backend started (nothing was written since). */
let epoch: string;
let startHead: number;

beforeAll(async () => {
  server = await startTestServer();
  const probe = await inspectDatabase({ dataDir: path.dirname(server.dbFile), databaseUrl: server.databaseUrl });
  try {
    const [row] = await probe.all<{ v: number | string }>("SELECT max(version) AS v FROM entity WHERE station = 'LHR'");
    startHead = Number(row!.v);
  } finally {
    await probe.close();
  }
  desk = await Synced.enrol(server.url, 'DESK');
  [epoch] = parts(desk.cursor!);
  flight = openFlights(desk.replica).find((f) => bookable(desk.replica, f.id).length >= 2)!;
  // The feed moves past where it stood at start.
  const [p] = bookable(desk.replica, flight.id);
  const answer = await desk.ws.push([desk.checkIn(p!, freeSeats(desk.replica, flight)[0]!)]);
  expect(answer.results[0]).toMatchObject({ status: 'applied' });
  await desk.sync();
  // On PostgreSQL a process waits a few seconds for its neighbours' heartbeats before refusing their cursors.
  if (TEST_STORE === 'postgres') await sleep(BOOT_SETTLE_MS);
});
afterAll(() => server.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parts(cursor: string): [string, number, string | undefined] {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [e, v] = text.split('.');
  return [e!, Number(v), /\.b([0-9a-f]+)$/.exec(text)?.[1]];
}

const pull = (body: Record<string, unknown>) => desk.ws.post('/v1/sync/pull', { clientId: desk.ws.deviceId, station: 'LHR', ...body });

describe('cursors name the backend process that issued them', () => {
  it('round-trips the boot, and reads cursors from before boots were named', () => {
    const withBoot = decodeCursor(encodeCursor('abc123', 42, { remaining: 5, highWater: 50 }, '0123456789abcdef'), 'abc123');
    expect(withBoot).toEqual({ ok: true, value: { after: 42, estimate: { remaining: 5, highWater: 50 }, boot: '0123456789abcdef' } });
    expect(decodeCursor(encodeCursor('abc123', 42), 'abc123')).toEqual({ ok: true, value: { after: 42, estimate: null, boot: null } });
  });

  it('issues cursors with this process’s boot', () => {
    expect(parts(desk.cursor!)[2]).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('a pull from history the database does not hold', () => {
  it('is refused with BACKEND_RESTORED when its cursor is beyond where the database stood at start and another process issued it', async () => {
    const [, now] = parts(desk.cursor!);
    expect(now).toBeGreaterThan(startHead);
    for (const cursor of [encodeCursor(epoch, now, null, 'feedfacefeedface'), encodeCursor(epoch, now)]) {
      const res = await pull({ cursor });
      expect(res.status).toBe(409);
      expect(errorOf(res)).toMatchObject({ code: 'BACKEND_RESTORED', field: 'cursor' });
    }
  });

  it('is answered when the cursor is within where the database stood at start, whoever issued it, or is this process’s own', async () => {
    for (const cursor of [encodeCursor(epoch, startHead, null, 'feedfacefeedface'), encodeCursor(epoch, startHead), desk.cursor]) {
      expect((await pull({ cursor })).status).toBe(200);
    }
  });

  it('refuses a bulk fill resumed at a snapshot the database never reached, and the long poll likewise', async () => {
    const [, now] = parts(desk.cursor!);
    const bulk = await desk.ws.post('/v1/sync/bulk', {
      clientId: desk.ws.deviceId,
      station: 'LHR',
      cursor: encodeBulkCursor(epoch, { snapshot: now + 100, after: '', boot: 'feedfacefeedface' }),
    });
    expect(errorOf(bulk)).toMatchObject({ code: 'BACKEND_RESTORED' });
    const wait = await desk.ws.post('/v1/sync/wait', {
      clientId: desk.ws.deviceId,
      station: 'LHR',
      cursor: encodeCursor(epoch, now + 100, null, 'feedfacefeedface'),
      timeoutMs: 1_000,
    });
    expect(errorOf(wait)).toMatchObject({ code: 'BACKEND_RESTORED' });
  });

  it('is refused when the desk remembers more of its actions confirmed than the backend holds', async () => {
    const over = await pull({ cursor: desk.cursor, acked: 2 });
    expect(over.status).toBe(409);
    expect(errorOf(over)).toMatchObject({ code: 'BACKEND_RESTORED', field: 'acked' });
    expect((await pull({ cursor: desk.cursor, acked: 1 })).status).toBe(200);
  });
});

describe('sending again what the backend still has', () => {
  it('is answered as before, under any seq, with no second effect', async () => {
    const [p] = bookable(desk.replica, flight.id);
    const m = desk.checkIn(p!, freeSeats(desk.replica, flight)[0]!);
    const first = await desk.ws.push([m]);
    expect(first.results[0]).toMatchObject({ id: m.id, status: 'applied' });
    await desk.sync();
    const before = desk.replica.passenger(p!.id);
    // Sent again, once under the same seq and once renumbered above the backend's lastSeq.
    const again = await desk.ws.push([m]);
    const renumbered = await desk.ws.push([{ ...m, seq: first.lastSeq + 5 }]);
    expect(again.raw.text).toContain(JSON.stringify(first.results[0]));
    expect(renumbered.results).toEqual(first.results);
    expect([again.lastSeq, renumbered.lastSeq]).toEqual([first.lastSeq, first.lastSeq]);
    expect(await desk.sync()).toEqual([]);
    expect(desk.replica.passenger(p!.id)).toEqual(before);
    const probe = await inspectDatabase({ dataDir: path.dirname(server.dbFile), databaseUrl: server.databaseUrl });
    try {
      expect(await probe.all('SELECT seq FROM mutation_log WHERE id = ?', m.id)).toHaveLength(1);
    } finally {
      await probe.close();
    }
  });
});

describe.runIf(TEST_STORE === 'postgres')('several backend processes on one PostgreSQL database', () => {
  it('answer each other’s cursors, after at most a heartbeat’s patience, and never refuse them', async () => {
    const other = await startTestServer({ databaseUrl: server.databaseUrl! });
    try {
      // The feed moves past where the new process found it, through the first one.
      const [p] = bookable(desk.replica, flight.id);
      expect((await desk.ws.push([desk.checkIn(p!, freeSeats(desk.replica, flight)[0]!)])).results[0]).toMatchObject({ status: 'applied' });
      await desk.sync();
      const there = { clientId: desk.ws.deviceId, station: 'LHR', cursor: desk.cursor };
      const answers: number[] = [];
      const until = performance.now() + BOOT_SETTLE_MS + BOOT_HEARTBEAT_MS;
      for (;;) {
        const res = await request(`${other.url}/v1/sync/pull`, 'POST', there, { authorization: `Bearer ${desk.ws.token}` });
        answers.push(res.status);
        if (res.status !== 503) break;
        expect(errorOf(res)).toMatchObject({ code: 'TRY_AGAIN' });
        expect(res.headers.get('retry-after')).toBe(String(Math.ceil(BOOT_SETTLE_MS / 1000)));
        if (performance.now() > until) break;
        await sleep(200);
      }
      expect(answers.at(-1)).toBe(200);
      expect(answers).not.toContain(409);
    } finally {
      await other.cleanup();
    }
  });
});

/**
 * A first fill in turns (renderer/sync/fill-writer.ts): a helper thread fetches, checks and stores
 * every other page of the bulk form, the pages' transactions in order. Against the real backend on
 * loopback; the helper is the real message handler (fill-helper.ts) behind the real client
 * (fill-worker-client.ts), its messages structured-cloned as a worker's are, with a connection of
 * its own to the same database. It must leave exactly what one thread leaves, and a helper that
 * fails must cost nothing but its own speed.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clockStartingAt } from '../../shared/clock';
import type { Passenger } from '../../shared/domain/schemas';
import { dropCache } from '../../renderer/db/purge';
import { openDatabase, type BackstopDB } from '../../renderer/db/schema';
import { checkIn } from '../../renderer/db/write-path';
import { readEnrolment } from '../../renderer/db/enrolment';
import { isBulkCursor, OutOfTurn } from '../../renderer/sync/apply-pull';
import { fillHelperHandler } from '../../renderer/sync/fill-helper';
import type { FillCommand, FillReply } from '../../renderer/sync/fill-messages';
import { WorkerFillWriter, type FillWorkerPort } from '../../renderer/sync/fill-worker-client';
import { LocalFillWriter, type FillWriter } from '../../renderer/sync/fill-writer';
import { SyncHttpClient } from '../../renderer/sync/http';
import { freeSeats, startTestServer, Synced, TEST_NOW, Workstation, type TestServer } from '../support/server-harness';
import { testEngine } from '../support/test-engine';
import { BULK_NEXT_HEADER, readBulkNextHeader } from '../../shared/protocol/bulk';
import { APP_ORIGIN } from '../../server/http/protocol';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../shared/protocol/v1';

const clock = clockStartingAt(TEST_NOW);
const agent = { staffId: 'AG1001', role: 'agent' as const };
let server: TestServer;
const closing: (() => Promise<void> | void)[] = [];
let n = 0;

beforeAll(async () => {
  server = await startTestServer({ flights: 6, seed: 23 });
});
afterAll(() => server.cleanup());
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

/** What the helper does with a command before the real handler sees it: pass it on, or answer instead. */
type Tamper = (command: FillCommand) => FillReply | 'pass' | 'die';

/** The helper thread, in process: the real handler, every message structured-cloned and delivered later, as postMessage does. */
function helperPort(factory: IDBFactory, tamper: Tamper = () => 'pass'): FillWorkerPort & { commands: FillCommand['type'][] } {
  const connections: BackstopDB[] = [];
  let dead = false;
  const port: FillWorkerPort & { commands: FillCommand['type'][] } = {
    commands: [],
    onmessage: null,
    onerror: null,
    postMessage(message) {
      const command = structuredClone(message);
      port.commands.push(command.type);
      setTimeout(() => {
        if (dead) return;
        const tampered = tamper(command);
        if (tampered === 'die') {
          dead = true;
          port.onerror?.(Object.assign(new Event('error'), { message: 'the script would not load' }) as ErrorEvent);
        } else if (tampered !== 'pass') reply(tampered);
        else handle(command);
      });
    },
    terminate() {
      dead = true;
      for (const db of connections) db.close();
    },
  };
  const reply = (r: FillReply) => setTimeout(() => !dead && port.onmessage?.(new MessageEvent('message', { data: structuredClone(r) })));
  const handle = fillHelperHandler(reply, (name) => {
    const db = openDatabase(name, { indexedDB: factory, IDBKeyRange, durability: 'relaxed' });
    connections.push(db);
    return db;
  });
  return port;
}

function desk(
  fillHelpers?: (factory: IDBFactory, name: string) => (source: { url: string; token: string }) => FillWriter[],
  fetchImpl?: typeof fetch,
) {
  const factory = new IDBFactory();
  const name = `turns-${++n}`;
  const db = openDatabase(name, { indexedDB: factory, IDBKeyRange });
  const transport = new SyncHttpClient({ baseUrl: server.url, timeoutMs: 5_000, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  const engine = testEngine(
    {
      db,
      transport,
      sources: [{ url: server.url, transport }],
      clock,
      ...(fillHelpers ? { fillHelpers: fillHelpers(factory, name) } : {}),
    },
    // Six flights, two a page: three pages, the second the helper's.
    { workstation: `TURNS-${n}`, bulkMaxFlights: 2 },
  );
  closing.push(async () => {
    await engine.stop();
    db.close();
  });
  return { engine, db };
}

/** A helper factory that counts how often it is asked, with one port per fill. */
function helpers(tamper?: Tamper) {
  const ports: ReturnType<typeof helperPort>[] = [];
  /** What the client told its host about the helper's failures (the app logs them). */
  const problems: string[] = [];
  const make = (factory: IDBFactory, dbName: string) => (source: { url: string; token: string }) => {
    const port = helperPort(factory, tamper);
    ports.push(port);
    return [new WorkerFillWriter(port, { dbName, keys: null, baseUrl: source.url, token: source.token }, (m) => problems.push(m))];
  };
  return { make, ports, problems };
}

/** What a desk holds, without what differs between two desks by nature (arrival times, their own leases, search revisions). */
async function localCopy(db: BackstopDB) {
  return {
    flights: (await db.flights.orderBy('id').toArray()).map(({ asOf: _asOf, ...f }) => f),
    manifests: (await db.manifests.orderBy('flightId').toArray()).map(({ asOf: _asOf, ...m }) => m),
    search: (await db.searchIndex.orderBy('flightId').toArray()).map((d) => ({ flightId: d.flightId, text: d.text })),
    stations: await db.stations.toArray(),
    seatMaps: await db.seatMaps.orderBy('id').toArray(),
    staff: await db.staff.orderBy('id').toArray(),
    complete: (await db.syncState.get('lastCompleteSyncAt')) !== undefined,
  };
}

async function oneThreadCopy() {
  const alone = desk();
  expect(await alone.engine.syncNow()).toBe('ok');
  expect(alone.engine.currentStatus.lastPull?.helperPages).toBe(0);
  return localCopy(alone.db);
}

describe('a first fill in turns with a helper thread', () => {
  it('leaves exactly what a fill on one thread leaves, the helper storing every other page', async () => {
    const helper = helpers();
    const turns = desk(helper.make);
    expect(await turns.engine.syncNow()).toBe('ok');
    expect(turns.engine.currentStatus.lastPull?.helperPages).toBe(1);
    expect(helper.ports).toHaveLength(1);
    expect(helper.ports[0]!.commands).toEqual(['init', 'fetch', 'store']);
    expect(helper.problems).toEqual([]);
    const copy = await localCopy(turns.db);
    expect(copy.flights).toHaveLength(6);
    expect(copy.complete).toBe(true);
    expect(copy).toEqual(await oneThreadCopy());
    expect(isBulkCursor(String((await turns.db.syncState.get('cursor'))?.value))).toBe(false);
  });

  it('stops after the last page stored whole when the helper cannot store its page, stores nothing after it, and finishes on one thread', async () => {
    const helper = helpers((command) =>
      command.type === 'store' ? { type: 'failed', id: command.id, message: 'QuotaExceededError' } : 'pass',
    );
    const turns = desk(helper.make);
    expect(await turns.engine.syncNow()).toBe('failed');
    expect(turns.engine.currentStatus.lastError?.kind).toBe('local');
    // Page one (this thread) stored; page two (the helper's) failed; page three, fetched meanwhile, was not stored.
    expect(await turns.db.flights.count()).toBe(2);
    expect(isBulkCursor(String((await turns.db.syncState.get('cursor'))?.value))).toBe(true);
    expect(await turns.engine.syncNow()).toBe('ok');
    // The helper is not asked again; the rest came on this thread, from where the fill stopped.
    expect(helper.ports).toHaveLength(1);
    expect(helper.problems).toEqual(['QuotaExceededError']);
    expect(turns.engine.currentStatus.lastPull?.helperPages).toBe(0);
    expect(await localCopy(turns.db)).toEqual(await oneThreadCopy());
  });

  it('finishes in the same cycle on this thread when the helper never starts', async () => {
    const helper = helpers(() => 'die');
    const turns = desk(helper.make);
    expect(await turns.engine.syncNow()).toBe('ok');
    expect(helper.problems).toEqual(['fill helper: the script would not load']);
    expect(turns.engine.currentStatus.lastPull?.helperPages).toBe(0);
    expect(await localCopy(turns.db)).toEqual(await oneThreadCopy());
  });

  it('takes an answer from the helper that does not parse as a failure of its page, never as a page', async () => {
    const helper = helpers((command) =>
      command.type === 'store'
        ? {
            type: 'stored',
            id: command.id,
            page: {
              stats: { changes: -1, flights: 1, passengers: 1 },
              leaves: 'bulk:x',
              head: { remaining: 0, flights: 1, dcs: 'up' },
              bytes: 1,
              ms: 1,
              timing: { networkMs: 1, parseMs: 1, validateMs: 1 },
            },
          }
        : 'pass',
    );
    const turns = desk(helper.make);
    expect(await turns.engine.syncNow()).toBe('failed');
    expect(turns.engine.currentStatus.lastError?.detail).toMatch(/does not parse/);
    expect(await turns.db.flights.count()).toBe(2);
    expect(await turns.engine.syncNow()).toBe('ok');
    expect(await localCopy(turns.db)).toEqual(await oneThreadCopy());
  });

  it('keeps a pending local check-in on a flight it adds blind: the add fails, and the page goes the ordinary way', async () => {
    let refusePush = false;
    const wrapped: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (refusePush && url.endsWith('/v1/sync/push')) {
        const body = { error: { code: 'BAD_REQUEST', message: 'refused for this test' } };
        return Promise.resolve(new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } }));
      }
      return fetch(input, init);
    };
    const helper = helpers();
    const { engine, db } = desk(helper.make, wrapped);
    expect(await engine.syncNow()).toBe('ok');
    // The last flight: on the last page, this thread's; the helper's page is checked the same way by the test above.
    const flights = (await db.flights.orderBy('id').toArray()).filter((f) => f.status === 'scheduled' && f.counts.awaitingCheckIn > 2);
    const flight = flights.at(-1)!;
    const [mine, theirs] = (await db.manifests.get(flight.id))!.passengers.filter((p) => p.status === 'booked' && p.cabin === 'Y') as [
      Passenger,
      Passenger,
    ];
    const other = await Synced.enrol(server.url, 'OTHER-TURNS');
    const seats = freeSeats(
      other.replica,
      other.replica.flights().find((f) => f.id === flight.id)!,
    );
    refusePush = true;
    const out = await checkIn(
      db,
      agent,
      { flightId: flight.id, passengerId: mine.id, seat: seats[0]!, bags: { count: 1, weightKg: 20 }, docsChecked: true, standby: false },
      clock,
    );
    expect(out, JSON.stringify(out)).toMatchObject({ ok: true });
    // The cache is rebuilt: the flight with a pending action stays (unconfirmed), and the next fill, in turns, finds it held.
    await dropCache(db);
    expect(await db.flights.get(flight.id)).toBeDefined();
    const pushed = await other.ws.push([other.checkIn(other.replica.passenger(theirs.id), seats[1]!)]);
    expect(pushed.results[0]!.status).toBe('applied');
    expect(await engine.syncNow()).toBe('failed');
    expect(engine.currentStatus.lastPull?.helperPages).toBe(1);
    expect(await db.flights.count()).toBe(6);
    expect(await db.outbox.count()).toBe(1);
    const shown = (await db.manifests.get(flight.id))!;
    expect(shown.base).not.toBeNull();
    expect(shown.passengers.find((p) => p.id === mine.id)).toMatchObject({ status: 'checked-in', seat: seats[0] });
    expect(shown.passengers.find((p) => p.id === theirs.id)).toMatchObject({ status: 'checked-in', seat: seats[1] });
    expect(shown.base!.passengers.find((p) => p.id === mine.id)).toMatchObject({ status: 'booked' });
  });

  it('stores a page that came out of turn again once the page before it is done, and takes it as no failure', async () => {
    let stores = 0;
    const helper = helpers((command) =>
      command.type === 'store' && ++stores === 1
        ? { type: 'failed', id: command.id, message: 'stored out of turn', outOfTurn: true }
        : 'pass',
    );
    const turns = desk(helper.make);
    expect(await turns.engine.syncNow()).toBe('ok');
    expect(stores).toBe(2);
    expect(turns.engine.currentStatus.lastPull?.helperPages).toBe(1);
    expect(helper.problems).toEqual([]);
    expect(await localCopy(turns.db)).toEqual(await oneThreadCopy());
  });

  it('stores nothing of a page whose transaction finds another cursor than the one the page before leaves', async () => {
    const alone = desk();
    expect(await alone.engine.syncNow()).toBe('ok');
    const before = await localCopy(alone.db);
    const cursor = (await alone.db.syncState.get('cursor'))?.value;
    const transport = new SyncHttpClient({ baseUrl: server.url, timeoutMs: 5_000 });
    const enrolment = await readEnrolment(alone.db);
    transport.setToken(enrolment!.token);
    const writer = new LocalFillWriter(alone.db, transport, { checkHeld: false });
    const fetched = await writer.fetch(
      { clientId: enrolment!.deviceId, station: 'LHR', cursor: null, maxFlights: 2 },
      clock().toISOString(),
    );
    expect(fetched).toMatchObject({ ok: true, next: { hasMore: true } });
    await Promise.all([alone.db.flights.clear(), alone.db.manifests.clear(), alone.db.searchIndex.clear()]);
    let opened = 0;
    await expect(writer.store({ after: 'bulk:some-other-page', onStarted: () => opened++ })).rejects.toThrow(OutOfTurn);
    expect(opened).toBe(1);
    expect((await alone.db.syncState.get('cursor'))?.value).toBe(cursor);
    expect(await alone.db.flights.count()).toBe(0);
    // The page is kept: in its turn, it is stored.
    const stored = await writer.store({ after: String(cursor), onStarted: () => opened++ });
    expect(stored.leaves).toBe(`bulk:${fetched.ok ? fetched.next.cursor : ''}`);
    expect((await alone.db.syncState.get('cursor'))?.value).toBe(stored.leaves);
    expect((await localCopy(alone.db)).flights).toEqual(before.flights.slice(0, 2));
  });

  it('refuses a page whose body does not start the next page where its header said, and stores nothing of it', async () => {
    let bulk = 0;
    // The second page's header says it is the last; its body says more is to come.
    const lying: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.endsWith('/v1/sync/bulk') || ++bulk !== 2) return response;
      const headers = new Headers(response.headers);
      headers.set(BULK_NEXT_HEADER, 'last');
      headers.delete('content-encoding');
      return new Response(await response.text(), { status: response.status, headers });
    };
    const alone = desk(undefined, lying);
    expect(await alone.engine.syncNow()).toBe('failed');
    expect(alone.engine.currentStatus.lastError?.kind).toBe('malformed');
    expect(alone.engine.currentStatus.lastError?.detail).toMatch(/header/);
    expect(await alone.db.flights.count()).toBe(2);
    expect(isBulkCursor(String((await alone.db.syncState.get('cursor'))?.value))).toBe(true);
    expect(await alone.engine.syncNow()).toBe('ok');
    expect(await localCopy(alone.db)).toEqual(await oneThreadCopy());
  });

  it('hears from the backend where the next page starts ahead of each page, in a header browsers may read', async () => {
    const ws = await Workstation.enrol(server.url, 'HEADER-WS');
    let cursor: string | null = null;
    for (let pages = 0; ; pages++) {
      const response = await fetch(`${server.url}/v1/sync/bulk`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${ws.token}`,
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
          origin: APP_ORIGIN,
        },
        body: JSON.stringify({ clientId: ws.deviceId, station: ws.station, cursor, maxFlights: 2 }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-expose-headers')?.split(/,\s*/)).toContain(BULK_NEXT_HEADER);
      const next = readBulkNextHeader(response.headers.get(BULK_NEXT_HEADER));
      const body = (await response.json()) as { cursor: string; hasMore: boolean };
      expect(next).toEqual(body.hasMore ? { cursor: body.cursor, hasMore: true } : { cursor: '', hasMore: false });
      if (!body.hasMore) {
        expect(pages).toBe(2);
        break;
      }
      cursor = body.cursor;
    }
  });
});

/**
 * A first fill in the bulk form (shared/protocol/bulk.ts, server/sync/bulk.ts) through the sync engine
 * against the real backend on loopback: it must leave exactly what the per-change feed leaves, resume
 * where it stopped, lose nothing written while it runs, refuse a tampered page whole, and keep what a
 * desk did on a flight that had not been confirmed yet.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clockStartingAt } from '../../shared/clock';
import type { Passenger } from '../../shared/domain/schemas';
import type { BulkRequest } from '../../shared/protocol/bulk';
import { checkIn } from '../../renderer/db/write-path';
import { dropCache } from '../../renderer/db/purge';
import type { BackstopDB } from '../../renderer/db/schema';
import { isBulkCursor } from '../../renderer/sync/apply-pull';
import type { EngineConfig, SyncEngine } from '../../renderer/sync/engine';
import { SyncHttpClient } from '../../renderer/sync/http';
import { startFaultProxy, type Fault } from '../support/fault-proxy';
import { memoryDatabase } from '../support/memory-db';
import { bookable, freeSeats, startTestServer, Synced, tempDir, TEST_NOW, type TestServer } from '../support/server-harness';
import { testEngine } from '../support/test-engine';
import { startRelay, type RunningRelay } from '../../relay/relay';

const clock = clockStartingAt(TEST_NOW);
const agent = { staffId: 'AG1001', role: 'agent' as const };
let server: TestServer;
const open: { engine: SyncEngine; db: BackstopDB }[] = [];

beforeAll(async () => {
  server = await startTestServer({ flights: 6, seed: 17 });
});
afterAll(() => server.cleanup());
afterEach(async () => {
  for (const { engine, db } of open.splice(0)) {
    await engine.stop();
    db.close();
  }
});

function desk(transport: SyncHttpClient, config: Partial<EngineConfig> = {}, name = 'BULK-WS'): { engine: SyncEngine; db: BackstopDB } {
  const db = memoryDatabase();
  const engine = testEngine({ db, transport, clock }, { workstation: name, bulkMaxFlights: 2, ...config });
  open.push({ engine, db });
  return { engine, db };
}

const urlOf = (input: string | URL | Request): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

const client = (baseUrl: string, fetchImpl?: typeof fetch) =>
  new SyncHttpClient({ baseUrl, timeoutMs: 5_000, ...(fetchImpl ? { fetch: fetchImpl } : {}) });

/** What a desk holds, without what differs between two desks by nature (arrival times, their own leases, search revisions). */
async function localCopy(db: BackstopDB) {
  const byId = <T extends { id: string }>(rows: T[]) => rows.sort((a, b) => a.id.localeCompare(b.id));
  return {
    flights: byId(await db.flights.toArray()).map(({ asOf: _asOf, ...f }) => f),
    manifests: (await db.manifests.orderBy('flightId').toArray()).map(({ asOf: _asOf, ...m }) => m),
    search: (await db.searchIndex.orderBy('flightId').toArray()).map((d) => ({ flightId: d.flightId, text: d.text })),
    stations: await db.stations.toArray(),
    seatMaps: byId(await db.seatMaps.toArray()),
    staff: byId(await db.staff.toArray()),
    leases: await db.leases.count(),
    complete: (await db.syncState.get('lastCompleteSyncAt')) !== undefined,
  };
}

/** Only the bulk route misbehaves, as scripted per bulk request (1-based). */
function bulkFaults(script: Record<number, Fault>): (path: string) => Fault {
  let n = 0;
  return (path) => (path === '/v1/sync/bulk' ? (script[++n] ?? 'pass') : 'pass');
}

describe('a first fill in the bulk form', () => {
  it('leaves exactly the local database a fill from the per-change feed leaves', async () => {
    const proxy = await startFaultProxy(server.url, () => 'pass');
    try {
      const bulk = desk(client(proxy.url), {}, 'BULK-A');
      const feed = desk(client(server.url), { bulkFill: false }, 'FEED-B');
      expect(await bulk.engine.syncNow()).toBe('ok');
      expect(await feed.engine.syncNow()).toBe('ok');
      // Six flights, two a page: three bulk pages, then the feed from the snapshot.
      expect(proxy.log.filter((l) => l.path === '/v1/sync/bulk')).toHaveLength(3);
      const [a, b] = [await localCopy(bulk.db), await localCopy(feed.db)];
      expect(a.flights.length).toBe(6);
      expect(a.manifests.reduce((n, m) => n + m.passengers.length, 0)).toBeGreaterThan(100);
      expect(a.leases).toBeGreaterThan(0);
      expect(a).toEqual(b);
      expect(isBulkCursor(String((await bulk.db.syncState.get('cursor'))?.value))).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('resumes an interrupted bulk fill after the last page it stored, not from the start', async () => {
    const proxy = await startFaultProxy(server.url, bulkFaults({ 2: 'drop' }));
    try {
      const { engine, db } = desk(client(proxy.url));
      expect(await engine.syncNow()).toBe('failed');
      const stored = (await db.syncState.get('cursor'))?.value;
      expect(isBulkCursor(String(stored))).toBe(true);
      expect(await db.flights.count()).toBe(2);
      expect(await engine.syncNow()).toBe('ok');
      // 1 stored, 1 dropped, then the 2 left: a restart from scratch would have asked 3 more times.
      expect(proxy.log.filter((l) => l.path === '/v1/sync/bulk')).toHaveLength(4);
      const reference = desk(client(server.url), { bulkFill: false }, 'FEED-REF');
      expect(await reference.engine.syncNow()).toBe('ok');
      expect(await localCopy(db)).toEqual(await localCopy(reference.db));
    } finally {
      await proxy.close();
    }
  });

  it('loses nothing committed while the fill runs: on flights already sent and on flights still to come', async () => {
    const other = await Synced.enrol(server.url, 'OTHER-DESK');
    const flights = other.replica
      .flights()
      .filter((f) => f.status === 'scheduled' && other.replica.leases(f.id).length > 0 && bookable(other.replica, f.id).length > 0)
      .sort((x, y) => x.id.localeCompare(y.id));
    const [early, late] = [flights[0]!, flights.at(-1)!];
    expect(early.id).not.toBe(late.id);
    const targets: Passenger[] = [bookable(other.replica, early.id)[0]!, bookable(other.replica, late.id)[0]!];
    // After the first bulk page (which holds the earliest flights) is answered, another desk checks both in.
    let pages = 0;
    const racing = client(server.url);
    const bulkOf = racing.bulk.bind(racing);
    racing.bulk = async (body: BulkRequest, signal?: AbortSignal) => {
      const result = await bulkOf(body, signal);
      if (++pages === 1) {
        const pushed = await other.ws.push(
          targets.map((p) => other.checkIn(p, freeSeats(other.replica, p.flightId === early.id ? early : late)[0]!)),
        );
        expect(pushed.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      }
      return result;
    };
    const { engine, db } = desk(racing);
    expect(await engine.syncNow()).toBe('ok');
    for (const p of targets) {
      const local = (await db.manifests.get(p.flightId))!.passengers.find((x) => x.id === p.id);
      expect(local).toMatchObject({ status: 'checked-in', checkedInBy: 'AG1001' });
    }
    const reference = desk(client(server.url), { bulkFill: false }, 'FEED-REF');
    expect(await reference.engine.syncNow()).toBe('ok');
    // Where a passenger sits in the stored list follows arrival; the lists themselves must be the same.
    const sorted = async (d: BackstopDB) =>
      (await localCopy(d)).manifests.map((m) => ({ ...m, passengers: [...m.passengers].sort((x, y) => x.id.localeCompare(y.id)) }));
    expect(await sorted(db)).toEqual(await sorted(reference.db));
  });

  const tampering: [
    string,
    (page: { flights: { pax: { n: number; c: Record<string, unknown[]> }; flight: Record<string, unknown> }[] }) => void,
  ][] = [
    ['a PNR that is not one', (p) => void (p.flights[1]!.pax.c.pnr![3] = 'abc123')],
    ['a column one value short', (p) => void p.flights[0]!.pax.c.seat!.pop()],
    ['a passenger count that does not match its columns', (p) => void (p.flights[0]!.pax.n += 1)],
    ['a missing column', (p) => void delete p.flights[1]!.pax.c.eticket],
    ['a flight without its departure time', (p) => void delete p.flights[0]!.flight.std],
    ['an unknown seat given as an object', (p) => void (p.flights[0]!.pax.c.seat![0] = { toString: '1A' })],
  ];
  for (const [what, tamper] of tampering) {
    it(`refuses a bulk page with ${what} whole: nothing of it is stored, and the next clean fill succeeds`, async () => {
      let tampered = 0;
      const hostile: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (!urlOf(input).endsWith('/v1/sync/bulk') || tampered > 0) return response;
        tampered++;
        const page = (await response.json()) as Parameters<typeof tamper>[0];
        tamper(page);
        return new Response(JSON.stringify(page), { status: 200, headers: { 'content-type': 'application/json' } });
      };
      const { engine, db } = desk(client(server.url, hostile));
      expect(await engine.syncNow()).toBe('failed');
      expect(engine.currentStatus.lastError).toMatchObject({ kind: 'malformed' });
      expect(await db.flights.count()).toBe(0);
      expect(await db.manifests.count()).toBe(0);
      expect(await db.staff.count()).toBe(0);
      expect(await db.syncState.get('cursor')).toBeUndefined();
      expect(await engine.syncNow()).toBe('ok');
      expect(await db.flights.count()).toBe(6);
    });
  }

  it('refuses a bulk page cut short in transit and stores nothing of it', async () => {
    const proxy = await startFaultProxy(server.url, bulkFaults({ 1: 'truncate' }));
    try {
      const { engine, db } = desk(client(proxy.url));
      expect(await engine.syncNow()).toBe('failed');
      expect(engine.currentStatus.lastError).toMatchObject({ kind: 'malformed' });
      expect(await db.flights.count()).toBe(0);
      expect(await engine.syncNow()).toBe('ok');
      expect(await db.flights.count()).toBe(6);
    } finally {
      await proxy.close();
    }
  });

  it('fills from the feed when the backend has no bulk form (an older version), and asks it only once', async () => {
    let asked = 0;
    const older: typeof fetch = (input, init) => {
      if (urlOf(input).endsWith('/v1/sync/bulk')) {
        asked++;
        const body = { error: { code: 'NOT_FOUND', message: 'Route POST:/v1/sync/bulk not found' } };
        return Promise.resolve(new Response(JSON.stringify(body), { status: 404, headers: { 'content-type': 'application/json' } }));
      }
      return fetch(input, init);
    };
    const { engine, db } = desk(client(server.url, older));
    expect(await engine.syncNow()).toBe('ok');
    expect(await engine.syncNow()).toBe('ok');
    await dropCache(db);
    expect(await engine.syncNow()).toBe('ok');
    expect(asked).toBe(1);
    expect(await db.flights.count()).toBe(6);
    expect((await db.manifests.toArray()).every((m) => m.passengers.length > 0)).toBe(true);
  });

  it('keeps a pending local check-in on a flight across a bulk fill, on top of what the backend sends', async () => {
    let refusePush = false;
    let bulkRequests = 0;
    const wrapped: typeof fetch = (input, init) => {
      if (urlOf(input).endsWith('/v1/sync/bulk')) bulkRequests++;
      if (refusePush && urlOf(input).endsWith('/v1/sync/push')) {
        const body = { error: { code: 'BAD_REQUEST', message: 'refused for this test' } };
        return Promise.resolve(new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json' } }));
      }
      return fetch(input, init);
    };
    const { engine, db } = desk(client(server.url, wrapped), {}, 'REBASE-WS');
    expect(await engine.syncNow()).toBe('ok');
    const flight = (await db.flights.toArray()).find((f) => f.status === 'scheduled' && f.counts.awaitingCheckIn > 2)!;
    const [mine, theirs] = (await db.manifests.get(flight.id))!.passengers.filter((p) => p.status === 'booked') as [Passenger, Passenger];
    const other = await Synced.enrol(server.url, 'OTHER-REBASE');
    const seats = freeSeats(
      other.replica,
      other.replica.flights().find((f) => f.id === flight.id)!,
    );
    const out = await checkIn(
      db,
      agent,
      { flightId: flight.id, passengerId: mine.id, seat: seats[0]!, bags: { count: 1, weightKg: 20 }, docsChecked: true, standby: false },
      clock,
    );
    expect(out.ok).toBe(true);
    // The cache is rebuilt (the backend's database was replaced): the flight with a pending action stays, unconfirmed.
    await dropCache(db);
    const pushed = await other.ws.push([other.checkIn(other.replica.passenger(theirs.id), seats[1]!)]);
    expect(pushed.results[0]!.status).toBe('applied');
    // The push is refused for now: the cycle still fills, with the action still pending.
    refusePush = true;
    const before = bulkRequests;
    expect(await engine.syncNow()).toBe('failed');
    expect(bulkRequests).toBeGreaterThan(before);
    expect(await db.outbox.count()).toBe(1);
    const shown = (await db.manifests.get(flight.id))!;
    expect(shown.base).not.toBeNull();
    expect(shown.passengers.find((p) => p.id === mine.id)).toMatchObject({ status: 'checked-in', seat: seats[0] });
    expect(shown.passengers.find((p) => p.id === theirs.id)).toMatchObject({ status: 'checked-in', seat: seats[1] });
    expect(shown.base!.passengers.find((p) => p.id === mine.id)).toMatchObject({ status: 'booked' });
    expect((await db.flights.get(flight.id))!.version).toBeGreaterThan(0);
  });
});

describe('a first fill in the bulk form from a station relay', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startRelay({
      upstream: server.url,
      station: 'LHR',
      dataDir: tempDir(),
      port: 0,
      upstreamEnrolmentKey: 'backstop-demo',
      now: () => TEST_NOW,
      random: () => 0.5,
      logLevel: 'silent',
    });
    for (let i = 0; i < 200 && !relay.upstream().centralAsOf; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(relay.upstream().centralAsOf).not.toBeNull();
  });
  afterAll(() => relay.close());

  it('leaves what a fill from central leaves, and the desk knows it talks to a relay', async () => {
    const proxy = await startFaultProxy(relay.url, () => 'pass');
    try {
      const atRelay = desk(client(proxy.url), {}, 'RELAY-DESK');
      const atCentral = desk(client(server.url), { bulkFill: false }, 'CENTRAL-DESK');
      expect(await atRelay.engine.syncNow()).toBe('ok');
      expect(await atCentral.engine.syncNow()).toBe('ok');
      expect(proxy.log.filter((l) => l.path === '/v1/sync/bulk').length).toBeGreaterThan(0);
      const { leases: _a, ...fromRelay } = await localCopy(atRelay.db);
      const { leases: _b, ...fromCentral } = await localCopy(atCentral.db);
      // Where a passenger sits in the stored list follows arrival order, which differs between two feeds.
      const sorted = (c: typeof fromRelay) => ({
        ...c,
        manifests: c.manifests.map((m) => ({ ...m, passengers: [...m.passengers].sort((x, y) => x.id.localeCompare(y.id)) })),
        flights: c.flights.map(({ version: _v, ...f }) => f),
      });
      expect(sorted(fromRelay)).toEqual(sorted(fromCentral));
      expect((await atRelay.db.syncState.get('source'))?.value).toMatchObject({ relay: true });
    } finally {
      await proxy.close();
    }
  });
});

/**
 * The workstation's sync engine against the real reference backend on loopback (real HTTP, real
 * SQLite), with the local database in fake-indexeddb. The same engine runs in the app's worker;
 * the Chromium suite in e2e/ covers it with real IndexedDB.
 */
import { strings } from '../../renderer/strings';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Passenger } from '../../shared/domain/schemas';
import { flightFigures } from '../../shared/domain/headcount';
import type { BackstopDB } from '../../renderer/db/schema';
import { memoryDatabase } from '../support/memory-db';
import { testEngine } from '../support/test-engine';
import { checkIn, perform } from '../../renderer/db/write-path';
import type { EngineConfig, EngineEvent, SyncEngine } from '../../renderer/sync/engine';
import { SyncHttpClient } from '../../renderer/sync/http';
import {
  bookable,
  freeSeats,
  openFlights,
  startTestServer,
  Synced,
  TEST_NOW,
  type Replica,
  type TestServer,
} from '../support/server-harness';
import { clockStartingAt } from '../../shared/clock';
import { startFaultProxy, type Fault, type FaultProxy } from '../support/fault-proxy';

const agent = { staffId: 'AG1001', role: 'agent' as const };
/** The workstations live on the test backend's date (its clock is pinned to TEST_NOW). */
const clock = clockStartingAt(TEST_NOW);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ flights: 6, seed: 11 });
});
afterAll(() => server.cleanup());

/** An engine the test drives cycle by cycle, with test-sized backoff and breaker pauses. */
function engineFor(
  db: BackstopDB,
  baseUrl: string,
  events: EngineEvent[] = [],
  name = 'TEST-WS',
  config: Partial<EngineConfig> = {},
  timeoutMs = 5_000,
) {
  return testEngine(
    { db, transport: new SyncHttpClient({ baseUrl, timeoutMs }), clock, emit: (e) => events.push(e) },
    { workstation: name, ...config },
  );
}

/** What the backend holds now, read through a fresh workstation of its own. */
async function serverState(): Promise<Replica> {
  const observer = await Synced.enrol(server.url, 'OBSERVER');
  return observer.replica;
}

describe('sync engine against the reference backend', () => {
  let db: BackstopDB;
  let engine: SyncEngine;
  afterEach(async () => {
    await engine?.stop();
    db?.close();
  });

  it('fills an empty workstation on the first sync, with progress, and matches the backend exactly', async () => {
    db = memoryDatabase();
    const events: EngineEvent[] = [];
    engine = engineFor(db, server.url, events);
    expect(await engine.syncNow()).toBe('ok');
    const state = await serverState();
    const flights = await db.flights.toArray();
    expect(flights.map((f) => f.id).sort()).toEqual(
      state
        .flights()
        .map((f) => f.id)
        .sort(),
    );
    for (const f of flights) {
      const manifest = await db.manifests.get(f.id);
      const expected = state.passengers(f.id);
      expect(manifest!.passengers.length).toBe(expected.length);
      expect(f.counts).toEqual(flightFigures(expected));
    }
    expect(await db.staff.count()).toBeGreaterThan(0);
    expect(await db.leases.count()).toBeGreaterThan(0);
    const progress = events.flatMap((e) => (e.type === 'status' && e.status.progress ? [e.status.progress] : []));
    expect(progress.some((p) => p.initial && p.passengers > 0 && p.bytes > 0)).toBe(true);
    expect(engine.currentStatus.lastCompleteSyncAt).not.toBeNull();
  });

  it('sends actions taken offline when the network is back, and the backend ends in the same state', async () => {
    db = memoryDatabase();
    engine = engineFor(db, server.url);
    await engine.syncNow();
    const flight = (await db.flights.toArray()).find((f) => f.status === 'scheduled' && f.counts.awaitingCheckIn > 2)!;
    const state = await serverState();
    const candidates = bookable(state, flight.id).slice(0, 2);
    const seats = freeSeats(
      state,
      state.flights().find((f) => f.id === flight.id)!,
    );
    expect(candidates.length).toBe(2);
    // Offline: the same workstation pointed at an address that answers nothing.
    const offline = engineFor(db, 'http://127.0.0.1:9');
    for (const [i, p] of candidates.entries()) {
      const out = await checkIn(
        db,
        agent,
        { flightId: flight.id, passengerId: p.id, seat: seats[i]!, bags: { count: 1, weightKg: 18 }, docsChecked: true, standby: false },
        clock,
      );
      expect(out.ok).toBe(true);
    }
    const boarded = await perform(
      db,
      agent,
      { type: 'passenger.board', args: { flightId: flight.id, passengerId: candidates[0]!.id, via: 'scan' } },
      clock,
    );
    expect(boarded.ok).toBe(true);
    expect(await offline.syncNow()).toBe('failed');
    expect(await db.outbox.count()).toBe(3);
    await offline.stop();

    expect(await engine.syncNow()).toBe('ok');
    expect(await db.outbox.count()).toBe(0);
    expect(await db.outcomes.count()).toBe(0);
    const after = await serverState();
    const [first, second] = candidates.map((p) => after.passenger(p.id));
    expect(first).toMatchObject({ status: 'boarded', seat: seats[0], checkedInBy: 'AG1001', boardedBy: 'AG1001' });
    expect(second).toMatchObject({ status: 'checked-in', seat: seats[1] });
    // The local copy now is the backend's state, with nothing left to rebase.
    const local = await db.manifests.get(flight.id);
    expect(local!.base).toBeNull();
    expect(local!.passengers.find((p) => p.id === first!.id)).toEqual(first);
  });

  it('keeps both check-ins when two offline workstations give away the same seat: the earlier keeps it, both desks show the other flagged', async () => {
    db = memoryDatabase();
    const other = memoryDatabase();
    engine = engineFor(db, server.url, [], 'DESK-1');
    const otherEngine = engineFor(other, server.url, [], 'DESK-2');
    await Promise.all([engine.syncNow(), otherEngine.syncNow()]);
    const state = await serverState();
    const flight = state.flights().find((f) => f.status === 'scheduled' && bookable(state, f.id).length >= 2)!;
    const [a, b] = bookable(state, flight.id) as [Passenger, Passenger];
    const seat = freeSeats(state, flight)[0]!;
    const req = (p: Passenger) => ({
      flightId: flight.id,
      passengerId: p.id,
      seat,
      bags: { count: 0, weightKg: 0 },
      docsChecked: true,
      standby: false,
    });
    expect((await checkIn(db, agent, req(a), clock)).ok).toBe(true);
    expect((await checkIn(other, { staffId: 'AG1002', role: 'agent' }, req(b), clock)).ok).toBe(true);
    await engine.syncNow();
    await otherEngine.syncNow();
    const outcome = (await other.outcomes.toArray())[0];
    expect(outcome).toMatchObject({ status: 'applied', flags: ['RESEAT', 'REPRINT'], passengerId: b.id, acknowledged: 1 });
    // The losing desk never shows its passenger as not checked in: accepted, seat to be given again.
    const shown = (await other.manifests.get(flight.id))!.passengers.find((p) => p.id === b.id)!;
    expect(shown).toMatchObject({ status: 'checked-in', seat: null });
    expect(shown.flags?.[0]).toMatchObject({ code: 'RESEAT', lostSeat: seat });
    // After one more round both desks hold the same state as the backend.
    await engine.syncNow();
    const [mine, theirs] = await Promise.all([db.manifests.get(flight.id), other.manifests.get(flight.id)]);
    expect(mine!.passengers).toEqual(theirs!.passengers);
    expect((await serverState()).passengers(flight.id)).toEqual(expect.arrayContaining(theirs!.passengers));
    await otherEngine.stop();
    other.close();
  });

  it('resumes an interrupted first sync from the feed from the last stored page', async () => {
    db = memoryDatabase();
    let pages = 0;
    const proxy = await startFaultProxy(server.url, (path) => (path === '/v1/sync/pull' && ++pages === 3 ? 'drop' : 'pass'));
    engine = engineFor(db, proxy.url, [], 'RESUME', { pullMaxChanges: 100, pullMaxBytes: 1_048_576, bulkFill: false }, 5_000);
    expect(await engine.syncNow()).toBe('failed');
    const cursorAfterFailure = (await db.syncState.get('cursor'))?.value;
    expect(typeof cursorAfterFailure).toBe('string');
    const pulledBefore = proxy.log.filter((l) => l.path === '/v1/sync/pull').length;
    expect(await engine.syncNow()).toBe('ok');
    const state = await serverState();
    expect(await db.flights.count()).toBe(state.flights().length);
    const total = (await db.manifests.toArray()).reduce((n, m) => n + m.passengers.length, 0);
    expect(total).toBe(state.passengers().length);
    expect(pulledBefore).toBeGreaterThanOrEqual(3);
    await proxy.close();
  });

  it('rejects a truncated or malformed pull page of the feed whole, stores nothing from it, and recovers', async () => {
    db = memoryDatabase();
    let n = 0;
    const proxy = await startFaultProxy(server.url, (path) => (path === '/v1/sync/pull' && ++n === 2 ? 'truncate' : 'pass'));
    engine = engineFor(db, proxy.url, [], 'TRUNC', { pullMaxChanges: 200, pullMaxBytes: 1_048_576, bulkFill: false }, 5_000);
    expect(await engine.syncNow()).toBe('failed');
    expect(engine.currentStatus.lastError).toMatchObject({ kind: 'malformed' });
    const afterFirstPage = (await db.manifests.toArray()).reduce((k, m) => k + m.passengers.length, 0);
    expect(await engine.syncNow()).toBe('ok');
    const total = (await db.manifests.toArray()).reduce((k, m) => k + m.passengers.length, 0);
    expect(total).toBe((await serverState()).passengers().length);
    expect(afterFirstPage).toBeLessThan(total);
    await proxy.close();
  });
});

describe('a workstation whose token the backend no longer accepts', () => {
  it('enrols again, keeps its leases, and its offline check-in is accepted', async () => {
    const db = memoryDatabase();
    const engine = engineFor(db, server.url);
    try {
      expect(await engine.syncNow()).toBe('ok');
      const state = await serverState();
      const flight = openFlights(state).find((f) => bookable(state, f.id).length > 0)!;
      const pax = bookable(state, flight.id)[0]!;
      const out = await checkIn(
        db,
        agent,
        {
          flightId: flight.id,
          passengerId: pax.id,
          seat: freeSeats(state, flight)[0]!,
          bags: { count: 0, weightKg: 0 },
          docsChecked: true,
          standby: false,
        },
        clock,
      );
      expect(out.ok).toBe(true);
      const oldDevice = (await db.syncState.get('deviceId'))?.value;
      // The backend stops accepting the token (revoked, say): it answers 401 UNAUTHORIZED.
      await db.syncState.put({ key: 'token', value: 'revoked-token-revoked-token-revoked-token' });
      for (let i = 0; i < 4 && (await engine.syncNow()) !== 'ok'; i++) await new Promise((r) => setTimeout(r, 5));
      expect((await db.syncState.get('deviceId'))?.value).not.toBe(oldDevice);
      expect(await db.outcomes.toArray()).toEqual([]);
      const seqNo = out.ok ? out.passengers[0]!.seqNo : null;
      expect((await serverState()).passenger(pax.id)).toMatchObject({ status: 'checked-in', seqNo });
      // Its cache was kept: every flight is still there.
      expect(await db.flights.count()).toBe(state.flights().length);
    } finally {
      await engine.stop();
      db.close();
    }
  });

  it('does not forget anything when a proxy in between answers 403 with its own page', async () => {
    const db = memoryDatabase();
    const proxy = await startFaultProxy(server.url);
    const engine = engineFor(db, proxy.url);
    try {
      expect(await engine.syncNow()).toBe('ok');
      const before = {
        flights: await db.flights.count(),
        leases: await db.leases.count(),
        device: (await db.syncState.get('deviceId'))?.value,
      };
      proxy.setFaults(() => 'forbidden-html');
      expect(await engine.syncNow()).toBe('failed');
      expect(engine.currentStatus.lastError).toMatchObject({ kind: 'server', status: 403, code: null });
      expect({
        flights: await db.flights.count(),
        leases: await db.leases.count(),
        device: (await db.syncState.get('deviceId'))?.value,
      }).toEqual(before);
    } finally {
      await engine.stop();
      db.close();
      await proxy.close();
    }
  });
});

describe('a backend that speaks another protocol version', () => {
  it('stops syncing with a clear message, keeps every unsent action, and resumes when it speaks ours again', async () => {
    const db = memoryDatabase();
    const proxy = await startFaultProxy(server.url);
    const engine = engineFor(db, proxy.url);
    try {
      expect(await engine.syncNow()).toBe('ok');
      const flight = (await db.flights.toArray()).find((f) => f.status === 'scheduled' && f.counts.awaitingCheckIn > 0)!;
      const booked = (await db.manifests.get(flight.id))!.passengers.find((p) => p.status === 'booked' && p.paxType === 'ADT')!;
      expect(
        (await perform(db, agent, { type: 'passenger.noShow', args: { flightId: flight.id, passengerId: booked.id } }, clock)).ok,
      ).toBe(true);
      proxy.setFaults(() => 'protocol-mismatch');
      expect(await engine.syncNow()).toBe('failed');
      expect(engine.currentConnectivity.incompatible).toMatchObject({ kind: 'protocol' });
      expect(strings.sync.problem(engine.currentConnectivity.incompatible!)).toMatch(
        /cannot sync with the backend.*unsent actions, is kept/,
      );
      expect(await engine.syncNow()).toBe('skipped');
      expect(await db.outbox.count()).toBe(1);
      // A canary backend rolled back: the health probe gets an answer in our protocol again.
      proxy.setFaults(() => 'pass');
      await engine.probe();
      expect(engine.currentConnectivity.incompatible).toBeNull();
      for (let i = 0; i < 3 && (await db.outbox.count()) > 0; i++) await engine.syncNow();
      expect(await db.outbox.count()).toBe(0);
    } finally {
      await engine.stop();
      db.close();
      await proxy.close();
    }
  });
});

describe('a backend that lost its database', () => {
  it('enrols again, renumbers unsent actions, and rebuilds the local copy from the new backend', async () => {
    const first = await startTestServer({ flights: 4, seed: 21 });
    const db = memoryDatabase();
    const engine = engineFor(db, first.url);
    expect(await engine.syncNow()).toBe('ok');
    const oldFlights = (await db.flights.toArray()).map((f) => f.id);
    const flight = (await db.flights.toArray()).find((f) => f.status === 'scheduled' && f.counts.awaitingCheckIn > 0)!;
    const booked = (await db.manifests.get(flight.id))!.passengers.find((p) => p.status === 'booked' && p.paxType === 'ADT')!;
    expect((await perform(db, agent, { type: 'passenger.noShow', args: { flightId: flight.id, passengerId: booked.id } }, clock)).ok).toBe(
      true,
    );
    const port = first.port;
    await first.cleanup();

    // A new, empty backend database answers on the same address, with different demo data.
    const second = await startTestServer({ flights: 3, seed: 99, port });
    try {
      for (let i = 0; i < 5 && (await engine.syncNow()) !== 'ok'; i++) await new Promise((r) => setTimeout(r, 5));
      expect(engine.currentStatus.lastError).toBeNull();
      const state = (await Synced.enrol(second.url, 'OBS')).replica;
      const local = (await db.flights.toArray()).map((f) => f.id).sort();
      // The new backend's flights, plus nothing stale from the old one…
      expect(local).toEqual(
        state
          .flights()
          .map((f) => f.id)
          .sort(),
      );
      expect(local.filter((id) => oldFlights.includes(id) && !state.flights().some((f) => f.id === id))).toEqual([]);
      // …and the unsent action was sent, and the new backend (which never knew that flight) said so.
      expect(await db.outbox.count()).toBe(0);
      expect(await db.outcomes.toArray()).toEqual([expect.objectContaining({ status: 'rejected', code: 'FLIGHT_NOT_FOUND' })]);
    } finally {
      await engine.stop();
      db.close();
      await second.cleanup();
    }
  });
});

describe('every action lands exactly once through a network that drops, delays, truncates and fails', () => {
  let proxy: FaultProxy;
  let db: BackstopDB;
  afterEach(async () => {
    await proxy?.close();
    db?.close();
  });

  it('drains the outbox through injected faults with no loss and no double application', async () => {
    db = memoryDatabase();
    proxy = await startFaultProxy(server.url, () => 'pass', 50);
    const engine = engineFor(db, proxy.url, [], 'FAULTY', { pushBatchSize: 7 }, 2_000);
    expect(await engine.syncNow()).toBe('ok');

    // Check in and board a whole planeload locally.
    const state = await serverState();
    const flight = state.flights().find((f) => f.status === 'scheduled' && bookable(state, f.id).length >= 20)!;
    const pax = bookable(state, flight.id).slice(0, 20);
    const seats = freeSeats(state, flight);
    for (const [i, p] of pax.entries()) {
      const out = await checkIn(
        db,
        agent,
        { flightId: flight.id, passengerId: p.id, seat: seats[i]!, bags: { count: 1, weightKg: 20 }, docsChecked: true, standby: false },
        clock,
      );
      expect(out.ok, out.ok ? '' : out.message).toBe(true);
      expect(
        (await perform(db, agent, { type: 'passenger.board', args: { flightId: flight.id, passengerId: p.id, via: 'scan' } }, clock)).ok,
      ).toBe(true);
    }
    expect(await db.outbox.count()).toBe(40);

    const faults: Fault[] = ['drop-after', 'truncate', 'error-500', 'drop', 'delay', 'pass', 'drop-after', 'pass'];
    let i = 0;
    proxy.setFaults((path) => (path.startsWith('/v1/sync/') ? faults[i++ % faults.length]! : 'pass'));
    for (let attempt = 0; attempt < 60 && (await db.outbox.count()) > 0; attempt++) {
      // A skipped cycle means the circuit breaker is open: give it its (test-sized) pause.
      if ((await engine.syncNow()) === 'skipped') await new Promise((r) => setTimeout(r, 5));
    }
    proxy.setFaults(() => 'pass');
    await new Promise((r) => setTimeout(r, 5));
    const final = await engine.syncNow();
    expect(final, JSON.stringify(engine.currentStatus.lastError)).toBe('ok');
    await engine.stop();

    expect(await db.outbox.count()).toBe(0);
    // Nothing was refused: re-sent pushes got their original answers, not "already boarded".
    expect(await db.outcomes.toArray()).toEqual([]);
    const after = await serverState();
    for (const [i, p] of pax.entries()) expect(after.passenger(p.id)).toMatchObject({ status: 'boarded', seat: seats[i] });
    const seqs = after.passengers(flight.id).flatMap((p) => (p.seqNo === null ? [] : [p.seqNo]));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(proxy.log.filter((l) => l.fault === 'drop-after').length).toBeGreaterThan(0);
  });
});

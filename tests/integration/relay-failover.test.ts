/**
 * Workstations with two backends — a station relay first, central second — against the real
 * reference backend and a real relay on loopback (real HTTP, real SQLite), each link behind a proxy
 * that can cut it; the workstations' databases in fake-indexeddb. The sync engine is driven cycle by
 * cycle (the long poll and timers are the app's; here the test says when). Chromium runs the same
 * in e2e/relay.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIn, perform } from '../../renderer/db/write-path';
import type { BackstopDB } from '../../renderer/db/schema';
import type { SyncEngine } from '../../renderer/sync/engine';
import { SyncHttpClient } from '../../renderer/sync/http';
import { startRelay, type RunningRelay } from '../../relay/relay';
import { clockStartingAt } from '../../shared/clock';
import type { Passenger } from '../../shared/domain/schemas';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { memoryDatabase } from '../support/memory-db';
import { testEngine } from '../support/test-engine';
import {
  bookable,
  freeSeats,
  inspectDatabase,
  startTestServer,
  Synced,
  tempDir,
  TEST_NOW,
  type TestServer,
} from '../support/server-harness';

const clock = clockStartingAt(TEST_NOW);
const agent = { staffId: 'AG1001', role: 'agent' as const };
const supervisor = { staffId: 'SU9001', role: 'supervisor' as const };

let central: TestServer;
/** relay → central (the station's WAN link). */
let wan: FaultProxy;
let relay: RunningRelay;

interface Desk {
  db: BackstopDB;
  engine: SyncEngine;
  /** desk → relay, desk → central. */
  toRelay: FaultProxy;
  toCentral: FaultProxy;
}

const desks: Desk[] = [];

async function desk(name: string): Promise<Desk> {
  const toRelay = await startFaultProxy(relay.url);
  const toCentral = await startFaultProxy(central.url);
  const db = memoryDatabase();
  const sources = [toRelay.url, toCentral.url].map((url) => ({ url, transport: new SyncHttpClient({ baseUrl: url, timeoutMs: 5_000 }) }));
  const engine = testEngine(
    { db, transport: sources[0]!.transport, sources, clock },
    { workstation: name, breaker: { failureThreshold: 100, openMs: 1 } },
  );
  const d = { db, engine, toRelay, toCentral };
  desks.push(d);
  await engine.probe();
  expect(await engine.syncNow()).toBe('ok');
  return d;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Syncs (probing first, as the app's timers would) until the outbox is empty: central has answered everything. */
async function drain(d: Desk): Promise<void> {
  await until('the outbox to empty', async () => {
    await d.engine.probe();
    await d.engine.syncNow();
    return (await d.db.outbox.count()) === 0;
  });
}

async function shown(d: Desk, flightId: string, passengerId: string): Promise<Passenger | undefined> {
  return (await d.db.manifests.get(flightId))?.passengers.find((p) => p.id === passengerId);
}

/**
 * How many times central recorded each action in a flight's ledger: its effect. (Its log may hold an
 * action twice when two paths brought it — the relay and the desk itself — the second answered from
 * the first, with no effect of its own.)
 */
async function centralFacts(): Promise<Map<string, number>> {
  const probe = await inspectDatabase(central);
  try {
    const rows = await probe.all<{ id: string; n: number }>(
      'SELECT mutation_id AS id, count(*) AS n FROM ledger_fact GROUP BY mutation_id',
    );
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  } finally {
    await probe.close();
  }
}

/** How many times central's log holds each action (once per path that brought it). */
async function centralLog(): Promise<Map<string, number>> {
  const probe = await inspectDatabase(central);
  try {
    const rows = await probe.all<{ id: string; n: number }>('SELECT id, count(*) AS n FROM mutation_log GROUP BY id');
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  } finally {
    await probe.close();
  }
}

async function allIds(d: Desk): Promise<string[]> {
  return (await d.db.audit.toArray()).flatMap((a) => (a.mutationId ? [a.mutationId] : []));
}

function request(flightId: string, p: Passenger, seat: string | null) {
  return { flightId, passengerId: p.id, seat, bags: { count: 1, weightKg: 20 }, docsChecked: true, standby: seat === null };
}

beforeAll(async () => {
  central = await startTestServer({ flights: 6, seed: 41 });
  wan = await startFaultProxy(central.url);
  const dataDir = tempDir('backstop-relay-');
  relay = await startRelay({
    upstream: wan.url,
    station: 'LHR',
    dataDir,
    port: 0,
    upstreamEnrolmentKey: 'backstop-demo',
    now: () => TEST_NOW,
    random: () => 0.5,
    logLevel: 'silent',
  });
  await until('the relay to copy central', async () => relay.upstream().centralAsOf);
});

afterAll(async () => {
  for (const d of desks) {
    await d.engine.stop();
    d.db.close();
    await d.toRelay.close();
    await d.toCentral.close();
  }
  await relay?.close();
  await wan?.close();
  await central?.cleanup();
});

describe('two desks at a station relay while central is cut off', () => {
  it('see each other’s actions, cannot give a taken seat away, and central gets every action once when it is back', async () => {
    const a = await desk('DESK-A');
    const b = await desk('DESK-B');
    expect(a.engine.currentStatus.source).toMatchObject({ index: 0, relay: true });
    const state = (await Synced.enrol(central.url, 'OBSERVER')).replica;
    const flight = state.flights().find((f) => f.status === 'scheduled' && bookable(state, f.id).length >= 3)!;
    const [p1, p2, p3] = bookable(state, flight.id) as [Passenger, Passenger, Passenger];
    const seat = freeSeats(state, flight)[0]!;

    // The WAN goes: neither the relay nor the desks reach central.
    wan.setFaults(() => 'drop');
    for (const d of [a, b]) d.toCentral.setFaults(() => 'drop');

    expect((await checkIn(a.db, agent, request(flight.id, p1, seat), clock)).ok).toBe(true);
    expect(await a.engine.syncNow()).toBe('ok');
    expect(await b.engine.syncNow()).toBe('ok');
    expect(await shown(b, flight.id, p1.id)).toMatchObject({ status: 'checked-in', seat });
    // Desk B cannot give the seat away: its copy shows it taken.
    const refused = await checkIn(b.db, { staffId: 'AG1002', role: 'agent' }, request(flight.id, p2, seat), clock);
    expect(refused).toMatchObject({ ok: false, code: 'SEAT_TAKEN' });

    // Desk B boards the passenger desk A checked in, with A's pass.
    const seqNo = (await shown(b, flight.id, p1.id))!.seqNo;
    const boarded = await perform(
      b.db,
      { staffId: 'AG1002', role: 'agent' },
      { type: 'passenger.board', args: { flightId: flight.id, passengerId: p1.id, via: 'scan', seqNo } },
      clock,
    );
    expect(boarded.ok).toBe(true);
    expect(await b.engine.syncNow()).toBe('ok');
    expect(await a.engine.syncNow()).toBe('ok');
    expect(await shown(a, flight.id, p1.id)).toMatchObject({ status: 'boarded' });

    // Desk A closes the flight; desk B can no longer check anyone in.
    const closed = await perform(
      a.db,
      supervisor,
      { type: 'flight.close', args: { flightId: flight.id, notBoardedReason: 'Did not come to the gate in time' } },
      clock,
    );
    expect(closed).toMatchObject({ ok: true });
    expect(await a.engine.syncNow()).toBe('ok');
    expect(await b.engine.syncNow()).toBe('ok');
    expect((await b.db.flights.get(flight.id))?.status).toBe('closed');
    expect(await checkIn(b.db, { staffId: 'AG1002', role: 'agent' }, request(flight.id, p3, null), clock)).toMatchObject({
      ok: false,
      code: 'FLIGHT_CLOSED',
    });
    // The desks keep what the relay holds for them until central has answered it.
    expect(await a.db.outbox.count()).toBe(2);
    expect(a.engine.currentStatus.source).toMatchObject({ relay: true, centralReachable: false, heldAtRelay: 2 });

    // Central is back: everything lands there once, and the desks' outboxes empty.
    wan.setFaults(() => 'pass');
    for (const d of [a, b]) d.toCentral.setFaults(() => 'pass');
    await until('the relay to forward everything', async () => relay.upstream().unforwarded === 0 && relay.upstream().reachable);
    await drain(a);
    await drain(b);
    const [log, facts] = await Promise.all([centralLog(), centralFacts()]);
    const ids = [...(await allIds(a)), ...(await allIds(b))];
    expect(ids.length).toBe(3);
    for (const id of ids) {
      expect(facts.get(id), id).toBe(1);
      expect(log.get(id), id).toBe(1); // one path only: the relay
    }
    const after = (await Synced.enrol(central.url, 'OBSERVER')).replica;
    expect(after.passenger(p1.id)).toMatchObject({ status: 'boarded', seat });
    expect(after.flights().find((f) => f.id === flight.id)?.status).toBe('closed');
  });
});

describe('a desk whose relay goes down', () => {
  it('turns to central with what the relay held for it, turns back when the relay answers, and nothing is lost or doubled', async () => {
    const a = await desk('DESK-C');
    const state = (await Synced.enrol(central.url, 'OBSERVER')).replica;
    const flight = state.flights().find((f) => f.status === 'scheduled' && bookable(state, f.id).length >= 3)!;
    const [p1, p2, p3] = bookable(state, flight.id) as [Passenger, Passenger, Passenger];
    const [s1, s2, s3] = freeSeats(state, flight) as [string, string, string];

    const atRelay = (await a.db.syncState.get('deviceId'))?.value;
    // The relay cannot reach central; it holds desk C's check-in.
    wan.setFaults(() => 'drop');
    expect(await checkIn(a.db, agent, request(flight.id, p1, s1), clock)).toMatchObject({ ok: true });
    expect(await a.engine.syncNow()).toBe('ok');
    // The next push reaches the relay, but its answer is lost, and then the relay is gone.
    expect((await checkIn(a.db, agent, request(flight.id, p2, s2), clock)).ok).toBe(true);
    a.toRelay.setFaults((path) => (path === '/v1/sync/push' ? 'drop-after' : 'drop'));
    expect(await a.engine.syncNow()).toBe('failed');
    a.toRelay.setFaults(() => 'drop');

    // Central answers: the desk turns to it and sends it both actions itself.
    await until(
      'the desk to turn to central',
      async () => (await a.engine.syncNow()) === 'ok' && a.engine.currentStatus.source?.index === 1,
    );
    expect(a.engine.currentStatus.source).toMatchObject({ index: 1, relay: false });
    expect(await a.db.outbox.count()).toBe(0);
    expect((await checkIn(a.db, agent, request(flight.id, p3, s3), clock)).ok).toBe(true);
    expect(await a.engine.syncNow()).toBe('ok');

    // The relay is back, reaches central again and forwards what it held: central has each action once.
    wan.setFaults(() => 'pass');
    a.toRelay.setFaults(() => 'pass');
    await until('the relay to forward everything', async () => relay.upstream().unforwarded === 0 && relay.upstream().reachable);
    await until('the desk to turn back to the relay', async () => {
      await a.engine.probe();
      return (await a.engine.syncNow()) === 'ok' && a.engine.currentStatus.source?.index === 0;
    });
    expect(a.engine.currentStatus.source).toMatchObject({ index: 0, relay: true });
    // The relay was left with an answer outstanding: the desk came back to it as a new client, numbering afresh.
    expect((await a.db.syncState.get('deviceId'))?.value).not.toBe(atRelay);
    const board = await perform(
      a.db,
      agent,
      { type: 'passenger.board', args: { flightId: flight.id, passengerId: p3.id, via: 'manual' } },
      clock,
    );
    expect(board.ok).toBe(true);
    await drain(a);
    const facts = await centralFacts();
    const ids = await allIds(a);
    expect(ids.length).toBe(4);
    for (const id of ids) expect(facts.get(id), id).toBe(1);
    const after = (await Synced.enrol(central.url, 'OBSERVER')).replica;
    expect(after.passenger(p1.id)).toMatchObject({ status: 'checked-in', seat: s1 });
    expect(after.passenger(p2.id)).toMatchObject({ status: 'checked-in', seat: s2 });
    expect(after.passenger(p3.id)).toMatchObject({ status: 'boarded', seat: s3 });
    expect(await shown(a, flight.id, p3.id)).toMatchObject({ status: 'boarded', seat: s3 });
  });
});

describe('a desk that worked alone', () => {
  it('rejoins the relay with what it did, and the other desks and central get it', async () => {
    const alone = await desk('DESK-D');
    const other = await desk('DESK-E');
    const state = (await Synced.enrol(central.url, 'OBSERVER')).replica;
    const flight = state.flights().find((f) => f.status === 'scheduled' && bookable(state, f.id).length >= 2)!;
    const [p1] = bookable(state, flight.id) as [Passenger];
    const seat = freeSeats(state, flight)[0]!;
    alone.toRelay.setFaults(() => 'drop');
    alone.toCentral.setFaults(() => 'drop');
    expect(await checkIn(alone.db, agent, request(flight.id, p1, seat), clock)).toMatchObject({ ok: true });
    await alone.engine.probe();
    expect(await alone.engine.syncNow()).toBe('failed');

    alone.toRelay.setFaults(() => 'pass');
    await until('the desk to rejoin the relay', async () => {
      await alone.engine.probe();
      return (await alone.engine.syncNow()) === 'ok' && alone.engine.currentStatus.source?.index === 0;
    });
    expect(await other.engine.syncNow()).toBe('ok');
    expect(await shown(other, flight.id, p1.id)).toMatchObject({ status: 'checked-in', seat });
    alone.toCentral.setFaults(() => 'pass');
    await drain(alone);
    const id = (await allIds(alone))[0]!;
    expect((await centralFacts()).get(id)).toBe(1);
  });
});

/**
 * The engine as a loop on injected time: a scripted transport, timers that fire only when the test
 * moves the clock, and a fixed random source. No real time passes, so schedule and backoff are
 * asserted exactly (the integration tests cover the real backend).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HealthResponse, PullRequest, PullResponse, PushRequest, PushResponse, WaitResponse } from '../../shared/protocol/v1';
import type { SyncFailure } from '../../shared/sync/failure-policy';
import { A320, checkedIn, fixtureClock, flight } from '../../tests/support/fixtures';
import { ManualTimers } from '../../tests/support/manual-timers';
import type { BackstopDB } from '../db/schema';
import { memoryDatabase, seedFlight } from '../../tests/support/memory-db';
import { perform } from '../db/write-path';
import { DEFAULT_ENGINE_CONFIG, PUSH_SOON_MS, SyncEngine } from './engine';
import type { HttpResult, SyncTransport } from './http';
import type { EngineEvent } from './status';

const DEVICE = 'DEV-1';
const ok = <T>(value: T): HttpResult<T> => ({ ok: true, value, bytes: 100, ms: 20, timing: { networkMs: 20, parseMs: 0, validateMs: 0 } });
const down = (): HttpResult<never> => ({ ok: false, failure: { kind: 'network', status: null, code: null, detail: 'ECONNREFUSED' } });

/** A backend that answers (or not) as the test says, and remembers what it was asked. */
class ScriptedBackend implements SyncTransport {
  up = true;
  failure: SyncFailure | null = null;
  /** Health answers even while `failure` is set (a backend whose sync routes refuse us). */
  healthAnswers = false;
  readonly calls: string[] = [];
  readonly pushed: PushRequest[] = [];
  constructor(private readonly timers: ManualTimers) {}
  setToken(): void {}
  private answer<T>(what: string, value: () => T): Promise<HttpResult<T>> {
    this.calls.push(`${what}@${this.timers.clock.now().toISOString().slice(11, 23)}`);
    if (!this.up) return Promise.resolve(down());
    if (this.failure && !(what === 'health' && this.healthAnswers)) return Promise.resolve({ ok: false, failure: this.failure });
    return Promise.resolve(ok(value()));
  }
  health() {
    return this.answer<HealthResponse>('health', () => ({
      protocol: 1,
      status: 'ok',
      serverTime: this.timers.clock.now().toISOString(),
      dcs: 'up',
    }));
  }
  enrol() {
    return this.answer('enrol', () => ({ deviceId: DEVICE, token: 'x'.repeat(40) }));
  }
  pull(_body: PullRequest) {
    return this.answer<PullResponse>('pull', () => ({
      protocol: 1,
      changes: [],
      cursor: 'c1',
      hasMore: false,
      serverTime: this.timers.clock.now().toISOString(),
      dcs: 'up',
    }));
  }
  push(body: PushRequest) {
    return this.answer<PushResponse>('push', () => {
      this.pushed.push(body);
      return {
        protocol: 1,
        lastSeq: body.mutations.at(-1)!.seq,
        results: body.mutations.map((m) => ({ id: m.id, seq: m.seq, status: 'applied' as const })),
      };
    });
  }
}

let db: BackstopDB;
let engine: SyncEngine;
afterEach(async () => {
  await engine?.stop();
  db?.close();
});

/** An engine on injected time; `existing` is the database of an earlier run (a restart). */
function setup(existing?: BackstopDB) {
  const timers = new ManualTimers('2026-11-26T12:00:00.000Z');
  const backend = new ScriptedBackend(timers);
  const events: EngineEvent[] = [];
  db = existing ?? memoryDatabase();
  engine = new SyncEngine({
    db,
    transport: backend,
    config: {
      ...DEFAULT_ENGINE_CONFIG,
      station: 'LHR',
      workstation: 'T',
      enrolmentKey: 'k',
      intervalMs: 300_000,
      backoff: { baseMs: 1_000, capMs: 60_000 },
    },
    emit: (e) => events.push(e),
    clock: timers.clock.now,
    random: () => 0.5,
    timers,
  });
  // Let each cycle's database work (fake-indexeddb runs on real macrotasks) finish before time moves on.
  timers.settleWith(async () => {
    do await new Promise((r) => setImmediate(r));
    while (engine.busy);
  });
  return { timers, backend, events };
}

describe('a declared fallback', () => {
  it('holds across a restart until a supervisor lifts it', async () => {
    setup();
    await engine.start();
    await engine.declareFallback(true);
    expect(engine.currentConnectivity.fallbackDeclared).toBe(true);
    await engine.stop();

    setup(db);
    await engine.start();
    expect(engine.currentConnectivity.fallbackDeclared).toBe(true);
    await engine.declareFallback(false);
    await engine.stop();

    setup(db);
    await engine.start();
    expect(engine.currentConnectivity.fallbackDeclared).toBe(false);
  });
});

describe('sync engine schedule, on injected time', () => {
  it('syncs at start, then every interval, with nothing else in between', async () => {
    const { timers, backend } = setup();
    await engine.start();
    await timers.advance(0);
    expect(engine.currentStatus.lastAttemptAt).toBe('2026-11-26T12:00:00.000Z');
    expect(backend.calls.filter((c) => c.startsWith('pull'))).toEqual(['pull@12:00:00.000']);
    expect(engine.currentStatus.nextAttemptAt).toBe('2026-11-26T12:05:00.000Z');
    await timers.advance(300_000);
    expect(backend.calls.filter((c) => c.startsWith('pull'))).toEqual(['pull@12:00:00.000', 'pull@12:05:00.000']);
  });

  it('backs off while the backend is down, and syncs at once when a probe finds it back', async () => {
    const { timers, backend } = setup();
    backend.up = false;
    await engine.start();
    await timers.advance(0);
    // Full jitter with random() = 0.5: half of 1 s·2^n after the n-th failure in a row.
    expect(engine.currentStatus.nextAttemptAt).toBe('2026-11-26T12:00:01.000Z');
    expect(engine.currentStatus.lastError).toMatchObject({ kind: 'network', detail: 'ECONNREFUSED' });
    await timers.advance(1_000);
    expect(engine.currentStatus.nextAttemptAt).toBe('2026-11-26T12:00:03.000Z');
    expect(engine.currentConnectivity.link).toBe('offline');
    backend.up = true;
    // The next probe (every 10 s while the link is bad) finds the backend and syncs straight away.
    await timers.advance(9_000);
    expect(engine.currentConnectivity.link).toBe('online');
    expect(engine.currentStatus.phase).toBe('idle');
    expect(engine.currentStatus.lastError).toBeNull();
  });

  it('pushes a local action soon after it was written, not at the next interval', async () => {
    const { timers, backend } = setup();
    await engine.start();
    await timers.advance(0);
    const f = flight();
    await seedFlight(db, { flight: f, seatMap: A320, passengers: [checkedIn({ id: 'P1', flightId: f.id })] });
    const out = await perform(
      db,
      { staffId: 'AG1001', role: 'agent' },
      { type: 'passenger.board', args: { flightId: f.id, passengerId: 'P1', via: 'scan' } },
      fixtureClock,
    );
    expect(out.ok).toBe(true);
    engine.localWrite();
    expect(engine.currentStatus.nextAttemptAt).toBe(new Date(Date.parse('2026-11-26T12:00:00.000Z') + PUSH_SOON_MS).toISOString());
    await timers.advance(PUSH_SOON_MS - 1);
    expect(backend.pushed).toHaveLength(0);
    await timers.advance(1);
    expect(backend.pushed.map((b) => b.mutations.map((m) => m.type))).toEqual([['passenger.board']]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('stops syncing while the backend speaks another protocol, and resumes when it speaks ours', async () => {
    const { timers, backend } = setup();
    backend.failure = { kind: 'protocol', status: 426, code: 'PROTOCOL_MISMATCH', detail: null };
    await engine.start();
    await timers.advance(0);
    expect(engine.currentConnectivity.incompatible).toMatchObject({ kind: 'protocol' });
    const pulls = () => backend.calls.filter((c) => c.startsWith('pull')).length;
    await timers.advance(60_000);
    expect(pulls()).toBe(0);
    backend.failure = null;
    await timers.advance(30_000);
    expect(engine.currentConnectivity.incompatible).toBeNull();
    expect(pulls()).toBe(1);
  });

  it('stops on a protocol refusal from a sync route too, with nothing scheduled', async () => {
    const { timers, backend } = setup();
    backend.failure = { kind: 'protocol', status: 426, code: 'PROTOCOL_MISMATCH', detail: null };
    backend.healthAnswers = true;
    await engine.start();
    await timers.advance(0);
    expect(engine.currentStatus).toMatchObject({ phase: 'blocked', nextAttemptAt: null, lastError: { kind: 'protocol' } });
    expect(engine.currentConnectivity.incompatible).toMatchObject({ kind: 'protocol' });
  });
});

/** A backend with the long poll: each wait stays open until the test answers it. */
class NudgingBackend extends ScriptedBackend {
  readonly waits: ((changed: boolean) => void)[] = [];
  wait(): Promise<HttpResult<WaitResponse>> {
    return new Promise((resolve) => {
      this.waits.push((changed) => resolve(ok({ protocol: 1, changed, serverTime: '2026-11-26T12:00:00.000Z' })));
    });
  }
}

describe('the long poll', () => {
  it('opens as soon as the first cycle went through, and a nudge starts a cycle at once', async () => {
    const timers = new ManualTimers('2026-11-26T12:00:00.000Z');
    const backend = new NudgingBackend(timers);
    db = memoryDatabase();
    engine = new SyncEngine({
      db,
      transport: backend,
      config: { ...DEFAULT_ENGINE_CONFIG, station: 'LHR', workstation: 'T', enrolmentKey: 'k', intervalMs: 300_000 },
      emit: () => {},
      clock: timers.clock.now,
      random: () => 0.5,
      timers,
    });
    timers.settleWith(async () => {
      do await new Promise((r) => setImmediate(r));
      while (engine.busy);
    });
    await engine.start();
    await timers.advance(0);
    // The injected clock stays where it is: the poll opens without waiting out NUDGE_RETRY_MS.
    await vi.waitFor(() => expect(backend.waits).toHaveLength(1));
    const pulls = () => backend.calls.filter((c) => c.startsWith('pull'));
    expect(pulls()).toEqual(['pull@12:00:00.000']);

    backend.waits[0]!(true);
    await vi.waitFor(() => expect(backend.waits).toHaveLength(2));
    expect(pulls()).toEqual(['pull@12:00:00.000', 'pull@12:00:00.000']);

    // A poll that ends with nothing new opens the next one, and pulls nothing.
    backend.waits[1]!(false);
    await vi.waitFor(() => expect(backend.waits).toHaveLength(3));
    expect(pulls()).toHaveLength(2);
  });
});

describe('retention after each cycle', () => {
  it('purges a flight once it falls due, though no flight record changed between the cycles', async () => {
    const { timers } = setup();
    // Now is 2026-11-26T12:00Z; retention 24 h.
    const early = flight({ id: 'EARLY', std: '2026-11-26T10:00:00.000Z' });
    const late = flight({ id: 'LATE', std: '2026-11-26T14:30:00.000Z' });
    for (const f of [early, late])
      await seedFlight(db, { flight: f, seatMap: A320, passengers: [checkedIn({ id: `${f.id}-P`, flightId: f.id })] });
    const held = async () => (await db.flights.toArray()).map((f) => f.id).sort();

    expect(await engine.syncNow()).toBe('ok');
    expect(await held()).toEqual(['EARLY', 'LATE']);
    timers.clock.set(new Date('2026-11-27T09:59:59.000Z'));
    expect(await engine.syncNow()).toBe('ok');
    expect(await held()).toEqual(['EARLY', 'LATE']);
    timers.clock.set(new Date('2026-11-27T10:00:00.500Z'));
    expect(await engine.syncNow()).toBe('ok');
    expect(await held()).toEqual(['LATE']);
    expect(await db.manifests.get('EARLY')).toBeUndefined();
    timers.clock.set(new Date('2026-11-27T14:31:00.000Z'));
    expect(await engine.syncNow()).toBe('ok');
    expect(await held()).toEqual([]);
  });

  it('purges a due flight as soon as its last pending action is sent', async () => {
    const { timers, backend } = setup();
    const old = flight({ id: 'OLD', std: '2026-11-26T10:00:00.000Z' });
    await seedFlight(db, { flight: old, seatMap: A320, passengers: [checkedIn({ id: 'OLD-P', flightId: 'OLD' })] });
    timers.clock.set(new Date('2026-11-27T11:00:00.000Z'));
    backend.up = false;
    const boarded = await perform(
      db,
      { staffId: 'AG1001', role: 'agent' },
      { type: 'passenger.board', args: { flightId: 'OLD', passengerId: 'OLD-P', via: 'manual' } },
      timers.clock.now,
    );
    expect(boarded.ok).toBe(true);
    backend.up = true;
    // The first cycle sends the boarding; the retention pass after it finds nothing pending any more.
    expect(await engine.syncNow()).toBe('ok');
    expect(backend.pushed).toHaveLength(1);
    expect(await db.flights.get('OLD')).toBeUndefined();
  });
});

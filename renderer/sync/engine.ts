/**
 * The sync engine: keeps the local copy as fresh as the network allows and drains the outbox.
 * Runs in a Web Worker (see worker.ts) but depends only on what it is given, so tests drive it
 * directly against a real backend.
 *
 * One cycle = enrol if needed → push the outbox in batches → pull pages until there are no more.
 * Cycles run on a schedule (default every 5 min), at once on reconnect, on demand, and shortly after
 * a local action. Failures back off exponentially with full jitter behind a circuit breaker; health
 * probes decide online / degraded / offline.
 */
import type { Clock } from '../../shared/clock';
import { PULL_LIMITS, PUSH_MAX_MUTATIONS, type PullResponse } from '../../shared/protocol/v1';
import { toMutation } from '../db/flight-store';
import { purgeDepartedFlights, purgeUnconfirmedFlights, UNCONFIRMED_VERSION } from '../db/purge';
import type { BackstopDB } from '../db/schema';
import { readSyncString, SYNC_KEYS } from '../db/sync-state';
import { applyPullPage } from './apply-pull';
import { applyPushResults } from './apply-push';
import { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF } from './backoff';
import { CircuitBreaker } from './breaker';
import { INITIAL_CONNECTIVITY, probeIntervalMs, reduceConnectivity, type ConnectivityEvent, type ConnectivityState } from './connectivity';
import { isRetryable, type HttpFailure, type HttpResult, type SyncHttpClient } from './http';

export interface EngineConfig {
  station: string;
  workstation: string;
  enrolmentKey: string;
  intervalMs: number;
  /** Flights departed longer ago than this, with nothing pending, are purged. */
  retentionHours: number;
  pushBatchSize: number;
  pullMaxChanges: number;
  pullMaxBytes: number;
  backoff: BackoffPolicy;
  breaker: { failureThreshold: number; openMs: number };
  /** Run cycles on a timer (the app); off when a caller drives every cycle itself (tests, benchmarks). */
  autoSchedule: boolean;
}

export const DEFAULT_ENGINE_CONFIG = {
  intervalMs: 5 * 60_000,
  retentionHours: 24,
  pushBatchSize: 200,
  // Few, large pages: each round trip costs, and a page is applied in one transaction anyway.
  pullMaxChanges: PULL_LIMITS.maxChanges,
  pullMaxBytes: PULL_LIMITS.maxBytes,
  backoff: DEFAULT_BACKOFF,
  breaker: { failureThreshold: 3, openMs: 30_000 },
  autoSchedule: true,
} as const;

export interface SyncProgress {
  initial: boolean;
  /** Where the pull's time went so far (network wait, JSON parsing, validation, local storage). */
  timing: { networkMs: number; parseMs: number; validateMs: number; storeMs: number };
  changes: number;
  flights: number;
  passengers: number;
  bytes: number;
  remaining: number | null;
  etaMs: number | null;
  startedAt: string;
}

export interface StorageStatus {
  usage: number;
  quota: number;
  warning: string | null;
}

export interface SyncStatus {
  phase: 'idle' | 'enrolling' | 'pushing' | 'pulling' | 'waiting' | 'blocked';
  progress: SyncProgress | null;
  lastCompleteSyncAt: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
  pending: number;
  /** Another Backstop window holds the sync lock and does the syncing. */
  otherWindowSyncing: boolean;
  /** The last completed pull: size and where its time went. */
  lastPull: (Omit<SyncProgress, 'remaining' | 'etaMs'> & { ms: number }) | null;
  storage: StorageStatus | null;
}

export type EngineEvent = { type: 'connectivity'; state: ConnectivityState } | { type: 'status'; status: SyncStatus };

export interface EngineDeps {
  db: BackstopDB;
  http: SyncHttpClient;
  config: EngineConfig;
  emit: (event: EngineEvent) => void;
  /** Runs fn while holding the cross-window sync lock, or returns 'busy' if another window holds it. */
  withLock?: <T>(fn: () => Promise<T>) => Promise<T | 'busy'>;
  /** The workstation's clock: schedule, retention, data age. */
  clock: Clock;
  /** Jitter of retry delays; seeded in simulations. */
  random: () => number;
  estimateStorage?: () => Promise<{ usage?: number; quota?: number }>;
}

/** Enrolling again more often than this means enrolling again does not help. */
const REENROL_MIN_INTERVAL_MS = 10 * 60_000;
const STORAGE_WARN_RATIO = 0.8;

class CycleFailure extends Error {
  constructor(readonly failure: HttpFailure) {
    super(failure.message);
  }
}

export type CycleResult = 'ok' | 'busy' | 'skipped' | 'failed';

export class SyncEngine {
  private connectivity: ConnectivityState = INITIAL_CONNECTIVITY;
  private status: SyncStatus = {
    phase: 'idle',
    progress: null,
    lastCompleteSyncAt: null,
    lastAttemptAt: null,
    nextAttemptAt: null,
    lastError: null,
    pending: 0,
    otherWindowSyncing: false,
    storage: null,
    lastPull: null,
  };
  private running: Promise<CycleResult> | null = null;
  private rerun = false;
  private failures = 0;
  private reEnrolledAt: number | null = null;
  private cycleTimer: ReturnType<typeof setTimeout> | null = null;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;
  private pushSoonTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private readonly breaker: CircuitBreaker;
  private readonly abort = new AbortController();
  private readonly now: () => Date;
  private readonly withLock: <T>(fn: () => Promise<T>) => Promise<T | 'busy'>;

  constructor(private readonly deps: EngineDeps) {
    this.now = deps.clock;
    this.withLock = deps.withLock ?? ((fn) => fn());
    this.breaker = new CircuitBreaker({ ...deps.config.breaker, now: () => this.now().getTime() });
  }

  async start(): Promise<void> {
    this.setStatus({
      lastCompleteSyncAt: await readSyncString(this.deps.db, SYNC_KEYS.lastCompleteSyncAt),
      pending: await this.deps.db.outbox.count(),
    });
    void this.probe();
    this.scheduleCycle(0);
  }

  /** Stops timers and requests, and waits for a cycle in progress to finish its database work. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    for (const t of [this.cycleTimer, this.probeTimer, this.pushSoonTimer]) if (t) clearTimeout(t);
    await this.running?.catch(() => undefined);
  }

  /**
   * Sync now (the network just came back, a timer fired). `byAgent`: the agent pressed "Sync now",
   * which tries at once even while the circuit breaker is waiting out earlier failures.
   */
  syncNow(byAgent = false): Promise<CycleResult> {
    if (byAgent) this.breaker.onSuccess();
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.rerun && !this.stopped) {
        this.rerun = false;
        void this.syncNow();
      }
    });
    return this.running;
  }

  /** A staff action was written locally: push it soon, unless we know the backend is unreachable. */
  localWrite(): void {
    void this.refreshPending();
    if (this.pushSoonTimer) clearTimeout(this.pushSoonTimer);
    this.pushSoonTimer = setTimeout(() => {
      if (this.connectivity.link !== 'offline' && !this.stopped) void this.syncNow();
    }, 300);
  }

  declareFallback(on: boolean): void {
    this.updateConnectivity({ type: 'declare-fallback', on });
  }

  /** One health probe; also the trigger for "at once on reconnect". */
  async probe(): Promise<void> {
    if (this.stopped) return;
    const wasReachable = this.connectivity.link === 'online' || this.connectivity.link === 'degraded';
    const wasIncompatible = this.connectivity.incompatible !== null;
    const result = await this.deps.http.health(this.abort.signal);
    if (this.stopped) return;
    if (result.ok) {
      this.updateConnectivity({ type: 'answered', at: this.now().toISOString(), latencyMs: result.ms, dcs: result.value.dcs });
      if ((!wasReachable || wasIncompatible) && this.connectivity.link !== 'unknown') {
        this.breaker.onSuccess();
        void this.syncNow();
      }
    } else if (result.failure.kind === 'protocol') {
      this.updateConnectivity({ type: 'incompatible', message: incompatibleMessage(result.failure) });
    } else if (result.failure.kind !== 'aborted') {
      this.updateConnectivity({ type: 'failed', at: this.now().toISOString(), reason: result.failure.message });
    }
    // One probe loop: a probe asked for out of turn replaces the next scheduled one.
    if (this.probeTimer) clearTimeout(this.probeTimer);
    if (this.deps.config.autoSchedule) this.probeTimer = setTimeout(() => void this.probe(), probeIntervalMs(this.connectivity));
  }

  private async cycle(): Promise<CycleResult> {
    if (this.stopped || this.connectivity.incompatible) return 'skipped';
    if (!this.breaker.tryAcquire()) {
      this.scheduleCycle(this.breaker.retryInMs());
      return 'skipped';
    }
    this.setStatus({ lastAttemptAt: this.now().toISOString(), lastError: null });
    try {
      const outcome = await this.withLock(async () => {
        await this.ensureEnrolled();
        // A push the backend refuses as a whole (a 4xx it would repeat) must not also freeze the
        // local copy: pull anyway, then report the push problem.
        let refusedPush: CycleFailure | null = null;
        try {
          await this.pushAll();
        } catch (error) {
          if (!(error instanceof CycleFailure) || error.failure.kind !== 'client') throw error;
          refusedPush = error;
        }
        await this.pullAll();
        if (refusedPush) throw refusedPush;
      });
      if (outcome === 'busy') {
        this.breaker.onSuccess();
        this.setStatus({ phase: 'idle', otherWindowSyncing: true });
        this.scheduleCycle(this.deps.config.intervalMs);
        return 'busy';
      }
      this.breaker.onSuccess();
      this.failures = 0;
      await this.afterSuccess();
      this.scheduleCycle(this.deps.config.intervalMs);
      return 'ok';
    } catch (error) {
      return this.onCycleError(error);
    }
  }

  private async onCycleError(error: unknown): Promise<CycleResult> {
    const failure: HttpFailure =
      error instanceof CycleFailure
        ? error.failure
        : { kind: 'server', status: null, code: 'LOCAL', message: error instanceof Error ? error.message : String(error) };
    if (this.stopped) {
      this.breaker.release();
      return 'failed';
    }
    this.setStatus({ phase: 'waiting', progress: null, lastError: failure.message, pending: await this.deps.db.outbox.count() });
    if (failure.kind === 'aborted') {
      this.breaker.release();
      return 'failed';
    }
    if (!isRetryable(failure)) {
      // The backend answered (401, 426, another 4xx): it is reachable, whatever else is wrong.
      this.breaker.onSuccess();
    }
    if (failure.kind === 'protocol') {
      this.updateConnectivity({ type: 'incompatible', message: incompatibleMessage(failure) });
      this.setStatus({ phase: 'blocked' });
      return 'failed';
    }
    if (failure.kind === 'auth') {
      // The backend no longer knows this workstation's token: enrol again, once; if that keeps
      // happening something is wrong that enrolling again will not fix, so back off instead.
      const now = this.now().getTime();
      if (this.reEnrolledAt !== null && now - this.reEnrolledAt < REENROL_MIN_INTERVAL_MS) {
        this.setStatus({ lastError: `The backend keeps refusing this workstation (${failure.message}). Retrying later; nothing is lost.` });
        this.scheduleCycle(this.deps.config.intervalMs);
        return 'failed';
      }
      this.reEnrolledAt = now;
      await this.forgetEnrolment();
      this.scheduleCycle(1_000);
      return 'failed';
    }
    if (failure.code === 'CURSOR_EXPIRED') {
      // Our place in the change feed belongs to a backend database that no longer exists.
      await dropCache(this.deps.db);
      this.scheduleCycle(0);
      return 'failed';
    }
    if (isRetryable(failure)) {
      this.breaker.onFailure();
      if (failure.kind !== 'malformed') this.updateConnectivity({ type: 'failed', at: this.now().toISOString(), reason: failure.message });
      this.failures += 1;
      this.scheduleCycle(Math.max(backoffDelay(this.failures, this.deps.config.backoff, this.deps.random), this.breaker.retryInMs()));
      return 'failed';
    }
    // A 4xx the backend will answer the same way again: keep everything, say so, try on schedule.
    this.scheduleCycle(this.deps.config.intervalMs);
    return 'failed';
  }

  private async ensureEnrolled(): Promise<string> {
    const { db, http, config } = this.deps;
    const [id, token] = await Promise.all([readSyncString(db, SYNC_KEYS.deviceId), readSyncString(db, SYNC_KEYS.token)]);
    if (id && token) {
      http.setToken(token);
      return id;
    }
    this.setStatus({ phase: 'enrolling' });
    const previous = await readSyncString(db, SYNC_KEYS.previousDeviceId);
    const result = await http.enrol(
      {
        name: config.workstation,
        station: config.station,
        enrolmentKey: config.enrolmentKey,
        ...(previous ? { previousDeviceId: previous } : {}),
      },
      this.abort.signal,
    );
    const enrolled = unwrap(result);
    await db.transaction('rw', db.syncState, async () => {
      await db.syncState.bulkPut([
        { key: SYNC_KEYS.deviceId, value: enrolled.deviceId },
        { key: SYNC_KEYS.token, value: enrolled.token },
      ]);
      await db.syncState.delete(SYNC_KEYS.previousDeviceId);
    });
    http.setToken(enrolled.token);
    return enrolled.deviceId;
  }

  /**
   * A new enrolment is a new client to the backend, whose sequence numbers start at 1: renumber the
   * unsent actions in order (their ids, the idempotency keys, stay). The old device id goes with the
   * enrolment request so the backend moves this workstation's leases over. The local copy stays: if
   * the backend's data was replaced, the pull says so (CURSOR_EXPIRED) and the cache is rebuilt then.
   */
  private async forgetEnrolment(): Promise<void> {
    const { db } = this.deps;
    await db.transaction('rw', db.syncState, db.outbox, async () => {
      const previous = await db.syncState.get(SYNC_KEYS.deviceId);
      const entries = await db.outbox.orderBy('seq').toArray();
      await db.outbox.clear();
      await db.outbox.bulkAdd(entries.map((e, i) => ({ ...e, seq: i + 1 })));
      await db.syncState.bulkDelete([SYNC_KEYS.deviceId, SYNC_KEYS.token]);
      if (typeof previous?.value === 'string') await db.syncState.put({ key: SYNC_KEYS.previousDeviceId, value: previous.value });
      await db.syncState.put({ key: SYNC_KEYS.nextSeq, value: entries.length + 1 });
    });
    this.deps.http.setToken(null);
  }

  private async pushAll(): Promise<void> {
    const { db, http, config } = this.deps;
    const clientId = await this.ensureEnrolled();
    const batchSize = Math.min(config.pushBatchSize, PUSH_MAX_MUTATIONS);
    for (;;) {
      const batch = await db.outbox.orderBy('seq').limit(batchSize).toArray();
      if (batch.length === 0) return;
      this.setStatus({ phase: 'pushing', pending: await db.outbox.count() });
      const result = await http.push({ clientId, mutations: batch.map(toMutation) }, this.abort.signal);
      if (!result.ok) {
        await db.outbox
          .where('seq')
          .anyOf(batch.map((e) => e.seq))
          .modify((e) => {
            e.attempts += 1;
            e.lastError = result.failure.message;
          });
        throw new CycleFailure(result.failure);
      }
      const stats = await applyPushResults(db, result.value, this.now().toISOString());
      this.updateConnectivity({ type: 'answered', at: this.now().toISOString(), latencyMs: result.ms });
      // Deferred actions wait for an earlier one; pushing the same batch again now would not help.
      if (stats.deferred > 0 || batch.length < batchSize) {
        this.setStatus({ pending: await db.outbox.count() });
        return;
      }
    }
  }

  private async pullAll(): Promise<void> {
    const { db, http, config } = this.deps;
    const clientId = await this.ensureEnrolled();
    const cursor = await readSyncString(db, SYNC_KEYS.cursor);
    // Numbers this workstation has spent (even on check-ins the backend refused) count as used.
    const leaseUse = (await db.leases.toArray()).filter((l) => l.next > l.from).map((l) => ({ id: l.id, next: l.next }));
    const progress: SyncProgress = {
      initial: cursor === null,
      timing: { networkMs: 0, parseMs: 0, validateMs: 0, storeMs: 0 },
      changes: 0,
      flights: 0,
      passengers: 0,
      bytes: 0,
      remaining: null,
      etaMs: null,
      startedAt: this.now().toISOString(),
    };
    const started = this.now().getTime();
    const request = (c: string | null) =>
      http.pull(
        {
          clientId,
          station: config.station,
          cursor: c,
          maxChanges: config.pullMaxChanges,
          maxBytes: config.pullMaxBytes,
          ...(c === cursor && leaseUse.length > 0 ? { leaseUse } : {}),
        },
        this.abort.signal,
      );
    this.setStatus({ phase: 'pulling', progress });
    let inflight: Promise<HttpResult<PullResponse>> | null = request(cursor);
    while (inflight) {
      const result: HttpResult<PullResponse> = await inflight;
      if (!result.ok) throw new CycleFailure(result.failure);
      const page: PullResponse = result.value;
      // Ask for the next page while this one is being stored.
      inflight = page.hasMore ? request(page.cursor) : null;
      const storeStart = this.now().getTime();
      const stats = await applyPullPage(db, page, this.now().toISOString());
      progress.timing.storeMs += this.now().getTime() - storeStart;
      progress.timing.networkMs += result.timing.networkMs;
      progress.timing.parseMs += result.timing.parseMs;
      progress.timing.validateMs += result.timing.validateMs;
      progress.changes += stats.changes;
      progress.flights += stats.flights;
      progress.passengers += stats.passengers;
      progress.bytes += result.bytes;
      progress.remaining = page.remaining ?? null;
      const elapsed = this.now().getTime() - started;
      progress.etaMs =
        page.remaining !== undefined && progress.changes > 0 ? Math.round((elapsed / progress.changes) * page.remaining) : null;
      this.setStatus({ progress: { ...progress, timing: { ...progress.timing } } });
      this.updateConnectivity({ type: 'answered', at: this.now().toISOString(), latencyMs: result.ms, dcs: page.dcs });
    }
    const { remaining: _r, etaMs: _e, ...done } = progress;
    this.setStatus({ lastPull: { ...done, timing: { ...progress.timing }, ms: this.now().getTime() - started } });
  }

  private async afterSuccess(): Promise<void> {
    const { db, config } = this.deps;
    await purgeDepartedFlights(db, this.now(), config.retentionHours);
    await purgeUnconfirmedFlights(db);
    const last = await readSyncString(db, SYNC_KEYS.lastCompleteSyncAt);
    this.setStatus({
      phase: 'idle',
      progress: null,
      lastError: null,
      otherWindowSyncing: false,
      lastCompleteSyncAt: last ?? this.status.lastCompleteSyncAt,
      pending: await db.outbox.count(),
      storage: await this.checkStorage(),
    });
  }

  private async checkStorage(): Promise<StorageStatus | null> {
    if (!this.deps.estimateStorage) return null;
    try {
      const { usage = 0, quota = 0 } = await this.deps.estimateStorage();
      const warning =
        quota > 0 && usage / quota >= STORAGE_WARN_RATIO
          ? `Local storage is ${Math.round((usage / quota) * 100)}% full (${mb(usage)} of ${mb(quota)}). Free disk space before the cache cannot be refreshed.`
          : null;
      return { usage, quota, warning };
    } catch {
      return null;
    }
  }

  private async refreshPending(): Promise<void> {
    this.setStatus({ pending: await this.deps.db.outbox.count() });
  }

  private scheduleCycle(delayMs: number): void {
    if (this.stopped || !this.deps.config.autoSchedule) return;
    if (this.cycleTimer) clearTimeout(this.cycleTimer);
    this.setStatus({ nextAttemptAt: new Date(this.now().getTime() + delayMs).toISOString() });
    this.cycleTimer = setTimeout(() => void this.syncNow(), delayMs);
  }

  private updateConnectivity(event: ConnectivityEvent): void {
    this.connectivity = reduceConnectivity(this.connectivity, event);
    this.deps.emit({ type: 'connectivity', state: this.connectivity });
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    this.deps.emit({ type: 'status', status: this.status });
  }

  get currentStatus(): SyncStatus {
    return this.status;
  }

  get currentConnectivity(): ConnectivityState {
    return this.connectivity;
  }
}

/**
 * Forgets the local copy of backend data so the next pull starts from scratch, except flights with
 * actions still waiting to sync (they stay, with their actions, until those are sent), seat maps
 * (those flights need them) and staff sign-in data (so agents can still sign in if the pull fails).
 */
export async function dropCache(db: BackstopDB): Promise<void> {
  await db.transaction('rw', [db.syncState, db.stations, db.leases, db.flights, db.manifests, db.searchIndex, db.outbox], async () => {
    const keep = new Set((await db.outbox.toArray()).flatMap((e) => (e.flightId ? [e.flightId] : [])));
    await db.syncState.bulkDelete([SYNC_KEYS.cursor, SYNC_KEYS.lastCompleteSyncAt]);
    await Promise.all([db.stations.clear(), db.leases.clear()]);
    await db.flights.filter((f) => !keep.has(f.id)).delete();
    // Kept flights are unconfirmed until the new backend sends them (see purgeUnconfirmedFlights).
    await db.flights.toCollection().modify((f) => {
      f.version = UNCONFIRMED_VERSION;
    });
    await db.manifests.filter((m) => !keep.has(m.flightId)).delete();
    await db.searchIndex.filter((d) => !keep.has(d.flightId)).delete();
  });
}

function unwrap<T>(result: HttpResult<T>): T {
  if (!result.ok) throw new CycleFailure(result.failure);
  return result.value;
}

function incompatibleMessage(f: HttpFailure): string {
  return `This Backstop cannot sync with the backend: ${f.message}. Everything on this workstation, including unsent actions, is kept. Update Backstop.`;
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1_048_576)} MB`;
}

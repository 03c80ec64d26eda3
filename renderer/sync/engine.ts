/**
 * The sync engine: keeps the local copy as fresh as the network allows and drains the outbox.
 * Runs in a Web Worker (worker.ts) but depends only on what it is given — database, transport,
 * clock, randomness and timers — so tests drive it against a real backend and the simulator drives
 * it with a simulated network and clock.
 *
 * It is a loop and a policy:
 * - the loop (this file): one cycle = enrol if needed → push the outbox in batches → pull pages
 *   until there are no more; cycles run on a schedule, at once on reconnect, on demand, and soon
 *   after a local action (shared/sync/scheduler.ts keeps at most one timer and one run);
 * - the policy (shared/sync/failure-policy.ts): what a failed cycle leads to (retry with backoff,
 *   enrol again, rebuild the cache, stop until the backend speaks our protocol, or wait).
 * Health probes feed the connectivity reducer (connectivity.ts) that the banner shows.
 */
import type { Clock } from '../../shared/clock';
import { PULL_LIMITS, PUSH_MAX_MUTATIONS, type PullResponse } from '../../shared/protocol/v1';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../shared/sync/backoff';
import { CircuitBreaker } from '../../shared/sync/breaker';
import { backendAnswered, decide, isRetryable, type SyncFailure } from '../../shared/sync/failure-policy';
import { RunScheduler, type Timers } from '../../shared/sync/scheduler';
import { forgetEnrolment, readEnrolment, readPreviousDeviceId, saveEnrolment } from '../db/enrolment';
import { toMutation } from '../db/flight-store';
import { dropCache, purgeDepartedFlights, purgeUnconfirmedFlights } from '../db/purge';
import type { BackstopDB } from '../db/schema';
import { readSyncString, SYNC_KEYS } from '../db/sync-state';
import { applyPullPage } from './apply-pull';
import { applyPushResults } from './apply-push';
import { INITIAL_CONNECTIVITY, probeIntervalMs, reduceConnectivity, type ConnectivityEvent, type ConnectivityState } from './connectivity';
import type { HttpResult, SyncTransport } from './http';
import { PullProgress } from './pull-progress';
import { INITIAL_STATUS, STORAGE_WARN_RATIO, type EngineEvent, type StorageStatus, type SyncStatus } from './status';

export type { EngineEvent, SyncStatus } from './status';

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
  /** Run cycles and probes on timers (the app); off when a caller drives every cycle itself (tests, benchmarks). */
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

/** A local action is pushed this soon after it was written (unless the backend is known unreachable). */
export const PUSH_SOON_MS = 300;

export interface EngineDeps {
  db: BackstopDB;
  transport: SyncTransport;
  config: EngineConfig;
  emit: (event: EngineEvent) => void;
  clock: Clock;
  /** Jitter of retry delays; seeded in simulations. */
  random: () => number;
  timers: Timers;
  /** Runs fn while holding the cross-window sync lock, or returns 'busy' if another window holds it. */
  withLock?: <T>(fn: () => Promise<T>) => Promise<T | 'busy'>;
  estimateStorage?: () => Promise<{ usage?: number; quota?: number }>;
}

/** A failed request inside a cycle, carried out of it to the policy. */
class CycleFailure extends Error {
  constructor(readonly failure: SyncFailure) {
    super(failure.detail ?? failure.kind);
  }
}

export type CycleResult = 'ok' | 'busy' | 'skipped' | 'failed';

export class SyncEngine {
  private connectivity: ConnectivityState = INITIAL_CONNECTIVITY;
  private status: SyncStatus = INITIAL_STATUS;
  /** Retryable failures in a row. */
  private failures = 0;
  private reEnrolledAt: number | null = null;
  private stopped = false;
  private readonly breaker: CircuitBreaker;
  private readonly abort = new AbortController();
  private readonly cycles: RunScheduler<CycleResult>;
  private readonly probes: RunScheduler<void>;
  private readonly withLock: <T>(fn: () => Promise<T>) => Promise<T | 'busy'>;

  constructor(private readonly deps: EngineDeps) {
    const nowMs = () => deps.clock().getTime();
    this.withLock = deps.withLock ?? ((fn) => fn());
    this.breaker = new CircuitBreaker({ ...deps.config.breaker, now: nowMs });
    this.cycles = new RunScheduler(() => this.cycle(), deps.timers, nowMs);
    this.probes = new RunScheduler(() => this.probeOnce(), deps.timers, nowMs);
  }

  async start(): Promise<void> {
    this.setStatus({ lastCompleteSyncAt: await readSyncString(this.deps.db, SYNC_KEYS.lastCompleteSyncAt) });
    void this.probe();
    this.scheduleCycle(0);
  }

  /** Stops timers and requests, and waits for a cycle in progress to finish its database work. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await Promise.all([this.cycles.dispose(), this.probes.dispose()]);
  }

  /**
   * Sync now (the network just came back, a timer fired). `byAgent`: the agent pressed "Sync now",
   * which tries at once even while the circuit breaker is waiting out earlier failures.
   */
  syncNow(byAgent = false): Promise<CycleResult> {
    if (byAgent) this.breaker.onSuccess();
    return this.cycles.runNow();
  }

  /** A staff action was written locally: push it soon, unless we know the backend is unreachable. */
  localWrite(): void {
    if (this.stopped || !this.deps.config.autoSchedule || this.connectivity.link === 'offline') return;
    this.cycles.scheduleWithin(PUSH_SOON_MS);
    this.setStatus({ nextAttemptAt: this.at(PUSH_SOON_MS) });
  }

  declareFallback(on: boolean): void {
    this.updateConnectivity({ type: 'declare-fallback', on });
  }

  /** One health probe now, replacing the next scheduled one; also the trigger for "at once on reconnect". */
  probe(): Promise<void> {
    return this.probes.runNow();
  }

  get currentStatus(): SyncStatus {
    return this.status;
  }

  get currentConnectivity(): ConnectivityState {
    return this.connectivity;
  }

  /** A cycle or a probe is in flight (a simulation runs until no engine is busy). */
  get busy(): boolean {
    return this.cycles.isRunning || this.probes.isRunning;
  }

  private async probeOnce(): Promise<void> {
    if (this.stopped) return;
    const wasReachable = this.connectivity.link === 'online' || this.connectivity.link === 'degraded';
    const wasIncompatible = this.connectivity.incompatible !== null;
    const result = await this.deps.transport.health(this.abort.signal);
    if (this.stopped) return;
    if (result.ok) {
      this.updateConnectivity({ type: 'answered', at: this.at(), latencyMs: result.ms, dcs: result.value.dcs });
      if (!wasReachable || wasIncompatible) {
        this.breaker.onSuccess();
        void this.syncNow();
      }
    } else if (result.failure.kind === 'protocol') {
      this.updateConnectivity({ type: 'incompatible', failure: result.failure });
    } else if (result.failure.kind !== 'aborted') {
      this.updateConnectivity({ type: 'failed', at: this.at(), failure: result.failure });
    }
    if (this.deps.config.autoSchedule) this.probes.schedule(probeIntervalMs(this.connectivity));
  }

  private async cycle(): Promise<CycleResult> {
    if (this.stopped || this.connectivity.incompatible) return 'skipped';
    if (!this.breaker.tryAcquire()) {
      this.scheduleCycle(this.breaker.retryInMs());
      return 'skipped';
    }
    this.setStatus({ lastAttemptAt: this.at() });
    this.deps.transport.setBacklog?.(await this.deps.db.outbox.count());
    try {
      const outcome = await this.withLock(async () => {
        const clientId = await this.ensureEnrolled();
        // A push the backend refuses as a whole (a 4xx it would repeat) must not also freeze the
        // local copy: pull anyway, then report the push problem.
        let refusedPush: CycleFailure | null = null;
        try {
          await this.pushAll(clientId);
        } catch (error) {
          if (!(error instanceof CycleFailure) || error.failure.kind !== 'client') throw error;
          refusedPush = error;
        }
        await this.pullAll(clientId);
        if (refusedPush) throw refusedPush;
      });
      this.breaker.onSuccess();
      if (outcome === 'busy') {
        this.setStatus({ phase: 'idle', otherWindowSyncing: true });
        this.scheduleCycle(this.deps.config.intervalMs);
        return 'busy';
      }
      this.failures = 0;
      this.updateConnectivity({ type: 'synced', at: this.at() });
      await this.afterSuccess();
      this.scheduleCycle(this.deps.config.intervalMs);
      return 'ok';
    } catch (error) {
      return this.onCycleError(error);
    }
  }

  private async onCycleError(error: unknown): Promise<CycleResult> {
    const failure: SyncFailure =
      error instanceof CycleFailure
        ? error.failure
        : { kind: 'local', status: null, code: null, detail: error instanceof Error ? error.message : String(error) };
    if (this.stopped || failure.kind === 'aborted') {
      this.breaker.release();
      return 'failed';
    }
    if (isRetryable(failure)) {
      this.breaker.onFailure();
      this.failures += 1;
    } else if (backendAnswered(failure)) {
      this.breaker.onSuccess();
    }
    const decision = decide(failure, {
      consecutiveFailures: this.failures,
      lastReEnrolAtMs: this.reEnrolledAt,
      nowMs: this.deps.clock().getTime(),
      intervalMs: this.deps.config.intervalMs,
      breakerWaitMs: this.breaker.retryInMs(),
      backoff: this.deps.config.backoff,
      random: this.deps.random,
    });
    const repeated = decision.action === 'wait' && decision.repeatedAuthFailure;
    this.setStatus({ phase: 'waiting', progress: null, lastError: { ...failure, repeated } });
    switch (decision.action) {
      case 'stop':
        this.breaker.release();
        return 'failed';
      case 'block':
        this.updateConnectivity({ type: 'incompatible', failure });
        this.setStatus({ phase: 'blocked', nextAttemptAt: null });
        return 'failed';
      case 're-enrol':
        this.reEnrolledAt = this.deps.clock().getTime();
        await forgetEnrolment(this.deps.db);
        this.deps.transport.setToken(null);
        this.scheduleCycle(decision.delayMs);
        return 'failed';
      case 'rebuild-cache':
        // Our place in the change feed belongs to a backend database that no longer exists.
        await dropCache(this.deps.db);
        this.scheduleCycle(decision.delayMs);
        return 'failed';
      case 'retry':
        // The network's fault, not ours: an answer we could not read or a local failure says nothing about the link.
        if (failure.kind !== 'malformed' && failure.kind !== 'local') this.updateConnectivity({ type: 'failed', at: this.at(), failure });
        this.scheduleCycle(decision.delayMs);
        return 'failed';
      case 'wait':
        // A refusal the backend will repeat: keep everything, say so, try on schedule.
        this.scheduleCycle(decision.delayMs);
        return 'failed';
    }
  }

  /** This workstation's device id, enrolling first if it has none (or the backend forgot it). */
  private async ensureEnrolled(): Promise<string> {
    const { db, transport, config } = this.deps;
    const known = await readEnrolment(db);
    if (known) {
      transport.setToken(known.token);
      return known.deviceId;
    }
    this.setStatus({ phase: 'enrolling' });
    const previous = await readPreviousDeviceId(db);
    const enrolled = unwrap(
      await transport.enrol(
        {
          name: config.workstation,
          station: config.station,
          enrolmentKey: config.enrolmentKey,
          ...(previous ? { previousDeviceId: previous } : {}),
        },
        this.abort.signal,
      ),
    );
    await saveEnrolment(db, enrolled);
    transport.setToken(enrolled.token);
    return enrolled.deviceId;
  }

  private async pushAll(clientId: string): Promise<void> {
    const { db, transport, config } = this.deps;
    const batchSize = Math.min(config.pushBatchSize, PUSH_MAX_MUTATIONS);
    for (;;) {
      const batch = await db.outbox.orderBy('seq').limit(batchSize).toArray();
      if (batch.length === 0) return;
      this.setStatus({ phase: 'pushing' });
      const result = await transport.push({ clientId, mutations: batch.map(toMutation) }, this.abort.signal);
      if (!result.ok) {
        await db.outbox
          .where('seq')
          .anyOf(batch.map((e) => e.seq))
          .modify((e) => {
            e.attempts += 1;
            e.lastError = result.failure.kind;
          });
        throw new CycleFailure(result.failure);
      }
      const stats = await applyPushResults(db, result.value, this.at());
      this.updateConnectivity({ type: 'answered', at: this.at(), latencyMs: result.ms });
      // Deferred actions wait for an earlier one; pushing the same batch again now would not help.
      if (stats.deferred > 0 || batch.length < batchSize) return;
    }
  }

  private async pullAll(clientId: string): Promise<void> {
    const { db, transport, config, clock } = this.deps;
    const cursor = await readSyncString(db, SYNC_KEYS.cursor);
    // Numbers this workstation has spent (even on check-ins the backend refused) count as used.
    const leaseUse = (await db.leases.toArray()).filter((l) => l.next > l.from).map((l) => ({ id: l.id, next: l.next }));
    const progress = new PullProgress(cursor === null, clock().getTime());
    const request = (c: string | null) =>
      transport.pull(
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
    this.setStatus({ phase: 'pulling', progress: progress.snapshot() });
    let inflight: Promise<HttpResult<PullResponse>> | null = request(cursor);
    while (inflight) {
      const result: HttpResult<PullResponse> = await inflight;
      if (!result.ok) throw new CycleFailure(result.failure);
      const page: PullResponse = result.value;
      // Ask for the next page while this one is being stored.
      inflight = page.hasMore ? request(page.cursor) : null;
      const storeStart = clock().getTime();
      const stats = await applyPullPage(db, page, this.at());
      const snapshot = progress.addPage(
        { stats, bytes: result.bytes, timing: result.timing, storeMs: clock().getTime() - storeStart, remaining: page.remaining },
        clock().getTime(),
      );
      this.setStatus({ progress: snapshot });
      this.updateConnectivity({ type: 'answered', at: this.at(), latencyMs: result.ms, dcs: page.dcs });
    }
    this.setStatus({ lastPull: progress.summary(clock().getTime()) });
  }

  private async afterSuccess(): Promise<void> {
    const { db, config, clock } = this.deps;
    await purgeDepartedFlights(db, clock(), config.retentionHours);
    await purgeUnconfirmedFlights(db);
    const last = await readSyncString(db, SYNC_KEYS.lastCompleteSyncAt);
    this.setStatus({
      phase: 'idle',
      progress: null,
      lastError: null,
      otherWindowSyncing: false,
      lastCompleteSyncAt: last ?? this.status.lastCompleteSyncAt,
      storage: await this.checkStorage(),
    });
  }

  private async checkStorage(): Promise<StorageStatus | null> {
    if (!this.deps.estimateStorage) return null;
    try {
      const { usage = 0, quota = 0 } = await this.deps.estimateStorage();
      return { usage, quota, nearlyFull: quota > 0 && usage / quota >= STORAGE_WARN_RATIO };
    } catch {
      // The browser would not say; the status simply has no storage figures this time.
      return null;
    }
  }

  private scheduleCycle(delayMs: number): void {
    if (this.stopped || !this.deps.config.autoSchedule) return;
    this.cycles.schedule(delayMs);
    this.setStatus({ nextAttemptAt: this.at(delayMs) });
  }

  private at(inMs = 0): string {
    return new Date(this.deps.clock().getTime() + inMs).toISOString();
  }

  private updateConnectivity(event: ConnectivityEvent): void {
    this.connectivity = reduceConnectivity(this.connectivity, event);
    this.deps.emit({ type: 'connectivity', state: this.connectivity });
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    this.deps.emit({ type: 'status', status: this.status });
  }
}

function unwrap<T>(result: HttpResult<T>): T {
  if (!result.ok) throw new CycleFailure(result.failure);
  return result.value;
}

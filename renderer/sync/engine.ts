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
 *
 * A workstation may be given several backends, in order of preference (a station relay, then
 * central): it syncs with the first that answers and turns to another when it stops answering, or
 * when a preferred one answers again (sources.ts keeps each one's enrolment, cursor and numbering).
 * While the backend offers it, a long poll (POST /v1/sync/wait) starts a cycle as soon as another
 * desk's action reaches the backend, so desks see each other's actions within a second.
 */
import type { Clock } from '../../shared/clock';
import type { DeviceEnrolRequest } from '../../shared/ipc/contract';
import type { AuditHead, EnrolResponse, PushResponse } from '../../shared/protocol/v1';
import { anchorProblem, AUDIT_ANCHOR_KEY, auditHead, readAuditBreak, recordAuditBreak } from '../db/audit';
import { PULL_LIMITS, PUSH_MAX_MUTATIONS, type HealthResponse, type PullResponse, type RelayUpstream } from '../../shared/protocol/v1';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../shared/sync/backoff';
import { CircuitBreaker } from '../../shared/sync/breaker';
import { backendAnswered, decide, isRetryable, type SyncFailure } from '../../shared/sync/failure-policy';
import { RunScheduler, type Timers } from '../../shared/sync/scheduler';
import { forgetEnrolment, readEnrolment, readPreviousEnrolment, readTokenIssuedAt, saveEnrolment, saveRotatedToken } from '../db/enrolment';
import { toMutation } from '../db/flight-store';
import { dropCache, purgeIdleFlights } from '../db/purge';
import type { BackstopDB } from '../db/schema';
import { readSyncString, SYNC_KEYS } from '../db/sync-state';
import { applyPullPage, BULK_CURSOR_PREFIX, isBulkCursor } from './apply-pull';
import { isPageRefused, LocalFillWriter, storeInTurn, type FillWriter } from './fill-writer';
import type { BulkRequest } from '../../shared/protocol/bulk';
import { applyPushResults } from './apply-push';
import { recoverFromRestoredPull, recoverFromRestoredPush, restoreConfirmed, restoreUnconfirmed } from './restored';
import { activate, forgetParkedCursors, heldAtRelay, outgoing, readBook, resetNumbering, updateBook } from './sources';
import { INITIAL_CONNECTIVITY, probeIntervalMs, reduceConnectivity, type ConnectivityEvent, type ConnectivityState } from './connectivity';
import type { HttpResult, SyncTransport } from './http';
import { PullProgress } from './pull-progress';
import { INITIAL_STATUS, STORAGE_WARN_RATIO, type EngineEvent, type SourceStatus, type StorageStatus, type SyncStatus } from './status';

export type { EngineEvent, SyncStatus } from './status';

export interface EngineConfig {
  station: string;
  workstation: string;
  /**
   * The shared demo key, for engines that enrol by themselves (tests, simulations, benchmarks). The
   * app leaves it out: its host enrols (EngineDeps.enrol) and the page never holds a key or code.
   */
  enrolmentKey?: string;
  intervalMs: number;
  /** Flights departed longer ago than this, with nothing pending, are purged. */
  retentionHours: number;
  pushBatchSize: number;
  pullMaxChanges: number;
  pullMaxBytes: number;
  /** An empty workstation fills from the bulk form when the backend has one (default on). */
  bulkFill?: boolean;
  /** Flights per bulk page: smaller pages let decoding the next one overlap storing this one. */
  bulkMaxFlights?: number;
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
  bulkFill: true,
  bulkMaxFlights: 100,
  backoff: DEFAULT_BACKOFF,
  breaker: { failureThreshold: 3, openMs: 30_000 },
  autoSchedule: true,
} as const;

/** A local action is pushed this soon after it was written (unless the backend is known unreachable). */
export const PUSH_SOON_MS = 300;
/** How long a long poll on the backend stays open before it is asked again. */
export const NUDGE_WAIT_MS = 25_000;
/** Pause before polling again after a poll failed (or while there is nothing to poll). */
export const NUDGE_RETRY_MS = 5_000;

/** One backend the workstation may sync with, and the transport that reaches it. */
export interface SyncSource {
  url: string;
  transport: SyncTransport;
}

/** A device token is swapped for a new one this often. */
export const TOKEN_ROTATE_AFTER_MS = 24 * 3_600_000;
/** The retention pass runs at least this often even when no flight record changed (a bound, not a schedule). */
export const PURGE_RECHECK_MS = 15 * 60_000;

/** Enrols through the host (Electron main, the browser host's server), which adds the enrolment code. */
export type Enroller = (request: DeviceEnrolRequest) => Promise<HttpResult<EnrolResponse>>;

export interface EngineDeps {
  /** Enrolment by the host; without it the engine enrols itself with config.enrolmentKey (tests, simulations). */
  enrol?: Enroller;
  db: BackstopDB;
  /** The backend, when there is one; see `sources` for several. */
  transport: SyncTransport;
  /**
   * Several backends, in order of preference (a station relay first, then central, or the reverse):
   * the engine syncs with the first that answers. Omitted: `transport` alone.
   */
  sources?: readonly SyncSource[];
  config: EngineConfig;
  emit: (event: EngineEvent) => void;
  clock: Clock;
  /** Jitter of retry delays; seeded in simulations. */
  random: () => number;
  timers: Timers;
  /** Runs fn while holding the cross-window sync lock, or returns 'busy' if another window holds it. */
  withLock?: <T>(fn: () => Promise<T>) => Promise<T | 'busy'>;
  estimateStorage?: () => Promise<{ usage?: number; quota?: number }>;
  /**
   * Writers on other threads for a first fill (the sync worker starts one helper worker): they take
   * the bulk form's pages in turns with this thread (fill-writer.ts). Omitted: one thread does it all.
   */
  fillHelpers?: (source: { url: string; token: string }) => FillWriter[];
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
  private readonly sources: readonly SyncSource[];
  /** The backend the sync keys belong to (as of this engine's last cycle), and the one the next cycle uses. */
  private active = 0;
  private target = 0;
  /** What each backend's last health answer said of itself (a relay's copy of central). */
  private readonly relays = new Map<number, RelayUpstream | null>();
  /** Backends without the long poll (an older version): synced on schedule only. */
  private readonly noNudge = new Set<string>();
  /** Set when a fill helper failed: later fills run on this thread alone. */
  private fillHelpersFailed = false;
  /** Backends without the bulk form (an older version, or one that turned it off): first fills come from the feed. */
  private readonly noBulk = new Set<string>();
  /**
   * When the retention pass next has something to do, if no flight record changes before then
   * (purge.ts: purgeIdleFlights); null: run it after the next cycle. Reading every flight record
   * after every cycle was a third of an incremental sync.
   */
  private purgeDueAt: number | null = null;
  private nudgeAbort = new AbortController();
  /** Ends the nudge loop's pause early: a cycle just went through, so the long poll can start now. */
  private resumeNudge: (() => void) | null = null;

  constructor(private readonly deps: EngineDeps) {
    const nowMs = () => deps.clock().getTime();
    this.sources = deps.sources && deps.sources.length > 0 ? deps.sources : [{ url: '', transport: deps.transport }];
    this.withLock = deps.withLock ?? ((fn) => fn());
    this.breaker = new CircuitBreaker({ ...deps.config.breaker, now: nowMs });
    this.cycles = new RunScheduler(() => this.cycle(), deps.timers, nowMs);
    this.probes = new RunScheduler(() => this.probeOnce(), deps.timers, nowMs);
  }

  async start(): Promise<void> {
    this.setStatus({ lastCompleteSyncAt: await readSyncString(this.deps.db, SYNC_KEYS.lastCompleteSyncAt) });
    if ((await this.deps.db.syncState.get(SYNC_KEYS.fallbackDeclared))?.value === true)
      this.updateConnectivity({ type: 'declare-fallback', on: true });
    void this.probe();
    this.scheduleCycle(0);
    if (this.deps.config.autoSchedule && this.sources.some((s) => 'wait' in s.transport)) {
      void this.nudgeLoop().catch((error: unknown) => {
        // Once stopped, the database may close under a read in flight; before that, a failure here is a bug.
        if (!this.stopped) console.error('sync: the long poll stopped:', error);
      });
    }
  }

  /** Stops timers and requests, and waits for a cycle in progress to finish its database work. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    // The long poll's loop may be pausing: let it see `stopped` now, before the database closes under it.
    this.resumeNudge?.();
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

  /** A supervisor declares fallback (or lifts it). It is kept: a reload mid-outage must not quietly lift it. */
  async declareFallback(on: boolean): Promise<void> {
    this.updateConnectivity({ type: 'declare-fallback', on });
    await this.deps.db.syncState.put({ key: SYNC_KEYS.fallbackDeclared, value: on });
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
    // One backend: asked directly (the schedule's timing stays exactly what it was with one).
    const { result, turned } =
      this.sources.length === 1
        ? { result: await this.sources[0]!.transport.health(this.abort.signal), turned: false }
        : await this.probeSources();
    if (this.stopped) return;
    if (turned) {
      // Another backend is the nearest that answers now: sync with it at once.
      this.breaker.onSuccess();
      void this.syncNow();
    }
    if (result.ok) {
      this.updateConnectivity({ type: 'answered', at: this.at(), latencyMs: result.ms, dcs: result.value.dcs });
      if (!turned && (!wasReachable || wasIncompatible)) {
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

  /**
   * Asks every backend at once whether it answers and picks the first
   * in order of preference that does and can serve: a relay with no copy of central's data cannot.
   * Returns that backend's answer (or the current one's failure) and whether the choice changed.
   */
  private async probeSources(): Promise<{ result: HttpResult<HealthResponse>; turned: boolean }> {
    const results = await Promise.all(this.sources.map((s) => s.transport.health(this.abort.signal)));
    results.forEach((r, i) => {
      if (r.ok) this.relays.set(i, r.value.relay ?? null);
    });
    const live = results.findIndex((r) => r.ok && !(r.value.relay && r.value.relay.centralAsOf === null));
    const chosen = live === -1 ? this.target : live;
    const turned = live !== -1 && live !== this.target;
    if (turned) {
      this.target = live;
      this.nudgeAbort.abort();
    }
    return { result: results[chosen]!, turned };
  }

  private get current(): SyncSource {
    return this.sources[this.active]!;
  }

  /**
   * Keeps a long poll open on the backend in use and starts a cycle whenever it says the feed moved
   * (another desk's action, a DCS change). Pauses while the backend does not answer, and stops for a
   * backend that has no long poll (it is then synced on schedule, as before).
   */
  private async nudgeLoop(): Promise<void> {
    const { db, config } = this.deps;
    while (!this.stopped) {
      const source = this.current;
      const reachable = this.connectivity.link === 'online' || this.connectivity.link === 'degraded';
      const enrolment = reachable && source.transport.wait && !this.noNudge.has(source.url) ? await readEnrolment(db) : null;
      if (!enrolment || !source.transport.wait || this.active !== this.target) {
        await this.pause(NUDGE_RETRY_MS);
        continue;
      }
      if (this.nudgeAbort.signal.aborted) this.nudgeAbort = new AbortController();
      const stored = await readSyncString(db, SYNC_KEYS.cursor);
      // A bulk fill that was interrupted has no place in the feed yet: the next cycle finishes it.
      const cursor = stored !== null && isBulkCursor(stored) ? null : stored;
      const r = await source.transport.wait(
        { clientId: enrolment.deviceId, station: config.station, cursor, timeoutMs: NUDGE_WAIT_MS },
        AbortSignal.any([this.abort.signal, this.nudgeAbort.signal]),
      );
      if (this.stopped) return;
      if (r.ok) {
        // A cycle that failed is retried on the engine's own schedule; polling again at once would spin.
        if (r.value.changed && (await this.syncNow()) !== 'ok') await this.pause(NUDGE_RETRY_MS);
        continue;
      }
      if (r.failure.kind === 'aborted') continue;
      if (r.failure.kind === 'client' && r.failure.status === 404) this.noNudge.add(source.url);
      await this.pause(NUDGE_RETRY_MS);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.deps.timers.clear(handle);
        if (this.resumeNudge === done) this.resumeNudge = null;
        resolve();
      };
      const handle = this.deps.timers.set(done, ms);
      this.resumeNudge = done;
    });
  }

  private async cycle(): Promise<CycleResult> {
    if (this.stopped || this.connectivity.incompatible) return 'skipped';
    if (!this.breaker.tryAcquire()) {
      this.scheduleCycle(this.breaker.retryInMs());
      return 'skipped';
    }
    this.setStatus({ lastAttemptAt: this.at() });
    try {
      const outcome = await this.withLock(async () => {
        await this.turnToTarget();
        this.current.transport.setBacklog?.(await this.deps.db.outbox.count());
        const clientId = await this.ensureEnrolled();
        await this.rotateTokenIfDue();
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
        // A relay that now has central's answers to actions it holds for us: fetch them (they settle those actions).
        const book = await readBook(this.deps.db);
        if (
          !refusedPush &&
          book?.relay &&
          (await this.deps.db.outbox.filter((e) => e.relayed?.source === book.url && e.relayed.wireSeq <= book.confirmedSeq).count()) > 0
        ) {
          await this.pushAll(clientId);
        }
        await this.reportSource();
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
      // Without this the first long poll after a start or a turn would wait out NUDGE_RETRY_MS.
      this.resumeNudge?.();
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
    // Several backends: one that stopped answering may not be the only one. Look for the nearest that
    // answers before this cycle ends, so the next one (at once, if the choice changed) goes there.
    if (this.sources.length > 1 && isRetryable(failure) && failure.kind !== 'local' && failure.kind !== 'malformed') await this.probe();
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
        this.current.transport.setToken(null);
        this.scheduleCycle(decision.delayMs);
        return 'failed';
      case 'resend-and-rebuild':
        // The backend's database went back to an older copy: what it acknowledged since goes again, pushed before the pull from the start.
        await recoverFromRestoredPull(this.deps.db);
        this.purgeDueAt = null;
        this.scheduleCycle(decision.delayMs);
        return 'failed';
      case 'rebuild-cache':
        // Our place in the change feed belongs to a backend database that no longer exists.
        await dropCache(this.deps.db);
        this.purgeDueAt = null;
        // The other backends' places too: what they were read into is gone.
        await forgetParkedCursors(this.deps.db);
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

  /**
   * Makes the backend chosen last the one the sync keys belong to (sources.ts), and learns whether
   * it is a station relay before pushing to it (a relay's answers are provisional).
   */
  private async turnToTarget(): Promise<void> {
    const { db } = this.deps;
    const target = this.sources[this.target]!;
    const { switched } = await activate(db, target.url, this.sources.at(-1)!.url);
    if (switched) this.purgeDueAt = null;
    if (switched || this.active !== this.target) this.nudgeAbort.abort();
    this.active = this.target;
    const book = await readBook(db);
    if (book && book.relay === null && this.sources.length > 1) {
      const known = this.relays.get(this.active);
      const relay = known !== undefined ? known : await this.askIfRelay(target);
      if (relay !== undefined) await updateBook(db, { relay: relay !== null });
    }
  }

  /** A station relay says so in its health answer; undefined when the backend did not answer. */
  private async askIfRelay(source: SyncSource): Promise<RelayUpstream | null | undefined> {
    const h = await source.transport.health(this.abort.signal);
    return h.ok ? (h.value.relay ?? null) : undefined;
  }

  /** This workstation's device id, enrolling first if it has none (or the backend forgot it). */
  private async ensureEnrolled(): Promise<string> {
    const { db, config } = this.deps;
    const transport = this.current.transport;
    const known = await readEnrolment(db);
    if (known) {
      transport.setToken(known.token);
      return known.deviceId;
    }
    this.setStatus({ phase: 'enrolling' });
    const previous = await readPreviousEnrolment(db);
    const request = {
      name: config.workstation,
      station: config.station,
      ...(previous ? { previous } : {}),
      // Several backends: each knows this workstation under an enrolment of its own.
      ...(this.sources.length > 1 ? { backendUrl: this.current.url } : {}),
    };
    const enrolled = unwrap(
      this.deps.enrol
        ? await this.deps.enrol(request)
        : await transport.enrol({ ...request, enrolmentKey: config.enrolmentKey ?? '' }, this.abort.signal),
    );
    await saveEnrolment(db, enrolled, this.at());
    // A new client of this backend: it numbers our actions from 1.
    await resetNumbering(db);
    transport.setToken(enrolled.token);
    return enrolled.deviceId;
  }

  /**
   * Rotates the device token once a day (the backend lets a token run out after 30 days), so a
   * token copied off this workstation stops working soon. A failure waits for the next cycle.
   */
  private async rotateTokenIfDue(): Promise<void> {
    const transport = this.current.transport;
    if (!transport.rotateToken) return;
    const issuedAt = await readTokenIssuedAt(this.deps.db);
    if (issuedAt && this.deps.clock().getTime() - Date.parse(issuedAt) < TOKEN_ROTATE_AFTER_MS) return;
    const rotated = await transport.rotateToken(this.abort.signal);
    if (!rotated.ok) return;
    await saveRotatedToken(this.deps.db, rotated.value.token, this.at());
    transport.setToken(rotated.value.token);
  }

  private async pushAll(clientId: string): Promise<void> {
    const { db, config } = this.deps;
    const transport = this.current.transport;
    const batchSize = Math.min(config.pushBatchSize, PUSH_MAX_MUTATIONS);
    for (;;) {
      const book = await readBook(db);
      if (!book) return;
      const batch = outgoing(book, await db.outbox.orderBy('seq').toArray(), batchSize);
      if (batch.length === 0) return;
      this.setStatus({ phase: 'pushing' });
      const numbered = batch.filter((o) => !o.final).map((o) => o.wire);
      // Outstanding until answered: a backend left in that state gets a fresh enrolment when we come back (sources.ts).
      if (numbered.length > 0) await updateBook(db, { sent: Math.max(book.sent ?? 0, ...numbered) });
      // The audit chain's head goes along: the backend anchors it (renderer/db/audit.ts).
      const head = await auditHead(db);
      const broken = (await readAuditBreak(db)) !== null;
      const result = await transport.push(
        {
          clientId,
          mutations: batch.map((o) => ({ ...toMutation(o.entry), seq: o.wire })),
          audit: { ...head, ...(broken ? { broken: true } : {}) },
        },
        this.abort.signal,
      );
      if (!result.ok) {
        await db.outbox
          .where('seq')
          .anyOf(batch.map((o) => o.entry.seq))
          .modify((e) => {
            e.attempts += 1;
            e.lastError = result.failure.kind;
          });
        throw new CycleFailure(result.failure);
      }
      const stats = await applyPushResults(db, result.value, this.at(), {
        relay: book.relay === true ? book.url : null,
        final: new Set(batch.filter((o) => o.final).map((o) => o.entry.id)),
        journal: { source: book.url, deviceId: clientId },
      });
      if (book.acked !== null && result.value.lastSeq < book.acked) {
        // It holds fewer of our actions than it confirmed: its database went back to an older copy (restored.ts).
        if (await recoverFromRestoredPush(db, result.value.lastSeq)) this.purgeDueAt = null;
        continue;
      }
      await updateBook(db, { acked: result.value.lastSeq, sent: result.value.lastSeq });
      await restoreConfirmed(db);
      if (result.value.audit) await this.checkAnchor(head, result.value.audit);
      this.updateConnectivity({ type: 'answered', at: this.at(), latencyMs: result.ms });
      // Deferred actions wait for an earlier one; pushing the same batch again now would not help.
      if (stats.deferred > 0 || batch.length < batchSize) return;
    }
  }

  /** Holds the local chain against the backend's anchor; a break is recorded for the supervisor screen. */
  private async checkAnchor(sent: AuditHead, answer: NonNullable<PushResponse['audit']>): Promise<void> {
    const { db } = this.deps;
    const problem = await anchorProblem(db, answer.anchored, answer.accepted);
    if (problem) {
      await recordAuditBreak(db, { at: this.at(), brokenAt: answer.anchored?.n ?? sent.n, reason: problem });
      return;
    }
    await db.settings.put({ key: AUDIT_ANCHOR_KEY, value: sent });
  }

  private async pullAll(clientId: string): Promise<void> {
    const { db, config, clock } = this.deps;
    const transport = this.current.transport;
    const stored = await readSyncString(db, SYNC_KEYS.cursor);
    const empty = stored === null || isBulkCursor(stored);
    const progress = new PullProgress(empty, clock().getTime());
    // A fill from nothing, or a page with flight records (below), may bring flights due for retention.
    if (empty) this.purgeDueAt = null;
    this.setStatus({ phase: 'pulling', progress: progress.snapshot() });
    // An empty workstation fills from the bulk form when the backend has it; the feed continues from its snapshot.
    const cursor = empty ? await this.bulkFill(clientId, stored, progress) : stored;
    // Numbers this workstation has spent (even on check-ins the backend refused) count as used.
    const leaseUse = (await db.leases.toArray()).filter((l) => l.next > l.from).map((l) => ({ id: l.id, next: l.next }));
    // What the backend confirmed of our actions: if it now holds fewer, it went back to an older copy (restored.ts).
    const book = await readBook(db);
    const acked = book?.acked && !(await restoreUnconfirmed(db, book)) ? book.acked : null;
    const request = (c: string | null) =>
      transport.pull(
        {
          clientId,
          station: config.station,
          cursor: c,
          maxChanges: config.pullMaxChanges,
          maxBytes: config.pullMaxBytes,
          ...(c === cursor && leaseUse.length > 0 ? { leaseUse } : {}),
          ...(c === cursor && acked !== null ? { acked } : {}),
        },
        this.abort.signal,
      );
    let inflight: Promise<HttpResult<PullResponse>> | null = request(cursor);
    let last: PullResponse | null = null;
    while (inflight) {
      const result: HttpResult<PullResponse> = await inflight;
      if (!result.ok) throw new CycleFailure(result.failure);
      const page: PullResponse = result.value;
      last = page;
      // Ask for the next page while this one is being stored.
      inflight = page.hasMore ? request(page.cursor) : null;
      const storeStart = clock().getTime();
      const stats = await applyPullPage(db, page, this.at());
      if (stats.flights > 0) this.purgeDueAt = null;
      const snapshot = progress.addPage(
        { stats, bytes: result.bytes, timing: result.timing, storeMs: clock().getTime() - storeStart, remaining: page.remaining },
        clock().getTime(),
      );
      this.setStatus({ progress: snapshot });
      this.updateConnectivity({ type: 'answered', at: this.at(), latencyMs: result.ms, dcs: page.dcs });
    }
    this.setStatus({ lastPull: progress.summary(clock().getTime()) });
    if (last) await this.learnFromPull(last);
  }

  /**
   * A first fill in the bulk form (shared/protocol/bulk.ts): flight documents up to the backend's
   * snapshot, each page stored with the bulk cursor that resumes after it, the last with the
   * snapshot's ordinary cursor. Returns where the feed continues: that cursor, or null when the
   * backend has no bulk form (the feed then delivers everything).
   */
  private async bulkFill(clientId: string, stored: string | null, progress: PullProgress): Promise<string | null> {
    const { db, config, clock } = this.deps;
    const source = this.current;
    if (!source.transport.bulk || config.bulkFill === false || this.noBulk.has(source.url)) return null;
    // A helper that failed once (its script would not load, say) is not asked again until the app restarts.
    // (A helper reaches the backend by its URL: a transport given without one fills on this thread.)
    const helpers = this.fillHelpersFailed || source.url === '' ? undefined : this.deps.fillHelpers;
    const writers: FillWriter[] = [new LocalFillWriter(db, source.transport, { checkHeld: helpers === undefined })];
    const helping = new Set<FillWriter>();
    const request = (cursor: string | null): BulkRequest => ({
      clientId,
      station: config.station,
      cursor,
      maxFlights: config.bulkMaxFlights ?? 100,
      maxBytes: config.pullMaxBytes,
    });
    // Pages are fetched and made ready by the writers in turns, and stored strictly in order: a page's
    // transaction is opened once the one before it is open (IndexedDB runs them in that order), and
    // stores nothing unless it finds the cursor that one leaves (OutOfTurn: then it waits for it and
    // tries again). So the stored cursor always resumes after the last page stored whole, a page
    // after a failed one is never stored, and one page's writing overlaps the commit of the one before.
    let last: { started: Promise<void>; done: Promise<void>; leaves: string | null } = {
      started: Promise.resolve(),
      done: Promise.resolve(),
      leaves: stored,
    };
    const free: Promise<void>[] = [];
    let failed = false;
    let cursor = stored === null ? null : stored.slice(BULK_CURSOR_PREFIX.length);
    let continueAt: string | null = null;
    try {
      for (let i = 0; ; i++) {
        const turn = i % writers.length;
        await free[turn];
        if (failed) break;
        let writer = writers[turn]!;
        let result = await writer.fetch(request(cursor), this.at(), this.abort.signal);
        if (!result.ok && result.failure.kind === 'local' && helping.has(writer)) {
          // A helper that fails leaves the fill to this thread, from now on (the page is asked for again).
          this.fillHelpersFailed = true;
          writers.splice(1, Infinity, new LocalFillWriter(db, source.transport, { checkHeld: true }));
          writer = writers[turn % writers.length]!;
          result = await writer.fetch(request(cursor), this.at(), this.abort.signal);
        }
        if (!result.ok) {
          if (i === 0 && result.failure.kind === 'client' && result.failure.status === 404) {
            this.noBulk.add(source.url);
            return null;
          }
          // The page being stored still lands (its cursor is where the next cycle resumes); if it failed,
          // its failure is the one to tell (this page was asked for where it said the next one starts).
          const earlier = await last.done.then(
            () => null,
            (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
          );
          throw earlier ?? new CycleFailure(result.failure);
        }
        const next = result.next;
        if (i === 0 && next.hasMore) {
          const enrolment = helpers ? await readEnrolment(db) : null;
          for (const helper of helpers && enrolment ? helpers({ url: source.url, token: enrolment.token }) : []) {
            helping.add(helper);
            writers.push(helper);
          }
          // Alone, this thread still fetches the next page while it stores this one.
          if (writers.length === 1) writers.push(new LocalFillWriter(db, source.transport, { checkHeld: true }));
        }
        const previous = last;
        let opened = () => {};
        const started = new Promise<void>((resolve) => (opened = resolve));
        const store = () =>
          storeInTurn(writer, { after: previous.leaves, onStarted: opened }, previous.done).catch((error: unknown) => {
            // The page arrived broken, or not as its header said: the backend's doing, not the writer's.
            if (isPageRefused(error)) throw new CycleFailure(error.failure);
            if (helping.has(writer)) this.fillHelpersFailed = true;
            throw error;
          });
        const page = previous.started.then(async () => {
          const storeStart = clock().getTime();
          const stored = await store().finally(opened);
          // Committed after the page before it (the cursor check says so); reported after it too, so
          // that the last page done means every page done (another thread's answer may come later).
          await previous.done;
          const { stats, head } = stored;
          continueAt = stored.leaves;
          if (stats.flights > 0) this.purgeDueAt = null;
          // What remains is counted in flights; the progress counts changes, at this page's changes per flight.
          const perFlight = head.flights > 0 ? stats.changes / head.flights : 0;
          const snapshot = progress.addPage(
            {
              stats,
              bytes: stored.bytes,
              timing: stored.timing,
              storeMs: clock().getTime() - storeStart,
              remaining: Math.round(head.remaining * perFlight),
              byHelper: helping.has(writer),
            },
            clock().getTime(),
          );
          this.setStatus({ progress: snapshot });
          this.updateConnectivity({ type: 'answered', at: this.at(), latencyMs: stored.ms, dcs: head.dcs });
        });
        // (After the last page nothing follows: what it leaves is learnt when it is stored.)
        last = { started, done: page, leaves: next.hasMore ? BULK_CURSOR_PREFIX + next.cursor : null };
        free[turn] = page.catch(() => {
          failed = true;
        });
        if (!next.hasMore) break;
        cursor = next.cursor;
      }
      await last.done;
      return continueAt;
    } finally {
      for (const writer of writers) writer.close();
    }
  }

  /** Whether the backend is a relay, how far it has central's answers for us, and how old central's data is. */
  private async learnFromPull(page: PullResponse): Promise<void> {
    const { db } = this.deps;
    const relay = page.relay;
    this.relays.set(this.active, relay ?? null);
    await updateBook(db, relay ? { relay: true, confirmedSeq: relay.confirmedSeq } : { relay: false });
    const centralAsOf = relay ? relay.centralAsOf : this.at();
    if (centralAsOf) await db.syncState.put({ key: SYNC_KEYS.centralAsOf, value: centralAsOf });
  }

  /** Tells the UI which backend this workstation talks to, and how old central's data is. */
  private async reportSource(): Promise<void> {
    const { db } = this.deps;
    const [book, entries, centralAsOf] = await Promise.all([readBook(db), db.outbox.toArray(), readSyncString(db, SYNC_KEYS.centralAsOf)]);
    const relay = this.relays.get(this.active) ?? null;
    const source: SourceStatus = {
      url: this.current.url,
      index: this.active,
      count: this.sources.length,
      relay: book?.relay === true,
      centralAsOf,
      centralReachable: book?.relay === true ? (relay?.reachable ?? null) : true,
      stale: relay?.stale ?? false,
      heldAtRelay: heldAtRelay(book, entries),
    };
    this.setStatus({ source });
  }

  private async afterSuccess(): Promise<void> {
    const { db, config, clock } = this.deps;
    const now = clock();
    if (this.purgeDueAt === null || now.getTime() >= this.purgeDueAt) {
      const { nextDueAt } = await purgeIdleFlights(db, now, config.retentionHours);
      this.purgeDueAt = nextDueAt === null ? null : Math.min(nextDueAt, now.getTime() + PURGE_RECHECK_MS);
    }
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

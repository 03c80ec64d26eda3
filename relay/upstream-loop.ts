/**
 * The relay's side of the conversation with central, one loop: enrol once (as one more
 * workstation of the station), then forward what desks recorded (in the relay's order, under its
 * own seqs), pull central's feed into the relay's store, and wait on central's long poll — or for a
 * desk's new action — before the next round. While central does not answer, the loop backs off and
 * the relay says so (reachable: false; the DCS reads as down to its desks, so their outage banner
 * shows) and goes on serving its desks from its copy.
 */
import type { DcsSimulator } from '../server/dcs/simulator';
import type { Store } from '../server/store/store';
import type { FeedWatch } from '../server/sync/feed-watch';
import type { Clock } from '../shared/clock';
import { PULL_LIMITS, type MutationResult, type PushResponse, type RelayUpstream } from '../shared/protocol/v1';
import { decide, isRetryable, type SyncFailure } from '../shared/sync/failure-policy';
import type { CentralAnswer, ForwardQueue } from './forward-queue';
import type { Mirror } from './mirror';
import type { LeasePool } from './pool';
import type { TagPool } from './tag-pool';
import { vouchedSessions } from './vouch';
import { RELAY_META } from './schema';
import type { UpstreamClient } from './upstream-client';

/** Actions per push upstream (PUSH_MAX_MUTATIONS allows 500; smaller batches answer desks sooner). */
export const FORWARD_BATCH = 200;
/** How long the relay's long poll on central may stay open. */
export const UPSTREAM_WAIT_MS = 25_000;
/** Central without the long-poll route (an older backend): the relay pulls this often instead. */
export const POLL_FALLBACK_MS = 5_000;
/** Rotate the token with central this long before it expires. */
export const ROTATE_BEFORE_MS = 7 * 86_400_000;
/** Retry timing while central does not answer (full jitter; short cap: desks wait on the relay). */
export const UPSTREAM_BACKOFF = { baseMs: 500, capMs: 10_000 } as const;

export interface UpstreamLoopDeps {
  store: Store;
  station: string;
  /** The relay's name in central's fleet view. */
  name: string;
  /** The one-time enrolment code (or, on loopback, the demo key) the relay enrols with at central. */
  enrolmentKey: string;
  client: UpstreamClient;
  queue: ForwardQueue;
  pool: LeasePool;
  tagPool: TagPool;
  mirror: Mirror;
  /** The relay's own feed: its desks' long polls wake when central's changes land here. */
  feed: FeedWatch;
  dcs: DcsSimulator;
  clock: Clock;
  random: () => number;
  staleAfterMs: number;
  log: (level: 'info' | 'warn', details: Record<string, unknown>, message: string) => void;
}

/** A failed request to central, carried out of a round to the policy. */
class UpstreamFailure extends Error {
  constructor(readonly failure: SyncFailure) {
    super(failure.detail ?? failure.kind);
  }
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; failure: SyncFailure }): T {
  if (!r.ok) throw new UpstreamFailure(r.failure);
  return r.value;
}

export class UpstreamLoop {
  private stopped = false;
  private running: Promise<void> | null = null;
  private reachable = false;
  private centralAsOf: string | null = null;
  private unforwarded = 0;
  private failures = 0;
  private reEnrolledAt: number | null = null;
  /** Something to do now (a desk's new action): cut the current wait short. */
  private woken = false;
  private interrupt = new AbortController();
  private readonly stopping = new AbortController();

  constructor(private readonly d: UpstreamLoopDeps) {}

  /** Reads where the relay stood with central, then runs the loop in the background. */
  async start(): Promise<void> {
    const { store, station, client } = this.d;
    const known = await store.write(station, async (tx) => {
      const [s, upstream, asOf] = await Promise.all([
        tx.getMeta(RELAY_META.station),
        tx.getMeta(RELAY_META.upstream),
        tx.getMeta(RELAY_META.centralAsOf),
      ]);
      if (s !== null && s !== station) throw new Error(`This data dir holds station ${s}'s relay, not ${station}'s.`);
      if (upstream !== null && upstream !== client.url) {
        throw new Error(`This data dir was the relay of ${upstream}; use another data dir for ${client.url}.`);
      }
      tx.setMeta(RELAY_META.station, station);
      tx.setMeta(RELAY_META.upstream, client.url);
      return { asOf, open: this.d.queue.openCount() };
    });
    this.centralAsOf = known.asOf;
    this.unforwarded = known.open;
    // Until central has answered, the relay's desks run as in an outage.
    await this.setDcs('down');
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.interrupt.abort();
    await this.running;
  }

  /** A desk recorded an action (called inside its transaction): forward it as soon as central answers. */
  queued(): void {
    this.unforwarded += 1;
    this.wake();
  }

  /** Start the next round now instead of waiting on central (a new action, a pool running low). */
  wake(): void {
    this.woken = true;
    this.interrupt.abort();
  }

  /** What the relay tells its desks about its copy of central's data. */
  upstream(): RelayUpstream {
    const asOf = this.centralAsOf;
    const age = asOf === null ? Infinity : this.d.clock().getTime() - Date.parse(asOf);
    return {
      station: this.d.station,
      reachable: this.reachable,
      centralAsOf: asOf,
      stale: age > this.d.staleAfterMs,
      unforwarded: Math.max(0, this.unforwarded),
    };
  }

  confirmedSeq(deviceId: string): Promise<number> {
    return this.d.store.write(this.d.station, async () => this.d.queue.confirmedSeq(deviceId));
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      if (this.interrupt.signal.aborted) this.interrupt = new AbortController();
      try {
        await this.round();
        this.failures = 0;
        await this.markReachable(true);
        if (this.woken || this.stopped) continue;
        await this.waitOnCentral();
      } catch (error) {
        if (this.stopped) return;
        await this.onFailure(error);
      }
    }
  }

  /** One round: enrolled → forward everything owed → pull central's feed to its end. */
  private async round(): Promise<void> {
    const clientId = await this.ensureEnrolled();
    await this.rotateIfDue();
    await this.forwardAll(clientId);
    await this.pullAll(clientId);
  }

  private async ensureEnrolled(): Promise<string> {
    const { store, station, client, name, enrolmentKey } = this.d;
    const known = await store.write(station, async (tx) => ({
      deviceId: await tx.getMeta(RELAY_META.deviceId),
      token: await tx.getMeta(RELAY_META.token),
      previousDeviceId: await tx.getMeta(RELAY_META.previousDeviceId),
      previousToken: await tx.getMeta(RELAY_META.previousToken),
    }));
    if (known.deviceId && known.token) {
      client.setToken(known.token);
      return known.deviceId;
    }
    client.setToken(null);
    const previous =
      known.previousDeviceId && known.previousToken ? { previous: { deviceId: known.previousDeviceId, token: known.previousToken } } : {};
    // As a station relay: central then takes its word on the staff sessions it issues its desks.
    const enrolled = unwrap(await client.enrol({ name, station, enrolmentKey, relay: true, ...previous }, this.stopping.signal));
    await store.write(station, async (tx) => {
      tx.setMeta(RELAY_META.deviceId, enrolled.deviceId);
      tx.setMeta(RELAY_META.token, enrolled.token);
      tx.setMeta(RELAY_META.tokenExpiresAt, enrolled.expiresAt ?? '');
      // A new client to central starts at seq 1: the first action it has not answered goes first.
      const first = this.d.queue.open(1)[0];
      tx.setMeta(RELAY_META.upBase, String((first ? first.upSeq : this.d.queue.lastUpSeq() + 1) - 1));
    });
    client.setToken(enrolled.token);
    this.d.log('info', { deviceId: enrolled.deviceId, station }, 'relay enrolled with central');
    return enrolled.deviceId;
  }

  private async rotateIfDue(): Promise<void> {
    const { store, station, client, clock } = this.d;
    const expiresAt = await store.write(station, (tx) => tx.getMeta(RELAY_META.tokenExpiresAt));
    if (!expiresAt || Date.parse(expiresAt) - clock().getTime() > ROTATE_BEFORE_MS) return;
    const rotated = unwrap(await client.rotate(this.stopping.signal));
    await store.write(station, async (tx) => {
      tx.setMeta(RELAY_META.token, rotated.token);
      tx.setMeta(RELAY_META.tokenExpiresAt, rotated.expiresAt);
    });
    client.setToken(rotated.token);
  }

  /** Sends every action central has not answered, oldest first, and keeps its answers. */
  private async forwardAll(clientId: string): Promise<void> {
    const { store, station, client, queue } = this.d;
    for (;;) {
      const { batch, upBase } = await store.write(station, async (tx) => ({
        batch: queue.open(FORWARD_BATCH),
        upBase: Number((await tx.getMeta(RELAY_META.upBase)) ?? '0'),
      }));
      if (batch.length === 0) {
        this.unforwarded = 0;
        return;
      }
      const mutations = batch.map((a) => ({ ...(JSON.parse(a.mutation) as Record<string, unknown>), seq: a.upSeq - upBase }));
      await this.vouchFor(clientId, batch);
      const response = unwrap(await client.push({ clientId, mutations }, this.stopping.signal));
      const settled = await store.write(station, async (tx) => {
        const { answers, rebase } = this.read(batch, response, upBase);
        queue.recordAnswers(answers, this.d.clock().toISOString());
        if (rebase !== null) tx.setMeta(RELAY_META.upBase, String(rebase));
        this.unforwarded = queue.openCount();
        return { answers: answers.length, rebased: rebase !== null };
      });
      this.d.log('info', { forwarded: settled.answers, left: this.unforwarded }, 'forwarded to central');
      // Central's numbering of the relay was not ours (it lost or kept seqs we did not expect): go again with its.
      if (settled.rebased) continue;
      if (batch.length < FORWARD_BATCH) return;
    }
  }

  /**
   * Before central sees a desk's online sign-in, it gets the session the relay issued for it, so it
   * records the sign-in as verified (by the relay) instead of flagging a session it never issued.
   * Only sessions behind sign-ins the relay itself verified go up. An older central without the route,
   * or one that does not know the relay as one, flags them as before: the forward goes on regardless.
   */
  private async vouchFor(clientId: string, batch: readonly { mutationId: string; mutation: string }[]): Promise<void> {
    const sessions = await vouchedSessions(this.d.store, batch);
    if (sessions.length === 0) return;
    const r = await this.d.client.vouch({ clientId, sessions }, this.stopping.signal);
    if (r.ok) {
      if (r.value.refused.length > 0)
        this.d.log('warn', { refused: r.value.refused.length }, 'central refused staff sessions the relay vouched for');
      return;
    }
    if (r.failure.kind === 'client') {
      this.d.log('warn', { status: r.failure.status, code: r.failure.code }, 'central does not take the relay’s staff sessions');
      return;
    }
    throw new UpstreamFailure(r.failure);
  }

  /**
   * Central's answers, matched by id. A gap (deferred) or a seq central already holds under another
   * id (STALE_CLIENT) means central's count of the relay's actions is not the relay's: the rest goes
   * again from central's lastSeq + 1.
   */
  private read(
    batch: readonly { upSeq: number; mutationId: string }[],
    response: PushResponse,
    upBase: number,
  ): { answers: CentralAnswer[]; rebase: number | null } {
    const byId = new Map<string, MutationResult>(response.results.map((r) => [r.id, r]));
    const answers: CentralAnswer[] = [];
    for (const a of batch) {
      const result = byId.get(a.mutationId);
      if (!result) break;
      const outOfStep = result.status === 'deferred' || (result.status === 'rejected' && result.code === 'STALE_CLIENT');
      if (outOfStep) {
        const rebase = a.upSeq - (response.lastSeq + 1);
        return { answers, rebase: rebase === upBase ? null : rebase };
      }
      answers.push({ upSeq: a.upSeq, mutationId: a.mutationId, result });
    }
    return { answers, rebase: null };
  }

  /** Pulls central's feed to its end into the relay's store; then answered facts leave the ledgers. */
  private async pullAll(clientId: string): Promise<void> {
    const { store, station, client, mirror, queue, pool, tagPool, feed } = this.d;
    const start = await store.write(station, async (tx) => ({
      cursor: (await tx.getMeta(RELAY_META.cursor)) || null,
      // Answered before this pull began: the state it brings back includes them.
      answered: queue.unsettled(),
      leaseUse: pool.usage(),
      tagUse: tagPool.usage(),
    }));
    let cursor = start.cursor;
    let first = true;
    for (;;) {
      const page = unwrap(
        await client.pull(
          {
            clientId,
            station,
            cursor,
            maxChanges: PULL_LIMITS.maxChanges,
            ...(first && start.leaseUse.length > 0 ? { leaseUse: start.leaseUse } : {}),
            ...(first && start.tagUse.length > 0 ? { tagUse: start.tagUse } : {}),
          },
          this.stopping.signal,
        ),
      );
      first = false;
      const wrote = await store.write(station, async (tx) => {
        let n = await mirror.applyPage(tx, page, clientId);
        tx.setMeta(RELAY_META.cursor, page.cursor);
        if (!page.hasMore) {
          tx.setMeta(RELAY_META.centralAsOf, page.serverTime);
          n += await mirror.settleAnswered(tx, start.answered);
        }
        return n;
      });
      if (wrote > 0) feed.changed(station);
      await this.setDcs(page.dcs);
      cursor = page.cursor;
      if (!page.hasMore) {
        this.centralAsOf = page.serverTime;
        return;
      }
    }
  }

  private async waitOnCentral(): Promise<void> {
    const { store, station, client } = this.d;
    const known = await store.write(station, async (tx) => ({
      deviceId: await tx.getMeta(RELAY_META.deviceId),
      cursor: (await tx.getMeta(RELAY_META.cursor)) || null,
    }));
    if (!known.deviceId) return;
    const signal = AbortSignal.any([this.interrupt.signal, this.stopping.signal]);
    const r = await client.wait({ clientId: known.deviceId, station, cursor: known.cursor, timeoutMs: UPSTREAM_WAIT_MS }, signal);
    if (r.ok || r.failure.kind === 'aborted') return;
    // An older central without the long poll: pull on a timer instead.
    if (r.failure.kind === 'client' && r.failure.status === 404) return this.sleep(POLL_FALLBACK_MS, signal);
    throw new UpstreamFailure(r.failure);
  }

  private async onFailure(error: unknown): Promise<void> {
    const failure: SyncFailure =
      error instanceof UpstreamFailure
        ? error.failure
        : { kind: 'local', status: null, code: null, detail: error instanceof Error ? error.message : String(error) };
    if (failure.kind === 'aborted') return;
    if (isRetryable(failure) && failure.kind !== 'local' && failure.kind !== 'malformed') await this.markReachable(false);
    this.failures += 1;
    const now = this.d.clock().getTime();
    const decision = decide(failure, {
      consecutiveFailures: this.failures,
      lastReEnrolAtMs: this.reEnrolledAt,
      nowMs: now,
      intervalMs: 60_000,
      breakerWaitMs: 0,
      backoff: UPSTREAM_BACKOFF,
      random: this.d.random,
    });
    this.d.log(
      'warn',
      { kind: failure.kind, status: failure.status, code: failure.code, detail: failure.detail },
      'central did not take the round',
    );
    switch (decision.action) {
      case 'stop':
        return;
      case 're-enrol':
        this.reEnrolledAt = now;
        await this.forgetEnrolment();
        return this.sleep(decision.delayMs, this.stopping.signal);
      case 'resend-and-rebuild':
      case 'rebuild-cache':
        // Central's database was replaced, or went back to an older copy: read its feed again from the start.
        await this.d.store.write(this.d.station, async (tx) => tx.setMeta(RELAY_META.cursor, ''));
        return;
      case 'block':
      case 'wait':
        return this.sleep(decision.action === 'wait' ? decision.delayMs : 60_000, this.stopping.signal);
      case 'retry':
        return this.sleep(Math.max(decision.delayMs, 200), this.stopping.signal);
    }
  }

  /** Central no longer knows the relay's token: enrol again, with this one as proof, so its leases move. */
  private async forgetEnrolment(): Promise<void> {
    await this.d.store.write(this.d.station, async (tx) => {
      const [deviceId, token] = await Promise.all([tx.getMeta(RELAY_META.deviceId), tx.getMeta(RELAY_META.token)]);
      if (deviceId && token) {
        tx.setMeta(RELAY_META.previousDeviceId, deviceId);
        tx.setMeta(RELAY_META.previousToken, token);
      }
      tx.setMeta(RELAY_META.deviceId, '');
      tx.setMeta(RELAY_META.token, '');
    });
  }

  private async markReachable(reachable: boolean): Promise<void> {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    this.d.log(reachable ? 'info' : 'warn', { reachable }, reachable ? 'central answers' : 'central does not answer');
    if (!reachable) await this.setDcs('down');
    // Desks learn of it in their next health probe; their data did not change.
  }

  private async setDcs(status: 'up' | 'down'): Promise<void> {
    if (this.d.dcs.status() !== status) await this.d.dcs.setStatus(status);
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

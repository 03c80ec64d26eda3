/**
 * The simulated network between the station's workstations and the backend, and each workstation's
 * transport over it. Partitions (one workstation, the whole station, the backend's side) and
 * per-request faults (dropped before or after the backend saw the request, duplicated, held back
 * and delivered later out of order, truncated, delayed past the client's timeout, a 500, a proxy's
 * HTML 403) are drawn from the run's seed. Delays are simulated time: a delayed request waits on the
 * simulation's clock, and other workstations and agents go on meanwhile.
 *
 * The transport classifies answers by handing them to the app's own SyncHttpClient (through its
 * injectable fetch): status codes, truncated bodies and schema violations get exactly the failure
 * kinds the app gets. Only what a real fetch cannot be told to do — time out on the simulated clock,
 * be cancelled by a process that died — is produced here, as the same failure kinds.
 */
import type {
  HealthResponse,
  EnrolRequest,
  EnrolResponse,
  PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
} from '../shared/protocol/v1';
import { MutationResult, PROTOCOL_HEADER, PROTOCOL_VERSION, StaffSession } from '../shared/protocol/v1';
import type { FailureKind } from '../shared/sync/failure-policy';
import { SyncHttpClient, type HttpResult, type SyncTransport } from '../renderer/sync/http';
import type { SeededRandom } from '../tests/support/random';
import type { InjectAnswer, InjectRequest, SimBackend } from './backend';
import type { SimScheduler } from './scheduler';

export type RequestFault = 'drop' | 'drop-after' | 'duplicate' | 'reorder' | 'truncate' | 'delay' | 'timeout' | 'error-500' | 'proxy-403';
export const REQUEST_FAULTS: readonly RequestFault[] = [
  'drop',
  'drop-after',
  'duplicate',
  'reorder',
  'truncate',
  'delay',
  'timeout',
  'error-500',
  'proxy-403',
];

type Route = 'health' | 'enrol' | 'pull' | 'push';

/** The client's own timeouts per route (SyncHttpClient's). */
const TIMEOUT_MS: Record<Route, number> = { health: 5_000, enrol: 15_000, pull: 60_000, push: 30_000 };

/** Every answer the backend gave to a pushed mutation, whether or not it reached the desk. */
export interface PushAnswerLog {
  record(wsName: string, result: MutationResult): void;
}

/** A push the backend answers through this instead of directly (the legacy-refusals emulation). */
export type PushInterceptor = (request: InjectRequest, inject: (r: InjectRequest) => Promise<InjectAnswer>) => Promise<InjectAnswer>;

export class SimNetwork {
  /** Every workstation cut off from the backend (the station's uplink is down). */
  stationCut = false;
  /** The backend's side of the network is down: nobody reaches it. */
  backendCut = false;
  /** Workstations cut off on their own (a cable, a switch port). */
  readonly wsCut = new Set<string>();
  /** Partitions black-hole requests (they hang until the client gives up) rather than refuse them. */
  blackhole = false;
  /** Probability that a request meets one of the request faults. */
  faultRate = 0;
  /** Requests being worked on now (not waiting on simulated time). */
  active = 0;
  readonly faultsInjected = new Map<string, number>();
  intercept: PushInterceptor | null = null;

  constructor(
    readonly backend: SimBackend,
    readonly scheduler: SimScheduler,
    private readonly random: SeededRandom,
    readonly answers: PushAnswerLog,
  ) {}

  count(kind: string): void {
    this.faultsInjected.set(kind, (this.faultsInjected.get(kind) ?? 0) + 1);
  }

  reachable(wsName: string): boolean {
    return this.backend.up && !this.stationCut && !this.backendCut && !this.wsCut.has(wsName);
  }

  /** The fault this request meets, if any. */
  drawFault(): RequestFault | null {
    if (this.faultRate <= 0 || !this.random.chance(this.faultRate)) return null;
    const fault = this.random.pick(REQUEST_FAULTS);
    this.count(`request:${fault}`);
    return fault;
  }

  delayMs(route: Route): number {
    // Mostly slow but in time; a third of them past the client's timeout.
    return this.random.chance(0.33) ? TIMEOUT_MS[route] + 1 : this.random.int(200, TIMEOUT_MS[route] - 1);
  }

  laterMs(): number {
    return this.random.int(1_000, 10 * 60_000);
  }

  async deliver(request: InjectRequest): Promise<InjectAnswer> {
    const answer =
      this.intercept && request.url === '/v1/sync/push'
        ? await this.intercept(request, (r) => this.backend.inject(r))
        : await this.backend.inject(request);
    return answer;
  }
}

class Timeout extends Error {}

function fail(kind: FailureKind, detail: string): { ok: false; failure: { kind: FailureKind; status: null; code: null; detail: string } } {
  return { ok: false, failure: { kind, status: null, code: null, detail } };
}

/** One workstation's SyncTransport over the simulated network. */
export class SimTransport implements SyncTransport {
  private token: string | null = null;
  private backlog: number | null = null;
  private dead = false;
  /** Requests of this workstation waiting on simulated time. */
  parked = 0;

  constructor(
    readonly wsName: string,
    private readonly net: SimNetwork,
  ) {}

  setToken(token: string | null): void {
    this.token = token;
  }

  setBacklog(count: number): void {
    this.backlog = count;
  }

  /** The process died: nothing it asked for is answered any more. */
  kill(): void {
    this.dead = true;
  }

  /**
   * An online staff sign-in (POST /v1/staff/sessions), as the sign-in screen makes it when the
   * backend answers: the session token, or null when it cannot be had now (the agent signs in offline).
   */
  async staffSession(clientId: string, staffId: string, pin: string): Promise<string | null> {
    if (this.dead || !this.token || !this.net.reachable(this.wsName) || this.net.drawFault() !== null) return null;
    this.net.active += 1;
    try {
      const answer = await this.net.deliver({
        method: 'POST',
        url: '/v1/staff/sessions',
        headers: {
          [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
          'content-type': 'application/json',
          authorization: `Bearer ${this.token}`,
        },
        payload: JSON.stringify({ clientId, staffId, pin }),
      });
      if (answer.status !== 201) return null;
      const session = StaffSession.safeParse(JSON.parse(answer.body));
      return session.success ? session.data.token : null;
    } catch {
      return null;
    } finally {
      this.net.active -= 1;
    }
  }

  health(signal?: AbortSignal): Promise<HttpResult<HealthResponse>> {
    return this.call('health', (c) => c.health(signal));
  }

  enrol(body: EnrolRequest, signal?: AbortSignal): Promise<HttpResult<EnrolResponse>> {
    return this.call('enrol', (c) => c.enrol(body, signal));
  }

  pull(body: PullRequest, signal?: AbortSignal): Promise<HttpResult<PullResponse>> {
    return this.call('pull', (c) => c.pull(body, signal));
  }

  push(body: PushRequest, signal?: AbortSignal): Promise<HttpResult<PushResponse>> {
    return this.call('push', (c) => c.push(body, signal));
  }

  /** Waits `ms` of simulated time. */
  private async park(ms: number): Promise<void> {
    this.net.active -= 1;
    this.parked += 1;
    try {
      await new Promise<void>((resolve) => this.net.scheduler.set(resolve, ms));
    } finally {
      this.parked -= 1;
      this.net.active += 1;
    }
  }

  private async call<T>(route: Route, run: (client: SyncHttpClient) => Promise<HttpResult<T>>): Promise<HttpResult<T>> {
    if (this.dead) return fail('aborted', 'the workstation stopped');
    this.net.active += 1;
    try {
      if (!this.net.reachable(this.wsName)) {
        if (this.net.blackhole && this.net.backend.up) {
          await this.park(TIMEOUT_MS[route]);
          return this.dead ? fail('aborted', 'the workstation stopped') : fail('timeout', `no answer within ${TIMEOUT_MS[route]} ms`);
        }
        return fail('network', 'ECONNREFUSED');
      }
      const fault = this.net.drawFault();
      let delayed = 0;
      const client = new SyncHttpClient({
        baseUrl: 'http://backend.sim',
        fetch: (url, init) => this.fetch(route, urlOf(url), init ?? {}, fault, (ms) => (delayed = ms)),
        now: () => 0,
      });
      client.setToken(this.token);
      if (this.backlog !== null) client.setBacklog(this.backlog);
      let result: HttpResult<T>;
      try {
        result = await run(client);
      } catch (error) {
        if (error instanceof Timeout) return fail('timeout', `no answer within ${TIMEOUT_MS[route]} ms`);
        throw error;
      }
      if (this.dead) return fail('aborted', 'the workstation stopped');
      return result.ok && delayed > 0 ? { ...result, ms: delayed, timing: { ...result.timing, networkMs: delayed } } : result;
    } finally {
      this.net.active -= 1;
    }
  }

  private async fetch(
    route: Route,
    url: string,
    init: RequestInit,
    fault: RequestFault | null,
    delayed: (ms: number) => void,
  ): Promise<Response> {
    const request: InjectRequest = {
      method: init.method === 'POST' ? 'POST' : 'GET',
      url: new URL(url).pathname,
      headers: { ...(init.headers as Record<string, string>) },
      ...(typeof init.body === 'string' ? { payload: init.body } : {}),
    };
    const deliver = async () => {
      const answer = await this.net.deliver(request);
      if (route === 'push' && answer.status === 200) this.logPush(answer);
      return answer;
    };
    switch (fault) {
      case null:
        return toResponse(await deliver());
      case 'drop':
        throw new TypeError('fetch failed: connection reset before the request was sent');
      case 'drop-after':
        await deliver();
        throw new TypeError('fetch failed: connection reset before the answer arrived');
      case 'duplicate': {
        await deliver();
        return toResponse(await deliver());
      }
      case 'reorder': {
        // Held back on the way: the client gives up, the request reaches the backend later, after newer ones.
        this.net.scheduler.set(() => {
          if (!this.net.backend.up) return;
          this.net.active += 1;
          void deliver()
            .catch(() => undefined)
            .finally(() => (this.net.active -= 1));
        }, this.net.laterMs());
        throw new TypeError('fetch failed: no answer');
      }
      case 'truncate': {
        const answer = await deliver();
        return toResponse({ ...answer, body: answer.body.slice(0, Math.floor(answer.body.length / 2)) });
      }
      case 'delay':
      case 'timeout': {
        const ms = fault === 'timeout' ? TIMEOUT_MS[route] + 1 : this.net.delayMs(route);
        const answer = await deliver();
        if (ms > TIMEOUT_MS[route]) {
          await this.park(TIMEOUT_MS[route]);
          throw new Timeout();
        }
        await this.park(ms);
        delayed(ms);
        return toResponse(answer);
      }
      case 'error-500':
        return toResponse({
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ error: { code: 'INTERNAL', message: 'injected failure' } }),
        });
      case 'proxy-403':
        return toResponse({
          status: 403,
          headers: { 'content-type': 'text/html' },
          body: '<html><body><h1>Forbidden</h1><p>Blocked by policy.</p></body></html>',
        });
    }
  }

  private logPush(answer: InjectAnswer): void {
    try {
      const body = JSON.parse(answer.body) as { results?: unknown[] };
      for (const r of body.results ?? []) {
        const parsed = MutationResult.safeParse(r);
        if (parsed.success) this.net.answers.record(this.wsName, parsed.data);
      }
    } catch {
      // Not the backend's JSON: nothing to log.
    }
  }
}

/**
 * The part of a fetch Response the client reads (status, ok, the body as text), without the stream
 * machinery of a real one: thousands of requests per simulated hour go through here.
 */
function toResponse(answer: InjectAnswer): Response {
  const body = answer.body;
  return {
    status: answer.status,
    ok: answer.status >= 200 && answer.status < 300,
    headers: new Headers(answer.headers),
    text: () => Promise.resolve(body),
  } as unknown as Response;
}

function urlOf(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

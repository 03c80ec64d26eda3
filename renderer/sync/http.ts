/**
 * The workstation's HTTP client for protocol v1. Every request has a timeout and an AbortSignal;
 * every response body is parsed with the protocol's zod schemas before anything trusts it. Failures
 * come back as values that say whether retrying can help.
 */
import type { z } from 'zod';
import type { HttpErrorCode } from '../../shared/protocol/errors';
import { httpFailure, syncFailure } from '../../shared/sync/http-failure';
import { fastSafeParse } from '../../shared/protocol/fast-check';
import {
  BULK_NEXT_HEADER,
  decodeBulkPage,
  readBulkNextHeader,
  type BulkNext,
  type BulkRequest,
  type DecodedBulkPage,
} from '../../shared/protocol/bulk';
import type { FailureKind, SyncFailure } from '../../shared/sync/failure-policy';
import {
  EnrolResponse,
  HealthResponse,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  PullResponse,
  PushResponse,
  TokenResponse,
  WaitResponse,
  type EnrolRequest,
  type PullRequest,
  type PushRequest,
  type WaitRequest,
} from '../../shared/protocol/v1';

/** A failed request, classified; the UI chooses the words (strings.sync.failure). */
export type HttpFailure = SyncFailure;

/** Where the time of a request went: waiting for the answer, JSON parsing, schema validation. */
export interface RequestTiming {
  networkMs: number;
  parseMs: number;
  validateMs: number;
}

export type HttpResult<T> = { ok: true; value: T; bytes: number; ms: number; timing: RequestTiming } | { ok: false; failure: HttpFailure };

/** What the sync engine needs from the network: the four protocol calls. The simulator supplies its own. */
export interface SyncTransport {
  setToken(token: string | null): void;
  /** How many actions wait in the outbox: the backend's fleet view shows it per workstation. */
  setBacklog?(count: number): void;
  health(signal?: AbortSignal): Promise<HttpResult<HealthResponse>>;
  enrol(body: EnrolRequest, signal?: AbortSignal): Promise<HttpResult<EnrolResponse>>;
  pull(body: PullRequest, signal?: AbortSignal): Promise<HttpResult<PullResponse>>;
  push(body: PushRequest, signal?: AbortSignal): Promise<HttpResult<PushResponse>>;
  /** The long poll: answers when the backend's feed moved for us, or after body.timeoutMs. Optional: older transports have none. */
  wait?(body: WaitRequest, signal?: AbortSignal): Promise<HttpResult<WaitResponse>>;
  /** A new device token for the current one (POST /v1/devices/token); transports without it never rotate. */
  rotateToken?(signal?: AbortSignal): Promise<HttpResult<TokenResponse>>;
  /**
   * A page of a first fill's bulk form (POST /v1/sync/bulk), checked and decoded; transports without it
   * fill from the feed. `onNext` hears where the next page starts as soon as the answer's headers say
   * (a hint the page's body must bear out), before the page itself has arrived.
   */
  bulk?(body: BulkRequest, signal?: AbortSignal, onNext?: (next: BulkNext) => void): Promise<HttpResult<DecodedBulkPage>>;
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Sent as x-backstop-version so the backend's fleet view knows what each desk runs. */
  appVersion?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export class SyncHttpClient implements SyncTransport {
  private token: string | null = null;
  private backlog: number | null = null;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? (() => performance.now());
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  setBacklog(count: number): void {
    this.backlog = count;
  }

  /** The health route answers any client; a backend on another protocol version says so in the body. */
  async health(signal?: AbortSignal): Promise<HttpResult<HealthResponse>> {
    const result = await this.request('GET', '/v1/health', undefined, HealthResponse, signal, 5_000);
    if (result.ok && result.value.protocol !== PROTOCOL_VERSION) {
      return failure(
        'protocol',
        200,
        'PROTOCOL_MISMATCH',
        `backend protocol ${result.value.protocol}, workstation protocol ${PROTOCOL_VERSION}`,
      );
    }
    return result;
  }

  enrol(body: EnrolRequest, signal?: AbortSignal): Promise<HttpResult<EnrolResponse>> {
    return this.request('POST', '/v1/devices', body, EnrolResponse, signal);
  }

  pull(body: PullRequest, signal?: AbortSignal): Promise<HttpResult<PullResponse>> {
    return this.request('POST', '/v1/sync/pull', body, PullResponse, signal, 60_000);
  }

  push(body: PushRequest, signal?: AbortSignal): Promise<HttpResult<PushResponse>> {
    return this.request('POST', '/v1/sync/push', body, PushResponse, signal, 30_000);
  }

  rotateToken(signal?: AbortSignal): Promise<HttpResult<TokenResponse>> {
    return this.request('POST', '/v1/devices/token', {}, TokenResponse, signal);
  }

  bulk(body: BulkRequest, signal?: AbortSignal, onNext?: (next: BulkNext) => void): Promise<HttpResult<DecodedBulkPage>> {
    const onHeaders = onNext
      ? (headers: Headers) => {
          const next = readBulkNextHeader(headers.get(BULK_NEXT_HEADER));
          if (next) onNext(next);
        }
      : undefined;
    return this.request('POST', '/v1/sync/bulk', body, decodeBulkPage, signal, 60_000, onHeaders);
  }

  wait(body: WaitRequest, signal?: AbortSignal): Promise<HttpResult<WaitResponse>> {
    // The backend answers by body.timeoutMs; give it the time to, and then some.
    return this.request('POST', '/v1/sync/wait', body, WaitResponse, signal, (body.timeoutMs ?? 25_000) + 10_000);
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: z.ZodType<T> | Decoder<T>,
    outer?: AbortSignal,
    timeoutMs = this.options.timeoutMs ?? 15_000,
    onHeaders?: (headers: Headers) => void,
  ): Promise<HttpResult<T>> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onOuterAbort = () => controller.abort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const started = this.now();
    try {
      const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (this.token) headers.authorization = `Bearer ${this.token}`;
      if (this.options.appVersion) headers['x-backstop-version'] = this.options.appVersion;
      if (this.backlog !== null) headers['x-backstop-backlog'] = String(this.backlog);
      let response: Response;
      try {
        response = await this.fetchImpl(new URL(path, this.options.baseUrl).toString(), {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: controller.signal,
          cache: 'no-store',
        });
      } catch (error) {
        if (timedOut) return failure('timeout', null, null, `no answer within ${timeoutMs} ms`);
        if (outer?.aborted) return failure('aborted', null, null, null);
        return failure('network', null, null, errorText(error));
      }
      if (response.ok) onHeaders?.(response.headers);
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        if (timedOut) return failure('timeout', response.status, null, 'stopped answering mid-response');
        return failure('malformed', response.status, null, `cut off: ${errorText(error)}`);
      }
      if (!response.ok) return httpError(response.status, text);
      const received = this.now();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return failure('malformed', response.status, null, `${path}: not JSON (${text.length} bytes; truncated?)`);
      }
      const parsedAt = this.now();
      // Every answer is checked in full; the compiled fast path (no eval, so the CSP holds) does it for most.
      const parsed = typeof schema === 'function' ? schema(json) : checkWith(schema, json);
      if (!parsed.ok) return failure('malformed', response.status, null, `${path}: ${parsed.message}`);
      const done = this.now();
      return {
        ok: true,
        value: parsed.value,
        bytes: text.length,
        ms: received - started,
        timing: { networkMs: received - started, parseMs: parsedAt - received, validateMs: done - parsedAt },
      };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }
}

function failure(
  kind: FailureKind,
  status: number | null,
  code: HttpErrorCode | null,
  detail: string | null,
): { ok: false; failure: HttpFailure } {
  return { ok: false, failure: syncFailure(kind, status, code, detail) };
}

/** Checks and shapes an answer's JSON: a value, or what is wrong with it. */
type Decoder<T> = (json: unknown) => { ok: true; value: T } | { ok: false; message: string };

function checkWith<T>(schema: z.ZodType<T>, json: unknown): { ok: true; value: T } | { ok: false; message: string } {
  const parsed = fastSafeParse(schema, json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Classifies a non-2xx answer by status and by the backend's own error code (never by its words). */
function httpError(status: number, text: string): { ok: false; failure: HttpFailure } {
  return { ok: false, failure: httpFailure(status, text) };
}

/**
 * The workstation's HTTP client for protocol v1. Every request has a timeout and an AbortSignal;
 * every response body is parsed with the protocol's zod schemas before anything trusts it. Failures
 * come back as values that say whether retrying can help.
 */
import type { z } from 'zod';
import {
  EnrolResponse,
  ErrorBody,
  HealthResponse,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  PullResponse,
  PushResponse,
  type EnrolRequest,
  type PullRequest,
  type PushRequest,
} from '../../shared/protocol/v1';

export type FailureKind =
  /** No answer: connection refused, DNS, network down. Retry later. */
  | 'network'
  /** No answer in time. Retry later. */
  | 'timeout'
  /** 5xx. Retry later. */
  | 'server'
  /** An answer we cannot trust (not JSON, wrong shape, truncated). Nothing is applied; retry. */
  | 'malformed'
  /** The backend itself says it does not know this workstation's token: enrol again. */
  | 'auth'
  /** 426: the backend speaks another protocol version. Stop syncing, keep everything. */
  | 'protocol'
  /** Other 4xx: the request itself is wrong; retrying the same request will not help. */
  | 'client'
  /** Cancelled by us (shutdown). */
  | 'aborted';

export interface HttpFailure {
  kind: FailureKind;
  status: number | null;
  code: string | null;
  message: string;
}

/** Where the time of a request went: waiting for the answer, JSON parsing, schema validation. */
export interface RequestTiming {
  networkMs: number;
  parseMs: number;
  validateMs: number;
}

export type HttpResult<T> = { ok: true; value: T; bytes: number; ms: number; timing: RequestTiming } | { ok: false; failure: HttpFailure };

export function isRetryable(f: HttpFailure): boolean {
  return f.kind === 'network' || f.kind === 'timeout' || f.kind === 'server' || f.kind === 'malformed';
}

export interface HttpClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

export class SyncHttpClient {
  private token: string | null = null;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? (() => performance.now());
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  /** The health route answers any client; a backend on another protocol version says so in the body. */
  async health(signal?: AbortSignal): Promise<HttpResult<HealthResponse>> {
    const result = await this.request('GET', '/v1/health', undefined, HealthResponse, signal, 5_000);
    if (result.ok && result.value.protocol !== PROTOCOL_VERSION) {
      return failure(
        'protocol',
        200,
        'PROTOCOL_MISMATCH',
        `the backend speaks sync protocol ${result.value.protocol}, this workstation ${PROTOCOL_VERSION}`,
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

  private async request<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S,
    outer?: AbortSignal,
    timeoutMs = this.options.timeoutMs ?? 15_000,
  ): Promise<HttpResult<z.infer<S>>> {
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
        if (timedOut) return failure('timeout', null, null, `No answer from the backend within ${Math.round(timeoutMs / 1000)} s.`);
        if (outer?.aborted) return failure('aborted', null, null, 'Cancelled.');
        return failure('network', null, null, `Cannot reach the backend (${errorText(error)}).`);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        if (timedOut) return failure('timeout', response.status, null, 'The backend stopped answering mid-response.');
        return failure('malformed', response.status, null, `The answer was cut off (${errorText(error)}).`);
      }
      if (!response.ok) return httpError(response.status, text);
      const received = this.now();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return failure(
          'malformed',
          response.status,
          null,
          `The backend's answer to ${path} is not valid JSON (${text.length} bytes; truncated?).`,
        );
      }
      const parsedAt = this.now();
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return failure(
          'malformed',
          response.status,
          null,
          `The backend's answer to ${path} is malformed at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}.`,
        );
      }
      const done = this.now();
      return {
        ok: true,
        value: parsed.data,
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

function failure(kind: FailureKind, status: number | null, code: string | null, message: string): { ok: false; failure: HttpFailure } {
  return { ok: false, failure: { kind, status, code, message } };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function httpError(status: number, text: string): { ok: false; failure: HttpFailure } {
  let code: string | null = null;
  let message = `HTTP ${status}`;
  try {
    const body = ErrorBody.safeParse(JSON.parse(text));
    if (body.success) {
      code = body.data.error.code;
      message = body.data.error.field ? `${body.data.error.message} (${body.data.error.field})` : body.data.error.message;
    }
  } catch {
    // Not a JSON error body (a proxy's HTML page, say); the status is all we know.
  }
  if (status === 426) return failure('protocol', status, code, message);
  // Only our backend's own verdict on the token means "enrol again"; a 401/403 from a proxy or
  // firewall in between is an outage like any other, and must never make us forget anything.
  if ((status === 401 && code === 'UNAUTHORIZED') || (status === 403 && code === 'CLIENT_MISMATCH'))
    return failure('auth', status, code, message);
  if (code === null && (status === 401 || status === 403 || status === 407)) {
    return failure('server', status, code, `Something between this workstation and the backend refused the request (HTTP ${status}).`);
  }
  if (status >= 500 || status === 408 || status === 429) return failure('server', status, code, message);
  return failure('client', status, code, message);
}

/**
 * The relay as a client of the central backend: the same protocol v1 calls a workstation makes,
 * from Node. Central's answers are a trust boundary like any other: every body is parsed with the
 * protocol's schemas before the relay acts on it, and every failure comes back as a value
 * classified the way the workstation classifies it (shared/sync/http-failure.ts).
 */
import type { z } from 'zod';
import type { SyncFailure } from '../shared/sync/failure-policy';
import { httpFailure, syncFailure } from '../shared/sync/http-failure';
import {
  EnrolResponse,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  PullResponse,
  PushResponse,
  TokenResponse,
  VouchedSessionsResponse,
  WaitResponse,
  type EnrolRequest,
  type PullRequest,
  type VouchedSessionsRequest,
  type WaitRequest,
} from '../shared/protocol/v1';

export type Upstream<T> = { ok: true; value: T } | { ok: false; failure: SyncFailure };

/** A push as the relay sends it: envelopes the desks wrote, each under the relay's seq. */
export interface ForwardRequest {
  clientId: string;
  mutations: readonly unknown[];
}

export interface UpstreamOptions {
  baseUrl: string;
  /** Sent as x-backstop-version, as workstations send theirs (central's fleet view lists the relay). */
  version: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export class UpstreamClient {
  private token: string | null = null;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: UpstreamOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get url(): string {
    return this.options.baseUrl;
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  enrol(body: EnrolRequest, signal?: AbortSignal): Promise<Upstream<EnrolResponse>> {
    return this.request('/v1/devices', body, EnrolResponse, signal);
  }

  /** A new token for the one about to expire (central's tokens last DEVICE_TOKEN_TTL_MS). */
  rotate(signal?: AbortSignal): Promise<Upstream<TokenResponse>> {
    return this.request('/v1/devices/token', {}, TokenResponse, signal);
  }

  pull(body: PullRequest, signal?: AbortSignal): Promise<Upstream<PullResponse>> {
    return this.request('/v1/sync/pull', body, PullResponse, signal, 60_000);
  }

  push(body: ForwardRequest, signal?: AbortSignal): Promise<Upstream<PushResponse>> {
    return this.request('/v1/sync/push', body, PushResponse, signal, 30_000);
  }

  /** Staff sessions the relay issued its desks, sent before the sign-ins that name them. */
  vouch(body: VouchedSessionsRequest, signal?: AbortSignal): Promise<Upstream<VouchedSessionsResponse>> {
    return this.request('/v1/staff/vouched-sessions', body, VouchedSessionsResponse, signal);
  }

  /** Central's long poll: answers when its feed moved for the relay, or after `timeoutMs`. */
  wait(body: WaitRequest, signal?: AbortSignal): Promise<Upstream<WaitResponse>> {
    return this.request('/v1/sync/wait', body, WaitResponse, signal, (body.timeoutMs ?? 25_000) + 10_000);
  }

  private async request<S extends z.ZodType>(
    path: string,
    body: unknown,
    schema: S,
    outer?: AbortSignal,
    timeoutMs = this.options.timeoutMs ?? 15_000,
  ): Promise<Upstream<z.infer<S>>> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(outer ? [outer] : [])];
    const headers: Record<string, string> = {
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      accept: 'application/json',
      'content-type': 'application/json',
      'x-backstop-version': this.options.version,
    };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let status: number;
    let text: string;
    try {
      const response = await this.fetchImpl(new URL(path, this.options.baseUrl), {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.any(signals),
      });
      status = response.status;
      text = await response.text();
      if (!response.ok) return { ok: false, failure: httpFailure(status, text) };
    } catch (error) {
      if (outer?.aborted) return { ok: false, failure: syncFailure('aborted', null, null, null) };
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        ok: false,
        failure: syncFailure(timedOut ? 'timeout' : 'network', null, null, error instanceof Error ? error.message : String(error)),
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, failure: syncFailure('malformed', status, null, `${path}: not JSON (${text.length} bytes)`) };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        failure: syncFailure('malformed', status, null, `${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`),
      };
    }
    return { ok: true, value: parsed.data };
  }
}

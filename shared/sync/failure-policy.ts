/**
 * What a sync client does after a failed cycle, decided from the failure alone and a little context.
 * Pure (no timers, no I/O), so every branch is tested without waiting: the engine asks, then acts.
 *
 *   network, timeout, 5xx, a proxy's refusal, an answer we cannot trust ──▶ retry after backoff
 *   our backend no longer knows our token ────────────────────────────────▶ re-enrol (once per window)
 *   our place in the change feed belongs to a replaced database ──────────▶ rebuild the local copy
 *   the backend's database went back to an older copy ────────────────────▶ send again what it lost, then rebuild
 *   the backend speaks another protocol version ──────────────────────────▶ block until it speaks ours
 *   any other refusal the backend would repeat ───────────────────────────▶ wait for the next scheduled cycle
 *   we cancelled the request ourselves ───────────────────────────────────▶ stop
 */
import { backoffDelay, type BackoffPolicy } from './backoff';

/** How a request failed, as the transport classified it (a list, so that messages carrying one can be checked). */
export const FAILURE_KINDS = [
  // No answer: connection refused, DNS, network down.
  'network',
  // No answer in time.
  'timeout',
  // 5xx, 408, 429, or a refusal by something between us and the backend.
  'server',
  // An answer we cannot trust (not JSON, wrong shape, truncated): nothing was applied.
  'malformed',
  // The backend itself says it does not know this client's token.
  'auth',
  // The backend speaks another protocol version.
  'protocol',
  // Another 4xx: the request itself is wrong; the same request gets the same answer.
  'client',
  // Cancelled by us (shutdown).
  'aborted',
  // Something failed on this machine (storage full, a bug): not the backend's doing.
  'local',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface SyncFailure {
  kind: FailureKind;
  status: number | null;
  /** The backend's error code (shared/protocol/errors.ts), when the answer carried one. */
  code: string | null;
  /** Technical detail for logs and the sync screen's small print; never the message shown. */
  detail: string | null;
}

/** Failures after which trying again later can help. */
export function isRetryable(f: Pick<SyncFailure, 'kind'>): boolean {
  return f.kind === 'network' || f.kind === 'timeout' || f.kind === 'server' || f.kind === 'malformed' || f.kind === 'local';
}

/** Whether the backend itself answered: it is reachable, whatever else is wrong. */
export function backendAnswered(f: Pick<SyncFailure, 'kind'>): boolean {
  return f.kind === 'auth' || f.kind === 'protocol' || f.kind === 'client';
}

export type Decision =
  | { action: 'retry'; delayMs: number }
  | { action: 're-enrol'; delayMs: number }
  | { action: 'rebuild-cache'; delayMs: number }
  /** Put the actions the backend acknowledged back in the outbox, drop the local copy, and sync at once (push first). */
  | { action: 'resend-and-rebuild'; delayMs: number }
  | { action: 'block' }
  | { action: 'wait'; delayMs: number; repeatedAuthFailure: boolean }
  | { action: 'stop' };

export interface PolicyContext {
  /** Retryable failures in a row, this one included. */
  consecutiveFailures: number;
  /** When this client last re-enrolled (ms), or null. */
  lastReEnrolAtMs: number | null;
  nowMs: number;
  /** The regular interval between cycles. */
  intervalMs: number;
  /** How long the circuit breaker still keeps requests back. */
  breakerWaitMs: number;
  backoff: BackoffPolicy;
  random: () => number;
}

/** Enrolling again more often than this means enrolling again does not help. */
export const REENROL_MIN_INTERVAL_MS = 10 * 60_000;
/** Pause before enrolling again, so a burst of refusals does not become a burst of enrolments. */
export const REENROL_DELAY_MS = 1_000;

export function decide(failure: SyncFailure, ctx: PolicyContext): Decision {
  switch (failure.kind) {
    case 'aborted':
      return { action: 'stop' };
    case 'protocol':
      return { action: 'block' };
    case 'auth':
      if (ctx.lastReEnrolAtMs !== null && ctx.nowMs - ctx.lastReEnrolAtMs < REENROL_MIN_INTERVAL_MS) {
        return { action: 'wait', delayMs: ctx.intervalMs, repeatedAuthFailure: true };
      }
      return { action: 're-enrol', delayMs: REENROL_DELAY_MS };
    case 'client':
      if (failure.code === 'CURSOR_EXPIRED') return { action: 'rebuild-cache', delayMs: 0 };
      if (failure.code === 'BACKEND_RESTORED') return { action: 'resend-and-rebuild', delayMs: 0 };
      return { action: 'wait', delayMs: ctx.intervalMs, repeatedAuthFailure: false };
    case 'network':
    case 'timeout':
    case 'server':
    case 'malformed':
    case 'local':
      return {
        action: 'retry',
        delayMs: Math.max(backoffDelay(ctx.consecutiveFailures, ctx.backoff, ctx.random), ctx.breakerWaitMs),
      };
  }
}

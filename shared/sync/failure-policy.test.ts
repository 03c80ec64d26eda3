import { describe, expect, it } from 'vitest';
import { backendAnswered, decide, isRetryable, REENROL_MIN_INTERVAL_MS, type PolicyContext, type SyncFailure } from './failure-policy';

const ctx = (over: Partial<PolicyContext> = {}): PolicyContext => ({
  consecutiveFailures: 1,
  lastReEnrolAtMs: null,
  nowMs: 1_000_000,
  intervalMs: 300_000,
  breakerWaitMs: 0,
  backoff: { baseMs: 1_000, capMs: 60_000 },
  random: () => 0.5,
  ...over,
});
const f = (kind: SyncFailure['kind'], over: Partial<SyncFailure> = {}): SyncFailure => ({
  kind,
  status: null,
  code: null,
  detail: null,
  ...over,
});

describe('what a failed sync cycle leads to', () => {
  it('retries a network failure, a timeout, a 5xx, an unreadable answer and a local failure with growing, jittered backoff', () => {
    for (const kind of ['network', 'timeout', 'server', 'malformed', 'local'] as const) {
      expect(decide(f(kind), ctx({ consecutiveFailures: 1 }))).toEqual({ action: 'retry', delayMs: 1_000 });
      expect(decide(f(kind), ctx({ consecutiveFailures: 4 }))).toEqual({ action: 'retry', delayMs: 8_000 });
      expect(decide(f(kind), ctx({ consecutiveFailures: 30 }))).toEqual({ action: 'retry', delayMs: 30_000 });
    }
  });

  it('never retries sooner than the circuit breaker allows', () => {
    expect(decide(f('network'), ctx({ consecutiveFailures: 1, breakerWaitMs: 30_000 }))).toEqual({ action: 'retry', delayMs: 30_000 });
  });

  it('enrols again when the backend no longer knows the token, but not twice within ten minutes', () => {
    expect(decide(f('auth', { status: 401, code: 'UNAUTHORIZED' }), ctx())).toMatchObject({ action: 're-enrol' });
    const soon = ctx({ lastReEnrolAtMs: 1_000_000 - REENROL_MIN_INTERVAL_MS + 1 });
    expect(decide(f('auth', { status: 401, code: 'UNAUTHORIZED' }), soon)).toEqual({
      action: 'wait',
      delayMs: 300_000,
      repeatedAuthFailure: true,
    });
    const later = ctx({ lastReEnrolAtMs: 1_000_000 - REENROL_MIN_INTERVAL_MS });
    expect(decide(f('auth', { status: 401, code: 'UNAUTHORIZED' }), later)).toMatchObject({ action: 're-enrol' });
  });

  it('rebuilds the local copy when the cursor belongs to a replaced database', () => {
    expect(decide(f('client', { status: 409, code: 'CURSOR_EXPIRED' }), ctx())).toEqual({ action: 'rebuild-cache', delayMs: 0 });
  });

  it('sends again what a backend restored from an older copy lost, then rebuilds, at once', () => {
    expect(decide(f('client', { status: 409, code: 'BACKEND_RESTORED' }), ctx())).toEqual({ action: 'resend-and-rebuild', delayMs: 0 });
    // Another 409 is not a restore: nothing is re-sent.
    expect(decide(f('client', { status: 409, code: 'DCS_DOWN' }), ctx()).action).toBe('wait');
  });

  it('stops syncing while the backend speaks another protocol version', () => {
    expect(decide(f('protocol', { status: 426, code: 'PROTOCOL_MISMATCH' }), ctx())).toEqual({ action: 'block' });
  });

  it('waits for the next scheduled cycle after a refusal the backend would repeat', () => {
    expect(decide(f('client', { status: 403, code: 'STATION_MISMATCH' }), ctx())).toEqual({
      action: 'wait',
      delayMs: 300_000,
      repeatedAuthFailure: false,
    });
  });

  it('stops when we cancelled the request ourselves', () => {
    expect(decide(f('aborted'), ctx())).toEqual({ action: 'stop' });
  });

  it('counts only an answer from the backend itself as proof that it is reachable', () => {
    expect(['auth', 'protocol', 'client'].every((k) => backendAnswered({ kind: k as SyncFailure['kind'] }))).toBe(true);
    expect(
      ['network', 'timeout', 'server', 'malformed', 'aborted', 'local'].some((k) => backendAnswered({ kind: k as SyncFailure['kind'] })),
    ).toBe(false);
    expect(isRetryable({ kind: 'client' })).toBe(false);
  });
});

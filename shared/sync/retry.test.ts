import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';
import { CircuitBreaker } from './breaker';

describe('backoff with full jitter', () => {
  const policy = { baseMs: 1_000, capMs: 60_000 };

  it('waits a random time up to base·2^attempt, never beyond the cap', () => {
    expect(backoffDelay(0, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(4_000);
    expect(backoffDelay(20, policy, () => 0.999)).toBe(59_940);
    expect(backoffDelay(500, policy, () => 0.999)).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(5, policy, () => 0)).toBe(0);
  });

  it('spreads retries of many workstations across the whole window', () => {
    // A fixed pseudo-random sequence (LCG), so the test gives the same answer every run.
    let x = 42;
    const random = () => (x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const delays = Array.from({ length: 1000 }, () => backoffDelay(4, policy, random));
    expect(Math.min(...delays)).toBeLessThan(2_000);
    expect(Math.max(...delays)).toBeGreaterThan(14_000);
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, lets one trial through after the pause, closes on success', () => {
    let t = 0;
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 30_000, now: () => t });
    b.onFailure();
    b.onFailure();
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    expect(b.retryInMs()).toBe(30_000);
    t = 30_000;
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.onSuccess();
    expect(b.state).toBe('closed');
  });

  it('re-opens at once when the trial fails', () => {
    let t = 0;
    const b = new CircuitBreaker({ failureThreshold: 1, openMs: 10_000, now: () => t });
    b.onFailure();
    t = 10_000;
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state).toBe('open');
  });
});

import { describe, expect, it } from 'vitest';
import { inFallback, INITIAL_CONNECTIVITY, reduceConnectivity, type ConnectivityEvent } from './connectivity';

describe('connectivity', () => {
  const run = (...events: ConnectivityEvent[]) => events.reduce(reduceConnectivity, INITIAL_CONNECTIVITY);
  const ok = (latencyMs = 40, dcs: 'up' | 'down' = 'up'): ConnectivityEvent => ({
    type: 'answered',
    at: '2026-11-26T12:00:00Z',
    latencyMs,
    dcs,
  });
  const fail: ConnectivityEvent = {
    type: 'failed',
    at: '2026-11-26T12:00:00Z',
    failure: { kind: 'network', status: null, code: null, detail: 'refused' },
  };

  it('is online when the backend answers quickly and reliably', () => {
    expect(run(ok()).link).toBe('online');
  });

  it('is degraded when answers are slow or a request just failed, offline after repeated failures', () => {
    expect(run(ok(5_000)).link).toBe('degraded');
    expect(run(ok(), fail).link).toBe('degraded');
    expect(run(ok(), fail, fail).link).toBe('offline');
  });

  it('comes back through degraded (recent failures) to online', () => {
    const afterOutage = run(fail, fail, ok());
    expect(afterOutage.link).toBe('degraded');
    expect(run(fail, fail, ok(), ok(), ok(), ok(), ok(), ok()).link).toBe('online');
  });

  it('is online as soon as a whole sync cycle went through after an outage, not a window of probes later', () => {
    const synced: ConnectivityEvent = { type: 'synced', at: '2026-11-26T12:00:05Z' };
    expect(run(fail, fail, ok(), synced).link).toBe('online');
    expect(run(fail, fail, ok(5_000), synced).link).toBe('degraded');
    expect(run(fail, fail, ok(), synced, fail).link).toBe('degraded');
  });

  it('is in fallback when offline, when the DCS is down, or when a supervisor declares it', () => {
    expect(inFallback(run(ok()))).toBe(false);
    expect(inFallback(run(fail, fail))).toBe(true);
    expect(inFallback(run(ok(40, 'down')))).toBe(true);
    expect(inFallback(run(ok(), { type: 'declare-fallback', on: true }))).toBe(true);
    expect(inFallback(run(ok(), { type: 'declare-fallback', on: true }, { type: 'declare-fallback', on: false }))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { clockStartingAt, fixedClock, manualClock, offsetClock } from './clock';

describe('clocks', () => {
  it('a fixed clock always reads the same instant', () => {
    const clock = fixedClock('2027-12-31T23:40:00Z');
    expect(clock().toISOString()).toBe('2027-12-31T23:40:00.000Z');
    expect(clock().getTime()).toBe(clock().getTime());
  });

  it('a clock started at an instant runs at the speed of its base clock', () => {
    const base = manualClock('2026-12-01T10:00:00Z');
    const clock = clockStartingAt('2027-03-28T00:30:00Z', base.now);
    expect(clock().toISOString()).toBe('2027-03-28T00:30:00.000Z');
    base.advance(90_000);
    expect(clock().toISOString()).toBe('2027-03-28T00:31:30.000Z');
  });

  it('an offset of zero is the base clock itself', () => {
    const base = fixedClock('2026-12-01T10:00:00Z');
    expect(offsetClock(0, base)).toBe(base);
    expect(offsetClock(60_000, base)().toISOString()).toBe('2026-12-01T10:01:00.000Z');
  });

  it('a manual clock moves only forwards and only when told', () => {
    const clock = manualClock('2026-12-01T10:00:00Z');
    expect(clock.advance(1_000).toISOString()).toBe('2026-12-01T10:00:01.000Z');
    expect(() => clock.advance(-1)).toThrow(/backwards/);
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('refuses something that is not an instant', () => {
    expect(() => fixedClock('next tuesday')).toThrow(/not an instant/);
  });
});

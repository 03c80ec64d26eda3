/**
 * Time is an input. Everything that needs "now" (sync schedule, retention, staleness, leases, the
 * sign-in lockout, printed documents, the backend's demo schedule) takes a Clock instead of reading
 * the machine's, so the same code runs in the app, in a test pinned to a date, and in a simulation
 * driven by a simulated clock. This file is the only product code that reads the real clock
 * (lint forbids `Date.now()` and `new Date()` elsewhere).
 */

/** Returns the current instant. Called often: keep implementations cheap. */
export type Clock = () => Date;

/** The machine's clock. */
export const systemClock: Clock = () => new Date();

/** A clock stopped at one instant (unit tests). */
export function fixedClock(at: string | Date): Clock {
  const ms = toMs(at);
  return () => new Date(ms);
}

/**
 * A clock that reads `at` now and then runs at the speed of `base`: a rehearsal at a pinned date,
 * or a test backend and workstation that must agree on the date while timers still elapse.
 */
export function clockStartingAt(at: string | Date, base: Clock = systemClock): Clock {
  return offsetClock(toMs(at) - base().getTime(), base);
}

/** The base clock shifted by a constant offset (the app's clock when a pinned date is configured). */
export function offsetClock(offsetMs: number, base: Clock = systemClock): Clock {
  if (offsetMs === 0) return base;
  return () => new Date(base().getTime() + offsetMs);
}

/**
 * A clock that only moves when told to (the simulator, timer-free tests). `advance` returns the new
 * instant.
 */
export interface ManualClock {
  readonly now: Clock;
  advance(ms: number): Date;
  set(at: string | Date): void;
}

export function manualClock(at: string | Date): ManualClock {
  let ms = toMs(at);
  return {
    now: () => new Date(ms),
    advance: (by) => {
      if (by < 0) throw new Error('a clock does not go backwards');
      ms += by;
      return new Date(ms);
    },
    set: (to) => {
      ms = toMs(to);
    },
  };
}

function toMs(at: string | Date): number {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${String(at)}`);
  return ms;
}

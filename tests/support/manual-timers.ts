/**
 * Timers driven by a manual clock: `advance` moves the clock and fires every timer that falls due,
 * in order. For tests and the simulator (no real time passes).
 */
import { manualClock, type ManualClock } from '../../shared/clock';
import type { Timers } from '../../shared/sync/scheduler';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

export class ManualTimers implements Timers {
  readonly clock: ManualClock;
  private pending: Pending[] = [];
  private nextId = 1;

  /**
   * `settle` runs after each timer fires, to let the work it started finish before time moves on
   * (a database on real I/O needs more than a few microtask turns).
   */
  constructor(
    start: string | Date = '2026-11-26T10:00:00.000Z',
    private settle: () => Promise<void> = flush,
  ) {
    this.clock = manualClock(start);
  }

  /** What to wait for after each timer fires (see the constructor). */
  settleWith(settle: () => Promise<void>): void {
    this.settle = settle;
  }

  set(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.clock.now().getTime() + Math.max(0, ms), fn };
    this.pending.push(timer);
    return timer.id;
  }

  clear(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }

  /** Timers not yet fired. */
  get size(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing due timers in time order (then in the order they were set). */
  async advance(ms: number): Promise<void> {
    const end = this.clock.now().getTime() + ms;
    for (;;) {
      const due = this.pending.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((t) => t !== due);
      this.clock.set(new Date(Math.max(due.at, this.clock.now().getTime())));
      due.fn();
      // Let the work the timer started settle before the next one fires.
      await this.settle();
    }
    this.clock.set(new Date(end));
    await this.settle();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/**
 * Runs one asynchronous job at a time, now or after a delay: the sync cycle, the sync engine's health
 * probe, the print queue's retries. In the shape of VS Code's RunOnceScheduler and Throttler: at most
 * one timer, at most one run in flight, and a request that arrives during a run makes exactly one
 * more run afterwards (never a pile-up).
 *
 *                  schedule(ms)                      timer fires, or runNow()
 *        idle ───────────────────▶ scheduled ──────────────────────────────────▶ running
 *         ▲  ◀──────────────────────   │                                          │  │
 *         │        cancel()            │ schedule(ms): the timer is replaced       │  │ runNow() while running:
 *         │                            │ scheduleWithin(ms): only if that is sooner│  │ one more run is owed
 *         └────────────────────────────┴───────────── run settles, none owed ◀─────┘  │
 *                                                      run settles, one owed ─────────┘ (runs again)
 *
 * Timers are an input, so tests and the simulator drive it with a manual clock.
 */

/** setTimeout/clearTimeout as an input (each platform supplies its own). Handles are opaque. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export class RunScheduler<T> {
  private timer: unknown = null;
  private dueAt: number | null = null;
  private running: Promise<T> | null = null;
  private owed = false;
  private disposed = false;

  constructor(
    private readonly job: () => Promise<T>,
    private readonly timers: Timers,
    /** Milliseconds now, for `scheduleWithin` and `nextRunAt`. */
    private readonly now: () => number,
  ) {}

  /** Runs now; while a run is in flight, returns that run and owes one more after it. */
  runNow(): Promise<T> {
    if (this.running) {
      this.owed = true;
      return this.running;
    }
    this.cancel();
    const run = this.job();
    this.running = run;
    const settle = () => {
      this.running = null;
      if (this.owed && !this.disposed) {
        this.owed = false;
        void this.runNow().catch(() => undefined);
      }
    };
    run.then(settle, settle);
    return run;
  }

  /** Runs after `delayMs`, replacing any run already scheduled. */
  schedule(delayMs: number): void {
    if (this.disposed) return;
    this.cancel();
    const delay = Math.max(0, delayMs);
    this.dueAt = this.now() + delay;
    this.timer = this.timers.set(() => {
      this.timer = null;
      this.dueAt = null;
      void this.runNow().catch(() => undefined);
    }, delay);
  }

  /** Runs within `delayMs`: keeps a sooner scheduled run, replaces a later one. */
  scheduleWithin(delayMs: number): void {
    if (this.dueAt !== null && this.dueAt <= this.now() + delayMs) return;
    this.schedule(delayMs);
  }

  cancel(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.dueAt = null;
  }

  /** When the next run is due (ms), or null when none is scheduled. */
  get nextRunAt(): number | null {
    return this.dueAt;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Cancels the timer and waits for a run in flight; nothing runs afterwards. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.owed = false;
    this.cancel();
    await this.running?.catch(() => undefined);
  }
}

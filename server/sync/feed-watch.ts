/**
 * Who is waiting for a station's feed to move. Writers that commit changes to a station's feed
 * (a push, a DCS step, a station relay catching up with central) call `changed(station)`; the
 * long-poll route (http/routes/wait.ts) waits on it, so another desk's pull starts within a few
 * milliseconds of the commit instead of at its next scheduled sync.
 *
 * In-process only: a write by another backend process (several on one PostgreSQL database) is
 * found by the waiter's own periodic look at the feed instead.
 */
export type WaitEnd = 'changed' | 'timeout' | 'aborted';

export class FeedWatch {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly closing = new AbortController();

  /** The station's feed holds new changes: wake everyone waiting on it. */
  changed(station: string): void {
    const waiting = this.waiters.get(station);
    if (!waiting) return;
    this.waiters.delete(station);
    for (const wake of waiting) wake();
  }

  /** Resolves at the next change of the station's feed, after `ms`, or when `signal` aborts. */
  next(station: string, ms: number, outer?: AbortSignal): Promise<WaitEnd> {
    const signal = outer ? AbortSignal.any([outer, this.closing.signal]) : this.closing.signal;
    if (signal.aborted) return Promise.resolve('aborted');
    return new Promise<WaitEnd>((resolve) => {
      const set = this.waiters.get(station) ?? new Set<() => void>();
      this.waiters.set(station, set);
      const finish = (end: WaitEnd) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        set.delete(wake);
        if (set.size === 0 && this.waiters.get(station) === set) this.waiters.delete(station);
        resolve(end);
      };
      const wake = () => finish('changed');
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('timeout'), ms);
      set.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The server is closing: every wait ends now (a long poll must not hold a shutdown up). */
  close(): void {
    this.closing.abort();
  }

  /** How many requests wait on a station now (metrics, tests). */
  waiting(station: string): number {
    return this.waiters.get(station)?.size ?? 0;
  }
}

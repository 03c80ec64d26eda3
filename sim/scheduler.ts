/**
 * Simulated time. One clock for the whole station; every timer of every sync engine, every agent's
 * next move and every fault is an entry in one queue, ordered by due time and then by the order it
 * was set. The loop fires one entry at a time and then waits until the work it started has settled
 * (every engine idle or waiting on a simulated delay, no request in flight, no database work
 * pending) before time moves on. No real time is read anywhere, so a seed replays exactly.
 */
import type { ManualClock } from '../shared/clock';
import { manualClock } from '../shared/clock';
import type { Timers } from '../shared/sync/scheduler';

interface Entry {
  id: number;
  at: number;
  fn: () => void;
}

/** A binary heap of timers by (at, id). */
class Queue {
  private heap: Entry[] = [];
  get size(): number {
    return this.heap.length;
  }
  peek(): Entry | undefined {
    return this.heap[0];
  }
  push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}

export class SimScheduler implements Timers {
  readonly clock: ManualClock;
  private readonly queue = new Queue();
  private readonly cancelled = new Set<number>();
  private nextId = 1;
  /** Timers fired so far. */
  fired = 0;

  constructor(start: string | Date) {
    this.clock = manualClock(start);
  }

  nowMs(): number {
    return this.clock.now().getTime();
  }

  set(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ id, at: this.nowMs() + Math.max(0, Math.round(ms)), fn });
    return id;
  }

  /** A timer at an absolute instant (ms). */
  at(atMs: number, fn: () => void): number {
    const id = this.nextId++;
    this.queue.push({ id, at: Math.max(this.nowMs(), Math.round(atMs)), fn });
    return id;
  }

  clear(handle: unknown): void {
    if (typeof handle === 'number') this.cancelled.add(handle);
  }

  /**
   * Fires every timer due up to `endMs` in order, each followed by `settle`; returns early (false)
   * when `stop` says so after a timer. The clock ends at `endMs`.
   */
  async runUntil(endMs: number, settle: () => Promise<void>, stop: () => boolean = () => false): Promise<boolean> {
    for (;;) {
      const next = this.queue.peek();
      if (!next || next.at > endMs) break;
      this.queue.pop();
      if (this.cancelled.delete(next.id)) continue;
      if (next.at > this.nowMs()) this.clock.set(new Date(next.at));
      this.fired += 1;
      next.fn();
      await settle();
      if (stop()) return false;
    }
    if (endMs > this.nowMs()) this.clock.set(new Date(endMs));
    await settle();
    return true;
  }
}

/**
 * One workstation's view of the timers: everything it sets can be cancelled at once when the
 * workstation is killed, so nothing of the dead process runs on.
 */
export class ScopedTimers implements Timers {
  private readonly handles = new Set<unknown>();
  private dead = false;
  constructor(private readonly base: SimScheduler) {}
  set(fn: () => void, ms: number): unknown {
    if (this.dead) return null;
    const handle: unknown = this.base.set(() => {
      this.handles.delete(handle);
      fn();
    }, ms);
    this.handles.add(handle);
    return handle;
  }
  clear(handle: unknown): void {
    if (handle === null) return;
    this.handles.delete(handle);
    this.base.clear(handle);
  }
  kill(): void {
    this.dead = true;
    for (const h of this.handles) this.base.clear(h);
    this.handles.clear();
  }
}

/** The simulated clock as milliseconds (a shorthand for modules that need only that). */
export function msOf(clock: ManualClock): number {
  return clock.now().getTime();
}

export { manualClock };

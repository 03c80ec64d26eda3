import { describe, expect, it } from 'vitest';
import { RunScheduler } from './scheduler';
import { ManualTimers } from '../../tests/support/manual-timers';

function setup() {
  const timers = new ManualTimers();
  const runs: number[] = [];
  let release: (() => void) | null = null;
  let hold = false;
  const job = async () => {
    runs.push(timers.clock.now().getTime());
    if (hold) await new Promise<void>((r) => (release = r));
    return runs.length;
  };
  const scheduler = new RunScheduler(job, timers, () => timers.clock.now().getTime());
  return { timers, runs, scheduler, holdNext: () => (hold = true), release: () => ((hold = false), release?.()) };
}

describe('run scheduler', () => {
  it('runs once when its timer fires, and not before', async () => {
    const { timers, runs, scheduler } = setup();
    scheduler.schedule(1_000);
    await timers.advance(999);
    expect(runs).toHaveLength(0);
    await timers.advance(1);
    expect(runs).toHaveLength(1);
    expect(scheduler.nextRunAt).toBeNull();
  });

  it('keeps one timer: scheduling again replaces it', async () => {
    const { timers, runs, scheduler } = setup();
    scheduler.schedule(1_000);
    scheduler.schedule(5_000);
    await timers.advance(10_000);
    expect(runs).toHaveLength(1);
    expect(timers.size).toBe(0);
  });

  it('scheduleWithin keeps a sooner run and brings a later one forward', async () => {
    const { timers, runs, scheduler } = setup();
    const start = timers.clock.now().getTime();
    scheduler.schedule(200);
    scheduler.scheduleWithin(300);
    expect(scheduler.nextRunAt).toBe(start + 200);
    scheduler.schedule(60_000);
    scheduler.scheduleWithin(300);
    expect(scheduler.nextRunAt).toBe(start + 300);
    await timers.advance(300);
    expect(runs).toEqual([start + 300]);
  });

  it('owes exactly one more run to any number of requests made during a run', async () => {
    const { timers, runs, scheduler, holdNext, release } = setup();
    holdNext();
    const first = scheduler.runNow();
    const again = [scheduler.runNow(), scheduler.runNow(), scheduler.runNow()];
    expect(again.every((p) => p === first)).toBe(true);
    release();
    await first;
    await timers.advance(0);
    expect(runs).toHaveLength(2);
  });

  it('a run started by hand cancels the scheduled one', async () => {
    const { timers, runs, scheduler } = setup();
    scheduler.schedule(1_000);
    await scheduler.runNow();
    await timers.advance(5_000);
    expect(runs).toHaveLength(1);
  });

  it('after dispose nothing runs, and dispose waits for the run in flight', async () => {
    const { timers, runs, scheduler, holdNext, release } = setup();
    holdNext();
    void scheduler.runNow();
    void scheduler.runNow();
    scheduler.schedule(100);
    const disposed = scheduler.dispose();
    release();
    await disposed;
    await timers.advance(1_000);
    expect(runs).toHaveLength(1);
    expect(scheduler.isRunning).toBe(false);
  });
});

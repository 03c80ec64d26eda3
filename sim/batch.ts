/**
 * Many seeds at once: `--ci` runs a bounded batch (seeds 1, 2, 3… until the budget of simulated
 * station-hours is reached) and `--soak` runs seeds until stopped, both spread over worker
 * processes (one per CPU core by default). Each seed's own options come from the seed, so any seed
 * of a batch replays alone with the command printed for it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { replayCommand, type SimOptions } from './run';
import type { WorkerResult } from './worker';

export interface BatchOptions {
  base: SimOptions;
  /** Options the caller gave explicitly (the rest vary with the seed). */
  explicit: ReadonlySet<string>;
  jobs: number | null;
}

/** A batch seed's options: the station size varies with the seed unless it was given. */
export function seedOptions(base: SimOptions, explicit: ReadonlySet<string>, seed: number, hours: number): SimOptions {
  return {
    ...base,
    seed,
    hours: explicit.has('hours') ? base.hours : hours,
    workstations: explicit.has('workstations') ? base.workstations : 2 + (seed % 3),
  };
}

interface Tally {
  seeds: number;
  hours: number;
  cpuMs: number;
  faults: Map<string, number>;
  failures: WorkerResult[];
  errors: string[];
}

function newTally(): Tally {
  return { seeds: 0, hours: 0, cpuMs: 0, faults: new Map(), failures: [], errors: [] };
}

function add(t: Tally, r: WorkerResult): void {
  t.seeds += 1;
  t.hours += r.options.hours;
  t.cpuMs += r.cpuMs;
  for (const [k, n] of Object.entries(r.faults)) t.faults.set(k, (t.faults.get(k) ?? 0) + n);
  if (r.violations.length > 0) t.failures.push(r);
}

function faultLine(t: Tally): string {
  const total = [...t.faults.values()].reduce((a, b) => a + b, 0);
  const kinds = [...t.faults].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k} ${n}`);
  return `${total} faults injected (${kinds.join(', ')})`;
}

class Pool {
  private readonly workers: ChildProcess[] = [];
  private readonly idle: ChildProcess[] = [];
  private readonly waiting: ((w: ChildProcess) => void)[] = [];

  constructor(size: number) {
    const script = path.join(import.meta.dirname, 'worker.ts');
    for (let i = 0; i < size; i++) {
      const w = fork(script, [], {
        execArgv: ['--import', 'tsx', '--max-semi-space-size=32'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private take(): Promise<ChildProcess> {
    const w = this.idle.pop();
    return w ? Promise.resolve(w) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(w: ChildProcess): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  async run(options: SimOptions): Promise<WorkerResult | { error: string; options: SimOptions }> {
    const w = await this.take();
    try {
      return await new Promise((resolve, reject) => {
        const onMessage = (m: { result?: WorkerResult; error?: string; options?: SimOptions }) => {
          w.off('exit', onExit);
          w.off('message', onMessage);
          if (m.result) resolve(m.result);
          else resolve({ error: m.error ?? 'unknown', options });
        };
        const onExit = (code: number | null) => {
          w.off('message', onMessage);
          reject(new Error(`worker exited (${code ?? 'signal'}) while running seed ${options.seed}`));
        };
        w.on('message', onMessage);
        w.once('exit', onExit);
        w.send({ options });
      });
    } finally {
      this.give(w);
    }
  }

  close(): void {
    for (const w of this.workers) w.kill();
  }
}

function jobsOf(jobs: number | null): number {
  return jobs ?? Math.max(1, os.availableParallelism());
}

function seedLine(r: WorkerResult): string {
  const o = r.options;
  const faults = Object.values(r.faults).reduce((a, b) => a + b, 0);
  const verdict = r.violations.length === 0 ? 'pass' : `FAIL (${[...new Set(r.violations.map((v) => v.invariant))].join(', ')})`;
  return `  seed ${String(o.seed).padStart(4)} · ${o.hours} h · ${o.workstations} ws · ${String(faults).padStart(3)} faults · ${(r.cpuMs / 1000).toFixed(1).padStart(5)} s CPU · ${r.digest} · ${verdict}`;
}

/** The CI batch: seeds from --seed on until the budget of station-hours is simulated. Exit code 0 when every seed passes. */
export async function runBatch(o: BatchOptions & { budgetHours: number; hoursPerSeed: number }): Promise<number> {
  const jobs = jobsOf(o.jobs);
  const firstSeed = o.explicit.has('seed') ? o.base.seed : 1;
  const seeds: SimOptions[] = [];
  let planned = 0;
  for (let seed = firstSeed; planned < o.budgetHours; seed++) {
    const opts = seedOptions(o.base, o.explicit, seed, o.hoursPerSeed);
    seeds.push(opts);
    planned += opts.hours;
  }
  console.log(
    `sim --ci: ${seeds.length} seeds (${firstSeed}…${firstSeed + seeds.length - 1}), ${planned} simulated station-hours, ${jobs} worker processes`,
  );
  const pool = new Pool(jobs);
  const wall0 = performance.now();
  const tally = newTally();
  const results: WorkerResult[] = [];
  try {
    await Promise.all(
      seeds.map(async (opts) => {
        const r = await pool.run(opts);
        if ('error' in r) {
          tally.errors.push(`seed ${r.options.seed}: ${r.error}`);
          console.log(`  seed ${String(r.options.seed).padStart(4)} · ERROR ${r.error.split('\n')[0]}`);
          return;
        }
        add(tally, r);
        results.push(r);
        console.log(seedLine(r));
      }),
    );
  } finally {
    pool.close();
  }
  const wallS = (performance.now() - wall0) / 1000;
  const perCpuMinute = tally.hours / (tally.cpuMs / 60_000);
  console.log('');
  console.log(
    `${tally.seeds} seeds, ${tally.hours} simulated station-hours in ${wallS.toFixed(1)} s wall on ${jobs} processes; ${faultLine(tally)}`,
  );
  console.log(
    `SIMULATED STATION-HOURS PER CPU-MINUTE: ${perCpuMinute.toFixed(0)} (${(tally.cpuMs / 1000).toFixed(0)} s CPU in the workers)`,
  );
  console.log(`simulated station-hours per wall-clock minute: ${(tally.hours / (wallS / 60)).toFixed(0)}`);
  for (const r of tally.failures.sort((a, b) => a.options.seed - b.options.seed)) {
    console.log(`\nFAILED seed ${r.options.seed}:`);
    for (const v of r.violations.slice(0, 10)) console.log(`  ${v.invariant}: ${v.detail}`);
    console.log(`Replay exactly (and shrink):\n  ${replayCommand(r.options)}`);
  }
  for (const e of tally.errors) console.log(`\nERROR ${e}`);
  const ok = tally.failures.length === 0 && tally.errors.length === 0;
  console.log(`\nsim --ci: ${ok ? 'PASS' : 'FAIL'}`);
  return ok ? 0 : 1;
}

/** Seeds until stopped (Ctrl-C), with a running tally. */
export async function runSoak(o: BatchOptions & { hoursPerSeed: number }): Promise<number> {
  const jobs = jobsOf(o.jobs);
  const pool = new Pool(jobs);
  const tally = newTally();
  const wall0 = performance.now();
  let next = o.explicit.has('seed') ? o.base.seed : 1_000;
  let stopping = false;
  const summary = () => {
    const wallMin = (performance.now() - wall0) / 60_000;
    return `soak: ${tally.seeds} seeds, ${tally.hours} simulated station-hours in ${wallMin.toFixed(1)} min (${(tally.hours / (tally.cpuMs / 60_000 || 1)).toFixed(0)} per CPU-minute); ${faultLine(tally)}; ${tally.failures.length} failing seeds`;
  };
  const done = new Promise<void>((resolve) => {
    process.once('SIGINT', () => {
      stopping = true;
      resolve();
    });
  });
  console.log(`sim --soak: seeds from ${next} on, ${jobs} worker processes; Ctrl-C stops`);
  const lanes = Array.from({ length: jobs }, async () => {
    while (!stopping) {
      const opts = seedOptions(o.base, o.explicit, next++, o.hoursPerSeed);
      const r = await pool.run(opts).catch((error: unknown) => ({ error: String(error), options: opts }));
      if (stopping) return;
      if ('error' in r) {
        tally.errors.push(`seed ${r.options.seed}: ${r.error}`);
        console.log(`ERROR seed ${r.options.seed}: ${r.error.split('\n')[0]}`);
        continue;
      }
      add(tally, r);
      if (r.violations.length > 0) {
        console.log(seedLine(r));
        console.log(`  replay: ${replayCommand(r.options)}`);
      }
      console.log(summary());
    }
  });
  await Promise.race([done, Promise.all(lanes)]);
  pool.close();
  console.log(`\n${summary()}`);
  for (const r of tally.failures) console.log(`  FAILED seed ${r.options.seed}: ${replayCommand(r.options)}`);
  return tally.failures.length === 0 && tally.errors.length === 0 ? 0 : 1;
}

/**
 * A batch worker process: runs the simulations its parent sends, one at a time, and reports each
 * result back (see batch.ts). Module loading is paid once per worker, not once per seed.
 */
import { removeTempDirs } from './backend';
import { runSimulation, type SimOptions } from './run';

// Stopped mid-run (the batch is done, or Ctrl-C ends a soak): the run's backend files go with it.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    removeTempDirs();
    process.exit(signal === 'SIGTERM' ? 143 : 130);
  });
}

export interface WorkerResult {
  options: SimOptions;
  violations: { invariant: string; detail: string }[];
  digest: string;
  faults: Record<string, number>;
  cpuMs: number;
  wallMs: number;
  report: string;
}

process.on('message', (message: { options: SimOptions }) => {
  runSimulation(message.options).then(
    (r) => {
      const result: WorkerResult = {
        options: r.options,
        violations: r.violations,
        digest: r.digest,
        faults: Object.fromEntries(r.faults),
        cpuMs: r.cpuMs,
        wallMs: r.wallMs,
        report: r.report,
      };
      process.send?.({ result });
    },
    (error: unknown) =>
      process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error), options: message.options }),
  );
});

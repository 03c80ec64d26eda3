/**
 * `npm run sim -- [options]`: one simulated station (or, with --ci / --soak, many seeds over worker
 * processes). A failing run prints its seed and the one-line command that replays it exactly, and
 * shrinks it to the shortest failing prefix it can find. The options are in HELP below.
 */
import { parseArgs, type SimArgs } from './args';
import { runBatch, runSoak } from './batch';
import { replayCommand, runSimulation } from './run';
import { shrink } from './shrink';

const HELP = `npm run sim -- [options]    deterministic simulation of a whole station through outages (see sim/README.md)

  --seed N              the run's seed (default 1)
  --hours H             simulated hours, up to 36 (default 24)
  --workstations W      workstations at the station (default 4: two desks, two gates)
  --flights F --pax P   the station's timetable (default 16 flights x 30 passengers)
  --faults SPEC         default | all | none | kill,quota,... | +backend-restore,-quota
  --legacy-refusals     the backend refuses clashing facts, as before "Field truth wins"
  --relay               with the station relay (none exists yet: skipped, with a note)
  --heal M              quiet minutes after healing, before the final checks (default 30)
  --verbose             the fault log in the report
  --no-shrink           do not shrink a failing run
  --ci [--budget H]     the CI batch: seeds 1, 2, ... in parallel up to H station-hours (default 1000)
  --soak                seeds until Ctrl-C, with a running tally
  --jobs N              worker processes for --ci and --soak (default: CPU cores)`;

async function main(): Promise<number> {
  let args: SimArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`sim: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  if (args.relay) {
    console.error(
      'sim: --relay skipped, the run goes on without a station relay. The relay (relay/) is being built, and its upstream loop waits on real timers ' +
        '(relay/upstream-loop.ts): the simulator can run it once it takes injectable timers, as the sync engine does (EngineDeps.timers). ' +
        'Its fetch and clock are injectable already.',
    );
  }
  if (args.ci)
    return runBatch({ base: args.options, explicit: args.explicit, jobs: args.jobs, budgetHours: args.budget, hoursPerSeed: 30 });
  if (args.soak) return runSoak({ base: args.options, explicit: args.explicit, jobs: args.jobs, hoursPerSeed: 30 });
  const result = await runSimulation(args.options);
  process.stdout.write(result.report);
  console.log(`report digest ${result.digest}`);
  const perCpuMinute = result.options.hours / (result.cpuMs / 60_000);
  console.error(
    `perf: ${result.options.hours} station-hours in ${(result.wallMs / 1000).toFixed(1)} s wall, ${(result.cpuMs / 1000).toFixed(1)} s CPU: ${perCpuMinute.toFixed(0)} simulated station-hours per CPU-minute`,
  );
  if (result.violations.length === 0) return 0;
  console.log(`\nFAILED — seed ${result.options.seed}. Replay exactly:\n  ${replayCommand(result.options)}`);
  if (args.shrink) {
    const shortest = await shrink(result.options, (line) => console.log(line));
    if (shortest) console.log(`Shortest failing prefix found:\n  ${replayCommand(shortest)}`);
  }
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(3);
  },
);

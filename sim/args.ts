/** Command-line options of `npm run sim` (see cli.ts for the list). */
import { parseFaults } from './faults';
import { DEFAULT_OPTIONS, type SimOptions } from './run';

export interface SimArgs {
  options: SimOptions;
  /** Options given on the command line (a batch varies the others with the seed). */
  explicit: Set<string>;
  ci: boolean;
  soak: boolean;
  relay: boolean;
  shrink: boolean;
  jobs: number | null;
  /** --ci: simulated station-hours to reach. */
  budget: number;
  help: boolean;
}

const VALUED = ['seed', 'hours', 'workstations', 'flights', 'pax', 'faults', 'heal', 'jobs', 'budget'];
const FLAGS = ['legacy-refusals', 'relay', 'verbose', 'no-shrink', 'ci', 'soak', 'json', 'help'];

export function parseArgs(argv: readonly string[]): SimArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (VALUED.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      values.set(name, value);
    } else if (FLAGS.includes(name)) {
      flags.add(name);
    } else {
      throw new Error(`unknown option --${name}`);
    }
  }
  const num = (name: string, fallback: number): number => {
    const v = values.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name} needs a number, not "${v}"`);
    return n;
  };
  const ci = flags.has('ci');
  const soak = flags.has('soak');
  const options: SimOptions = {
    seed: Math.trunc(num('seed', 1)),
    hours: num('hours', ci || soak ? 30 : DEFAULT_OPTIONS.hours),
    workstations: Math.trunc(num('workstations', DEFAULT_OPTIONS.workstations)),
    flights: Math.trunc(num('flights', DEFAULT_OPTIONS.flights)),
    pax: Math.trunc(num('pax', DEFAULT_OPTIONS.pax)),
    faults: parseFaults(values.get('faults')),
    legacyRefusals: flags.has('legacy-refusals'),
    healMinutes: num('heal', DEFAULT_OPTIONS.healMinutes),
    verbose: flags.has('verbose'),
  };
  if (options.workstations < 1 || options.workstations > 12) throw new Error('--workstations must be 1 to 12');
  if (options.hours <= 0 || options.hours > 36) throw new Error('--hours must be above 0 and at most 36 (the demo timetable)');
  if (options.flights < 1 || options.flights > 200) throw new Error('--flights must be 1 to 200');
  if (options.pax < 1 || options.pax > 400) throw new Error('--pax must be 1 to 400');
  const jobs = values.get('jobs');
  return {
    options,
    explicit: new Set([...values.keys()]),
    ci,
    soak,
    relay: flags.has('relay'),
    shrink: !flags.has('no-shrink'),
    jobs: jobs === undefined ? null : Math.max(1, Math.trunc(Number(jobs))),
    budget: num('budget', 1000),
    help: flags.has('help'),
  };
}

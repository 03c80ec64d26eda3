/**
 * Shrinking a failing run to the shortest failing prefix. A run's events are drawn as the clock goes
 * (nothing depends on how long the run will be), so the same seed for fewer hours is an exact prefix
 * of the longer run, followed by the same healing and checks. The search halves the hours while the
 * run still fails (the same invariant), then narrows between the last passing and first failing
 * length, down to a quarter of an hour; at most `maxRuns` runs.
 */
import { runSimulation, type SimOptions } from './run';

export async function shrink(failing: SimOptions, say: (line: string) => void, maxRuns = 8): Promise<SimOptions | null> {
  const first = await runSimulation(failing);
  const target = new Set(first.violations.map((v) => v.invariant));
  if (target.size === 0) return null;
  const fails = async (hours: number): Promise<boolean> => {
    const r = await runSimulation({ ...failing, hours });
    const still = r.violations.some((v) => target.has(v.invariant));
    say(`  shrink: ${hours} h ${still ? 'fails' : 'passes'}`);
    return still;
  };
  let bad = failing.hours;
  let good = 0;
  let runs = 0;
  while (runs < maxRuns && bad - good > 0.25) {
    const mid = Math.max(0.25, Math.round(((good + bad) / 2) * 4) / 4);
    if (mid >= bad || mid <= good) break;
    runs += 1;
    if (await fails(mid)) bad = mid;
    else good = mid;
  }
  return bad < failing.hours ? { ...failing, hours: bad } : null;
}

/**
 * CPU time by process over a stretch of a run, read from /proc: the backend, and each kind of
 * Chromium process (the browser process, where IndexedDB's backend runs; the renderer, with the page
 * and its workers; the network service, which decompresses answers). On a machine with two cores,
 * the sum against the wall time says whether a figure waits on something or has no core to spare.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds per process kind. */
export type CpuByKind = Record<string, number>;

function kindOf(pid: number, backendPid: number | undefined): string | null {
  if (pid === backendPid) return 'backend';
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return null;
  }
  if (!/chrom/i.test(cmdline.split(' ')[0] ?? '')) return null;
  const type = /--type=(\S+)/.exec(cmdline)?.[1];
  if (!type) return 'browser';
  const sub = /--utility-sub-type=(\S+)/.exec(cmdline)?.[1];
  if (type === 'utility' && sub) return sub.replace(/\.mojom\..*$/, '').replace(/^.*\./, '');
  return type;
}

/** User + system seconds of each process kind so far (processes that ended are not counted). */
export function cpuSnapshot(backendPid: number | undefined): Map<number, { kind: string; seconds: number }> {
  const out = new Map<number, { kind: string; seconds: number }>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const kind = kindOf(pid, backendPid);
    if (!kind) continue;
    try {
      // Fields after the command name (which may hold spaces): utime and stime are 14th and 15th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      out.set(pid, { kind, seconds: ticks / TICKS_PER_SECOND });
    } catch {
      // Ended between the listing and the read.
    }
  }
  return out;
}

/** CPU seconds spent by each process kind between two snapshots. */
export function cpuSpent(before: ReturnType<typeof cpuSnapshot>, after: ReturnType<typeof cpuSnapshot>): CpuByKind {
  const spent: CpuByKind = {};
  for (const [pid, { kind, seconds }] of after) {
    const delta = seconds - (before.get(pid)?.seconds ?? 0);
    if (delta > 0) spent[kind] = (spent[kind] ?? 0) + delta;
  }
  return spent;
}

export function formatCpu(spent: CpuByKind): string {
  const total = Object.values(spent).reduce((a, b) => a + b, 0);
  const parts = Object.entries(spent)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, s]) => `${kind} ${s.toFixed(2)}`);
  return `${total.toFixed(2)} s CPU (${parts.join(', ')})`;
}

/**
 * Faults, drawn from the run's seed as it goes: each kind is a Poisson process of its own (a mean
 * interval between occurrences), and each occurrence picks its target and duration when it happens.
 * Nothing is planned ahead of the clock, so a shorter run of the same seed is an exact prefix of a
 * longer one (which is what lets a failure be shrunk to the shortest failing prefix).
 */
import type { SeededRandom } from '../tests/support/random';
import type { SimBackend } from './backend';
import type { SimNetwork } from './network';
import type { SimScheduler } from './scheduler';
import type { World } from './world';
import type { SimWorkstation } from './workstation';

const MIN = 60_000;
const HOUR = 60 * MIN;

export const FAULT_KINDS = [
  /** One workstation loses the network. */
  'ws-partition',
  /** The whole station loses its uplink. */
  'station-partition',
  /** The backend's side of the network is down. */
  'backend-partition',
  /** The station is cut off for a whole day. */
  'long-outage',
  /** A stretch of bad network: dropped, duplicated, reordered, truncated, delayed answers, 500s and proxy pages. */
  'flaky',
  /** A workstation is killed mid-transaction and restarted from its database. */
  'kill',
  /** The backend process restarts. */
  'backend-restart',
  /** The backend is restored from an older copy of its database (not in the default set: see README). */
  'backend-restore',
  /** A workstation's clock jumps (a bad NTP server, a dead CMOS battery). */
  'clock-skew',
  /** A workstation's disk is full: every write fails with QuotaExceededError. */
  'quota',
  /** A desk's sequence-number leases on a flight are used up. */
  'lease-exhaustion',
  /** The airline's DCS goes down (the backend says so; fallback mode with the network up). */
  'dcs-down',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The default set: everything the system is expected to come through. */
export const DEFAULT_FAULTS: readonly FaultKind[] = FAULT_KINDS.filter((k) => k !== 'backend-restore');

/** Mean hours between two occurrences at one station. */
const MEAN_INTERVAL_H: Record<FaultKind, number> = {
  'ws-partition': 3,
  'station-partition': 6,
  'backend-partition': 8,
  'long-outage': 90,
  flaky: 4,
  kill: 4,
  'backend-restart': 10,
  'backend-restore': 12,
  'clock-skew': 10,
  quota: 12,
  'lease-exhaustion': 6,
  'dcs-down': 10,
};

/** Parses --faults: "default", "all", "none", a list ("kill,quota"), or changes to the default ("+backend-restore,-quota"). */
export function parseFaults(spec: string | undefined): FaultKind[] {
  if (spec === undefined || spec === 'default') return [...DEFAULT_FAULTS];
  if (spec === 'all') return [...FAULT_KINDS];
  if (spec === 'none') return [];
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const relative = parts.every((p) => p.startsWith('+') || p.startsWith('-'));
  const set = new Set<FaultKind>(relative ? DEFAULT_FAULTS : []);
  for (const part of parts) {
    const name = part.replace(/^[+-]/, '');
    if (!(FAULT_KINDS as readonly string[]).includes(name)) throw new Error(`unknown fault "${name}" (known: ${FAULT_KINDS.join(', ')})`);
    if (part.startsWith('-')) set.delete(name as FaultKind);
    else set.add(name as FaultKind);
  }
  return FAULT_KINDS.filter((k) => set.has(k));
}

export class FaultInjector {
  /** Occurrences so far, by kind. */
  readonly injected = new Map<string, number>();
  readonly log: string[] = [];
  private active = false;
  private stationCuts = 0;
  private backendCuts = 0;
  private readonly wsCuts = new Map<string, number>();
  private flakyDepth = 0;
  private dcsDowns = 0;
  private pendingRestore: number | null = null;
  /** The network's fault rate outside flaky stretches. */
  readonly backgroundRate = 0.01;

  constructor(
    private readonly kinds: readonly FaultKind[],
    private readonly scheduler: SimScheduler,
    private readonly random: SeededRandom,
    private readonly net: SimNetwork,
    private readonly backend: SimBackend,
    private readonly workstations: readonly SimWorkstation[],
    private readonly world: World,
    private readonly track: (work: Promise<void>) => void,
  ) {}

  start(): void {
    this.active = true;
    this.net.faultRate = this.kinds.includes('flaky') ? this.backgroundRate : 0;
    for (const ws of this.workstations) {
      // Every machine's clock is a little off; some by a minute or more.
      ws.skewMs = this.kinds.includes('clock-skew') ? Math.round((this.random.next() - 0.5) * 2 * 45_000) : 0;
    }
    for (const kind of this.kinds) this.scheduleNext(kind);
  }

  /** No new faults; everything in progress is healed now. */
  async heal(): Promise<void> {
    this.active = false;
    this.net.stationCut = false;
    this.net.backendCut = false;
    this.net.wsCut.clear();
    this.net.faultRate = 0;
    this.net.blackhole = false;
    for (const ws of this.workstations) ws.quotaFull = false;
    if (!this.backend.up) await this.backend.start();
    if (this.dcsDowns > 0 || !this.world.dcsUp) {
      this.world.dcsUp = true;
      await this.backend.setDcs('up');
    }
    for (const ws of this.workstations) if (!ws.alive) await ws.restart();
  }

  private note(kind: string, detail: string): void {
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    this.log.push(`${new Date(this.scheduler.nowMs()).toISOString()} ${kind}: ${detail}`);
  }

  private scheduleNext(kind: FaultKind): void {
    const mean = MEAN_INTERVAL_H[kind] * HOUR;
    // Exponential gaps; never sooner than a minute.
    const gap = Math.max(MIN, Math.round(-Math.log(1 - this.random.next()) * mean));
    this.scheduler.set(() => {
      if (!this.active) return;
      this.fire(kind);
      this.scheduleNext(kind);
    }, gap);
  }

  private later(ms: number, fn: () => void): void {
    this.scheduler.set(() => {
      if (this.active) fn();
    }, ms);
  }

  private minutes(from: number, to: number): number {
    return this.random.int(from, to) * MIN;
  }

  private fire(kind: FaultKind): void {
    const rng = this.random;
    switch (kind) {
      case 'ws-partition': {
        const ws = rng.pick(this.workstations);
        const ms = this.minutes(5, 90);
        this.note(kind, `${ws.name} for ${ms / MIN} min`);
        this.wsCuts.set(ws.name, (this.wsCuts.get(ws.name) ?? 0) + 1);
        this.net.wsCut.add(ws.name);
        this.later(ms, () => {
          const left = (this.wsCuts.get(ws.name) ?? 1) - 1;
          this.wsCuts.set(ws.name, left);
          if (left <= 0) this.net.wsCut.delete(ws.name);
        });
        return;
      }
      case 'station-partition':
      case 'long-outage': {
        const ms = kind === 'long-outage' ? 24 * HOUR : this.minutes(10, 180);
        this.note(kind, `${ms / MIN} min${rng.chance(0.5) ? ', requests hang until they time out' : ''}`);
        this.net.blackhole = this.log.at(-1)!.endsWith('time out');
        this.stationCuts += 1;
        this.net.stationCut = true;
        this.later(ms, () => {
          this.stationCuts -= 1;
          if (this.stationCuts <= 0) this.net.stationCut = false;
        });
        return;
      }
      case 'backend-partition': {
        const ms = this.minutes(5, 45);
        this.note(kind, `${ms / MIN} min`);
        this.backendCuts += 1;
        this.net.backendCut = true;
        this.later(ms, () => {
          this.backendCuts -= 1;
          if (this.backendCuts <= 0) this.net.backendCut = false;
        });
        return;
      }
      case 'flaky': {
        const ms = this.minutes(10, 60);
        const rate = 0.1 + rng.next() * 0.3;
        this.note(kind, `${ms / MIN} min at ${Math.round(rate * 100)} % of requests`);
        this.flakyDepth += 1;
        this.net.faultRate = rate;
        this.later(ms, () => {
          this.flakyDepth -= 1;
          if (this.flakyDepth <= 0) this.net.faultRate = this.backgroundRate;
        });
        return;
      }
      case 'kill': {
        const alive = this.workstations.filter((w) => w.alive);
        if (alive.length === 0) return;
        const ws = rng.pick(alive);
        const ops = rng.int(1, 80);
        this.note(kind, `${ws.name} at its ${ops}th database operation from now`);
        ws.armKill(ops);
        return;
      }
      case 'backend-restart': {
        if (!this.backend.up) return;
        const ms = this.minutes(1, 10);
        this.note(kind, `down for ${ms / MIN} min`);
        this.track(this.backend.stop());
        this.later(ms, () => this.track(this.backend.start()));
        return;
      }
      case 'backend-restore': {
        if (!this.backend.up) return;
        if (this.pendingRestore === null) {
          this.note(kind, 'backup taken (a restart)');
          this.track(
            this.backend.snapshot().then((n) => {
              this.pendingRestore = n;
            }),
          );
        } else {
          const n = this.pendingRestore;
          this.pendingRestore = null;
          this.note(kind, `restored from backup ${n}`);
          this.track(this.backend.restore(n).then(() => this.world.backendRestored()));
        }
        return;
      }
      case 'clock-skew': {
        const ws = rng.pick(this.workstations);
        const jump = (rng.chance(0.5) ? -1 : 1) * rng.int(5, 120) * 1000;
        ws.skewMs += jump;
        this.note(kind, `${ws.name} ${jump > 0 ? '+' : ''}${jump / 1000} s (now ${ws.skewMs / 1000} s off)`);
        return;
      }
      case 'quota': {
        const ws = rng.pick(this.workstations);
        const ms = this.minutes(5, 45);
        this.note(kind, `${ws.name} full for ${ms / MIN} min`);
        ws.quotaFull = true;
        this.later(ms, () => (ws.quotaFull = false));
        return;
      }
      case 'lease-exhaustion': {
        const desks = this.workstations.filter((w) => w.alive && w.spec.role !== 'gate');
        if (desks.length === 0) return;
        const ws = rng.pick(desks);
        this.note(kind, `${ws.name}`);
        this.track(exhaustLeases(ws, rng));
        return;
      }
      case 'dcs-down': {
        if (!this.backend.up) return;
        const ms = this.minutes(20, 180);
        this.note(kind, `${ms / MIN} min`);
        this.dcsDowns += 1;
        this.world.dcsUp = false;
        this.track(this.backend.setDcs('down'));
        this.later(ms, () => {
          this.dcsDowns -= 1;
          if (this.dcsDowns > 0) return;
          this.world.dcsUp = true;
          if (this.backend.up) this.track(this.backend.setDcs('up'));
        });
        return;
      }
    }
  }
}

/** Uses up a desk's regular sequence-number blocks on one open flight (as if it had spent them all). */
async function exhaustLeases(ws: SimWorkstation, rng: SeededRandom): Promise<void> {
  const leases = (await ws.db.leases.toArray()).filter((l) => !l.emergency);
  if (leases.length === 0) return;
  const flightId = rng.pick([...new Set(leases.map((l) => l.flightId))].sort());
  await ws.db.leases
    .where('flightId')
    .equals(flightId)
    .modify((l) => {
      if (!l.emergency) l.next = l.to + 1;
    });
}

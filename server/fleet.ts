/**
 * The fleet: every station's workstations with when they last synced, how old their data is, how
 * many actions they have not sent and which app version they run — the answer to "which desks
 * would be blind if the DCS went down now?". A desk is blind when it never pulled to the end of
 * the feed, or not within the staleness threshold.
 *
 * Telemetry arrives with every sync request; it is kept in memory and written to the device table
 * every few seconds (and on close) in one transaction, so a busy hub does not pay a disk flush per
 * pull for bookkeeping. Readers see memory over disk.
 */
import type { Clock } from '../shared/clock';
import type { DeviceRow, Store, Telemetry } from './store/store';

export type { Telemetry } from './store/store';

export type BlindReason = 'never-synced' | 'stale';

export interface FleetWorkstation {
  deviceId: string;
  name: string;
  enrolledAt: string;
  lastSeenAt: string | null;
  lastPullAt: string | null;
  /** Minutes since the last complete pull; null when it never completed one. */
  dataAgeMinutes: number | null;
  /** Unsent actions as last reported; null when it never reported. */
  unsent: number | null;
  unsentReportedAt: string | null;
  appVersion: string | null;
  /** It would be working from data older than the threshold (or none) if the DCS went down now. */
  blind: boolean;
  why: BlindReason | null;
}

export interface FleetStation {
  station: string;
  workstations: FleetWorkstation[];
  blind: number;
  unsent: number;
  /** Older enrolments of a workstation that enrolled again under the same name (not listed). */
  superseded: number;
}

export interface FleetReport {
  generatedAt: string;
  staleAfterMinutes: number;
  summary: { stations: number; workstations: number; blind: number; withUnsent: number; unsent: number };
  stations: FleetStation[];
}

export const DEFAULT_STALE_AFTER_MINUTES = 30;
const FLUSH_EVERY_MS = 10_000;

export class Fleet {
  private readonly pending = new Map<string, Telemetry>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly staleAfterMinutes = DEFAULT_STALE_AFTER_MINUTES,
  ) {}

  /** Records what a request told about its workstation (merged with what is not flushed yet). */
  record(deviceId: string, telemetry: Telemetry): void {
    const current = this.pending.get(deviceId) ?? {};
    const next = { ...current };
    for (const [key, value] of Object.entries(telemetry) as [keyof Telemetry, string | number | undefined][]) {
      if (value !== undefined) (next as Record<string, unknown>)[key] = value;
    }
    this.pending.set(deviceId, next);
  }

  /**
   * Writes the telemetry kept in memory to the device table, in one transaction. One flush at a time;
   * a failed one (the database unreachable) keeps its telemetry for the next, under anything newer.
   */
  flush(): Promise<void> {
    const run = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = [...this.pending.entries()];
      this.pending.clear();
      try {
        await this.store.saveTelemetry(batch);
      } catch (error) {
        for (const [id, t] of batch) this.pending.set(id, { ...t, ...this.pending.get(id) });
        throw error;
      }
    });
    this.flushing = run.catch(() => {});
    return this.flushing;
  }

  /** Flushes on a timer until stopped. */
  start(): void {
    this.timer ??= setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async rows(): Promise<DeviceRow[]> {
    return (await this.store.devices()).map((row) => {
      const t = this.pending.get(row.id);
      return t
        ? {
            ...row,
            lastSeenAt: t.lastSeenAt ?? row.lastSeenAt,
            lastPullAt: t.lastPullAt ?? row.lastPullAt,
            appVersion: t.appVersion ?? row.appVersion,
            backlog: t.backlog ?? row.backlog,
            backlogAt: t.backlogAt ?? row.backlogAt,
          }
        : row;
    });
  }

  async report(): Promise<FleetReport> {
    const rows = await this.rows();
    const now = this.clock();
    const nowMs = now.getTime();
    const staleMs = this.staleAfterMinutes * 60_000;
    const byStation = new Map<string, Map<string, DeviceRow[]>>();
    for (const row of rows) {
      const names = byStation.get(row.station) ?? new Map<string, DeviceRow[]>();
      byStation.set(row.station, names);
      names.set(row.name, [...(names.get(row.name) ?? []), row]);
    }
    const stations: FleetStation[] = [...byStation.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([station, names]) => {
        let superseded = 0;
        const workstations = [...names.values()].map((enrolments) => {
          // A workstation that enrolled again (a new install, a reset) is its newest enrolment.
          const [row] = [...enrolments].sort((a, b) => b.enrolledAt.localeCompare(a.enrolledAt) || b.id.localeCompare(a.id));
          superseded += enrolments.length - 1;
          return this.describe(row!, nowMs, staleMs);
        });
        workstations.sort(
          (a, b) =>
            Number(b.blind) - Number(a.blind) ||
            (b.dataAgeMinutes ?? Infinity) - (a.dataAgeMinutes ?? Infinity) ||
            a.name.localeCompare(b.name),
        );
        return {
          station,
          workstations,
          blind: workstations.filter((w) => w.blind).length,
          unsent: workstations.reduce((n, w) => n + (w.unsent ?? 0), 0),
          superseded,
        };
      });
    const everyone = stations.flatMap((s) => s.workstations);
    return {
      generatedAt: now.toISOString(),
      staleAfterMinutes: this.staleAfterMinutes,
      summary: {
        stations: stations.length,
        workstations: everyone.length,
        blind: everyone.filter((w) => w.blind).length,
        withUnsent: everyone.filter((w) => (w.unsent ?? 0) > 0).length,
        unsent: everyone.reduce((n, w) => n + (w.unsent ?? 0), 0),
      },
      stations,
    };
  }

  private describe(row: DeviceRow, nowMs: number, staleMs: number): FleetWorkstation {
    const pulledMs = row.lastPullAt ? Date.parse(row.lastPullAt) : null;
    const ageMs = pulledMs === null ? null : Math.max(0, nowMs - pulledMs);
    const why: BlindReason | null = ageMs === null ? 'never-synced' : ageMs > staleMs ? 'stale' : null;
    return {
      deviceId: row.id,
      name: row.name,
      enrolledAt: row.enrolledAt,
      lastSeenAt: row.lastSeenAt,
      lastPullAt: row.lastPullAt,
      dataAgeMinutes: ageMs === null ? null : Math.floor(ageMs / 60_000),
      unsent: row.backlog,
      unsentReportedAt: row.backlogAt,
      appVersion: row.appVersion,
      blind: why !== null,
      why,
    };
  }
}

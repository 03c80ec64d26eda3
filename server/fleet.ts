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
import type { Statement } from 'better-sqlite3';
import type { Clock } from '../shared/clock';
import type { Db } from './db/database';
import { migrateDeviceTelemetry } from './db/telemetry';

export interface Telemetry {
  lastSeenAt?: string;
  lastPullAt?: string;
  appVersion?: string;
  backlog?: number;
  backlogAt?: string;
}

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

interface DeviceRow {
  id: string;
  name: string;
  station: string;
  enrolledAt: string;
  lastSeenAt: string | null;
  lastPullAt: string | null;
  appVersion: string | null;
  backlog: number | null;
  backlogAt: string | null;
}

export const DEFAULT_STALE_AFTER_MINUTES = 30;
const FLUSH_EVERY_MS = 10_000;

export class Fleet {
  private readonly pending = new Map<string, Telemetry>();
  private readonly all: Statement<[], DeviceRow>;
  private readonly update: Statement<[string | null, string | null, string | null, number | null, string | null, string]>;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    readonly staleAfterMinutes = DEFAULT_STALE_AFTER_MINUTES,
  ) {
    migrateDeviceTelemetry(db);
    this.all = db.prepare(
      `SELECT id, name, station, enrolled_at AS enrolledAt, last_seen_at AS lastSeenAt, last_pull_at AS lastPullAt,
              app_version AS appVersion, backlog, backlog_at AS backlogAt
       FROM device`,
    );
    this.update = db.prepare(
      `UPDATE device SET last_seen_at = coalesce(?, last_seen_at), last_pull_at = coalesce(?, last_pull_at),
              app_version = coalesce(?, app_version), backlog = coalesce(?, backlog), backlog_at = coalesce(?, backlog_at)
       WHERE id = ?`,
    );
  }

  /** Records what a request told about its workstation (merged with what is not flushed yet). */
  record(deviceId: string, telemetry: Telemetry): void {
    const current = this.pending.get(deviceId) ?? {};
    const next = { ...current };
    for (const [key, value] of Object.entries(telemetry) as [keyof Telemetry, string | number | undefined][]) {
      if (value !== undefined) (next as Record<string, unknown>)[key] = value;
    }
    this.pending.set(deviceId, next);
  }

  /** Writes the telemetry kept in memory to the device table, in one transaction. */
  flush(): void {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.entries()];
    this.pending.clear();
    this.db.transaction(() => {
      for (const [id, t] of batch) {
        this.update.run(t.lastSeenAt ?? null, t.lastPullAt ?? null, t.appVersion ?? null, t.backlog ?? null, t.backlogAt ?? null, id);
      }
    })();
  }

  /** Flushes on a timer until stopped. */
  start(): void {
    this.timer ??= setInterval(() => this.flush(), FLUSH_EVERY_MS);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
  }

  private rows(): DeviceRow[] {
    return this.all.all().map((row) => {
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

  report(): FleetReport {
    const now = this.clock();
    const nowMs = now.getTime();
    const staleMs = this.staleAfterMinutes * 60_000;
    const byStation = new Map<string, Map<string, DeviceRow[]>>();
    for (const row of this.rows()) {
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

/**
 * What the page last reported about the workstation (`app:status`): connectivity, fallback, drill,
 * unsent actions, last sync. The tray shows it; the update policy decides from it. A report older
 * than STATUS_MAX_AGE_MS counts as no report: a page that stopped reporting may be hung or
 * reloading, and then main must not assume all is calm.
 */
import type { Clock } from '../shared/clock';
import type { WorkstationStatus } from '../shared/ipc/contract';

/** The page reports on every change and at least every 30 s; three missed reports mean we do not know. */
export const STATUS_MAX_AGE_MS = 90_000;

export class StatusBoard {
  private latest: { status: WorkstationStatus; at: number } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly clock: Clock,
    private readonly maxAgeMs = STATUS_MAX_AGE_MS,
  ) {}

  report(status: WorkstationStatus): void {
    this.latest = { status, at: this.clock().getTime() };
    for (const listener of this.listeners) listener();
  }

  /** The latest report if it is recent enough to act on, else null. */
  current(): WorkstationStatus | null {
    if (!this.latest || this.clock().getTime() - this.latest.at > this.maxAgeMs) return null;
    return this.latest.status;
  }

  /** The latest report however old, and whether it is still current (for display). */
  last(): { status: WorkstationStatus; fresh: boolean } | null {
    return this.latest ? { status: this.latest.status, fresh: this.current() !== null } : null;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

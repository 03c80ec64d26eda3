/**
 * Accounting of one pull: how much arrived, where the time went (network wait, JSON parsing,
 * validation, storing) and, from the backend's count of what remains, an estimate of time left.
 * The first fill of an empty workstation shows it on screen; every pull reports it when done.
 */
import type { PageStats } from './apply-pull';

export interface PullTiming {
  networkMs: number;
  parseMs: number;
  validateMs: number;
  storeMs: number;
}

export interface SyncProgress {
  /** The first pull of an empty workstation (no cursor yet). */
  initial: boolean;
  timing: PullTiming;
  changes: number;
  flights: number;
  passengers: number;
  bytes: number;
  /** Pages a fill helper stored (a first fill in turns, fill-writer.ts); the rest this thread did. */
  helperPages: number;
  remaining: number | null;
  etaMs: number | null;
  startedAt: string;
}

/** A finished pull: its size and where its time went. */
export type PullSummary = Omit<SyncProgress, 'remaining' | 'etaMs'> & { ms: number };

export interface PageReport {
  stats: PageStats;
  bytes: number;
  timing: Omit<PullTiming, 'storeMs'>;
  storeMs: number;
  /** Changes the backend says are still to come after this page, when it says. */
  remaining: number | undefined;
  /** Stored by a fill helper. */
  byHelper?: boolean;
}

export class PullProgress {
  private readonly progress: SyncProgress;

  constructor(
    initial: boolean,
    private readonly startedAtMs: number,
  ) {
    this.progress = {
      initial,
      timing: { networkMs: 0, parseMs: 0, validateMs: 0, storeMs: 0 },
      changes: 0,
      flights: 0,
      passengers: 0,
      bytes: 0,
      helperPages: 0,
      remaining: null,
      etaMs: null,
      startedAt: new Date(startedAtMs).toISOString(),
    };
  }

  /** Adds a stored page; the ETA assumes the rest arrives at the pace of what came so far. */
  addPage(page: PageReport, nowMs: number): SyncProgress {
    const p = this.progress;
    p.timing.networkMs += page.timing.networkMs;
    p.timing.parseMs += page.timing.parseMs;
    p.timing.validateMs += page.timing.validateMs;
    p.timing.storeMs += page.storeMs;
    p.changes += page.stats.changes;
    p.flights += page.stats.flights;
    p.passengers += page.stats.passengers;
    p.bytes += page.bytes;
    if (page.byHelper) p.helperPages += 1;
    p.remaining = page.remaining ?? null;
    const elapsed = nowMs - this.startedAtMs;
    p.etaMs = page.remaining !== undefined && p.changes > 0 ? Math.round((elapsed / p.changes) * page.remaining) : null;
    return this.snapshot();
  }

  snapshot(): SyncProgress {
    return { ...this.progress, timing: { ...this.progress.timing } };
  }

  summary(nowMs: number): PullSummary {
    const { remaining: _remaining, etaMs: _eta, ...done } = this.snapshot();
    return { ...done, ms: nowMs - this.startedAtMs };
  }
}

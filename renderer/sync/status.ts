/**
 * What the sync engine reports to the UI: codes and numbers, never sentences (the UI chooses the
 * words, in strings.ts). Sent from the worker as structured-cloneable data.
 */
import type { SyncFailure } from '../../shared/sync/failure-policy';
import type { ConnectivityState } from './connectivity';
import type { PullSummary, SyncProgress } from './pull-progress';

export type { PullSummary, SyncProgress } from './pull-progress';

export interface SyncProblem extends SyncFailure {
  /** The backend refused this workstation again right after it enrolled again: enrolling will not help. */
  repeated: boolean;
}

export interface StorageStatus {
  usage: number;
  quota: number;
  /** Usage is at or above the warning ratio: free disk space before the cache cannot be refreshed. */
  nearlyFull: boolean;
}

export type SyncPhase = 'idle' | 'enrolling' | 'pushing' | 'pulling' | 'waiting' | 'blocked';

/** Which backend the workstation syncs with, and how fresh central's data is through it. */
export interface SourceStatus {
  url: string;
  /** Its place in the configured list (0: the preferred one) and how many there are. */
  index: number;
  count: number;
  /** A station relay (its answers stand for central's until central has answered). */
  relay: boolean;
  /** Central's data as of: the last complete pull from central, or the relay's copy of it (UTC ISO). */
  centralAsOf: string | null;
  /** Through a relay: whether the relay reaches central now (null: not known). */
  centralReachable: boolean | null;
  /** The relay says its copy of central is older than it should be. */
  stale: boolean;
  /** Actions a relay holds for this workstation that central has not answered yet. */
  heldAtRelay: number;
}

export interface SyncStatus {
  phase: SyncPhase;
  progress: SyncProgress | null;
  lastCompleteSyncAt: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  lastError: SyncProblem | null;
  /** Another Backstop window holds the sync lock and does the syncing. */
  otherWindowSyncing: boolean;
  /** The last completed pull: size and where its time went. */
  lastPull: PullSummary | null;
  storage: StorageStatus | null;
  /** Set after the first cycle. */
  source: SourceStatus | null;
}

export const INITIAL_STATUS: SyncStatus = {
  phase: 'idle',
  progress: null,
  lastCompleteSyncAt: null,
  lastAttemptAt: null,
  nextAttemptAt: null,
  lastError: null,
  otherWindowSyncing: false,
  storage: null,
  lastPull: null,
  source: null,
};

export type EngineEvent = { type: 'connectivity'; state: ConnectivityState } | { type: 'status'; status: SyncStatus };

/** Share of the storage quota from which the UI warns. */
export const STORAGE_WARN_RATIO = 0.8;

/**
 * What the sync worker last reported: connectivity and sync status. UI state only, never data.
 * Its writers live here; the worker client (sync/client.ts) calls them.
 */
import { create } from 'zustand';
import { INITIAL_CONNECTIVITY, type ConnectivityState } from '../sync/connectivity';
import type { SyncStatus } from '../sync/status';

export interface SyncStore {
  connectivity: ConnectivityState;
  status: SyncStatus | null;
  /** The worker itself failed (not a sync problem: those are in `status.lastError`). */
  workerError: string | null;
}

export const useSyncStore = create<SyncStore>(() => ({
  connectivity: INITIAL_CONNECTIVITY,
  status: null,
  workerError: null,
}));

export function connectivityReported(connectivity: ConnectivityState): void {
  useSyncStore.setState({ connectivity });
}

export function statusReported(status: SyncStatus): void {
  useSyncStore.setState({ status });
}

export function workerFailed(message: string): void {
  useSyncStore.setState({ workerError: message });
}

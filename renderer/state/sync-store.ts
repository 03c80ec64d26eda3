/** What the sync worker last reported: connectivity and sync status. UI state only, never data. */
import { create } from 'zustand';
import { INITIAL_CONNECTIVITY, type ConnectivityState } from '../sync/connectivity';
import type { SyncStatus } from '../sync/engine';

export interface SyncStore {
  connectivity: ConnectivityState;
  status: SyncStatus | null;
  workerError: string | null;
}

export const useSyncStore = create<SyncStore>(() => ({
  connectivity: INITIAL_CONNECTIVITY,
  status: null,
  workerError: null,
}));

/**
 * Connectivity as agents need to see it, decided from real health probes and sync requests, not
 * from navigator.onLine (which says only that a network cable is in). Pure: a reducer the sync
 * engine feeds and the banner reads.
 *
 *   online   the backend answers, quickly and reliably
 *   degraded the backend answers, but slowly or not every time
 *   offline  the backend has not answered the last probes
 *
 * Fallback mode (the outage banner) is on when offline, when the backend says the DCS is down, or
 * when a supervisor declares it.
 */
import type { SyncFailure } from '../../shared/sync/failure-policy';

export type Link = 'unknown' | 'online' | 'degraded' | 'offline';
export type Dcs = 'unknown' | 'up' | 'down';

export interface ConnectivityState {
  link: Link;
  dcs: Dcs;
  fallbackDeclared: boolean;
  consecutiveFailures: number;
  /** Outcome of the most recent requests, newest last (true = answered). */
  recent: boolean[];
  latencyMs: number | null;
  lastOkAt: string | null;
  /** Set when the backend speaks another protocol version; sync stops, nothing is lost. */
  incompatible: SyncFailure | null;
  /** Why the last request that failed did (a code; the UI chooses the words). */
  lastFailure: SyncFailure | null;
}

export type ConnectivityEvent =
  | { type: 'answered'; at: string; latencyMs: number; dcs?: 'up' | 'down' }
  /** A whole cycle (push and every pull page) just went through: the link works now. */
  | { type: 'synced'; at: string }
  | { type: 'failed'; at: string; failure: SyncFailure }
  | { type: 'declare-fallback'; on: boolean }
  | { type: 'incompatible'; failure: SyncFailure };

export const INITIAL_CONNECTIVITY: ConnectivityState = {
  link: 'unknown',
  dcs: 'unknown',
  fallbackDeclared: false,
  consecutiveFailures: 0,
  recent: [],
  latencyMs: null,
  lastOkAt: null,
  incompatible: null,
  lastFailure: null,
};

const WINDOW = 6;
/** A backend slower than this to answer a health probe counts as degraded. */
export const SLOW_MS = 2_000;
/** Failures in a row before we call it offline. */
export const OFFLINE_AFTER = 2;

export function reduceConnectivity(state: ConnectivityState, event: ConnectivityEvent): ConnectivityState {
  switch (event.type) {
    case 'answered': {
      const recent = [...state.recent, true].slice(-WINDOW);
      const flaky = recent.some((r) => !r);
      return {
        ...state,
        recent,
        consecutiveFailures: 0,
        latencyMs: event.latencyMs,
        lastOkAt: event.at,
        dcs: event.dcs ?? state.dcs,
        link: flaky || event.latencyMs > SLOW_MS ? 'degraded' : 'online',
        lastFailure: null,
        // It answered in our protocol, so it speaks it (again: a canary rolled back, say).
        incompatible: null,
      };
    }
    case 'synced': {
      // Earlier failures say nothing about a link that just carried a whole cycle: without this the
      // banner would say "unreliable" until enough probes had passed (about 30 s).
      const slow = state.latencyMs !== null && state.latencyMs > SLOW_MS;
      return {
        ...state,
        recent: [true],
        consecutiveFailures: 0,
        lastOkAt: event.at,
        link: slow ? 'degraded' : 'online',
        lastFailure: null,
      };
    }
    case 'failed': {
      const recent = [...state.recent, false].slice(-WINDOW);
      const consecutiveFailures = state.consecutiveFailures + 1;
      return {
        ...state,
        recent,
        consecutiveFailures,
        link: consecutiveFailures >= OFFLINE_AFTER ? 'offline' : 'degraded',
        lastFailure: event.failure,
      };
    }
    case 'declare-fallback':
      return { ...state, fallbackDeclared: event.on };
    case 'incompatible':
      return { ...state, incompatible: event.failure };
  }
}

export function inFallback(state: ConnectivityState): boolean {
  return state.link === 'offline' || state.dcs === 'down' || state.fallbackDeclared;
}

/** The engine probes more often while things are bad, to notice recovery quickly. */
export function probeIntervalMs(state: ConnectivityState): number {
  return state.link === 'online' ? 30_000 : 10_000;
}

/**
 * When Backstop may look for, download and install an update: a pure function of where the updater
 * stands and what the page last reported about the workstation.
 *
 * Backstop is what agents fall back on when everything else has failed, so an update must never be
 * the thing that takes a desk down in an outage. It therefore never checks, downloads or installs
 *
 *   - while the page has not reported lately (a hung, crashed or reloading page: we do not know),
 *   - during a drill, in fallback (offline, DCS down, or declared by a supervisor),
 *   - while the backend is unreachable or unreliable,
 *   - while actions taken here have not reached the backend yet,
 *
 * and a download under way is cancelled the moment one of those becomes true. A downloaded update
 * is installed only when the agent agrees to restart into it, and only if it is still safe then.
 * Who gets an update at all is the feed's staged rollout (`stagingPercentage`, docs/operations.md).
 */
import type { UpdateAction, UpdatePhase, WorkstationStatus } from '../../shared/ipc/contract';

/** Why the policy holds (or cancels a download), most specific first. */
export type SafetyReason = 'status-unknown' | 'drill' | 'fallback' | 'offline' | 'unreliable' | 'unsent-actions';
export type HoldReason = 'disabled' | 'busy' | SafetyReason | 'awaiting-consent' | 'not-due';
export type GoReason = 'due' | 'available' | 'consented';

export interface UpdateState {
  /** A feed is configured and the app runs packaged (an unpacked dev build cannot update itself). */
  enabled: boolean;
  phase: Exclude<UpdatePhase, 'disabled'>;
  /** When the feed was last read, successfully or not (ms since the epoch); null: never. */
  lastCheckAt: number | null;
  now: number;
  checkIntervalMs: number;
  /** The page's latest report, or null when it has not reported lately. */
  status: Pick<WorkstationStatus, 'link' | 'fallback' | 'drill' | 'pending'> | null;
  /** The agent has just asked to restart into the downloaded update. */
  consent: boolean;
}

export type UpdateDecision =
  | { action: 'check'; reason: 'due' }
  | { action: 'download'; reason: 'available' }
  | { action: 'install-on-restart'; reason: 'consented' }
  | { action: 'cancel-download'; reason: SafetyReason }
  | { action: 'hold'; reason: HoldReason };

/** The first reason it is not safe to touch the network for an update or to restart, or null. */
export function safetyHold(status: UpdateState['status']): SafetyReason | null {
  if (status === null) return 'status-unknown';
  if (status.drill) return 'drill';
  if (status.fallback) return 'fallback';
  if (status.link === 'offline' || status.link === 'unknown') return 'offline';
  if (status.link === 'degraded') return 'unreliable';
  if (status.pending > 0) return 'unsent-actions';
  return null;
}

export function decideUpdate(state: UpdateState): UpdateDecision {
  if (!state.enabled) return { action: 'hold', reason: 'disabled' };
  if (state.phase === 'checking') return { action: 'hold', reason: 'busy' };
  const unsafe = safetyHold(state.status);
  if (unsafe) return state.phase === 'downloading' ? { action: 'cancel-download', reason: unsafe } : { action: 'hold', reason: unsafe };
  switch (state.phase) {
    case 'downloading':
      return { action: 'hold', reason: 'busy' };
    case 'downloaded':
      return state.consent ? { action: 'install-on-restart', reason: 'consented' } : { action: 'hold', reason: 'awaiting-consent' };
    case 'available':
      return { action: 'download', reason: 'available' };
    case 'idle':
    case 'error':
      return state.lastCheckAt === null || state.now - state.lastCheckAt >= state.checkIntervalMs
        ? { action: 'check', reason: 'due' }
        : { action: 'hold', reason: 'not-due' };
  }
}

/** The actions a decision can ask for (for exhaustive tests and the IPC summary). */
export const ACTIONS: readonly UpdateAction[] = ['check', 'download', 'install-on-restart', 'cancel-download', 'hold'];

/**
 * Retry timing: exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff
 * and Jitter"): a random wait in [0, min(cap, base·2^attempt)], so a station's workstations that
 * all lost the network together do not all hammer the backend together when it returns.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60_000 };

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.floor(random() * ceiling);
}

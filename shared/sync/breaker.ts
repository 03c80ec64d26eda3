/**
 * Circuit breaker around the backend: after repeated failures stop calling for a while (open),
 * then let one trial request through (half-open); a success closes it again. Keeps a struggling
 * backend from being flooded and keeps the workstation from waiting on timeouts it can predict.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  failureThreshold: number;
  openMs: number;
  /** Milliseconds of the workstation's clock. */
  now: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now;
  }

  get state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.now() - this.openedAt >= this.options.openMs ? 'half-open' : 'open';
  }

  /** Whether a request may go out now; in half-open state only one trial at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** Milliseconds until a trial request will be allowed (0 when allowed now). */
  retryInMs(): number {
    if (this.openedAt === null) return 0;
    return Math.max(0, this.options.openMs - (this.now() - this.openedAt));
  }

  /** A trial that ended without telling us anything about the backend (we cancelled it). */
  release(): void {
    this.trialInFlight = false;
  }

  onSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  onFailure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.openedAt !== null || this.failures >= this.options.failureThreshold) this.openedAt = this.now();
  }
}

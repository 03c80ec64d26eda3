/**
 * Runs the update policy (policy.ts) against electron-updater: on a timer and whenever the page
 * reports a change, it asks the policy what to do and does it — check the feed, download, cancel a
 * download when an outage starts — and restarts into a downloaded update only when the agent asks.
 * electron-updater sits behind UpdaterPort (electron-updater.ts), so this is tested without it.
 */
import type { Clock } from '../../shared/clock';
import type { UpdatePhase, UpdateSummary, WorkstationStatus } from '../../shared/ipc/contract';
import { decideUpdate, type UpdateDecision } from './policy';

export type UpdaterEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; message: string };

/** The few things the controller needs from an updater. */
export interface UpdaterPort {
  /** Reads the feed; the answer arrives as events. */
  check(): Promise<unknown>;
  /** Starts downloading the update on offer; `cancel` stops it (the promise then rejects quietly). */
  download(): { done: Promise<unknown>; cancel(): void };
  /** Quits, installs and starts the new version. */
  quitAndInstall(): void;
  subscribe(listener: (event: UpdaterEvent) => void): void;
}

export interface UpdateControllerOptions {
  /** null: updates are off (no feed, or an unpacked build). */
  port: UpdaterPort | null;
  feedUrl: string | null;
  checkIntervalMs: number;
  clock: Clock;
  /** The page's current report, or null when it has not reported lately (StatusBoard.current). */
  status: () => WorkstationStatus | null;
  log: (message: string) => void;
  /** Called just before quitAndInstall: lets the window close for real instead of going to the tray. */
  beforeInstall: () => void;
  /** Called whenever the summary may have changed (the tray redraws). */
  onChange?: () => void;
}

export class UpdateController {
  private phase: Exclude<UpdatePhase, 'disabled'> = 'idle';
  private version: string | null = null;
  private lastCheckAt: number | null = null;
  private progress: number | null = null;
  private lastError: string | null = null;
  private running: { cancel(): void } | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: UpdateControllerOptions) {
    options.port?.subscribe((event) => this.onEvent(event));
  }

  private decide(consent: boolean): UpdateDecision {
    return decideUpdate({
      enabled: this.options.port !== null,
      phase: this.phase,
      lastCheckAt: this.lastCheckAt,
      now: this.options.clock().getTime(),
      checkIntervalMs: this.options.checkIntervalMs,
      status: this.options.status(),
      consent,
    });
  }

  /** Asks the policy what to do now and does it; returns the decision. */
  tick(): UpdateDecision {
    const port = this.options.port;
    const decision = this.decide(false);
    if (!port) return decision;
    switch (decision.action) {
      case 'check':
        this.phase = 'checking';
        this.lastCheckAt = this.options.clock().getTime();
        this.lastError = null;
        port.check().then(
          () => {
            // An updater that is not active (say, an unpacked build) answers without any event.
            if (this.phase === 'checking') this.onEvent({ type: 'not-available' });
          },
          (error: unknown) => this.onEvent({ type: 'error', message: messageOf(error) }),
        );
        break;
      case 'download': {
        this.phase = 'downloading';
        this.progress = 0;
        const run = port.download();
        this.running = run;
        run.done.then(
          () => {},
          (error: unknown) => {
            // A cancelled download rejects too; only a download still marked as running failed.
            if (this.running === run) this.onEvent({ type: 'error', message: messageOf(error) });
          },
        );
        break;
      }
      case 'cancel-download':
        this.options.log(`update: download of ${this.version ?? '?'} stopped (${decision.reason}); it resumes when it is safe`);
        this.running?.cancel();
        this.running = null;
        this.phase = 'available';
        this.progress = null;
        break;
      case 'install-on-restart':
      case 'hold':
        return decision;
    }
    this.options.onChange?.();
    return decision;
  }

  /** The agent agreed to restart into the downloaded update: restart if the policy allows it now. */
  requestInstall(): { started: boolean; reason: string } {
    const decision = this.decide(true);
    if (decision.action !== 'install-on-restart' || !this.options.port) return { started: false, reason: decision.reason };
    this.options.log(`update: restarting into ${this.version ?? '?'} at the agent's request`);
    this.options.beforeInstall();
    this.options.port.quitAndInstall();
    return { started: true, reason: decision.reason };
  }

  summary(): UpdateSummary {
    const decision = this.decide(false);
    return {
      phase: this.options.port ? this.phase : 'disabled',
      version: this.version,
      action: decision.action,
      reason: decision.reason,
      lastCheckAt: this.lastCheckAt === null ? null : new Date(this.lastCheckAt).toISOString(),
      progressPercent: this.progress,
      feedUrl: this.options.feedUrl,
      lastError: this.lastError,
    };
  }

  /** Whether restarting into a downloaded update would be allowed now (the tray's menu item). */
  installAllowed(): boolean {
    return this.decide(true).action === 'install-on-restart';
  }

  /** Ticks every `everyMs` (the policy itself spaces the checks out); returns the stopper. */
  start(everyMs = 60_000): () => void {
    if (!this.options.port) return () => {};
    this.tick();
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref?.();
    return () => {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
    };
  }

  private onEvent(event: UpdaterEvent): void {
    switch (event.type) {
      case 'checking':
        this.phase = 'checking';
        break;
      case 'available':
        this.phase = 'available';
        this.version = event.version;
        this.options.log(`update: ${event.version} is on offer`);
        break;
      case 'not-available':
        this.phase = 'idle';
        break;
      case 'progress':
        this.progress = Math.max(0, Math.min(100, event.percent));
        break;
      case 'downloaded':
        this.running = null;
        this.phase = 'downloaded';
        this.version = event.version;
        this.progress = 100;
        this.options.log(`update: ${event.version} downloaded; it installs when the agent restarts into it`);
        break;
      case 'error':
        this.running = null;
        this.phase = 'error';
        this.progress = null;
        this.lastError = event.message.slice(0, 500);
        this.options.log(`update: ${this.lastError}`);
        break;
    }
    this.options.onChange?.();
    // A check that found an update moves straight on to the download when it is safe.
    if (event.type === 'available') this.tick();
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

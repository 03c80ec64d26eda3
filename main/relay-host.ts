/**
 * "This workstation is the station relay": main runs the relay (out/relay/index.cjs, built from
 * relay/utility-entry.ts) in an Electron utility process — a Node process Electron starts itself, so it
 * works with the RunAsNode fuse off — and looks after it: starts it when configured, starts it again
 * after a crash with growing pauses (1 s, 2 s, 4 s … 1 min), stops it cleanly when the app quits, and
 * keeps what the Settings card shows (running, address, central reachable, actions not yet at central).
 *
 * Main makes the relay's admin token and keeps it: the page asks main for a desk's enrolment code and
 * main asks the relay process, which answers through its own admin route.
 */
import { utilityProcess } from 'electron';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock';
import {
  RelayFromProcess,
  type IssuedCode,
  type RelayHostStatus,
  type RelayProcessSettings,
  type RelayToProcess,
} from '../shared/ipc/relay-host';
import type { RelayUpstream } from '../shared/protocol/v1';
import { fail, ok, type Result } from '../shared/result';
import type { RelayHostConfig } from './config';

/** The part of Electron's UtilityProcess the host uses. */
export interface RelayChild {
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number) => void): void;
  postMessage(message: RelayToProcess): void;
  kill(): boolean;
}

export type ForkRelay = (modulePath: string) => RelayChild;

/** Electron's utility process: a Node process Electron starts itself (the RunAsNode fuse stays off). */
export function utilityProcessFork(log: (line: string) => void): ForkRelay {
  return (modulePath) => {
    const child = utilityProcess.fork(modulePath, [], { serviceName: 'Backstop station relay', stdio: 'pipe' });
    // Whatever it prints outside its log (a crash's stack) goes to the app's log too.
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim() !== '') log(`relay process: ${line.trim().slice(0, 2000)}`);
      });
    }
    return {
      onMessage: (listener) => void child.on('message', (message: unknown) => listener(message)),
      onExit: (listener) => void child.on('exit', (code) => listener(code)),
      postMessage: (message) => child.postMessage(message),
      kill: () => child.kill(),
    };
  };
}

export interface RelayHostOptions {
  config: RelayHostConfig;
  station: string;
  /** The relay's name in central's fleet view. */
  name: string;
  /** userData/relay: its SQLite copy of the station. */
  dataDir: string;
  /** out/relay/index.cjs */
  modulePath: string;
  fork: ForkRelay;
  clock: Clock;
  /** The app's clock differs from the machine's (a pinned rehearsal date): the relay runs on the same. */
  pinnedClock: boolean;
  version: string;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  /** Pauses before starting again after a crash: base·2^n, capped. */
  restart?: { baseMs: number; capMs: number };
  /** A run this long counts as healthy: the next crash starts the pauses from the beginning again. */
  healthyAfterMs?: number;
  /** How long a clean stop may take before the process is killed. */
  stopTimeoutMs?: number;
  onChange?: () => void;
}

/** What every workstation that does not host the relay answers. */
export const RELAY_OFF: RelayHostStatus = {
  state: 'off',
  station: null,
  url: null,
  loopbackOnly: true,
  central: null,
  upstream: null,
  error: null,
  retryAt: null,
  restarts: 0,
  since: null,
};

export const RELAY_RESTART = { baseMs: 1_000, capMs: 60_000 } as const;

const CODE_TIMEOUT_MS = 10_000;

type Pending = { resolve: (r: Result<IssuedCode, 'NOT_RUNNING' | 'FAILED'>) => void; timer: NodeJS.Timeout };

export class RelayHost {
  private child: RelayChild | null = null;
  private state: RelayHostStatus['state'] = 'stopped';
  private url: string | null = null;
  private upstream: RelayUpstream | null = null;
  private error: string | null = null;
  private retryAt: Date | null = null;
  private since: Date | null = null;
  private restarts = 0;
  /** Crashes in a row, each without a healthy run between: the pause before the next start grows with it. */
  private crashesInRow = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;
  private nextRequest = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly o: RelayHostOptions) {}

  /** Starts the relay (again). */
  start(): void {
    if (this.child || this.stopping) return;
    this.clearRetry();
    this.state = 'starting';
    this.error = null;
    this.upstream = null;
    const child = this.o.fork(this.o.modulePath);
    this.child = child;
    child.onMessage((raw) => this.onMessage(child, raw));
    child.onExit((code) => this.onExit(child, code));
    child.postMessage({ type: 'start', settings: this.settings() });
    this.o.log.info(`relay: starting (station ${this.o.station}, ${this.o.config.url}, central ${this.o.config.upstream})`);
    this.changed();
  }

  /** Stops it cleanly (its open requests finish, its database closes); kills it if it does not stop in time. */
  stop(): Promise<void> {
    this.clearRetry();
    const child = this.child;
    if (!child) {
      this.state = this.state === 'failed' ? 'failed' : 'stopped';
      this.changed();
      return Promise.resolve();
    }
    this.stopping ??= new Promise<void>((resolve) => {
      const killer = setTimeout(() => {
        this.o.log.warn('relay: did not stop in time; killed');
        child.kill();
      }, this.o.stopTimeoutMs ?? 5_000);
      child.onExit(() => {
        clearTimeout(killer);
        resolve();
      });
      child.postMessage({ type: 'stop' });
    }).finally(() => (this.stopping = null));
    return this.stopping;
  }

  get running(): boolean {
    return this.child !== null;
  }

  status(): RelayHostStatus {
    return {
      state: this.state,
      station: this.o.station,
      url: this.state === 'running' ? this.url : null,
      loopbackOnly: this.o.config.tls === null,
      central: this.o.config.upstream,
      upstream: this.state === 'running' ? this.upstream : null,
      error: this.error,
      retryAt: this.retryAt?.toISOString() ?? null,
      restarts: this.restarts,
      since: this.since?.toISOString() ?? null,
    };
  }

  /** A one-time code for a desk to enrol at this relay (`--enrolment-code` there), valid `hours`. */
  issueCode(deskName: string, hours = 72): Promise<Result<IssuedCode, 'NOT_RUNNING' | 'FAILED'>> {
    const child = this.child;
    if (!child || this.state !== 'running') return Promise.resolve(fail('NOT_RUNNING', 'The station relay is not running.'));
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        resolve(fail('FAILED', 'The station relay did not answer.'));
      }, CODE_TIMEOUT_MS);
      this.pending.set(requestId, { resolve, timer });
      child.postMessage({ type: 'issue-code', requestId, name: deskName, hours });
    });
  }

  private settings(): RelayProcessSettings {
    const c = this.o.config;
    return {
      upstream: c.upstream,
      station: this.o.station,
      dataDir: this.o.dataDir,
      host: c.listenHost,
      port: c.port,
      name: this.o.name,
      upstreamEnrolmentKey: c.upstreamEnrolmentKey,
      // A new one at every start: nobody but main ever holds it, so nothing has to remember it.
      adminToken: randomBytes(32).toString('base64url'),
      tls: c.tls,
      staleAfterMinutes: c.staleAfterMinutes,
      now: this.o.pinnedClock ? this.o.clock().toISOString() : null,
      logLevel: 'warn',
      version: this.o.version.slice(0, 40),
    };
  }

  private onMessage(child: RelayChild, raw: unknown): void {
    if (child !== this.child) return;
    const parsed = RelayFromProcess.safeParse(raw);
    if (!parsed.success) {
      this.o.log.warn(`relay: unreadable message from the relay process (${parsed.error.issues[0]?.message ?? ''})`);
      return;
    }
    const m = parsed.data;
    switch (m.type) {
      case 'started':
        this.state = 'running';
        this.url = this.o.config.url;
        this.since = this.o.clock();
        this.error = null;
        this.o.log.info(`relay: listening on ${m.url}; desks use ${this.o.config.url}`);
        break;
      case 'status':
        this.upstream = m.upstream;
        break;
      case 'log':
        this.o.log[m.level](`relay: ${m.message}`);
        return;
      case 'code': {
        const waiting = this.pending.get(m.requestId);
        if (!waiting) return;
        clearTimeout(waiting.timer);
        this.pending.delete(m.requestId);
        waiting.resolve(m.issued ? ok(m.issued) : fail('FAILED', m.error ?? 'The station relay issued no code.'));
        return;
      }
      case 'failed':
        this.error = m.message;
        this.o.log.error(`relay: could not start: ${m.message}`);
        if (m.permanent) this.state = 'failed';
        break;
      case 'stopped':
        return;
    }
    this.changed();
  }

  private onExit(child: RelayChild, code: number): void {
    if (child !== this.child) return;
    this.child = null;
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.resolve(fail('NOT_RUNNING', 'The station relay stopped.'));
      this.pending.delete(id);
    }
    const ranFor = this.since ? this.o.clock().getTime() - this.since.getTime() : 0;
    const wasRunning = this.state === 'running';
    this.since = null;
    if (this.stopping) {
      this.state = 'stopped';
      this.o.log.info(`relay: stopped (exit ${code})`);
    } else if (this.state === 'failed') {
      this.o.log.error('relay: not started again: its settings need fixing (see the error above)');
    } else {
      if (wasRunning && ranFor >= (this.o.healthyAfterMs ?? 60_000)) this.crashesInRow = 0;
      const policy = this.o.restart ?? RELAY_RESTART;
      const delay = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(this.crashesInRow, 20));
      this.crashesInRow++;
      this.restarts++;
      this.state = 'restarting';
      this.error = this.error ?? `The relay process ended (exit ${code}).`;
      this.retryAt = new Date(this.o.clock().getTime() + delay);
      this.o.log.error(`relay: process ended (exit ${code}); starting it again in ${Math.round(delay / 1000)} s`);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.start();
      }, delay);
    }
    this.changed();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
  }

  private changed(): void {
    this.o.onChange?.();
  }
}

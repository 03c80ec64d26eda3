/**
 * The real processes of a chaos run: the reference backend as its own Node process (stopped and
 * started again on the same SQLite file and port), and each workstation as its own Chromium process
 * with a profile directory of its own (killed with SIGKILL and started again on the same profile, so
 * what IndexedDB committed is all it has), driven over the DevTools protocol.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumEnv, chromiumPath } from '../../tests/support/chromium';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface BackendProcessOptions {
  port: number;
  seed: number;
  flights: number;
  adminToken: string;
  enrolmentKey: string;
  /** The instant the backend's clock runs from when the run started; a restart carries on from there. */
  startInstant: string;
}

export class BackendProcess {
  private child: ChildProcess | null = null;
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-chaos-'));
  private readonly started = Date.now();
  restarts = 0;

  constructor(readonly options: BackendProcessOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const now = new Date(Date.parse(this.options.startInstant) + (Date.now() - this.started)).toISOString();
    const o = this.options;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'server/cli.ts'),
        '--data-dir',
        this.dataDir,
        '--port',
        String(o.port),
        '--flights',
        String(o.flights),
        '--seed',
        String(o.seed),
        '--admin-token',
        o.adminToken,
        '--enrolment-key',
        o.enrolmentKey,
        '--log-level',
        'warn',
        '--now',
        now,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    this.child = child;
    child.on('exit', () => {
      if (this.child === child) this.child = null;
    });
    for (let i = 0; i < 300; i++) {
      if (!this.child) throw new Error('the backend process exited while starting');
      const ok = await fetch(`${this.url}/v1/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the backend did not answer within a minute');
  }

  /** Stops the process: SIGKILL (a crash) or SIGTERM (a clean restart). */
  async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  async restart(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    this.restarts += 1;
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop('SIGTERM');
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** One workstation: a Chromium process of its own on a profile of its own, one page on the app. */
export class ChromiumWorkstation {
  private child: ChildProcess | null = null;
  private browser: Browser | null = null;
  page: Page | null = null;
  readonly profile: string;
  kills = 0;
  /** Console errors and page errors (connection failures while cut off are expected and not kept). */
  readonly problems: string[] = [];

  constructor(
    readonly name: string,
    readonly appUrl: string,
  ) {
    this.profile = fs.mkdtempSync(path.join(os.tmpdir(), `backstop-chaos-${name.toLowerCase()}-`));
  }

  get alive(): boolean {
    return this.child !== null;
  }

  async start(): Promise<Page> {
    const child = spawn(
      chromiumPath(),
      [
        '--headless=new',
        '--remote-debugging-port=0',
        `--user-data-dir=${this.profile}`,
        '--window-size=1440,900',
        ...CHROMIUM_ARGS,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: chromiumEnv() },
    );
    this.child = child;
    child.on('exit', () => {
      if (this.child === child) this.child = null;
    });
    const endpoint = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(() => reject(new Error(`${this.name}: Chromium did not start`)), 30_000);
      child.stderr.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(buffer);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', () => reject(new Error(`${this.name}: Chromium exited while starting`)));
    });
    this.browser = await chromium.connectOverCDP(endpoint);
    const context = this.browser.contexts()[0]!;
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize({ width: 1440, height: 900 });
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      const text = m.text();
      // Connection failures while cut off, and the fault proxy's forged answers (which carry no CORS
      // headers, so the browser reports them as CORS failures), are the faults themselves.
      if (
        /ERR_CONNECTION|ERR_EMPTY_RESPONSE|Failed to load resource|net::ERR_|Blocked script execution in 'about:srcdoc'|blocked by CORS policy/.test(
          text,
        )
      )
        return;
      this.problems.push(`${this.name}: ${text}`);
    });
    page.on('pageerror', (e) => this.problems.push(`${this.name}: ${e.message}`));
    await page.goto(this.appUrl);
    this.page = page;
    return page;
  }

  /** SIGKILL: no shutdown, no flush beyond what IndexedDB already committed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    this.page = null;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    await this.browser?.close().catch(() => undefined);
    this.browser = null;
    this.kills += 1;
  }

  async dispose(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await this.kill();
    // Chromium's helper processes may still be writing to the profile for a moment after the browser exits.
    fs.rmSync(this.profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  }
}

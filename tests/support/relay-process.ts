/**
 * A station relay as a process of its own (`relay/cli.ts`), for tests that kill it (SIGKILL, as a
 * power cut would) and start it again on the same data dir and port, as a station would after a
 * reboot. Its health answer says how its copy of central stands (RelayUpstream).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HealthResponse, type RelayUpstream } from '../../shared/protocol/v1';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A port nobody listens on now (the relay keeps it across restarts, so desks find it again). */
export function freePort(): Promise<number> {
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

export interface RelayProcessOptions {
  upstream: string;
  station?: string;
  /** The instant the relay's clock reads at its first start (the stack's pinned date); omitted: the real clock. */
  now?: string;
  dataDir?: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
}

export class RelayProcess {
  private child: ChildProcess | null = null;
  private output = '';
  readonly dataDir: string;
  port = 0;
  /** The machine's time at the first start, so a restart's clock carries on from where it was. */
  private startedAt = 0;

  constructor(private readonly options: RelayProcessOptions) {
    this.dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-relay-'));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** What the relay printed (for a failure message). */
  get log(): string {
    return this.output;
  }

  async start(): Promise<void> {
    if (this.child) return;
    if (this.port === 0) this.port = this.options.port ?? (await freePort());
    if (this.startedAt === 0) this.startedAt = Date.now();
    const now = this.options.now ? new Date(Date.parse(this.options.now) + (Date.now() - this.startedAt)).toISOString() : null;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'relay/cli.ts'),
        '--upstream',
        this.options.upstream,
        '--station',
        this.options.station ?? 'LHR',
        '--data-dir',
        this.dataDir,
        '--port',
        String(this.port),
        '--log-level',
        'warn',
        ...(now ? ['--now', now] : []),
      ],
      { cwd: repoRoot, env: { ...process.env, ...this.options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the relay did not start:\n${this.output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (this.output.includes('relay listening on')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the relay exited (${code ?? signal}):\n${this.output}`));
      });
    });
  }

  /** As a power cut would: nothing is flushed, nothing is said goodbye to. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await gone;
    this.child = null;
  }

  /** What the relay says about its copy of central (null while it does not answer). */
  async upstream(): Promise<RelayUpstream | null> {
    try {
      const res = await fetch(`${this.url}/v1/health`);
      return HealthResponse.parse(await res.json()).relay ?? null;
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    await this.stop();
    if (!this.options.dataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

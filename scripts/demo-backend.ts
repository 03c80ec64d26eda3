/**
 * The demo's reference backend as a process of its own, so an outage can be rehearsed by stopping
 * it while the browser host's UI server goes on serving: `npm start` starts it, `npm run outage`
 * stops, starts and switches its DCS. What they share lives under `.data/`:
 *
 *   .data/admin-token        the admin bearer token of the demo backend (made once, kept)
 *   .data/demo-backend.json  how it was started (URL, flags, clock offset) and the pid of the process
 *   .data/backend.log        its output
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../shared/protocol/v1';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface DemoPaths {
  dataDir: string;
  tokenFile: string;
  stateFile: string;
  logFile: string;
}

export function demoPaths(dataDir = path.join(repoRoot, '.data')): DemoPaths {
  return {
    dataDir,
    tokenFile: path.join(dataDir, 'admin-token'),
    stateFile: path.join(dataDir, 'demo-backend.json'),
    logFile: path.join(dataDir, 'backend.log'),
  };
}

export interface DemoBackendState {
  url: string;
  port: number;
  station: string;
  /** Milliseconds the backend's clock runs ahead of this machine's (a rehearsal at a pinned date), or null. */
  clockOffsetMs: number | null;
  /** The pid of the running backend process, or null once it stopped. */
  pid: number | null;
}

/**
 * The demo's admin token: BACKSTOP_ADMIN_TOKEN when set, else read from .data/admin-token, or made
 * there once (readable by this user only).
 */
export function demoAdminToken(paths: DemoPaths = demoPaths()): string {
  const fromEnv = process.env.BACKSTOP_ADMIN_TOKEN?.trim();
  if (fromEnv && fromEnv.length >= 32) return fromEnv;
  try {
    const saved = fs.readFileSync(paths.tokenFile, 'utf8').trim();
    if (saved.length >= 32) return saved;
  } catch {
    // not made yet
  }
  const token = randomBytes(32).toString('base64url');
  fs.mkdirSync(paths.dataDir, { recursive: true });
  fs.writeFileSync(paths.tokenFile, `${token}\n`, { mode: 0o600 });
  return token;
}

export function readState(paths: DemoPaths = demoPaths()): DemoBackendState | null {
  try {
    return JSON.parse(fs.readFileSync(paths.stateFile, 'utf8')) as DemoBackendState;
  } catch {
    return null;
  }
}

export function writeState(state: DemoBackendState, paths: DemoPaths = demoPaths()): void {
  fs.mkdirSync(paths.dataDir, { recursive: true });
  fs.writeFileSync(paths.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

export function isAlive(pid: number | null): pid is number {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The backend's health answer, or null when it does not answer within 2 s. */
export async function health(url: string): Promise<{ dcs: string; serverTime: string } | null> {
  try {
    const res = await fetch(new URL('/v1/health', url), {
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      signal: AbortSignal.timeout(2_000),
    });
    return res.ok ? ((await res.json()) as { dcs: string; serverTime: string }) : null;
  } catch {
    return null;
  }
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return check();
}

export interface StartOptions {
  port: number;
  station: string;
  /** Run the backend's clock from this instant (ISO); on a restart, from where it would be now. */
  now?: string;
  /** Outlive the process that starts it (npm run outage -- start); else it is that process's child. */
  detached: boolean;
  paths?: DemoPaths;
}

/** Starts the demo backend (`tsx server/cli.ts`) and waits until it answers. */
export async function startDemoBackend(o: StartOptions): Promise<{ state: DemoBackendState; child: ChildProcess; token: string }> {
  const paths = o.paths ?? demoPaths();
  const token = demoAdminToken(paths);
  const url = `http://127.0.0.1:${o.port}`;
  const clockOffsetMs = o.now ? Date.parse(o.now) - Date.now() : null;
  if (clockOffsetMs !== null && Number.isNaN(clockOffsetMs)) throw new Error(`--now: "${o.now}" is not an instant (ISO 8601)`);
  const args = [
    path.join(repoRoot, 'server/cli.ts'),
    `--data-dir=${path.join(paths.dataDir, 'server')}`,
    `--port=${o.port}`,
    `--station=${o.station}`,
    '--log-level=warn',
    ...(clockOffsetMs === null ? [] : [`--now=${new Date(Date.now() + clockOffsetMs).toISOString()}`]),
  ];
  fs.mkdirSync(paths.dataDir, { recursive: true });
  const log = fs.openSync(paths.logFile, 'a');
  // The token goes by environment, not argv: `ps` shows argv to every user of the machine.
  const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), args, {
    cwd: repoRoot,
    detached: o.detached,
    stdio: ['ignore', log, log],
    env: { ...process.env, BACKSTOP_ADMIN_TOKEN: token },
  });
  fs.closeSync(log);
  if (o.detached) child.unref();
  const state: DemoBackendState = { url, port: o.port, station: o.station, clockOffsetMs, pid: child.pid ?? null };
  writeState(state, paths);
  let exited = false;
  child.once('exit', () => (exited = true));
  const up = await until(async () => exited || (await health(url)) !== null, 90_000);
  if (!up || exited) throw new Error(`The demo backend did not start; see ${paths.logFile}`);
  return { state, child, token };
}

/** Stops the demo backend recorded in .data/demo-backend.json; true when one was running. */
export async function stopDemoBackend(paths: DemoPaths = demoPaths()): Promise<boolean> {
  const state = readState(paths);
  if (!state || !isAlive(state.pid)) return false;
  const pid = state.pid;
  process.kill(pid, 'SIGTERM');
  if (!(await until(() => !isAlive(pid), 10_000))) process.kill(pid, 'SIGKILL');
  writeState({ ...state, pid: null }, paths);
  return true;
}

/** The instant a restarted backend's clock should read now, keeping the rehearsal's offset. */
export function nowFor(state: DemoBackendState): string | undefined {
  return state.clockOffsetMs === null ? undefined : new Date(Date.now() + state.clockOffsetMs).toISOString();
}

/** Switches the demo backend's simulated DCS up or down through its admin route. */
export async function switchDcs(url: string, token: string, status: 'up' | 'down'): Promise<{ ok: boolean; message: string }> {
  try {
    const res = await fetch(new URL('/v1/admin/dcs', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      body: JSON.stringify({ status }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await res.json().catch(() => ({}))) as { dcs?: string; message?: string };
    return res.ok ? { ok: true, message: `DCS is ${body.dcs ?? status}` } : { ok: false, message: body.message ?? `HTTP ${res.status}` };
  } catch (error) {
    return { ok: false, message: `The backend at ${url} did not answer (${error instanceof Error ? error.message : String(error)})` };
  }
}

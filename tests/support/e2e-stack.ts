/**
 * The whole system for end-to-end tests: the reference backend (real SQLite in a temp dir) behind a
 * proxy that can cut the network, and the built renderer served by the browser host. Each test file
 * gets its own stack, so tests never share state.
 */
import type { Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../server/app';
import { clockStartingAt } from '../../shared/clock';
import { Synced } from './server-harness';
import { startBrowserHostServer } from '../../scripts/serve-browser';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { DEMO_AGENT_PIN, DEMO_SUPERVISOR_PIN } from '../../server/demo/staff';

export interface Stack {
  server: RunningServer;
  proxy: FaultProxy;
  ui: { url: string; close(): Promise<void> };
  /** The backend as a fresh workstation sees it (bypassing the proxy). */
  observe(): Promise<Synced>;
  offline(): void;
  online(): void;
  close(): Promise<void>;
}

/**
 * The instant every end-to-end test starts at, on the backend and in the app alike: 22:30 in London
 * on the night the clocks go forward (01:00 GMT → 02:00 BST), so the cached window (now − 2 h …
 * now + 36 h) spans a DST change and a day boundary. `BACKSTOP_E2E_NOW` runs the suite at another
 * instant; `BACKSTOP_E2E_NOW=real` at the machine's time.
 */
export const E2E_NOW = '2027-03-27T22:30:00.000Z';

/** The admin token of every end-to-end stack's backend (the backend wants 32 characters or more). */
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdefgh';

function e2eNow(): string | undefined {
  const configured = process.env.BACKSTOP_E2E_NOW;
  if (configured === 'real') return undefined;
  return configured || E2E_NOW;
}

/**
 * `workstation: null` leaves config.json without a workstation name, as `npm start` does: each
 * browser profile (each Playwright context) then names itself.
 */
export async function startStack(
  options: {
    flights?: number;
    workstation?: string | null;
    now?: string;
    /** The backend's structured log lines (info and up) go here instead of nowhere. */
    logStream?: { write(line: string): void };
  } = {},
): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-e2e-'));
  const now = options.now ?? e2eNow();
  const server = await startServer({
    dataDir,
    port: 0,
    flights: options.flights ?? 12,
    seed: 5,
    logLevel: options.logStream ? 'info' : 'silent',
    ...(options.logStream ? { logStream: options.logStream } : {}),
    adminToken: E2E_ADMIN_TOKEN,
    ...(now ? { now: clockStartingAt(now) } : {}),
  });
  const proxy = await startFaultProxy(server.url);
  const ui = await startBrowserHostServer({
    port: 0,
    backendUrl: proxy.url,
    station: server.station,
    ...(options.workstation === null ? {} : { workstation: options.workstation ?? 'GATE-E2E' }),
    enrolmentKey: 'backstop-demo',
    ...(now ? { now } : {}),
  });
  return {
    server,
    proxy,
    ui,
    observe: () => Synced.enrol(server.url, 'E2E-OBSERVER'),
    offline: () => proxy.setFaults(() => 'drop'),
    online: () => proxy.setFaults(() => 'pass'),
    close: async () => {
      await ui.close();
      await proxy.close();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Collects console errors and page errors; connection failures while offline are expected noise. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/ERR_CONNECTION|ERR_EMPTY_RESPONSE|Failed to load resource|net::ERR_/.test(text)) return;
    // Print frames are script-less on purpose (sandbox without allow-scripts); Chromium reports
    // this when the test driver probes such a frame, which the app itself never does.
    if (text.startsWith("Blocked script execution in 'about:srcdoc'")) return;
    problems.push(text);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

/** The demo's PINs (server/demo/staff.ts): an agent's six digits, a supervisor's passphrase. */
export { DEMO_AGENT_PIN, DEMO_SUPERVISOR_PIN } from '../../server/demo/staff';

export async function signIn(
  page: Page,
  staffId = 'AG1001',
  pin = staffId.startsWith('SU') ? DEMO_SUPERVISOR_PIN : DEMO_AGENT_PIN,
): Promise<void> {
  await page.getByLabel('Staff ID').fill(staffId);
  await page.getByLabel('PIN').fill(pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: false });
}

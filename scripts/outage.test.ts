/**
 * The demo as `npm start` runs it: the reference backend in a process of its own, the browser
 * host's UI server in this one. `npm run outage` switches the DCS through the admin route with the
 * demo's known token, stops the backend (the UI server goes on serving) and starts it again.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAdminToken, demoPaths, health, readState, startDemoBackend, stopDemoBackend, type DemoPaths } from './demo-backend';
import { outage } from './outage';
import { startBrowserHostServer } from './serve-browser';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

describe('rehearsing an outage with the demo', () => {
  let paths: DemoPaths;
  let ui: { url: string; close(): Promise<void> };
  let backendUrl: string;

  beforeAll(async () => {
    paths = demoPaths(fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-demo-')));
    const root = path.join(paths.dataDir, 'ui');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Backstop</title>');
    const { state } = await startDemoBackend({ port: await freePort(), station: 'LHR', detached: false, paths });
    backendUrl = state.url;
    ui = await startBrowserHostServer({ port: 0, root, backendUrl, station: 'LHR', enrolmentKey: 'backstop-demo' });
  }, 120_000);

  afterAll(async () => {
    await stopDemoBackend(paths);
    await ui?.close();
    fs.rmSync(paths.dataDir, { recursive: true, force: true });
  });

  it('keeps a known admin token under .data, readable by its owner only, and the same on every start', () => {
    const token = demoAdminToken(paths);
    expect(token.length).toBeGreaterThanOrEqual(20);
    expect(demoAdminToken(paths)).toBe(token);
    expect(fs.statSync(paths.tokenFile).mode & 0o077).toBe(0);
  });

  it('switches the DCS down and up through the admin route', async () => {
    expect(await outage('dcs-down', paths)).toBe(0);
    expect((await health(backendUrl))?.dcs).toBe('down');
    expect(await outage('dcs-up', paths)).toBe(0);
    expect((await health(backendUrl))?.dcs).toBe('up');
  });

  it('stops the backend while the UI server goes on serving the app, and starts it again', async () => {
    expect(await outage('stop', paths)).toBe(0);
    expect(await health(backendUrl)).toBeNull();
    expect(readState(paths)?.pid).toBeNull();
    const page = await fetch(ui.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Backstop</title>');
    // config.json still says where the backend is; the app sees it as unreachable, not gone.
    expect(await (await fetch(new URL('config.json', ui.url))).json()).toMatchObject({ backendUrl, station: 'LHR' });
    expect(await (await fetch(new URL('config.json', ui.url))).json()).not.toHaveProperty('workstation');

    expect(await outage('start', paths)).toBe(0);
    expect(await health(backendUrl)).toMatchObject({ dcs: 'up' });
    expect(readState(paths)?.pid).toEqual(expect.any(Number));
  }, 120_000);

  it('says how to use it, and refuses what it does not know', async () => {
    expect(await outage(undefined, paths)).toBe(2);
    expect(await outage('explode', paths)).toBe(2);
    expect(await outage('status', paths)).toBe(0);
  });
});

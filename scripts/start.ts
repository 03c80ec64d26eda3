/**
 * `npm start`: builds the app, starts the reference backend with demo data on 127.0.0.1:8787 (unless
 * --backend points elsewhere), then opens Backstop: the Electron app where Electron is installed, or
 * the browser host where it is not (these build machines cannot download Electron).
 * `npm start -- --relay` also starts a station relay on 127.0.0.1:8788 in front of that backend.
 *
 * The backend runs as a process of its own (`tsx server/cli.ts`, see scripts/demo-backend.ts) with
 * a known admin token kept in .data/admin-token, so `npm run outage -- stop` can take it away to
 * rehearse an outage while the browser host's UI server, in this process, goes on serving.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RELAY_DEFAULTS, startRelay } from '../relay/relay';
import { clockStartingAt } from '../shared/clock';
import { demoPaths, startDemoBackend, stopDemoBackend } from './demo-backend';
import { findElectronBinary } from './electron-binary';
import { startBrowserHostServer } from './serve-browser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

async function isBackendUp(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/v1/health', url), { headers: { 'backstop-protocol': '1' }, signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  console.log('Building Backstop…');
  const build = spawnSync(path.join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);

  const external = flag('backend') ?? process.env.BACKSTOP_BACKEND_URL;
  const backendUrl = external ?? 'http://127.0.0.1:8787';
  const station = flag('station') ?? process.env.BACKSTOP_STATION ?? 'LHR';
  // Rehearse another day: backend and app both run their clocks from this instant.
  const now = flag('now') ?? process.env.BACKSTOP_NOW;
  const closers: (() => Promise<void>)[] = [];
  let stopping = false;

  if (!external) {
    if (await isBackendUp(backendUrl)) {
      console.log(`Using the reference backend already running at ${backendUrl}.`);
    } else {
      console.log('Starting the reference backend with demo data…');
      const { child } = await startDemoBackend({ port: 8787, station, detached: false, ...(now ? { now } : {}) });
      // Whichever backend is running when Backstop stops (this one, or one `npm run outage -- start` made) stops too.
      closers.push(async () => void (await stopDemoBackend()));
      child.on('exit', () => {
        if (!stopping) console.log('The backend stopped; the app keeps serving. `npm run outage -- start` brings the backend back.');
      });
      console.log(`Reference backend with demo data at ${backendUrl} (station ${station}), log in ${demoPaths().logFile}.`);
      console.log('Sign in as agent AG1001 / PIN 1234, or as supervisor SU9001 / PIN 9999.');
      // Never the token itself on screen: it ends up in scroll-back and logs.
      console.log(`Admin token: in ${demoPaths().tokenFile} (readable by you only).`);
      console.log('Rehearse an outage: npm run outage -- stop | start | dcs-down | dcs-up | status');
    }
  }

  // --relay: a station relay too (relay/README.md), between this machine's desks and the backend; the
  // app syncs with it first and with the backend second, so `npm run outage -- stop` shows desks
  // going on together through the relay.
  const backends = [backendUrl];
  if (process.argv.includes('--relay')) {
    const relay = await startRelay({
      upstream: backendUrl,
      station,
      // One copy per backend: a relay's data dir belongs to one central for ever.
      dataDir: path.join(demoPaths().dataDir, 'relay', new URL(backendUrl).host.replace(/[^\w.-]/g, '_')),
      port: Number(process.env.BACKSTOP_RELAY_PORT ?? RELAY_DEFAULTS.port),
      upstreamEnrolmentKey: process.env.BACKSTOP_RELAY_UPSTREAM_ENROLMENT_KEY ?? 'backstop-demo',
      random: () => randomInt(0, 1_000_000) / 1_000_000,
      logLevel: 'warn',
      ...(now ? { now: clockStartingAt(now) } : {}),
    });
    closers.push(() => relay.close());
    backends.unshift(relay.url);
    console.log(`Station relay for ${station} at ${relay.url} (its copy in ${relay.dataDir}); the app syncs with it first.`);
  }

  const shutdown = async () => {
    stopping = true;
    for (const close of closers.reverse()) await close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  const electron = findElectronBinary();
  if (electron) {
    const app = spawn(electron, [root, `--backend=${backends.join(',')}`, `--station=${station}`, ...(now ? [`--now=${now}`] : [])], {
      cwd: root,
      stdio: 'inherit',
    });
    app.on('exit', () => void shutdown());
    return;
  }
  // No workstation name unless one is asked for: each browser profile then names itself.
  const workstation = flag('workstation') ?? process.env.BACKSTOP_WORKSTATION;
  const ui = await startBrowserHostServer({
    port: Number(process.env.BACKSTOP_UI_PORT ?? 5180),
    backendUrl: backends[0]!,
    backendUrls: backends,
    station,
    ...(workstation ? { workstation } : {}),
    enrolmentKey: process.env.BACKSTOP_ENROLMENT_KEY ?? 'backstop-demo',
    ...(now ? { now } : {}),
  });
  closers.push(() => ui.close());
  console.log(`No Electron binary on this machine (npm could not download it), so Backstop runs in the browser host:`);
  console.log(`  open ${ui.url} in Chromium or Chrome.   Ctrl+C stops everything.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

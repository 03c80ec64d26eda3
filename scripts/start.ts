/**
 * `npm start`: builds the app, starts the reference backend with demo data on 127.0.0.1:8787 (unless
 * --backend points elsewhere), then opens Backstop: the Electron app where Electron is installed, or
 * the browser host where it is not (these build machines cannot download Electron).
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../server/app';
import { clockStartingAt } from '../shared/clock';
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

  if (!external) {
    if (await isBackendUp(backendUrl)) {
      console.log(`Using the reference backend already running at ${backendUrl}.`);
    } else {
      const server = await startServer({
        dataDir: path.join(root, '.data/server'),
        port: 8787,
        station,
        logLevel: 'warn',
        adminToken: process.env.BACKSTOP_ADMIN_TOKEN ?? null,
        ...(now ? { now: clockStartingAt(now) } : {}),
      });
      closers.push(() => server.close());
      const logins = server.logins.map((l) => `${l.staffId}/${l.pin} (${l.role})`).join(', ');
      console.log(`Reference backend with demo data at ${server.url} (station ${server.station}). Sign in with ${logins}.`);
      if (!server.seeded) console.log('Demo data is from an earlier start; `npm run server -- --reset` makes a fresh schedule around now.');
    }
  }

  const shutdown = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  const electron = findElectronBinary();
  if (electron) {
    const app = spawn(electron, [root, `--backend=${backendUrl}`, `--station=${station}`, ...(now ? [`--now=${now}`] : [])], {
      cwd: root,
      stdio: 'inherit',
    });
    app.on('exit', () => void shutdown());
    return;
  }
  const ui = await startBrowserHostServer({
    port: Number(process.env.BACKSTOP_UI_PORT ?? 5180),
    backendUrl,
    station,
    workstation: process.env.BACKSTOP_WORKSTATION ?? 'BROWSER-1',
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

/**
 * The browser host's web server: serves the built renderer over HTTP exactly as the Electron app://
 * handler does (same handler, same CSP and path guard), plus a config.json that tells the page
 * which backend and station to use (and the workstation name, only when one is given: otherwise
 * each browser profile names itself, see renderer/host/browser-host.ts). Used by `npm start` where
 * no Electron binary exists, by the end-to-end tests and by the benchmarks. It needs no backend:
 * it goes on serving the app while the backend is down.
 */
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ORIGIN, createAppProtocolHandler } from '../main/protocol';

export interface BrowserHostServerOptions {
  port: number;
  host?: string;
  root?: string;
  backendUrl: string;
  station: string;
  /** Pins every browser's workstation name; omitted, each browser profile gets its own. */
  workstation?: string;
  enrolmentKey: string;
  /** Run the app's clock from this instant (a rehearsal, an end-to-end test at a pinned date). */
  now?: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startBrowserHostServer(options: BrowserHostServerOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const handler = createAppProtocolHandler(options.root ?? path.join(repoRoot, 'out/renderer'), options.backendUrl);
  const config = JSON.stringify({
    version: 'browser',
    platform: 'browser',
    ...(options.workstation ? { workstation: options.workstation } : {}),
    backendUrl: options.backendUrl,
    station: options.station,
    enrolmentKey: options.enrolmentKey,
    notice: null,
    clockOffsetMs: clockOffset(options.now),
  });
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(config);
      return;
    }
    void handler(new Request(`${APP_ORIGIN}${pathname}`, { method: req.method ?? 'GET' })).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer()));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function flag(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

/** How far the app's clock runs ahead of this machine's so that it reads `now` at this moment. */
function clockOffset(now: string | undefined): number {
  if (now === undefined) return 0;
  const at = Date.parse(now);
  if (Number.isNaN(at)) throw new Error(`--now: "${now}" is not an instant (use ISO 8601, e.g. 2027-03-28T00:30:00Z)`);
  return Math.round(at - Date.now());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const pinnedNow = flag('now', process.env.BACKSTOP_NOW ?? '') || undefined;
  const workstation = flag('workstation', process.env.BACKSTOP_WORKSTATION ?? '') || undefined;
  const { url } = await startBrowserHostServer({
    port: Number(flag('port', process.env.BACKSTOP_UI_PORT ?? '5180')),
    backendUrl: flag('backend', process.env.BACKSTOP_BACKEND_URL ?? 'http://127.0.0.1:8787'),
    station: flag('station', process.env.BACKSTOP_STATION ?? 'LHR'),
    ...(workstation ? { workstation } : {}),
    enrolmentKey: flag('enrolment-key', process.env.BACKSTOP_ENROLMENT_KEY ?? 'backstop-demo'),
    ...(pinnedNow ? { now: pinnedNow } : {}),
  });
  console.log(`Backstop (browser host) at ${url}`);
}

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
import { createEnroller } from '../main/enrolment';
import { APP_ORIGIN, createAppProtocolHandler } from '../main/protocol';
import { DeviceEnrolRequest, type DeviceEnrolOutcome } from '../shared/ipc/contract';

export interface BrowserHostServerOptions {
  port: number;
  host?: string;
  root?: string;
  backendUrl: string;
  /**
   * Every backend the page may sync with, in order of preference (a station relay, then central);
   * omitted: backendUrl alone.
   */
  backendUrls?: readonly string[];
  station: string;
  /** Pins every browser's workstation name; omitted, each browser profile gets its own. */
  workstation?: string;
  /**
   * The shared demo key (a backend on loopback only) this server enrols browser profiles with, on
   * their behalf (POST /enrol): the page itself never sees it.
   */
  enrolmentKey?: string | null;
  /** A one-time enrolment code instead (one browser profile can use it). */
  enrolmentCode?: string | null;
  /** Run the app's clock from this instant (a rehearsal, an end-to-end test at a pinned date). */
  now?: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startBrowserHostServer(options: BrowserHostServerOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const backends = options.backendUrls && options.backendUrls.length > 0 ? [...options.backendUrls] : [options.backendUrl];
  const handler = createAppProtocolHandler(options.root ?? path.join(repoRoot, 'out/renderer'), backends);
  const config = JSON.stringify({
    version: 'browser',
    platform: 'browser',
    ...(options.workstation ? { workstation: options.workstation } : {}),
    backendUrl: backends[0],
    ...(backends.length > 1 ? { backendUrls: backends } : {}),
    station: options.station,
    demoEnrolment: !options.enrolmentCode && Boolean(options.enrolmentKey),
    notice: null,
    clockOffsetMs: clockOffset(options.now),
  });
  // One enroller per backend the page may sync with (a station relay knows the desk under an enrolment of its own).
  const enrollers = new Map(
    backends.map((backendUrl) => [
      backendUrl,
      createEnroller({
        backendUrl,
        enrolmentKey: options.enrolmentKey ?? null,
        enrolmentCode: options.enrolmentCode ?? null,
        userData: null,
        log: (m) => console.warn(`browser host: ${m}`),
      }),
    ]),
  );
  const enrol: Enrol = (request) => {
    const enroller = enrollers.get(request.backendUrl ?? backends[0]!);
    if (!enroller)
      return Promise.resolve({ ok: false, code: 'BACKEND_ERROR', message: 'That backend is not one this workstation is configured with.' });
    return enroller(request);
  };
  let origin = '';
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === '/enrol') {
      void answerEnrol(req, res, origin, enrol);
      return;
    }
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
  origin = `http://${host}:${port}`;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * POST /enrol from this server's own page only (same origin, JSON): the server enrols the browser
 * profile with the backend, adding the enrolment key or code, and hands back the device id and token.
 */
type Enrol = ReturnType<typeof createEnroller>;

async function answerEnrol(req: http.IncomingMessage, res: http.ServerResponse, origin: string, enrol: Enrol): Promise<void> {
  const send = (status: number, body: DeviceEnrolOutcome) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const sameOrigin = req.headers.origin === undefined || req.headers.origin === origin;
  if (req.method !== 'POST' || !sameOrigin || !String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    send(403, { ok: false, code: 'BACKEND_ERROR', message: 'Enrolment is asked by this server’s own page only.' });
    return;
  }
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 4096) break;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const request = DeviceEnrolRequest.safeParse(body);
  if (!request.success) {
    send(400, { ok: false, code: 'BACKEND_ERROR', message: 'Malformed enrolment request.' });
    return;
  }
  const outcome = await enrol(request.data);
  send(
    outcome.ok ? 200 : 502,
    outcome.ok ? { ok: true, value: outcome.value } : { ok: false, code: outcome.code, message: outcome.message },
  );
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
  // --backend=<relay>,<central>: several backends, in order of preference.
  const backends = flag('backend', process.env.BACKSTOP_BACKEND_URL ?? 'http://127.0.0.1:8787')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  const { url } = await startBrowserHostServer({
    port: Number(flag('port', process.env.BACKSTOP_UI_PORT ?? '5180')),
    backendUrl: backends[0] ?? 'http://127.0.0.1:8787',
    backendUrls: backends,
    station: flag('station', process.env.BACKSTOP_STATION ?? 'LHR'),
    ...(workstation ? { workstation } : {}),
    enrolmentKey: flag('enrolment-key', process.env.BACKSTOP_ENROLMENT_KEY ?? 'backstop-demo'),
    ...(pinnedNow ? { now: pinnedNow } : {}),
  });
  console.log(`Backstop (browser host) at ${url}`);
}

/**
 * The station relay inside the Electron app ("this workstation is the station relay"): the entry of
 * the utility process main/relay-host.ts starts, bundled on its own to out/relay/index.cjs
 * (scripts/build-relay.ts). It is `startRelay()` on node:sqlite — Electron's embedded Node has it, so
 * the package carries no native module — driven by messages from main (shared/ipc/relay-host.ts):
 * start, issue a desk's one-time enrolment code, stop. It reports where it listens, how its copy of
 * central stands, and its log lines, which main writes to the app's log.
 *
 * In Electron, main speaks to it through `process.parentPort`; run as a plain Node child process
 * (child_process.fork, as the tests do on this machine, which has no Electron) through `process.send`.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { clockStartingAt } from '../shared/clock';
import { RelayToProcess, type RelayFromProcess, type RelayProcessSettings } from '../shared/ipc/relay-host';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, RelayUpstream } from '../shared/protocol/v1';
import { startRelay, type RunningRelay } from './relay';
import { SQLITE_DRIVER_ENV } from '../server/db/driver';

// SQLite built into Electron's Node: the package holds no better-sqlite3 (a native module for Node's ABI).
process.env[SQLITE_DRIVER_ENV] = 'node:sqlite';

interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/** How often the relay's state goes to main (it shows in Settings; a change goes at once). */
const STATUS_EVERY_MS = 2_000;

const random = () => randomInt(0, 1_000_000) / 1_000_000;

function channel(): { send(message: RelayFromProcess): void; listen(listener: (message: unknown) => void): void } {
  const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return { send: (m) => parentPort.postMessage(m), listen: (l) => parentPort.on('message', (e) => l(e.data)) };
  }
  return {
    send: (m) => void process.send?.(m),
    listen: (l) => void process.on('message', l),
  };
}

const port = channel();
let relay: RunningRelay | null = null;
let settings: RelayProcessSettings | null = null;
let lastStatus = '';
let timer: NodeJS.Timeout | null = null;

const levelOf = (pinoLevel: unknown): 'error' | 'warn' | 'info' =>
  typeof pinoLevel === 'number' && pinoLevel >= 50 ? 'error' : typeof pinoLevel === 'number' && pinoLevel >= 40 ? 'warn' : 'info';

/** The relay's log lines (pino JSON) go to main, which writes them to the app's log. */
const logStream = {
  write(line: string) {
    let level: 'error' | 'warn' | 'info' = 'info';
    let message = line.trim();
    try {
      const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown; err?: { message?: unknown } };
      level = levelOf(parsed.level);
      message = [parsed.msg, parsed.err?.message].filter((p) => typeof p === 'string').join(': ') || message;
    } catch {
      // not JSON: the line as it is
    }
    port.send({ type: 'log', level, message: message.slice(0, 4000) });
  },
};

function reportStatus(force = false): void {
  if (!relay) return;
  const upstream = RelayUpstream.parse(relay.upstream());
  const text = JSON.stringify(upstream);
  if (!force && text === lastStatus) return;
  lastStatus = text;
  port.send({ type: 'status', upstream });
}

/** Settings that cannot work however often it is started again. */
function isPermanent(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'EACCES' || /holds station|another central|other station|schema/i.test(String(error));
}

async function start(s: RelayProcessSettings): Promise<void> {
  settings = s;
  try {
    relay = await startRelay({
      upstream: s.upstream,
      station: s.station,
      dataDir: s.dataDir,
      host: s.host,
      port: s.port,
      name: s.name,
      upstreamEnrolmentKey: s.upstreamEnrolmentKey,
      // Desks enrol with one-time codes only (issued from Settings): no shared key, even on loopback.
      enrolmentKey: null,
      adminToken: s.adminToken,
      tls: s.tls ? { cert: readFileSync(s.tls.cert), key: readFileSync(s.tls.key) } : null,
      staleAfterMinutes: s.staleAfterMinutes,
      random,
      logLevel: s.logLevel,
      logStream,
      version: s.version,
      ...(s.now ? { now: clockStartingAt(s.now) } : {}),
    });
  } catch (error) {
    port.send({ type: 'failed', message: error instanceof Error ? error.message : String(error), permanent: isPermanent(error) });
    process.exit(isPermanent(error) ? 2 : 1);
  }
  port.send({ type: 'started', url: relay.url, port: relay.port });
  reportStatus(true);
  timer = setInterval(() => reportStatus(), STATUS_EVERY_MS);
}

/** A one-time code through the relay's own admin route (in-process, never over the network). */
async function issueCode(requestId: number, name: string, hours: number): Promise<void> {
  if (!relay || !settings) {
    port.send({ type: 'code', requestId, issued: null, error: 'The relay is not running.' });
    return;
  }
  const response = await relay.server.app.inject({
    method: 'POST',
    url: '/v1/admin/enrolment-codes',
    headers: {
      authorization: `Bearer ${settings.adminToken}`,
      'content-type': 'application/json',
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    },
    payload: JSON.stringify({ station: settings.station, name, hours }),
  });
  if (response.statusCode !== 201) {
    port.send({ type: 'code', requestId, issued: null, error: `The relay answered ${response.statusCode}.` });
    return;
  }
  const body = response.json<{ code: string; expiresAt: string }>();
  port.send({ type: 'code', requestId, issued: { code: body.code, expiresAt: body.expiresAt }, error: null });
}

async function stop(): Promise<void> {
  if (timer) clearInterval(timer);
  await relay?.close();
  relay = null;
  port.send({ type: 'stopped' });
  // Let the message go out before the process ends.
  setTimeout(() => process.exit(0), 50);
}

port.listen((raw) => {
  const parsed = RelayToProcess.safeParse(raw);
  if (!parsed.success) {
    port.send({
      type: 'log',
      level: 'warn',
      message: `relay process: ignored a malformed message (${parsed.error.issues[0]?.message ?? ''})`,
    });
    return;
  }
  const message = parsed.data;
  if (message.type === 'start') {
    if (!relay && !settings) void start(message.settings);
  } else if (message.type === 'issue-code') {
    issueCode(message.requestId, message.name, message.hours).catch((error: unknown) =>
      port.send({ type: 'code', requestId: message.requestId, issued: null, error: String(error).slice(0, 500) }),
    );
  } else {
    stop().catch(() => process.exit(1));
  }
});

// Main going away without a word (it crashed) must not leave a relay running with nobody to stop it.
process.on('disconnect', () => void stop());

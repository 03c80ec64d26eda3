/**
 * Operating the backend, over real HTTP and the test store (SQLite, or PostgreSQL with
 * BACKSTOP_TEST_DATABASE_URL): request ids in answers and logs, readiness (the database takes a
 * write), Prometheus metrics behind a token, workstation telemetry from request headers, the fleet
 * route and its page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock';
import { PROTOCOL_HEADER } from '../../shared/protocol/v1';
import { openDatabase } from '../db/database';
import { migrateDeviceTelemetry } from '../db/telemetry';
import type { FleetReport } from '../fleet';
import {
  ADMIN_TOKEN,
  bookable,
  errorOf,
  freeSeats,
  holdWriteLock,
  openFlights,
  request,
  startTestServer,
  Synced,
  tempDir,
  TEST_NOW,
  TEST_STORE,
  Workstation,
  type TestServer,
} from '../../tests/support/server-harness';
import { FLEET_PAGE_CSP } from './fleet-page';

const METRICS_TOKEN = 'prometheus-scrape-token';
const clock = manualClock(TEST_NOW);
let server: TestServer;
const logs: string[] = [];

beforeAll(async () => {
  server = await startTestServer({
    now: clock.now,
    metricsToken: METRICS_TOKEN,
    processMetrics: false,
    logLevel: 'info',
    logStream: { write: (line) => void logs.push(line) },
  });
});
afterAll(() => server.cleanup());

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function fleet(): Promise<FleetReport> {
  const res = await request(`${server.url}/v1/admin/fleet`, 'GET', undefined, admin);
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as FleetReport;
}

async function metrics(token = METRICS_TOKEN): Promise<string> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

describe('request ids', () => {
  it('echoes a sane X-Request-Id and logs every line of the request under it', async () => {
    const ws = await Workstation.enrol(server.url, 'REQ ID');
    const res = await ws.post(
      '/v1/sync/pull',
      { clientId: ws.deviceId, station: 'LHR', cursor: null, maxChanges: 10 },
      { 'x-request-id': 'proxy-7f3a.42' },
    );
    expect(res.headers.get('x-request-id')).toBe('proxy-7f3a.42');
    const lines = logs.map((l) => JSON.parse(l) as { reqId?: string; msg?: string });
    expect(lines.filter((l) => l.reqId === 'proxy-7f3a.42').map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'pull', 'request completed']),
    );
  });

  it('makes up its own id when there is none or it is not a sane one', async () => {
    for (const given of [undefined, 'not an id; DROP TABLE', 'x'.repeat(65)]) {
      const res = await fetch(`${server.url}/v1/health`, given ? { headers: { 'x-request-id': given } } : {});
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('readiness', () => {
  it('is ready while the database takes a write, and says so to a probe without the protocol header', async () => {
    const res = await fetch(`${server.url}/v1/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'writable' } });
  });

  it('answers 503 within about a second while something else holds the write lock, and recovers', async () => {
    const lock = await holdWriteLock(server);
    let held = true;
    try {
      const started = performance.now();
      const res = await fetch(`${server.url}/v1/ready`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { status: string; checks: { database: string } };
      expect(body.status).toBe('not-ready');
      expect(body.checks.database).toContain(lock.code);
      expect(performance.now() - started).toBeLessThan(3_000);
      await lock.release();
      held = false;
      expect((await fetch(`${server.url}/v1/ready`)).status).toBe(200);
    } finally {
      if (held) await lock.release();
    }
    // The probe left the connection's own lock wait as it was.
    const health = await fetch(`${server.url}/v1/health`);
    expect(health.status).toBe(200);
  });
});

describe('metrics', () => {
  it('needs the metrics token or the admin token', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer guess-guess-guess' } })).status).toBe(401);
    await metrics(METRICS_TOKEN);
    await metrics(ADMIN_TOKEN);
  });

  it('adds the process metrics (CPU, memory, event loop) when asked to, as `npm run server` does', async () => {
    const withProcess = await startTestServer({ processMetrics: true });
    try {
      const res = await fetch(`${withProcess.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const text = await res.text();
      expect(text).toMatch(/^backstop_process_cpu_user_seconds_total /m);
      expect(text).toMatch(/^backstop_nodejs_eventloop_lag_seconds /m);
    } finally {
      await withProcess.cleanup();
    }
    expect(await metrics()).not.toContain('backstop_process_cpu');
  });

  it('is off when neither token is configured', async () => {
    const bare = await startTestServer({ adminToken: null, processMetrics: false });
    try {
      const res = await request(`${bare.url}/metrics`, 'GET', undefined, { authorization: 'Bearer anything-at-all' });
      expect(res.status).toBe(403);
      expect(errorOf(res).code).toBe('ADMIN_DISABLED');
    } finally {
      await bare.cleanup();
    }
  });

  it('counts requests by route and status, times pulls and pushes, and counts mutations by outcome', async () => {
    const synced = await Synced.enrol(server.url, 'METRICS PC');
    const flight = openFlights(synced.replica)[0]!;
    const [pax] = bookable(synced.replica, flight.id);
    const [seat] = freeSeats(synced.replica, flight);
    const answer = await synced.ws.push([synced.checkIn(pax!, seat!)]);
    expect(answer.results[0]!.status).toBe('applied');
    await synced.ws.push([synced.ws.mutation('passenger.board', { flightId: flight.id, passengerId: 'nobody', via: 'scan' })]);
    await request(`${server.url}/v1/nothing`, 'GET');
    const text = await metrics();
    expect(text).toMatch(/^backstop_http_requests_total\{method="POST",route="\/v1\/sync\/pull",status="200"\} [1-9]\d*$/m);
    expect(text).toMatch(/^backstop_http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
    expect(text).toMatch(/^backstop_sync_pull_duration_seconds_count [1-9]\d*$/m);
    expect(text).toMatch(/^backstop_sync_push_duration_seconds_bucket\{le="\+Inf"\} 2$/m);
    expect(text).toMatch(/^backstop_sync_push_mutations_total\{outcome="applied"\} 1$/m);
    expect(text).toMatch(/^backstop_sync_push_mutations_total\{outcome="rejected"\} 1$/m);
    expect(text).toMatch(/^backstop_dcs_up 1$/m);
    expect(text).toMatch(/^backstop_devices_enrolled\{station="LHR"\} [1-9]\d*$/m);
  });
});

describe('fleet', () => {
  it('lists each workstation with data age, unsent actions and version, and flags the blind ones', async () => {
    const stale = await Workstation.enrol(server.url, 'GATE A1');
    await stale.pullAll();
    clock.advance(31 * 60_000);
    const fresh = await Workstation.enrol(server.url, 'CHECK-IN 12');
    await fresh.pullAll(null);
    const page = { clientId: fresh.deviceId, station: 'LHR', cursor: null, maxChanges: 10 };
    expect((await fresh.post('/v1/sync/pull', page, { 'x-backstop-version': '1.4.0', 'x-backstop-backlog': '7' })).status).toBe(200);
    await Workstation.enrol(server.url, 'GATE B7');

    const report = await fleet();
    expect(report.staleAfterMinutes).toBe(30);
    const lhr = report.stations.find((s) => s.station === 'LHR')!;
    const byName = new Map(lhr.workstations.map((w) => [w.name, w]));
    expect(byName.get('CHECK-IN 12')).toMatchObject({
      blind: false,
      why: null,
      dataAgeMinutes: 0,
      unsent: 7,
      appVersion: '1.4.0',
      lastPullAt: clock.now().toISOString(),
    });
    expect(byName.get('GATE A1')).toMatchObject({ blind: true, why: 'stale', dataAgeMinutes: 31, unsent: null });
    expect(byName.get('GATE B7')).toMatchObject({ blind: true, why: 'never-synced', dataAgeMinutes: null, lastPullAt: null });
    // Blind first, oldest data first.
    expect(lhr.workstations[0]!.blind).toBe(true);
    expect(report.summary.unsent).toBeGreaterThanOrEqual(7);

    const text = await metrics();
    expect(text).toMatch(/^backstop_devices_unsent_actions\{station="LHR"\} 7$/m);
    expect(text).toMatch(/^backstop_devices_blind\{station="LHR"\} [1-9]\d*$/m);
    expect(text).toMatch(/^backstop_devices_data_max_age_seconds\{station="LHR"\} \+Inf$/m);
  });

  it('lists a workstation that enrolled again once, as its newest enrolment', async () => {
    clock.advance(1_000);
    const first = await Workstation.enrol(server.url, 'KIOSK 3');
    await first.pullAll();
    clock.advance(1_000);
    await Workstation.enrol(server.url, 'KIOSK 3');
    const lhr = (await fleet()).stations.find((s) => s.station === 'LHR')!;
    const kiosks = lhr.workstations.filter((w) => w.name === 'KIOSK 3');
    expect(kiosks).toHaveLength(1);
    expect(kiosks[0]!.why).toBe('never-synced');
    expect(lhr.superseded).toBeGreaterThanOrEqual(1);
  });

  it('ignores telemetry headers that do not parse, and never fails a sync over them', async () => {
    const ws = await Workstation.enrol(server.url, 'ODD HEADERS');
    const page = { clientId: ws.deviceId, station: 'LHR', cursor: null, maxChanges: 10 };
    const res = await ws.post('/v1/sync/pull', page, { 'x-backstop-version': '<script>', 'x-backstop-backlog': '-4' });
    expect(res.status).toBe(200);
    const w = (await fleet()).stations[0]!.workstations.find((x) => x.name === 'ODD HEADERS')!;
    expect(w).toMatchObject({ appVersion: null, unsent: null });
  });

  it('needs the admin token', async () => {
    expect((await request(`${server.url}/v1/admin/fleet`, 'GET')).status).toBe(401);
  });

  it('keeps telemetry across a restart', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({ dataDir, processMetrics: false });
    const ws = await Workstation.enrol(first.url, 'PERSISTENT');
    const page = { clientId: ws.deviceId, station: 'LHR', cursor: null, maxChanges: 10 };
    await ws.post('/v1/sync/pull', page, { 'x-backstop-version': '2.0.1', 'x-backstop-backlog': '3' });
    await first.close();
    const second = await startTestServer({ dataDir, processMetrics: false });
    try {
      const res = await request(`${second.url}/v1/admin/fleet`, 'GET', undefined, admin);
      const w = (JSON.parse(res.text) as FleetReport).stations[0]!.workstations.find((x) => x.name === 'PERSISTENT');
      expect(w).toMatchObject({ appVersion: '2.0.1', unsent: 3, lastSeenAt: TEST_NOW.toISOString() });
    } finally {
      await second.cleanup();
    }
  });
});

describe('fleet page', () => {
  it('is one static page with same-origin script and style only, under a strict CSP', async () => {
    const res = await fetch(`${server.url}/admin/fleet`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBe(FLEET_PAGE_CSP);
    expect(FLEET_PAGE_CSP).toContain("default-src 'none'");
    expect(FLEET_PAGE_CSP).not.toContain('unsafe');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc="\/admin\/fleet\.js")/);
    expect(html).not.toMatch(/\bstyle=|https?:\/\//);
    for (const [path, type] of [
      ['/admin/fleet.js', 'text/javascript'],
      ['/admin/fleet.css', 'text/css'],
    ] as const) {
      const asset = await fetch(`${server.url}${path}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain(type);
    }
    const js = await (await fetch(`${server.url}/admin/fleet.js`)).text();
    expect(js).not.toMatch(/innerHTML|eval\(|new Function/);
    expect(js).toContain(`'${PROTOCOL_HEADER}': '1'`);
  });
});

describe('workstation telemetry headers', () => {
  it('may be sent from the app and the browser host (CORS)', async () => {
    const res = await request(`${server.url}/v1/sync/pull`, 'OPTIONS', undefined, {
      origin: 'app://backstop',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization,x-backstop-version,x-backstop-backlog,x-request-id',
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('x-backstop-backlog');
  });

  it.skipIf(TEST_STORE !== 'sqlite')('adds its columns to a SQLite database made before them, once', () => {
    const db = openDatabase({ dataDir: tempDir() });
    try {
      const columns = () =>
        db
          .prepare<[], { name: string }>('PRAGMA table_info(device)')
          .all()
          .map((c) => c.name);
      db.prepare(
        "INSERT INTO device (id, name, station, token_hash, enrolled_at) VALUES ('d1', 'OLD PC', 'LHR', 'h', '2026-01-01T00:00:00Z')",
      ).run();
      expect(columns()).not.toContain('last_seen_at');
      migrateDeviceTelemetry(db);
      migrateDeviceTelemetry(db);
      expect(columns()).toEqual(expect.arrayContaining(['last_seen_at', 'last_pull_at', 'app_version', 'backlog', 'backlog_at']));
      expect(db.prepare('SELECT name, backlog FROM device').all()).toEqual([{ name: 'OLD PC', backlog: null }]);
    } finally {
      db.close();
    }
  });
});

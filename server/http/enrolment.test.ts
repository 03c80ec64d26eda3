/**
 * Workstation enrolment and transport hardening, over real HTTP and a real database: one-time codes,
 * the shared demo key on loopback only, lease transfer only with proof, revocation, token rotation
 * and expiry, rate limits, the admin token's length, CORS and junk mutations.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnrolResponse, TokenResponse } from '../../shared/protocol/v1';
import {
  ADMIN_TOKEN,
  errorOf,
  inspectDatabase,
  request,
  startTestServer,
  TEST_NOW,
  tempDir,
  Workstation,
  type TestServer,
} from '../../tests/support/server-harness';
import { startServer } from '../app';
import { corsOriginsFor } from './protocol';

let server: TestServer;
let now = TEST_NOW.getTime();
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(now) });
});
afterAll(() => server.cleanup());

async function issueCode(station = 'LHR', hours?: number, purpose?: 'workstation' | 'relay'): Promise<string> {
  const res = await request(
    `${server.url}/v1/admin/enrolment-codes`,
    'POST',
    { station, name: 'GATE-B12', ...(hours ? { hours } : {}), ...(purpose ? { purpose } : {}) },
    admin,
  );
  expect(res.status).toBe(201);
  return (JSON.parse(res.text) as { code: string }).code;
}

const enrol = (enrolmentKey: string, extra: object = {}) =>
  request(`${server.url}/v1/devices`, 'POST', { name: 'GATE-B12', station: 'LHR', enrolmentKey, ...extra });

describe('enrolment with one-time codes', () => {
  it('enrols once with a code an administrator issued, and never again with the same code', async () => {
    const code = await issueCode();
    expect(code).toMatch(/^ENR-[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){4}$/);
    const first = await enrol(code.toLowerCase().replace(/-/g, ' '));
    expect(first.status).toBe(201);
    expect(EnrolResponse.parse(JSON.parse(first.text)).expiresAt).toBeDefined();
    const again = await enrol(code);
    expect(again.status).toBe(403);
    expect(errorOf(again).code).toBe('ENROLMENT_REFUSED');
  });

  it('refuses a code that expired, one for another station, and one nobody issued', async () => {
    const late = await issueCode('LHR', 1);
    now += 2 * 3_600_000;
    expect((await enrol(late)).status).toBe(403);
    const elsewhere = await issueCode('MAN');
    expect((await enrol(elsewhere)).status).toBe(403);
    expect((await enrol('ENR-AAAA-BBBB-CCCC-DDDD-EEEE')).status).toBe(403);
  });

  it('enrols a station relay only with a relay code, and a desk never with one', async () => {
    const deskCode = await issueCode();
    const asRelay = await enrol(deskCode, { relay: true });
    expect(asRelay.status).toBe(403);
    expect(errorOf(asRelay).message).toMatch(/not a station relay/);
    // The refused attempt did not use the desk's code up.
    expect((await enrol(deskCode)).status).toBe(201);

    const relayCode = await issueCode('LHR', undefined, 'relay');
    const asDesk = await enrol(relayCode);
    expect(asDesk.status).toBe(403);
    expect(errorOf(asDesk).message).toMatch(/for a station relay/);
    const relay = await enrol(relayCode, { relay: true });
    expect(relay.status).toBe(201);
    const { deviceId } = EnrolResponse.parse(JSON.parse(relay.text));
    const db = await inspectDatabase(server);
    const relays = await db.all<{ device_id: string }>('SELECT device_id FROM station_relay');
    const used = await db.all<{ purpose: string; device_id: string }>(
      'SELECT purpose, device_id FROM enrolment_code WHERE device_id = ?',
      deviceId,
    );
    await db.close();
    expect(relays.map((r) => r.device_id)).toContain(deviceId);
    expect(used).toEqual([{ purpose: 'relay', device_id: deviceId }]);
    expect((await enrol(relayCode, { relay: true })).status).toBe(403);
  });

  it('refuses an enrolment-code request for an unknown purpose', async () => {
    const res = await request(`${server.url}/v1/admin/enrolment-codes`, 'POST', { station: 'LHR', purpose: 'admin' }, admin);
    expect(res.status).toBe(400);
  });

  it('keeps only the hash of a code', async () => {
    const code = await issueCode();
    const db = await inspectDatabase(server);
    const rows = await db.all<{ code_hash: string }>('SELECT code_hash FROM enrolment_code');
    await db.close();
    expect(JSON.stringify(rows)).not.toContain(code.replace(/-/g, ''));
    expect(JSON.stringify(rows)).not.toContain(code);
  });
});

describe('the shared demo key', () => {
  it('works from this machine (loopback) only', async () => {
    expect((await enrol('backstop-demo')).status).toBe(201);
    const remote = await server.app.inject({
      method: 'POST',
      url: '/v1/devices',
      remoteAddress: '10.20.30.40',
      headers: { 'backstop-protocol': '1', 'content-type': 'application/json' },
      payload: { name: 'X', station: 'LHR', enrolmentKey: 'backstop-demo' },
    });
    expect(remote.statusCode).toBe(403);
  });

  it('opens nothing when a proxy on this machine forwards it from elsewhere', async () => {
    for (const forwarded of [{ 'x-forwarded-for': '10.20.30.40' }, { forwarded: 'for=10.20.30.40' }] as Record<string, string>[]) {
      const res = await request(
        `${server.url}/v1/devices`,
        'POST',
        { name: 'X', station: 'LHR', enrolmentKey: 'backstop-demo' },
        forwarded,
      );
      expect(res.status).toBe(403);
      expect(errorOf(res).code).toBe('ENROLMENT_REFUSED');
    }
  });

  it('cannot be configured on a backend that listens beyond loopback, or behind a proxy', async () => {
    await expect(
      startServer({ dataDir: tempDir(), host: '0.0.0.0', port: 0, enrolmentKey: 'backstop-demo', logLevel: 'silent' }),
    ).rejects.toThrow(/one machine/);
    await expect(
      startServer({ dataDir: tempDir(), port: 0, trustProxy: 'loopback', enrolmentKey: 'backstop-demo', logLevel: 'silent' }),
    ).rejects.toThrow(/not behind a proxy/);
  });

  it('is off by default behind a proxy, even on loopback', async () => {
    const proxied = await startServer({
      dataDir: tempDir(),
      port: 0,
      trustProxy: 'loopback',
      logLevel: 'silent',
      flights: 2,
      pbkdf2Iterations: 10_000,
    });
    try {
      expect(proxied.enrolment).toMatch(/one-time codes only/);
      const res = await request(`${proxied.url}/v1/devices`, 'POST', { name: 'X', station: 'LHR', enrolmentKey: 'backstop-demo' });
      expect(res.status).toBe(403);
    } finally {
      await proxied.close();
    }
  });
});

describe('leases of an earlier enrolment', () => {
  async function withLease(): Promise<Workstation> {
    const ws = await Workstation.enrol(server.url, 'DESK-L');
    await ws.pull(null);
    return ws;
  }
  const leasesOf = async (deviceId: string) => {
    const db = await inspectDatabase(server);
    const rows = await db.all<{ n: number }>('SELECT count(*) AS n FROM lease WHERE device_id = ?', deviceId);
    await db.close();
    return Number(rows[0]?.n ?? 0);
  };

  it('move to the new enrolment only with a token of the old one', async () => {
    const old = await withLease();
    const held = await leasesOf(old.deviceId);
    expect(held).toBeGreaterThan(0);
    const thief = EnrolResponse.parse(JSON.parse((await enrol('backstop-demo', { previousDeviceId: old.deviceId })).text));
    expect(await leasesOf(thief.deviceId)).toBe(0);
    const forged = await enrol('backstop-demo', { previous: { deviceId: old.deviceId, token: 'x'.repeat(43) } });
    expect(await leasesOf(EnrolResponse.parse(JSON.parse(forged.text)).deviceId)).toBe(0);
    expect(await leasesOf(old.deviceId)).toBe(held);
    const heir = EnrolResponse.parse(
      JSON.parse((await enrol('backstop-demo', { previous: { deviceId: old.deviceId, token: old.token } })).text),
    );
    expect(await leasesOf(heir.deviceId)).toBe(held);
  });

  it('never move from a revoked workstation, and its token stops working at once', async () => {
    const old = await withLease();
    const revoke = await request(`${server.url}/v1/admin/devices/${old.deviceId}/revoke`, 'POST', { reason: 'laptop stolen' }, admin);
    expect(revoke.status).toBe(200);
    const pull = await old.post('/v1/sync/pull', { clientId: old.deviceId, station: 'LHR', cursor: null });
    expect(pull.status).toBe(401);
    const heir = EnrolResponse.parse(
      JSON.parse((await enrol('backstop-demo', { previous: { deviceId: old.deviceId, token: old.token } })).text),
    );
    expect(await leasesOf(heir.deviceId)).toBe(0);
  });

  it('can be moved by an administrator', async () => {
    const old = await withLease();
    const fresh = await Workstation.enrol(server.url, 'DESK-NEW');
    const res = await request(`${server.url}/v1/admin/devices/${old.deviceId}/leases`, 'POST', { to: fresh.deviceId }, admin);
    expect(res.status).toBe(200);
    expect(await leasesOf(fresh.deviceId)).toBeGreaterThan(0);
  });
});

describe('device tokens', () => {
  it('rotate: the new token works, the old one only for the grace hour', async () => {
    const ws = await Workstation.enrol(server.url, 'DESK-R');
    const res = await ws.post('/v1/devices/token', {});
    expect(res.status).toBe(200);
    const { token } = TokenResponse.parse(JSON.parse(res.text));
    const pullWith = (t: string) =>
      request(
        `${server.url}/v1/sync/pull`,
        'POST',
        { clientId: ws.deviceId, station: 'LHR', cursor: null },
        { authorization: `Bearer ${t}` },
      );
    expect((await pullWith(token)).status).toBe(200);
    expect((await pullWith(ws.token)).status).toBe(200);
    now += 61 * 60_000;
    expect((await pullWith(ws.token)).status).toBe(401);
    expect((await pullWith(token)).status).toBe(200);
  });

  it('run out 30 days after they were issued unless rotated', async () => {
    const ws = await Workstation.enrol(server.url, 'DESK-X');
    now += 31 * 86_400_000;
    const pull = await ws.post('/v1/sync/pull', { clientId: ws.deviceId, station: 'LHR', cursor: null });
    expect(pull.status).toBe(401);
    expect(errorOf(pull).code).toBe('UNAUTHORIZED');
  });
});

describe('junk from a token holder', () => {
  it('is refused and kept truncated: a megabyte of arguments costs the database 2 KiB', async () => {
    const ws = await Workstation.enrol(server.url, 'DESK-J');
    const junk = { flightId: 'nope', filler: 'x'.repeat(1_000_000) };
    const res = await ws.post('/v1/sync/push', {
      clientId: ws.deviceId,
      mutations: [
        {
          id: crypto.randomUUID(),
          seq: 1,
          type: 'passenger.board',
          args: junk,
          at: TEST_NOW.toISOString(),
          staffId: 'AG1001',
          extra: 'y'.repeat(500_000),
        },
      ],
    });
    expect(res.status).toBe(200);
    expect((JSON.parse(res.text) as { results: unknown[] }).results[0]).toMatchObject({ status: 'rejected' });
    const db = await inspectDatabase(server);
    const [row] = await db.all<{ n: number }>('SELECT length(mutation) AS n FROM mutation_log WHERE device_id = ?', ws.deviceId);
    await db.close();
    expect(Number(row?.n)).toBeLessThanOrEqual(2048);
  });
});

describe('rate limits', () => {
  it('answer 429 RATE_LIMITED to an address that keeps trying enrolment codes', async () => {
    const limited = await startTestServer({ rateLimits: { enrolPerMinute: 3 } });
    try {
      const tries = [];
      for (let i = 0; i < 5; i++)
        tries.push(await request(`${limited.url}/v1/devices`, 'POST', { name: 'X', station: 'LHR', enrolmentKey: `ENR-GUESS-${i}` }));
      expect(tries.slice(0, 3).map((r) => r.status)).toEqual([403, 403, 403]);
      expect(tries[3]!.status).toBe(429);
      expect(errorOf(tries[3]!).code).toBe('RATE_LIMITED');
      expect(tries[3]!.headers.get('retry-after')).not.toBeNull();
    } finally {
      await limited.cleanup();
    }
  });

  it('limit pushes per workstation', async () => {
    const limited = await startTestServer({ rateLimits: { pushPerMinute: 2 } });
    try {
      const ws = await Workstation.enrol(limited.url);
      const push = () => ws.post('/v1/sync/push', { clientId: ws.deviceId, mutations: [] });
      const statuses = [(await push()).status, (await push()).status, (await push()).status];
      expect(statuses[2]).toBe(429);
    } finally {
      await limited.cleanup();
    }
  });
});

describe('backend configuration', () => {
  it('refuses an admin token shorter than 32 characters', async () => {
    await expect(startServer({ dataDir: tempDir(), port: 0, adminToken: 'short-admin', logLevel: 'silent' })).rejects.toThrow(/32/);
  });

  it('allows the browser host on loopback only to a backend that itself listens on loopback', () => {
    const loopback = corsOriginsFor('127.0.0.1', []);
    const station = corsOriginsFor('0.0.0.0', ['https://desks.lhr.airline.example']);
    const allows = (list: (string | RegExp)[], origin: string) => list.some((o) => (typeof o === 'string' ? o === origin : o.test(origin)));
    expect(allows(loopback, 'http://127.0.0.1:5180')).toBe(true);
    expect(allows(station, 'http://127.0.0.1:5180')).toBe(false);
    expect(allows(station, 'https://desks.lhr.airline.example')).toBe(true);
    expect(allows(station, 'app://backstop')).toBe(true);
    expect(allows(station, 'https://evil.example')).toBe(false);
  });

  it('answers a preflight only for configured origins', async () => {
    const preflight = (origin: string) =>
      request(`${server.url}/v1/sync/pull`, 'OPTIONS', undefined, { origin, 'access-control-request-method': 'POST' });
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('app://backstop')).headers.get('access-control-allow-origin')).toBe('app://backstop');
  });

  it('serves HTTPS from a configured certificate', async () => {
    const dir = tempDir('backstop-tls-');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
    const tls = await startTestServer({ tls: { cert, key: fs.readFileSync(path.join(dir, 'key.pem')) } });
    try {
      expect(tls.url).toMatch(/^https:\/\//);
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`${tls.url}/v1/health`, { ca: cert }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(JSON.parse(body)).toMatchObject({ status: 'ok' });
    } finally {
      await tls.cleanup();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayName } from '../../shared/domain/rules';
import { HealthResponse, PROTOCOL_HEADER, PROTOCOL_VERSION, PushResponse } from '../../shared/protocol/v1';
import { Replica, Workstation, errorOf, request, startTestServer, type TestServer } from '../../tests/support/server-harness';

let server: TestServer;
let ws: Workstation;
const logs: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'info', logStream: { write: (line) => void logs.push(line) } });
  ws = await Workstation.enrol(server.url);
});
afterAll(() => server.cleanup());

describe('health', () => {
  it('reports status, server time and the DCS', async () => {
    const res = await request(`${server.url}/v1/health`, 'GET');
    expect(res.status).toBe(200);
    expect(HealthResponse.parse(JSON.parse(res.text))).toEqual({
      protocol: 1,
      status: 'ok',
      serverTime: '2026-11-26T10:00:00.000Z',
      dcs: 'up',
    });
  });

  it('answers a monitor or curl that sends no protocol header, naming the protocol it speaks', async () => {
    const res = await fetch(`${server.url}/v1/health`);
    expect(res.status).toBe(200);
    expect(HealthResponse.parse(await res.json()).protocol).toBe(PROTOCOL_VERSION);
  });

  it('answers a client of another protocol version too: the body tells it what this backend speaks', async () => {
    const res = await request(`${server.url}/v1/health`, 'GET', undefined, { [PROTOCOL_HEADER]: '2' });
    expect(res.status).toBe(200);
    expect(HealthResponse.parse(JSON.parse(res.text)).protocol).toBe(1);
  });
});

describe('protocol version', () => {
  it('answers 426 naming the supported version when the client speaks another one', async () => {
    const res = await request(
      `${server.url}/v1/sync/pull`,
      'POST',
      { clientId: ws.deviceId, station: 'LHR', cursor: null },
      { [PROTOCOL_HEADER]: '2', authorization: `Bearer ${ws.token}` },
    );
    expect(res.status).toBe(426);
    const error = errorOf(res);
    expect(error.code).toBe('PROTOCOL_MISMATCH');
    expect(error.message).toContain('protocol 1');
  });

  it('answers 426 when the header is missing', async () => {
    const res = await fetch(`${server.url}/v1/sync/pull`, { method: 'POST' });
    expect(res.status).toBe(426);
  });
});

describe('enrolment', () => {
  it('refuses a wrong enrolment key', async () => {
    const res = await request(`${server.url}/v1/devices`, 'POST', { name: 'PC', station: 'LHR', enrolmentKey: 'guess' });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('ENROLMENT_REFUSED');
  });

  it('refuses a station this server does not serve', async () => {
    const res = await request(`${server.url}/v1/devices`, 'POST', { name: 'PC', station: 'CDG', enrolmentKey: 'backstop-demo' });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'UNKNOWN_STATION', field: 'station' });
  });

  it('gives each workstation its own token', async () => {
    const other = await Workstation.enrol(server.url, 'GATE A10');
    expect(other.deviceId).not.toBe(ws.deviceId);
    expect(other.token).not.toBe(ws.token);
  });
});

describe('authentication', () => {
  const pullBody = () => ({ clientId: ws.deviceId, station: 'LHR', cursor: null });

  it('answers 401 without a token', async () => {
    const res = await request(`${server.url}/v1/sync/pull`, 'POST', pullBody());
    expect(res.status).toBe(401);
    expect(errorOf(res).code).toBe('UNAUTHORIZED');
  });

  it('answers 401 with a wrong token', async () => {
    const res = await request(
      `${server.url}/v1/sync/push`,
      'POST',
      { clientId: ws.deviceId, mutations: [] },
      { authorization: 'Bearer nope' },
    );
    expect(res.status).toBe(401);
  });

  it('answers 403 when the token belongs to another workstation', async () => {
    const other = await Workstation.enrol(server.url, 'OTHER');
    const res = await other.post('/v1/sync/pull', pullBody());
    expect(res.status).toBe(403);
    expect(errorOf(res)).toMatchObject({ code: 'CLIENT_MISMATCH', field: 'clientId' });
  });

  it('answers 403 for another station than the one enrolled for', async () => {
    const res = await ws.post('/v1/sync/pull', { ...pullBody(), station: 'CDG' });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('STATION_MISMATCH');
  });
});

describe('malformed requests', () => {
  const checkIn = (seat: unknown) => ({
    id: '6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f',
    seq: 1,
    at: '2026-11-26T10:00:00.000Z',
    staffId: 'AG1001',
    type: 'passenger.checkIn',
    args: {
      flightId: 'F',
      passengerId: 'P',
      seat,
      seqNo: 1,
      infantSeqNo: null,
      bags: { count: 0, weightKg: 0 },
      docsChecked: true,
      standby: false,
    },
  });

  it('answers 400 naming the field when a mutation envelope is malformed', async () => {
    const res = await ws.post('/v1/sync/push', { clientId: ws.deviceId, mutations: [{ ...checkIn('1A'), seq: -3 }] });
    expect(res.status).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'BAD_REQUEST', field: 'mutations.0.seq' });
  });

  it('refuses one unreadable mutation on its own, naming the field, and moves the queue on', async () => {
    const other = await Workstation.enrol(server.url, 'UNREADABLE');
    const bad = { ...checkIn('14Z'), id: '0b1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e51', seq: 1 };
    const unknown = { ...checkIn('1A'), id: '0b1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e52', seq: 2, type: 'passenger.teleport' };
    const fine = {
      ...checkIn('1A'),
      id: '0b1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e53',
      seq: 3,
      type: 'passenger.noShow',
      args: { flightId: 'F', passengerId: 'P' },
    };
    const res = await other.post('/v1/sync/push', { clientId: other.deviceId, mutations: [bad, unknown, fine] });
    expect(res.status).toBe(200);
    const body = PushResponse.parse(JSON.parse(res.text));
    expect(body.results[0]).toMatchObject({ status: 'rejected', code: 'INVALID_ARGUMENTS' });
    expect(body.results[0]!.status === 'rejected' && body.results[0]!.message).toContain('args.seat');
    expect(body.results[1]).toMatchObject({ status: 'rejected', code: 'INVALID_ARGUMENTS' });
    // The third was read and decided on its merits (no such flight), not blocked by the two before it.
    expect(body.results[2]).toMatchObject({ status: 'rejected', code: 'FLIGHT_NOT_FOUND' });
    expect(body.lastSeq).toBe(3);
  });

  it('names a missing field of a pull', async () => {
    const res = await ws.post('/v1/sync/pull', { clientId: ws.deviceId, cursor: null });
    expect(res.status).toBe(400);
    expect(errorOf(res).field).toBe('station');
  });

  it('answers 400 to a body that is not JSON', async () => {
    const res = await ws.post('/v1/sync/pull', '{"clientId": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(errorOf(res).code).toBe('BAD_REQUEST');
  });

  it('answers 400 to a missing body', async () => {
    const res = await request(`${server.url}/v1/sync/pull`, 'POST', undefined, { authorization: `Bearer ${ws.token}` });
    expect(res.status).toBe(400);
  });

  it('answers 400 naming the cursor when it is not one the server issued', async () => {
    const res = await ws.post('/v1/sync/pull', { clientId: ws.deviceId, station: 'LHR', cursor: 'not-a-cursor' });
    expect(res.status).toBe(400);
    expect(errorOf(res).field).toBe('cursor');
  });

  it('answers 413 to a push body over the size limit', async () => {
    const huge = { clientId: ws.deviceId, mutations: [checkIn('1A')], padding: 'x'.repeat(2.5 * 1024 * 1024) };
    const res = await ws.post('/v1/sync/push', huge);
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 404 as an ErrorBody', async () => {
    const res = await request(`${server.url}/v1/nothing`, 'GET');
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('NOT_FOUND');
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    request(`${server.url}/v1/sync/pull`, 'OPTIONS', undefined, {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': `content-type,authorization,${PROTOCOL_HEADER}`,
    });

  it('lets the app and the browser host on loopback call with the protocol and authorization headers', async () => {
    for (const origin of ['app://backstop', 'http://127.0.0.1:5173', 'http://localhost:4173']) {
      const res = await preflight(origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-headers')).toContain(PROTOCOL_HEADER);
      expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    }
  });

  it('does not let other web origins call', async () => {
    const res = await preflight('https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('logs', () => {
  it('carry ids, counts and codes but never passenger names', async () => {
    const { changes } = await ws.pullAll();
    const replica = new Replica().apply(changes);
    const flight = replica.flights().find((f) => f.status === 'scheduled' && replica.passengers(f.id).some((p) => p.status === 'booked'));
    if (!flight) throw new Error('no open flight');
    const pax = replica.passengers(flight.id).filter((p) => p.status === 'booked' && p.paxType !== 'INF');
    // Board passengers twice: the second boardings are duplicates whose messages name them.
    const boardAll = () =>
      pax.slice(0, 5).map((p) => ws.mutation('passenger.board', { flightId: flight.id, passengerId: p.id, via: 'scan' }));
    await ws.push(boardAll());
    await ws.push(boardAll());
    const text = logs.join('');
    expect(text).toContain('"msg":"push"');
    expect(text).toContain('ALREADY_BOARDED');
    for (const p of replica.passengers()) {
      expect(text).not.toContain(displayName(p));
      expect(text).not.toContain(`"${p.lastName}"`);
    }
    expect(text).not.toContain(ws.token);
  });
});

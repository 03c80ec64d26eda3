/**
 * Who did what, provably, over real HTTP and a real database: online PIN checks with a persistent
 * lockout, sign-ins as synced actions, actions tied to them, supervisor-only decisions held when
 * the backend cannot check who took them, facts never refused for identity doubts, client clocks
 * bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flight } from '../../shared/domain/schemas';
import { StaffSession, STAFF_SESSION_HEADER, type MutationResult } from '../../shared/protocol/v1';
import {
  bookable,
  errorOf,
  freeSeats,
  inspectDatabase,
  openFlights,
  request,
  startTestServer,
  Synced,
  tempDir,
  TEST_NOW,
  type TestServer,
} from '../../tests/support/server-harness';
import { DEMO_AGENT_PIN, DEMO_SUPERVISOR_PIN } from '../demo/staff';
import { StaffIdentity } from './staff-identity';

let server: TestServer;
let desk: Synced;
let flights: Flight[];
const dataDir = tempDir();

beforeAll(async () => {
  server = await startTestServer({ dataDir, pbkdf2Iterations: 10_000 });
  desk = await Synced.enrol(server.url, 'DESK-ID');
  flights = openFlights(desk.replica).filter((f) => bookable(desk.replica, f.id).length >= 6);
});
afterAll(() => server.cleanup());

async function push(s: Synced, ...mutations: Parameters<Synced['ws']['push']>[0]): Promise<MutationResult[]> {
  const res = await s.ws.push(mutations);
  await s.sync();
  return res.results;
}

async function closedFlight(s: Synced, index: number): Promise<Flight> {
  const f = flights[index]!;
  const [p] = bookable(s.replica, f.id);
  const [seat] = freeSeats(s.replica, f);
  const [accepted, closed] = await push(s, s.checkIn(p!, seat!), s.ws.mutation('flight.close', { flightId: f.id }));
  expect([accepted?.status, closed?.status]).toEqual(['applied', 'applied']);
  return f;
}

describe('online sign-in', () => {
  it('checks the PIN on the backend and issues a short-lived session bound to this workstation', async () => {
    const res = await desk.ws.staffSession('AG1001', DEMO_AGENT_PIN);
    expect(res.status).toBe(201);
    const session = StaffSession.parse(JSON.parse(res.text));
    expect(session.staff).toMatchObject({ id: 'AG1001', role: 'agent' });
    expect(Date.parse(session.expiresAt) - Date.parse(session.issuedAt)).toBeLessThanOrEqual(4 * 3_600_000);
    const wrong = await desk.ws.staffSession('AG1001', '000111');
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong).code).toBe('SIGN_IN_REFUSED');
    const other = await Synced.enrol(server.url, 'DESK-OTHER');
    const asker = (s: Synced) => ({ authorization: `Bearer ${s.ws.token}`, [STAFF_SESSION_HEADER]: session.token });
    expect((await request(`${server.url}/v1/staff/session`, 'GET', undefined, asker(desk))).status).toBe(200);
    expect((await request(`${server.url}/v1/staff/session`, 'GET', undefined, asker(other))).status).toBe(401);
  });

  it('locks after five wrong PINs, and the lock survives a restart of the backend', async () => {
    const s = await Synced.enrol(server.url, 'DESK-LOCK');
    for (let i = 0; i < 5; i++) expect((await s.ws.staffSession('AG1003', `99${i}871`)).status).toBe(401);
    const locked = await s.ws.staffSession('AG1003', DEMO_AGENT_PIN);
    expect(locked.status).toBe(429);
    expect(errorOf(locked).code).toBe('SIGN_IN_LOCKED');
    await server.close();
    server = await startTestServer({ dataDir, pbkdf2Iterations: 10_000 });
    desk.ws.url = server.url;
    s.ws.url = server.url;
    expect((await s.ws.staffSession('AG1003', DEMO_AGENT_PIN)).status).toBe(429);
  });

  it('checks a PIN for an unknown staff ID exactly as for a known one (one PBKDF2 run)', async () => {
    const runs: string[] = [];
    const identity = new StaffIdentity(
      { get: async () => null, sql: { all: async () => [], run: async () => 1 } } as never,
      () => TEST_NOW,
      async (_pin, credential) => {
        runs.push(credential.salt);
        return false;
      },
    );
    const answer = await identity.signIn({ id: 'd', name: 'x', station: 'LHR', lastSeq: 0 }, 'NOBODY1', '135790');
    expect(answer).toEqual({ ok: false, code: 'SIGN_IN_REFUSED' });
    expect(runs).toHaveLength(1);
  });
});

describe('actions tied to sign-ins', () => {
  it('holds a reopen sent as a supervisor with nothing but the workstation token; a supervisor online confirms it', async () => {
    const s = await Synced.enrol(server.url, 'DESK-HOLD');
    const f = await closedFlight(s, 0);
    const [reopen] = await push(s, s.ws.mutation('flight.reopen', { flightId: f.id, reason: 'Late connecting passengers' }, 'SU9001'));
    expect(reopen).toMatchObject({ status: 'rejected', code: 'SUPERVISOR_ONLY', held: true });
    expect(s.replica.of<Flight>('flight').find((x) => x.id === f.id)?.status).toBe('closed');
    // An agent's session cannot confirm it; a supervisor's can.
    const agent = StaffSession.parse(JSON.parse((await s.ws.staffSession('AG1002', DEMO_AGENT_PIN)).text));
    const refused = await s.ws.post(`/v1/staff/held/${reopen!.id}/confirm`, {}, { [STAFF_SESSION_HEADER]: agent.token });
    expect(refused.status).toBe(403);
    const supervisor = StaffSession.parse(JSON.parse((await s.ws.staffSession('SU9001', DEMO_SUPERVISOR_PIN)).text));
    const list = await request(`${server.url}/v1/staff/held`, 'GET', undefined, { authorization: `Bearer ${s.ws.token}` });
    const held = JSON.parse(list.text) as { held: { mutationId: string }[] };
    expect(held.held.map((h) => h.mutationId)).toContain(reopen!.id);
    const confirmed = await s.ws.post(`/v1/staff/held/${reopen!.id}/confirm`, {}, { [STAFF_SESSION_HEADER]: supervisor.token });
    expect(confirmed.status).toBe(200);
    await s.sync();
    expect(s.replica.of<Flight>('flight').find((x) => x.id === f.id)?.status).toBe('scheduled');
  });

  it('applies a reopen by a supervisor signed in online, and holds one signed in offline', async () => {
    const online = await Synced.enrol(server.url, 'DESK-ON');
    const f1 = await closedFlight(online, 1);
    const [signedIn, reopened] = await push(
      online,
      await online.ws.signIn('SU9001', { pin: DEMO_SUPERVISOR_PIN }),
      online.ws.mutation('flight.reopen', { flightId: f1.id, reason: 'Late connecting passengers' }, 'SU9001'),
    );
    expect(signedIn).toMatchObject({ status: 'applied' });
    expect(signedIn).not.toHaveProperty('identity');
    expect(reopened).toMatchObject({ status: 'applied' });
    expect(reopened).not.toHaveProperty('identity');

    const offline = await Synced.enrol(server.url, 'DESK-OFF');
    const f2 = await closedFlight(offline, 2);
    const [, held] = await push(
      offline,
      await offline.ws.signIn('SU9002', 'offline'),
      offline.ws.mutation('flight.reopen', { flightId: f2.id, reason: 'Late connecting passengers' }, 'SU9002'),
    );
    expect(held).toMatchObject({ status: 'rejected', code: 'SUPERVISOR_ONLY', held: true });
  });

  it('records a boarding it cannot tie to a sign-in, and flags it for a person instead of refusing it', async () => {
    const s = await Synced.enrol(server.url, 'DESK-FLAG');
    const f = flights[3]!;
    const [p] = bookable(s.replica, f.id);
    const [seat] = freeSeats(s.replica, f);
    const signIn = await s.ws.signIn('AG1001', { pin: DEMO_AGENT_PIN });
    const accepted = s.checkIn(p!, seat!);
    // Boarded "as" AG1004, who never signed in here.
    const boarded = s.ws.mutation('passenger.board', { flightId: f.id, passengerId: p!.id, via: 'manual' }, 'AG1004');
    const [, a, b] = await push(s, signIn, accepted, boarded);
    expect(a).toMatchObject({ status: 'applied' });
    expect(a).not.toHaveProperty('identity');
    expect(b).toMatchObject({ status: 'applied', identity: ['UNTIED'] });
    expect(s.replica.passenger(p!.id).status).toBe('boarded');
    const db = await inspectDatabase(server);
    const rows = await db.all<{ codes: string }>('SELECT codes FROM identity_flag WHERE mutation_id = ?', boarded.id);
    await db.close();
    expect(JSON.parse(rows[0]!.codes)).toEqual(['UNTIED']);
  });

  it('records facts by staff no longer on the roster, flagged', async () => {
    const s = await Synced.enrol(server.url, 'DESK-ROSTER');
    const f = flights[3]!;
    const [, p] = bookable(s.replica, f.id);
    const [, seat] = freeSeats(s.replica, f);
    const [accepted] = await push(s, await s.ws.signIn('AG1001', 'offline'), s.checkIn(p!, seat!, {}, 'AG1099'));
    expect(accepted).toBeDefined();
    const results = await push(s, s.checkIn(bookable(s.replica, f.id)[0]!, freeSeats(s.replica, f)[0]!, {}, 'AG1099'));
    expect(results[0]).toMatchObject({ status: 'applied' });
    expect((results[0] as { identity?: string[] }).identity).toEqual(expect.arrayContaining(['NOT_ROSTERED', 'UNTIED']));
  });

  it('records a close dated 1999 at the backend’s time, flagged, not at the date it claims', async () => {
    const s = await Synced.enrol(server.url, 'DESK-CLOCK');
    const f = flights[4]!;
    const [, close] = await push(
      s,
      await s.ws.signIn('AG1001', { pin: DEMO_AGENT_PIN }),
      s.ws.mutation('flight.close', { flightId: f.id }, 'AG1001', '1999-12-31T23:59:00.000Z'),
    );
    expect(close).toMatchObject({ status: 'applied', identity: ['CLOCK_OUT_OF_WINDOW'] });
    const stored = s.replica.of<Flight>('flight').find((x) => x.id === f.id);
    expect(stored?.closedAt).toBe(TEST_NOW.toISOString());
  });

  it('does not verify a sign-in that names another workstation’s session', async () => {
    const a = await Synced.enrol(server.url, 'DESK-A1');
    const b = await Synced.enrol(server.url, 'DESK-B1');
    const session = StaffSession.parse(JSON.parse((await a.ws.staffSession('AG1002', DEMO_AGENT_PIN)).text));
    const forged = b.ws.mutation('staff.signIn', { flightId: null, method: 'online', session: session.token }, 'AG1002');
    const [answer] = await push(b, forged);
    expect(answer).toMatchObject({ status: 'applied', identity: ['SESSION_UNKNOWN'] });
  });
});

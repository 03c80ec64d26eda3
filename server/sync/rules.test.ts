/**
 * The domain rules over HTTP as a workstation meets them: facts are recorded (and flagged when a claim
 * clashed), and only input that is invalid in itself is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdsSeat } from '../../shared/domain/rules';
import type { Flight, Passenger, SeatMap } from '../../shared/domain/schemas';
import { seatsOf } from '../../shared/domain/seatmap';
import type { MutationResult } from '../../shared/protocol/v1';
import { DEMO_SUPERVISOR_PIN } from '../demo/staff';
import { Synced, bookable, freeSeats, openFlights, startTestServer, type TestServer } from '../../tests/support/server-harness';

let server: TestServer;
let s: Synced;
let flights: Flight[];

beforeAll(async () => {
  server = await startTestServer();
  s = await Synced.enrol(server.url);
  flights = openFlights(s.replica).filter((f) => bookable(s.replica, f.id).length >= 12);
  if (flights.length < 3) throw new Error('the test data needs three open flights');
});
afterAll(() => server.cleanup());

/** Hands out passengers and seats of a flight that no other test uses. */
const used = new Set<string>();
function fresh(flight: Flight, n = 1): { pax: Passenger[]; seats: string[] } {
  const pax = bookable(s.replica, flight.id)
    .filter((p) => !used.has(p.id))
    .slice(0, n);
  const seats = freeSeats(s.replica, flight)
    .filter((x) => !used.has(`${flight.id}/${x}`))
    .slice(0, n);
  for (const p of pax) used.add(p.id);
  for (const x of seats) used.add(`${flight.id}/${x}`);
  return { pax, seats };
}

async function push(...mutations: Parameters<typeof s.ws.push>[0]): Promise<MutationResult[]> {
  const res = await s.ws.push(mutations);
  await s.sync();
  return res.results;
}

/** The flags an applied result names (none for any other result). */
const flagsOf = (r: MutationResult | undefined): string[] => (r?.status === 'applied' ? (r.flags ?? []) : []);

const board = (p: Passenger, staffId = 'AG1001') =>
  s.ws.mutation('passenger.board', { flightId: p.flightId, passengerId: p.id, via: 'scan' }, staffId);

describe('domain rules over HTTP', () => {
  it('boards a passenger once; boarding again is a duplicate', async () => {
    const f = flights[0] as Flight;
    const {
      pax: [p],
      seats: [seat],
    } = fresh(f);
    if (!p || !seat) throw new Error('no passenger');
    expect(await push(s.checkIn(p, seat), board(p))).toMatchObject([{ status: 'applied' }, { status: 'applied' }]);
    const [again] = await push(board(p, 'AG1002'));
    expect(again).toMatchObject({ status: 'duplicate', code: 'ALREADY_BOARDED' });
  });

  it('records both check-ins when a seat is given twice: the earlier claim keeps it, the other is flagged with a free seat', async () => {
    const f = flights[0] as Flight;
    const {
      pax: [a, b],
      seats: [seat],
    } = fresh(f, 2);
    if (!a || !b || !seat) throw new Error('no passengers');
    const [first, second] = await push(s.checkIn(a, seat), s.checkIn(b, seat));
    expect(first).toMatchObject({ status: 'applied' });
    expect(first).not.toHaveProperty('flags');
    expect(second).toMatchObject({ status: 'applied', flags: ['RESEAT', 'REPRINT'] });
    if (second?.status !== 'applied') return;
    expect(second.server?.passengers.map((p) => [p.id, p.seat, p.status]).sort()).toEqual([[b.id, null, 'checked-in']]);
    expect(s.replica.passenger(a.id)).toMatchObject({ status: 'checked-in', seat });
    const lost = s.replica.passenger(b.id);
    expect(lost).toMatchObject({ status: 'checked-in', seat: null });
    expect(lost.flags?.[0]).toMatchObject({ code: 'RESEAT', lostSeat: seat });
    expect(lost.flags?.[0]?.code === 'RESEAT' && lost.flags[0].suggested).toMatch(/^\d+[A-K]$/);
  });

  it('puts a passenger back on board when another gate boards them after an offload', async () => {
    const f = flights[0] as Flight;
    const {
      pax: [p],
      seats: [seat],
    } = fresh(f);
    if (!p || !seat) throw new Error('no passenger');
    // Built in order: each mutation takes the workstation's next seq.
    const checkIn = s.checkIn(p, seat);
    const offload = s.ws.mutation('passenger.offload', { flightId: f.id, passengerId: p.id, reason: 'Unruly at the gate' });
    const [, , boarded] = await push(checkIn, offload, board(p));
    expect(boarded).toMatchObject({ status: 'applied' });
    expect(s.replica.passenger(p.id)).toMatchObject({ status: 'boarded' });
  });

  it('counts a passenger boarded by a gate that never saw their check-in, and flags the missing record', async () => {
    const {
      pax: [p],
    } = fresh(flights[0] as Flight);
    if (!p) throw new Error('no passenger');
    const [res] = await push(board(p));
    expect(flagsOf(res)).toContain('NO_CHECK_IN_RECORD');
    expect(s.replica.passenger(p.id).status).toBe('boarded');
    expect(s.replica.passenger(p.id).flags?.map((f) => f.code)).toContain('NO_CHECK_IN_RECORD');
  });

  it('records an acceptance or boarding without a vetting clearance, and flags it for a supervisor', async () => {
    const open = new Set(openFlights(s.replica).map((f) => f.id));
    const everyone = s.replica.passengers().filter((p) => open.has(p.flightId));
    const lateHit = everyone.find((p) => p.status === 'checked-in' && p.vetting === 'inhibited');
    const pending = everyone.find((p) => p.status === 'booked' && p.vetting === 'pending' && p.infantId === null);
    if (!lateHit || !pending) throw new Error('the demo data should have both cases on open flights');
    const seat = freeSeats(s.replica, flights.find((f) => f.id === pending.flightId) ?? (flights[0] as Flight), pending.cabin)[0] ?? null;
    const [boarded, accepted] = await push(board(lateHit), s.checkIn(pending, seat));
    expect(boarded).toMatchObject({ status: 'applied' });
    expect(flagsOf(accepted)).toContain('VETTING_REVIEW');
    expect(s.replica.passenger(pending.id).flags?.map((f) => f.code)).toContain('VETTING_REVIEW');
  });

  it('records a check-in numbered from another workstation’s lease, and flags the clash when both used the number', async () => {
    const f = flights[1] as Flight;
    const other = await Synced.enrol(server.url, 'OTHER PC');
    const [foreign] = other.takeSeqs(f.id, 1);
    const {
      pax: [p, q],
      seats: [seat, otherSeat],
    } = fresh(f, 2);
    if (!p || !q || !seat || !otherSeat || foreign === undefined) throw new Error('no passenger');
    const [res] = await push(s.checkIn(p, seat, { seqNo: foreign }));
    expect(res).toMatchObject({ status: 'applied' });
    const theirs = await other.ws.push([
      other.ws.mutation('passenger.checkIn', {
        flightId: f.id,
        passengerId: q.id,
        seat: otherSeat,
        seqNo: foreign,
        infantSeqNo: null,
        bags: { count: 0, weightKg: 0 },
        docsChecked: true,
        standby: false,
      }),
    ]);
    expect(theirs.results[0]).toMatchObject({ status: 'applied' });
    await s.sync();
    const flagged = [s.replica.passenger(p.id), s.replica.passenger(q.id)].filter((x) => x.flags?.some((fl) => fl.code === 'SEQ_REISSUE'));
    expect(flagged).toHaveLength(1);
  });

  it('flags the second passenger given the same sequence number for a new one', async () => {
    const f = flights[1] as Flight;
    const {
      pax: [a, b],
      seats: [seatA, seatB],
    } = fresh(f, 2);
    if (!a || !b || !seatA || !seatB) throw new Error('no passengers');
    const first = s.checkIn(a, seatA);
    const seqNo = first.type === 'passenger.checkIn' ? first.args.seqNo : 0;
    const [ok, clash] = await push(first, s.checkIn(b, seatB, { seqNo }));
    expect(ok?.status).toBe('applied');
    expect(flagsOf(clash)).toContain('SEQ_REISSUE');
    expect(s.replica.passenger(b.id).flags).toContainEqual({ code: 'SEQ_REISSUE', seqNo });
  });

  it('keeps children out of exit rows', async () => {
    // Any open flight with a booked child and a free exit-row seat in the child's cabin.
    const maps = s.replica.of<SeatMap>('seatMap');
    const cases = flights.flatMap((f) => {
      const map = maps.find((m) => m.id === f.seatMapId);
      const held = new Set(
        s.replica
          .passengers(f.id)
          .filter(holdsSeat)
          .map((p) => p.seat),
      );
      const child = s.replica
        .passengers(f.id)
        .find((p) => p.paxType === 'CHD' && p.status === 'booked' && p.vetting === 'cleared' && !used.has(p.id));
      const seat = map && child && seatsOf(map).find((x) => x.exit && !x.blocked && x.cabin === child.cabin && !held.has(x.code));
      return child && seat ? [{ child, seat: seat.code }] : [];
    });
    const [found] = cases;
    if (!found) throw new Error('no child with a free exit-row seat');
    used.add(found.child.id);
    const [res] = await push(s.checkIn(found.child, found.seat));
    expect(res).toMatchObject({ status: 'rejected', code: 'EXIT_ROW_RESTRICTED' });
  });

  it('records a boarding after a close made elsewhere, and asks for a revised close-out', async () => {
    const f = flights[2] as Flight;
    const {
      pax: [p],
      seats: [seat],
    } = fresh(f);
    if (!p || !seat) throw new Error('no passenger');
    const checkIn = s.checkIn(p, seat);
    const close = s.ws.mutation('flight.close', { flightId: f.id });
    const [accepted, closed, boarded] = await push(checkIn, close, board(p));
    expect([accepted?.status, closed?.status]).toEqual(['applied', 'applied']);
    expect(boarded).toMatchObject({ status: 'applied', flags: ['AFTER_CLOSE'] });
    if (boarded?.status === 'applied')
      expect(boarded.server?.flight).toMatchObject({ id: f.id, status: 'closed', flags: [{ code: 'CHANGED_AFTER_CLOSE', changes: 1 }] });
    expect(s.replica.passenger(p.id).status).toBe('boarded');
  });

  it('lets only a supervisor reopen a closed flight', async () => {
    const f = flights[3] as Flight;
    const {
      pax: [waiting],
      seats: [seat],
    } = fresh(f);
    if (!waiting || !seat) throw new Error('no passenger');
    const [accepted, closed] = await push(s.checkIn(waiting, seat), s.ws.mutation('flight.close', { flightId: f.id }));
    expect([accepted?.status, closed?.status]).toEqual(['applied', 'applied']);
    const reopenBy = (staffId: string) => s.ws.mutation('flight.reopen', { flightId: f.id, reason: 'Late connecting passengers' }, staffId);
    // The supervisor signs in online (the backend checks the PIN), and the reopen names that sign-in.
    const signIn = await s.ws.signIn('SU9001', { pin: DEMO_SUPERVISOR_PIN });
    const [, agent, supervisor] = await push(signIn, reopenBy('AG1001'), reopenBy('SU9001'));
    expect(agent).toMatchObject({ status: 'rejected', code: 'SUPERVISOR_ONLY' });
    expect(supervisor?.status).toBe('applied');
    expect(await push(board(waiting))).toMatchObject([{ status: 'applied' }]);
  });
});

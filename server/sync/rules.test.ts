/** Each domain rule, refused over HTTP with its code, exactly as a workstation would meet it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdsSeat } from '../../shared/domain/rules';
import type { Flight, Passenger, SeatMap } from '../../shared/domain/schemas';
import { seatsOf } from '../../shared/domain/seatmap';
import type { MutationResult } from '../../shared/protocol/v1';
import { Synced, bookable, freeSeats, openFlights, startTestServer, type TestServer } from '../testing/harness';

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

  it('holds one passenger per seat and shows who holds it', async () => {
    const f = flights[0] as Flight;
    const {
      pax: [a, b],
      seats: [seat],
    } = fresh(f, 2);
    if (!a || !b || !seat) throw new Error('no passengers');
    const [first, second] = await push(s.checkIn(a, seat), s.checkIn(b, seat));
    expect(first?.status).toBe('applied');
    expect(second).toMatchObject({ status: 'conflict', code: 'SEAT_TAKEN' });
    if (second?.status !== 'conflict') return;
    expect(second.message).toContain(seat);
    expect(second.server.flight).toBeNull();
    expect(second.server.passengers.map((p) => [p.id, p.seat, p.status]).sort()).toEqual(
      [
        [a.id, seat, 'checked-in'],
        [b.id, b.seat, 'booked'],
      ].sort(),
    );
  });

  it('refuses to board an offloaded passenger', async () => {
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
    expect(boarded).toMatchObject({ status: 'conflict', code: 'OFFLOADED' });
    expect(s.replica.passenger(p.id)).toMatchObject({ status: 'offloaded', seat: null });
  });

  it('refuses to board a passenger who is not checked in', async () => {
    const {
      pax: [p],
    } = fresh(flights[0] as Flight);
    if (!p) throw new Error('no passenger');
    expect(await push(board(p))).toMatchObject([{ status: 'conflict', code: 'NOT_CHECKED_IN' }]);
  });

  it('refuses to accept or board a passenger without a vetting clearance', async () => {
    const open = new Set(openFlights(s.replica).map((f) => f.id));
    const everyone = s.replica.passengers().filter((p) => open.has(p.flightId));
    const lateHit = everyone.find((p) => p.status === 'checked-in' && p.vetting === 'inhibited');
    const pending = everyone.find((p) => p.status === 'booked' && p.vetting === 'pending' && p.infantId === null);
    if (!lateHit || !pending) throw new Error('the demo data should have both cases on open flights');
    const seat = freeSeats(s.replica, flights.find((f) => f.id === pending.flightId) ?? (flights[0] as Flight), pending.cabin)[0] ?? null;
    const [boarded, accepted] = await push(board(lateHit), s.checkIn(pending, seat));
    expect(boarded).toMatchObject({ status: 'conflict', code: 'VETTING_HOLD' });
    expect(accepted).toMatchObject({ status: 'conflict', code: 'VETTING_HOLD' });
  });

  it('takes sequence numbers only from this workstation’s own lease', async () => {
    const f = flights[1] as Flight;
    const other = await Synced.enrol(server.url, 'OTHER PC');
    const [foreign] = other.takeSeqs(f.id, 1);
    const {
      pax: [p],
      seats: [seat],
    } = fresh(f);
    if (!p || !seat || foreign === undefined) throw new Error('no passenger');
    const [res] = await push(s.checkIn(p, seat, { seqNo: foreign }));
    expect(res).toMatchObject({ status: 'rejected', code: 'SEQ_NOT_LEASED' });
  });

  it('never hands out one sequence number twice on a flight', async () => {
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
    expect(clash).toMatchObject({ status: 'conflict', code: 'SEQ_TAKEN' });
    if (clash?.status === 'conflict') expect(clash.server.passengers.map((p) => p.id)).toContain(a.id);
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

  it('refuses boarding on a closed flight and shows the flight as the server has it', async () => {
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
    expect(boarded).toMatchObject({ status: 'conflict', code: 'FLIGHT_CLOSED' });
    if (boarded?.status === 'conflict') {
      expect(boarded.server.flight).toMatchObject({ id: f.id, status: 'closed', closedBy: 'AG1001' });
      expect(boarded.server.passengers.map((x) => x.id)).toEqual([p.id]);
    }
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
    const [agent, supervisor] = await push(reopenBy('AG1001'), reopenBy('SU9001'));
    expect(agent).toMatchObject({ status: 'rejected', code: 'SUPERVISOR_ONLY' });
    expect(supervisor?.status).toBe('applied');
    expect(await push(board(waiting))).toMatchObject([{ status: 'applied' }]);
  });
});

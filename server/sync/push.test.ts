import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flight, Passenger } from '../../shared/domain/schemas';
import {
  Synced,
  bookable,
  freeSeats,
  inspectDatabase,
  openFlights,
  startTestServer,
  type TestServer,
} from '../../tests/support/server-harness';

let server: TestServer;
let flight: Flight;

beforeAll(async () => {
  server = await startTestServer();
  const probe = await Synced.enrol(server.url, 'PROBE');
  const open = openFlights(probe.replica).filter((f) => bookable(probe.replica, f.id).length >= 30);
  flight = open[open.length - 1] as Flight;
  if (!flight) throw new Error('no open flight with bookable passengers');
});
afterAll(() => server.cleanup());

/** A fresh workstation, and `n` passengers nobody else in this file touches. */
let taken = 0;
async function setup(n: number): Promise<{ s: Synced; pax: Passenger[]; seats: string[] }> {
  const s = await Synced.enrol(server.url);
  const pax = bookable(s.replica, flight.id).slice(taken, taken + n);
  taken += n;
  const seats = freeSeats(s.replica, flight).slice(0, n);
  return { s, pax, seats };
}

describe('push', () => {
  it('answers the same push twice with identical results and changes state once', async () => {
    const { s, pax, seats } = await setup(1);
    const p = pax[0] as Passenger;
    const batch = [
      s.checkIn(p, seats[0] ?? null),
      s.ws.mutation('passenger.board', { flightId: flight.id, passengerId: p.id, via: 'scan' }),
    ];
    const first = await s.ws.push(batch);
    expect(first.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(first.lastSeq).toBe(2);
    const changed = await s.sync();
    expect(changed.filter((c) => c.kind === 'passenger').map((c) => c.id)).toEqual([p.id]);
    expect(s.replica.passenger(p.id)).toMatchObject({ status: 'boarded', seat: seats[0] });

    const again = await s.ws.push(batch);
    expect(again.raw.text).toBe(first.raw.text);
    expect(await s.sync()).toEqual([]);
  });

  it('gives a re-sent mutation its original result even inside a new batch', async () => {
    const { s, pax, seats } = await setup(1);
    const p = pax[0] as Passenger;
    const checkIn = s.checkIn(p, seats[0] ?? null);
    const first = await s.ws.push([checkIn]);
    const board = s.ws.mutation('passenger.board', { flightId: flight.id, passengerId: p.id, via: 'manual' });
    const second = await s.ws.push([checkIn, board]);
    expect(JSON.stringify(second.results[0])).toBe(JSON.stringify(first.results[0]));
    expect(second.results[1]?.status).toBe('applied');
  });

  it('answers a re-enrolled workstation’s renumbered mutation with its first result and no second effect', async () => {
    const { s, pax, seats } = await setup(1);
    const p = pax[0] as Passenger;
    const checkIn = s.checkIn(p, seats[0] ?? null);
    const first = await s.ws.push([checkIn]);
    await s.sync();
    // The workstation lost its token, enrolled again and renumbered its queue from 1.
    const again = await Synced.enrol(server.url, 'SAME PC, NEW ENROLMENT');
    again.cursor = s.cursor;
    const second = await again.ws.push([{ ...checkIn, seq: 1 }]);
    expect(second.results[0]).toEqual({ ...first.results[0], seq: 1 });
    expect(second.lastSeq).toBe(1);
    expect((await again.sync()).filter((c) => c.kind === 'passenger')).toEqual([]);
  });

  it('does not apply a mutation after a seq gap, and applies it once the gap is filled', async () => {
    const { s, pax, seats } = await setup(2);
    const [a, b] = pax as [Passenger, Passenger];
    const m1 = s.checkIn(a, seats[0] ?? null);
    const m2 = s.checkIn(b, seats[1] ?? null);
    const gap = await s.ws.push([m2]);
    expect(gap.results).toEqual([expect.objectContaining({ id: m2.id, status: 'deferred', code: 'SEQ_GAP' })]);
    expect(gap.lastSeq).toBe(0);
    expect(await s.sync()).toEqual([]);

    const filled = await s.ws.push([m1, m2]);
    expect(filled.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(filled.lastSeq).toBe(2);
    await s.sync();
    expect(s.replica.passenger(b.id).status).toBe('checked-in');
  });

  it('defers everything after a gap inside one batch', async () => {
    const { s, pax, seats } = await setup(2);
    const m1 = s.checkIn(pax[0] as Passenger, seats[0] ?? null);
    s.ws.setSeq(3);
    const m3 = s.checkIn(pax[1] as Passenger, seats[1] ?? null);
    const res = await s.ws.push([m1, m3]);
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'deferred']);
    expect(res.lastSeq).toBe(1);
  });

  it('applies a batch in seq order and answers in request order', async () => {
    const { s, pax, seats } = await setup(1);
    const p = pax[0] as Passenger;
    const checkIn = s.checkIn(p, seats[0] ?? null);
    const board = s.ws.mutation('passenger.board', { flightId: flight.id, passengerId: p.id, via: 'scan' });
    const res = await s.ws.push([board, checkIn]);
    expect(res.results.map((r) => [r.id, r.status])).toEqual([
      [board.id, 'applied'],
      [checkIn.id, 'applied'],
    ]);
  });

  it('rejects a mutation with an old seq and a new id as a stale client', async () => {
    const { s, pax, seats } = await setup(2);
    await s.ws.push([s.checkIn(pax[0] as Passenger, seats[0] ?? null)]);
    s.ws.setSeq(1);
    const res = await s.ws.push([s.checkIn(pax[1] as Passenger, seats[1] ?? null)]);
    expect(res.results[0]).toMatchObject({ status: 'rejected', code: 'STALE_CLIENT' });
    expect(res.lastSeq).toBe(1);
  });

  it('never lets a refused mutation block the ones after it', async () => {
    const { s, pax, seats } = await setup(2);
    const [a, b] = pax as [Passenger, Passenger];
    const res = await s.ws.push([
      s.ws.mutation('passenger.board', { flightId: 'XX1-2026-11-26', passengerId: a.id, via: 'scan' }),
      s.ws.mutation('flight.reopen', { flightId: flight.id, reason: 'test' }, 'AG1001'),
      s.checkIn(b, seats[0] ?? null),
    ]);
    expect(res.results.map((r) => [r.status, 'code' in r ? r.code : null])).toEqual([
      ['rejected', 'FLIGHT_NOT_FOUND'],
      ['rejected', 'SUPERVISOR_ONLY'],
      ['applied', null],
    ]);
    expect(res.lastSeq).toBe(3);
  });

  it('records a fact by unknown or inactive staff (it happened) and refuses anything else they send', async () => {
    const { s, pax, seats } = await setup(2);
    const [p, q] = pax as [Passenger, Passenger];
    const res = await s.ws.push([
      s.checkIn(p, seats[0] ?? null, {}, 'ZZ9999'),
      s.ws.mutation('passenger.assignSeat', { flightId: q.flightId, passengerId: q.id, seat: seats[1]! }, 'AG1099'),
    ]);
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'rejected']);
    expect(res.results[1]).toMatchObject({ code: 'UNKNOWN_STAFF' });
    await s.sync();
    expect(s.replica.passenger(p.id).status).toBe('checked-in');
  });

  it('rejects a flight this station does not have', async () => {
    const { s, pax } = await setup(1);
    const p = pax[0] as Passenger;
    const res = await s.ws.push([s.ws.mutation('passenger.board', { flightId: 'XX1-2026-11-26', passengerId: p.id, via: 'scan' })]);
    expect(res.results[0]).toMatchObject({ status: 'rejected', code: 'FLIGHT_NOT_FOUND' });
  });

  it('logs prints once per print job, however often the mutation is sent', async () => {
    const { s } = await setup(0);
    const args = {
      printJobId: 'job-1',
      document: 'manifest' as const,
      flightId: flight.id,
      passengerId: null,
      copies: 1,
      destination: 'PDF',
      reprint: false,
    };
    const m1 = s.ws.mutation('print.logged', args);
    const m2 = s.ws.mutation('print.logged', args);
    const res = await s.ws.push([m1, m2]);
    await s.ws.push([m1]);
    expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const db = await inspectDatabase(server);
    try {
      expect(await db.all("SELECT CAST(count(*) AS INTEGER) AS n FROM print_log WHERE print_job_id = 'job-1'")).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  });
});

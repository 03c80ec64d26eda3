import { afterEach, describe, expect, it } from 'vitest';
import { A320, checkedIn, fixtureClock, flight, passenger } from '../../tests/support/fixtures';
import { verifyAuditChain } from './audit';
import type { BackstopDB, LocalLease } from './schema';
import { lease, memoryDatabase, seedFlight } from '../../tests/support/memory-db';
import { checkIn, openEmergencyBlock, perform, recordHandwrittenPass, seqStock, SEQ_LOW_SHARE, type Session } from './write-path';

const agent: Session = { staffId: 'AG1001', role: 'agent' };
const F = flight();
let db: BackstopDB;

afterEach(() => db?.close());

async function setup(passengers = [passenger({ id: 'PAX1' })], leases = [lease(F.id, 100, 102)]) {
  db = memoryDatabase();
  await seedFlight(db, { flight: F, seatMap: A320, passengers, leases });
  return db;
}

const checkInRequest = {
  flightId: F.id,
  passengerId: 'PAX1',
  seat: '10C',
  bags: { count: 1, weightKg: 23 },
  docsChecked: true,
  standby: false,
};

describe('local-first write path', () => {
  it('applies the action, queues it in the outbox and audits it, all together', async () => {
    await setup();
    const out = await checkIn(db, agent, checkInRequest, fixtureClock);
    expect(out.ok).toBe(true);
    const manifest = await db.manifests.get(F.id);
    expect(manifest!.passengers[0]).toMatchObject({ status: 'checked-in', seat: '10C', seqNo: 100 });
    expect(manifest!.base!.passengers[0]).toMatchObject({ status: 'booked' });
    const outbox = await db.outbox.toArray();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ seq: 1, type: 'passenger.checkIn', flightId: F.id, attempts: 0, staffId: 'AG1001' });
    const audit = await db.audit.toArray();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toContain('Checked in SMITH/ANNA MS on BQ123: seat 10C, seq 100');
    expect((await db.flights.get(F.id))!.counts).toMatchObject({ checkedIn: 1, booked: 1, awaitingCheckIn: 0 });
  });

  it('numbers actions 1, 2, 3… without gaps, even when some are refused in between', async () => {
    await setup([passenger({ id: 'PAX1' }), passenger({ id: 'PAX2' })]);
    await checkIn(db, agent, checkInRequest, fixtureClock);
    const refused = await perform(
      db,
      agent,
      { type: 'passenger.board', args: { flightId: F.id, passengerId: 'PAX2', via: 'manual' } },
      fixtureClock,
    );
    expect(refused).toMatchObject({ ok: false, code: 'NOT_CHECKED_IN' });
    await perform(db, agent, { type: 'passenger.board', args: { flightId: F.id, passengerId: 'PAX1', via: 'scan' } }, fixtureClock);
    expect((await db.outbox.toArray()).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('changes nothing at all when the rules refuse an action', async () => {
    await setup();
    const before = await db.manifests.get(F.id);
    const out = await perform(
      db,
      agent,
      { type: 'passenger.board', args: { flightId: F.id, passengerId: 'PAX1', via: 'scan' } },
      fixtureClock,
    );
    expect(out).toMatchObject({ ok: false, code: 'NOT_CHECKED_IN', duplicate: false });
    expect(await db.manifests.get(F.id)).toEqual(before);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.audit.count()).toBe(0);
  });

  it('refuses a second boarding as a duplicate that says when and by whom', async () => {
    await setup([checkedIn({ id: 'PAX1', status: 'boarded', boardedAt: '2026-11-26T13:55:00.000Z', boardedBy: 'AG1002' })]);
    const out = await perform(
      db,
      agent,
      { type: 'passenger.board', args: { flightId: F.id, passengerId: 'PAX1', via: 'scan' } },
      fixtureClock,
    );
    expect(out).toMatchObject({ ok: false, code: 'ALREADY_BOARDED', duplicate: true });
    expect(out.ok ? '' : out.message).toContain('AG1002');
    expect(await db.outbox.count()).toBe(0);
  });

  it('hands out sequence numbers from the lease, skipping ones already on the manifest, and the infant gets its own', async () => {
    const adult = passenger({ id: 'PAX1', infantId: 'INF1' });
    const infant = passenger({ id: 'INF1', paxType: 'INF', infantOf: 'PAX1' });
    const someoneElse = checkedIn({ id: 'OTHER', seqNo: 100, seat: '11A' });
    await setup([adult, infant, someoneElse], [lease(F.id, 100, 103)]);
    const out = await checkIn(db, agent, { ...checkInRequest, seat: '10A' }, fixtureClock);
    expect(out.ok && out.passengers.map((p) => [p.id, p.seqNo])).toEqual([
      ['PAX1', 101],
      ['INF1', 102],
    ]);
    expect((await db.leases.toArray())[0]!.next).toBe(103);
  });

  it('says plainly when this workstation has no sequence numbers left', async () => {
    await setup([passenger({ id: 'PAX1' })], []);
    const out = await checkIn(db, agent, checkInRequest, fixtureClock);
    expect(out).toMatchObject({ ok: false, code: 'NO_SEQ_AVAILABLE' });
    expect(await db.outbox.count()).toBe(0);
  });

  it('keeps a hash-chained audit log that detects an edited entry', async () => {
    await setup([passenger({ id: 'PAX1' }), passenger({ id: 'PAX2' })], [lease(F.id, 100, 120)]);
    await checkIn(db, agent, checkInRequest, fixtureClock);
    await checkIn(db, agent, { ...checkInRequest, passengerId: 'PAX2', seat: '10D' }, fixtureClock);
    await perform(db, agent, { type: 'passenger.board', args: { flightId: F.id, passengerId: 'PAX1', via: 'scan' } }, fixtureClock);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, entries: 3 });
    await db.audit.update(2, { summary: 'nothing happened here' });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('closes a flight locally and keeps the backend state as the base', async () => {
    await setup();
    const out = await perform(db, agent, { type: 'flight.close', args: { flightId: F.id } }, fixtureClock);
    expect(out.ok).toBe(true);
    expect((await db.flights.get(F.id))!.status).toBe('closed');
    expect((await db.manifests.get(F.id))!.base!.flight.status).toBe('scheduled');
  });
});

describe('sequence numbers for a whole outage', () => {
  const emergency = (flightId: string, from: number, to: number): LocalLease => ({
    ...lease(flightId, from, to),
    id: `E-${from}`,
    emergency: true,
  });

  it('never draws from the emergency block until a supervisor opens it, and audits the opening', async () => {
    await setup([passenger({ id: 'PAX1' }), passenger({ id: 'PAX2' })], [lease(F.id, 100, 100), emergency(F.id, 9000, 9019)]);
    expect((await checkIn(db, agent, checkInRequest, fixtureClock)).ok).toBe(true);
    const out = await checkIn(db, agent, { ...checkInRequest, passengerId: 'PAX2', seat: '10D' }, fixtureClock);
    expect(out).toMatchObject({ ok: false, code: 'NO_SEQ_AVAILABLE' });
    expect(out.ok ? '' : out.message).toMatch(/BQ123 on 26 Nov.*supervisor can open this desk’s emergency block/);
    expect(await openEmergencyBlock(db, agent, F.id, fixtureClock)).toMatchObject({ ok: false, code: 'SUPERVISOR_ONLY' });
    expect(await openEmergencyBlock(db, { staffId: 'SU9001', role: 'supervisor' }, F.id, fixtureClock)).toEqual({
      ok: true,
      from: 9000,
      to: 9019,
    });
    const again = await checkIn(db, agent, { ...checkInRequest, passengerId: 'PAX2', seat: '10D' }, fixtureClock);
    expect(again.ok && again.passengers[0]?.seqNo).toBe(9000);
    expect((await db.audit.toArray()).some((a) => a.action === 'lease.openEmergency' && a.staffId === 'SU9001')).toBe(true);
  });

  it('counts what a desk has left, so it can warn below a fifth', () => {
    const stock = seqStock([{ ...lease(F.id, 100, 199), next: 185 }, emergency(F.id, 9000, 9019)]);
    expect(stock).toEqual({ free: 15, total: 100, emergency: { free: 20, opened: false } });
    expect(stock.free / stock.total < SEQ_LOW_SHARE).toBe(true);
  });
});

describe('the register of handwritten passes', () => {
  it('enters a pass written by hand as a check-in at the time it was written, with its number from paper', async () => {
    await setup([passenger({ id: 'PAX1' })], [lease(F.id, 100, 149)]);
    const out = await recordHandwrittenPass(
      db,
      agent,
      { ...checkInRequest, seqNo: 4711, infantSeqNo: null, writtenAt: '2026-11-26T09:40:00.000Z' },
      fixtureClock,
    );
    expect(out.ok).toBe(true);
    const [entry] = await db.outbox.toArray();
    expect(entry).toMatchObject({ at: '2026-11-26T09:40:00.000Z', args: { seqNo: 4711, handwritten: true } });
    expect((await db.manifests.get(F.id))!.passengers[0]).toMatchObject({ status: 'checked-in', seqNo: 4711, seat: '10C' });
  });

  it('refuses a pass dated in the future', async () => {
    await setup();
    const out = await recordHandwrittenPass(
      db,
      agent,
      { ...checkInRequest, seqNo: 5, infantSeqNo: null, writtenAt: '2026-11-26T13:00:00.000Z' },
      fixtureClock,
    );
    expect(out).toMatchObject({ ok: false, code: 'INVALID_ARGUMENTS' });
  });
});

describe('fallback bag tags at check-in', () => {
  const tagLease = (id: string, from: number, to: number, deviceId = 'DESK-1') => ({
    id,
    deviceId,
    carrier: 'BQ',
    airlineCode: '934',
    from,
    to,
    next: from,
  });

  it('gives each bag a plate from this desk’s block in the same transaction, and moves past them', async () => {
    await setup();
    await db.tagLeases.put(tagLease('T1', 500, 749));
    const out = await checkIn(db, agent, { ...checkInRequest, bagWeights: [23, 18] }, fixtureClock);
    expect(out.ok).toBe(true);
    const pax = (await db.manifests.get(F.id))!.passengers[0]!;
    expect(pax.bags).toEqual({
      count: 2,
      weightKg: 41,
      pieces: [
        { tag: '1934000500', weightKg: 23, destination: 'MAD' },
        { tag: '1934000501', weightKg: 18, destination: 'MAD' },
      ],
    });
    expect((await db.tagLeases.get('T1'))!.next).toBe(502);
    // The tags travel with the check-in, so the backend (and every other desk) learns them.
    expect((await db.outbox.toArray())[0]).toMatchObject({ args: { bags: { pieces: [{ tag: '1934000500' }, { tag: '1934000501' }] } } });
    expect((await db.audit.toArray())[0]!.summary).toContain('tags 1934000500 1934000501');
  });

  it('tags a through-checked bag to the passenger’s final destination', async () => {
    await setup([
      passenger({ id: 'PAX1', onward: [{ carrier: 'BQ', number: '77', date: F.date, destination: 'LIS', bookingClass: 'Y' }] }),
    ]);
    await db.tagLeases.put(tagLease('T1', 0, 249));
    await checkIn(db, agent, { ...checkInRequest, bagWeights: [20] }, fixtureClock);
    expect((await db.manifests.get(F.id))!.passengers[0]!.bags.pieces).toEqual([{ tag: '1934000000', weightKg: 20, destination: 'LIS' }]);
  });

  it('refuses, changing nothing, when the desk has too few plates left', async () => {
    await setup();
    await db.tagLeases.put({ ...tagLease('T1', 10, 11), next: 11 });
    const out = await checkIn(db, agent, { ...checkInRequest, bagWeights: [20, 20] }, fixtureClock);
    expect(out).toMatchObject({ ok: false, code: 'NO_TAG_AVAILABLE' });
    expect(await db.outbox.count()).toBe(0);
    expect((await db.tagLeases.get('T1'))!.next).toBe(11);
    expect((await db.manifests.get(F.id))!.passengers[0]!.status).toBe('booked');
  });

  it('never gives two desks with their own blocks the same plate', async () => {
    const plates: string[] = [];
    for (const [desk, from] of [
      ['DESK-1', 0],
      ['DESK-2', 250],
    ] as const) {
      await setup([passenger({ id: 'PAX1' }), passenger({ id: 'PAX2' })], [lease(F.id, 100, 149)]);
      await db.tagLeases.put(tagLease(`T-${desk}`, from, from + 249, desk));
      await checkIn(db, agent, { ...checkInRequest, bagWeights: [20, 21, 22] }, fixtureClock);
      await checkIn(db, agent, { ...checkInRequest, passengerId: 'PAX2', seat: '10D', bagWeights: [19] }, fixtureClock);
      plates.push(...(await db.manifests.get(F.id))!.passengers.flatMap((p) => (p.bags.pieces ?? []).map((b) => b.tag)));
      db.close();
    }
    expect(plates).toHaveLength(8);
    expect(new Set(plates).size).toBe(8);
  });
});

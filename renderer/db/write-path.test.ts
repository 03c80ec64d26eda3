import { afterEach, describe, expect, it } from 'vitest';
import { A320, checkedIn, fixtureClock, flight, passenger } from '../../shared/testing/fixtures';
import { verifyAuditChain } from './audit';
import type { BackstopDB } from './schema';
import { lease, memoryDatabase, seedFlight } from './testing';
import { checkIn, perform, type Session } from './write-path';

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
    expect(outbox[0]).toMatchObject({ seq: 1, type: 'passenger.checkIn', flightId: F.id, state: 'pending', staffId: 'AG1001' });
    const audit = await db.audit.toArray();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toContain('Checked in SMITH/ANNA MS on BQ123: seat 10C, seq 100');
    expect((await db.flights.get(F.id))!.counts).toMatchObject({ checkedIn: 1, booked: 0 });
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

/**
 * Rebase behaviour of the local copy: pulled changes land under pending local actions, and push
 * answers resolve them, without the screen ever flickering back to older state.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Passenger } from '../../shared/domain/schemas';
import type { PullResponse, PushResponse } from '../../shared/protocol/v1';
import { A320, checkedIn, fixtureClock, flight, passenger } from '../../tests/support/fixtures';
import type { BackstopDB } from '../db/schema';
import { lease, memoryDatabase, seedFlight } from '../../tests/support/memory-db';
import { checkIn, perform } from '../db/write-path';
import { SYNC_KEYS } from '../db/sync-state';
import { applyPullPage } from './apply-pull';
import { applyPushResults } from './apply-push';

const F = flight();
const agent = { staffId: 'AG1001', role: 'agent' as const };
let db: BackstopDB;
afterEach(() => db?.close());

function page(changes: PullResponse['changes'], cursor = 'c1', hasMore = false): PullResponse {
  return { protocol: 1, changes, cursor, hasMore, serverTime: '2026-11-26T13:00:00.000Z', dcs: 'up' };
}
const paxChange = (p: Passenger, version: number) => ({ op: 'put' as const, kind: 'passenger' as const, id: p.id, version, data: p });
const view = async (id: string) => (await db.manifests.get(F.id))!.passengers.find((p) => p.id === id)!;

async function setup(passengers: Passenger[]) {
  db = memoryDatabase();
  await seedFlight(db, { flight: F, seatMap: A320, passengers, leases: [lease(F.id, 100, 149)] });
}

describe('pull under pending local actions', () => {
  it('keeps showing a local boarding while the backend still says checked-in, and takes the other changes', async () => {
    await setup([checkedIn({ id: 'P1', seat: '10A' }), checkedIn({ id: 'P2', seat: '10B', seqNo: 2 })]);
    await perform(db, agent, { type: 'passenger.board', args: { flightId: F.id, passengerId: 'P1', via: 'scan' } }, fixtureClock);
    // The backend has not seen the boarding yet, but moved P1's bags and P2's seat.
    await applyPullPage(
      db,
      page([
        paxChange(checkedIn({ id: 'P1', seat: '10A', bags: { count: 2, weightKg: 40 } }), 10),
        paxChange(checkedIn({ id: 'P2', seat: '11B', seqNo: 2 }), 11),
      ]),
      '2026-11-26T13:00:05.000Z',
    );
    expect(await view('P1')).toMatchObject({ status: 'boarded', bags: { count: 2, weightKg: 40 } });
    expect(await view('P2')).toMatchObject({ seat: '11B' });
    expect((await db.syncState.get(SYNC_KEYS.cursor))?.value).toBe('c1');
  });

  it('never drops a local check-in when the backend gave its seat away meanwhile: the passenger stays accepted and is flagged to reseat', async () => {
    await setup([passenger({ id: 'P1' }), passenger({ id: 'P2' })]);
    await checkIn(
      db,
      agent,
      { flightId: F.id, passengerId: 'P1', seat: '10C', bags: { count: 0, weightKg: 0 }, docsChecked: true, standby: false },
      fixtureClock,
    );
    // Meanwhile the DCS put P2 into 10C.
    await applyPullPage(db, page([paxChange(checkedIn({ id: 'P2', seat: '10C', seqNo: 5 }), 12)]), '2026-11-26T13:00:05.000Z');
    expect(await view('P2')).toMatchObject({ seat: '10C', status: 'checked-in' });
    const p1 = await view('P1');
    expect(p1).toMatchObject({ status: 'checked-in', seat: null, seqNo: 100 });
    expect(p1.flags?.[0]).toMatchObject({ code: 'RESEAT', lostSeat: '10C' });
    expect(await db.outbox.count()).toBe(1);
  });

  it('takes passengers that arrive before their flight and shows the flight once it arrives', async () => {
    db = memoryDatabase();
    const p = passenger({ id: 'P9' });
    await applyPullPage(db, page([paxChange(p, 3)], 'c1', true), '2026-11-26T13:00:00.000Z');
    expect(await db.flights.get(F.id)).toBeUndefined();
    await applyPullPage(
      db,
      page(
        [
          { op: 'put', kind: 'seatMap', id: A320.id, version: 4, data: A320 },
          { op: 'put', kind: 'flight', id: F.id, version: 5, data: F },
        ],
        'c2',
      ),
      '2026-11-26T13:00:01.000Z',
    );
    expect((await db.flights.get(F.id))!.counts.booked).toBe(1);
    expect((await db.searchIndex.get(F.id))!.text).toContain('P9\tSMITH ANNA');
  });

  it('removes a passenger on a tombstone that names its flight', async () => {
    await setup([passenger({ id: 'P1' }), passenger({ id: 'P2' })]);
    // No search index to fall back on: only the hint can find the flight.
    await db.searchIndex.clear();
    await applyPullPage(db, page([{ op: 'delete', kind: 'passenger', id: 'P2', version: 21, flightId: F.id }]), '2026-11-26T13:00:00.000Z');
    expect((await db.manifests.get(F.id))!.passengers.map((p) => p.id)).toEqual(['P1']);
  });

  it('removes a passenger on a tombstone, finding the flight even without a hint', async () => {
    await setup([passenger({ id: 'P1' }), passenger({ id: 'P2' })]);
    await applyPullPage(db, page([{ op: 'delete', kind: 'passenger', id: 'P2', version: 20 }]), '2026-11-26T13:00:00.000Z');
    expect((await db.manifests.get(F.id))!.passengers.map((p) => p.id)).toEqual(['P1']);
  });
});

describe('push answers', () => {
  async function boardP1() {
    await setup([checkedIn({ id: 'P1', seat: '10A' })]);
    const out = await perform(
      db,
      agent,
      { type: 'passenger.board', args: { flightId: F.id, passengerId: 'P1', via: 'scan' } },
      fixtureClock,
    );
    if (!out.ok) throw new Error(out.message);
    return out.mutation;
  }

  it('an applied action leaves the outbox and stays on screen; the base now holds it', async () => {
    const m = await boardP1();
    const response: PushResponse = { protocol: 1, lastSeq: 1, results: [{ id: m.id, seq: m.seq, status: 'applied' }] };
    expect(await applyPushResults(db, response, '2026-11-26T13:01:00.000Z')).toMatchObject({ applied: 1 });
    expect(await db.outbox.count()).toBe(0);
    expect(await view('P1')).toMatchObject({ status: 'boarded' });
    expect((await db.manifests.get(F.id))!.base).toBeNull();
  });

  it('a rejected action is rolled back on screen and kept for reconciliation', async () => {
    const m = await boardP1();
    const response: PushResponse = {
      protocol: 1,
      lastSeq: 1,
      results: [{ id: m.id, seq: m.seq, status: 'rejected', code: 'FLIGHT_CLOSED', message: 'BQ123 is closed.' }],
    };
    await applyPushResults(db, response, '2026-11-26T13:01:00.000Z');
    expect(await view('P1')).toMatchObject({ status: 'checked-in' });
    expect(await db.outcomes.get(m.id)).toMatchObject({ status: 'rejected', code: 'FLIGHT_CLOSED', acknowledged: 0, passengerId: 'P1' });
  });

  it('a conflict shows the backend state it sent', async () => {
    const m = await boardP1();
    const offloaded = checkedIn({ id: 'P1', status: 'offloaded', seat: null, remark: 'Denied boarding' });
    const response: PushResponse = {
      protocol: 1,
      lastSeq: 1,
      results: [
        {
          id: m.id,
          seq: m.seq,
          status: 'conflict',
          code: 'OFFLOADED',
          message: 'SMITH/ANNA MS was offloaded.',
          server: { flight: null, passengers: [offloaded] },
        },
      ],
    };
    await applyPushResults(db, response, '2026-11-26T13:01:00.000Z');
    expect(await view('P1')).toMatchObject({ status: 'offloaded', remark: 'Denied boarding' });
    expect((await db.outcomes.get(m.id))!.server!.passengers[0]!.status).toBe('offloaded');
  });

  it('a deferred action stays queued with its reason', async () => {
    const m = await boardP1();
    await applyPushResults(
      db,
      { protocol: 1, lastSeq: 0, results: [{ id: m.id, seq: m.seq, status: 'deferred', code: 'SEQ_GAP', message: 'waiting for seq 0' }] },
      '2026-11-26T13:01:00.000Z',
    );
    expect(await db.outbox.get(m.seq)).toMatchObject({ attempts: 1, lastError: 'SEQ_GAP' });
    expect(await view('P1')).toMatchObject({ status: 'boarded' });
  });
});

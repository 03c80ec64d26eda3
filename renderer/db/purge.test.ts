import { afterEach, describe, expect, it } from 'vitest';
import { A320, checkedIn, fixtureClock, flight } from '../../tests/support/fixtures';
import { purgeDepartedFlights, purgeIdleFlights, UNCONFIRMED_VERSION } from './purge';
import type { BackstopDB } from './schema';
import { memoryDatabase, seedFlight } from '../../tests/support/memory-db';
import { perform } from './write-path';

let db: BackstopDB;
afterEach(() => db?.close());

describe('retention', () => {
  it('purges flights departed longer ago than the retention, but never one with unsent actions', async () => {
    db = memoryDatabase();
    const old = flight({ id: 'OLD', std: '2026-11-24T08:00:00.000Z' });
    const oldPending = flight({ id: 'OLDP', std: '2026-11-24T09:00:00.000Z' });
    const recent = flight({ id: 'NEW', std: '2026-11-26T08:00:00.000Z' });
    for (const f of [old, oldPending, recent])
      await seedFlight(db, { flight: f, seatMap: A320, passengers: [checkedIn({ id: `${f.id}-P`, flightId: f.id })] });
    expect(
      (
        await perform(
          db,
          { staffId: 'AG1001', role: 'agent' },
          { type: 'passenger.board', args: { flightId: 'OLDP', passengerId: 'OLDP-P', via: 'manual' } },
          fixtureClock,
        )
      ).ok,
    ).toBe(true);
    const purged = await purgeDepartedFlights(db, new Date('2026-11-26T12:00:00.000Z'), 24);
    expect(purged).toEqual(['OLD']);
    expect((await db.flights.toArray()).map((f) => f.id).sort()).toEqual(['NEW', 'OLDP']);
    expect(await db.manifests.get('OLD')).toBeUndefined();
    expect(await db.searchIndex.get('OLD')).toBeUndefined();
  });

  it('runs both rules in one pass and says when the next kept flight falls due', async () => {
    db = memoryDatabase();
    const old = flight({ id: 'OLD', std: '2026-11-24T08:00:00.000Z' });
    const unconfirmed = flight({ id: 'GONE', std: '2026-11-26T20:00:00.000Z' });
    const delayed = flight({ id: 'LATE', std: '2026-11-26T08:00:00.000Z', etd: '2026-11-26T09:15:00.000Z' });
    const offset = flight({ id: 'OFFSET', std: '2026-11-27T08:00:00.000+01:00' });
    for (const f of [old, unconfirmed, delayed, offset])
      await seedFlight(db, { flight: f, seatMap: A320, passengers: [checkedIn({ id: `${f.id}-P`, flightId: f.id })] });
    await db.flights.update('GONE', { version: UNCONFIRMED_VERSION });
    const { purged, nextDueAt } = await purgeIdleFlights(db, new Date('2026-11-26T12:00:00.000Z'), 24);
    expect(purged.sort()).toEqual(['GONE', 'OLD']);
    // LATE leaves at its ETD and is due 24 h after; a time with an offset is taken 14 h early.
    expect(nextDueAt).toBe(Date.parse('2026-11-27T09:15:00.000Z'));
    expect(await purgeIdleFlights(db, new Date('2026-11-27T09:15:00.001Z'), 24)).toEqual({
      purged: ['LATE'],
      nextDueAt: Date.parse('2026-11-28T07:00:00.000Z') - 14 * 3_600_000,
    });
  });

  it('asks to be run again when a due flight stays only because it has unsent actions', async () => {
    db = memoryDatabase();
    const old = flight({ id: 'OLDP', std: '2026-11-24T09:00:00.000Z' });
    const recent = flight({ id: 'NEW', std: '2026-11-26T08:00:00.000Z' });
    for (const f of [old, recent])
      await seedFlight(db, { flight: f, seatMap: A320, passengers: [checkedIn({ id: `${f.id}-P`, flightId: f.id })] });
    await perform(
      db,
      { staffId: 'AG1001', role: 'agent' },
      { type: 'passenger.board', args: { flightId: 'OLDP', passengerId: 'OLDP-P', via: 'manual' } },
      fixtureClock,
    );
    expect(await purgeIdleFlights(db, new Date('2026-11-26T12:00:00.000Z'), 24)).toEqual({ purged: [], nextDueAt: null });
  });
});

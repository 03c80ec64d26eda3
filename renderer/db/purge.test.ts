import { afterEach, describe, expect, it } from 'vitest';
import { A320, checkedIn, fixtureClock, flight } from '../../tests/support/fixtures';
import { purgeDepartedFlights } from './purge';
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
});

import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { flightFigures } from '../../shared/domain/headcount';
import { A320, flight, passenger } from '../../tests/support/fixtures';
import { toMutation } from './flight-store';
import { SCHEMA_VERSIONS, type LocalFlight } from './schema';
import { memoryDatabase } from '../../tests/support/memory-db';

describe('database migrations', () => {
  it('upgrades a first-version database to the current one with its data and unsent actions intact', async () => {
    const factory = new IDBFactory();
    const v1 = memoryDatabase({ factory, name: 'upgrade', uptoVersion: 1 });
    const pax = [passenger({ id: 'A', lastName: 'OKAFOR', firstName: 'CHIDI', pnr: 'Q7X2LM' }), passenger({ id: 'B' })];
    await v1.seatMaps.put(A320);
    // Version 1's counts, where "booked" meant "not yet checked in".
    const v1Counts = { total: 2, booked: 2, checkedIn: 0, boarded: 0, standby: 0, infants: 0, offloaded: 0, noShow: 0 };
    await v1.flights.put(
      Object.assign({ ...flight(), version: 3, asOf: '2026-11-26T10:00:00.000Z' }, { counts: v1Counts }) as unknown as LocalFlight,
    );
    await v1.manifests.put({ flightId: flight().id, passengers: pax, base: null, asOf: '2026-11-26T10:00:00.000Z' });
    // As version 1 stored it, with the `state` field later versions dropped.
    const v1Entry = {
      id: '00000000-0000-4000-8000-000000000001',
      seq: 1,
      type: 'passenger.noShow',
      args: { flightId: flight().id, passengerId: 'B' },
      at: '2026-11-26T10:05:00.000Z',
      staffId: 'AG1001',
      flightId: flight().id,
      attempts: 0,
      lastError: null,
    } as const;
    await v1.outbox.add(Object.assign({ state: 'pending' }, v1Entry));
    expect(v1.verno).toBe(1);
    v1.close();

    const current = memoryDatabase({ factory, name: 'upgrade' });
    await current.open();
    expect(current.verno).toBe(SCHEMA_VERSIONS.at(-1)!.version);
    expect(await current.manifests.get(flight().id)).toMatchObject({ passengers: pax });
    expect(await current.outbox.count()).toBe(1);
    expect((await current.flights.get(flight().id))!.counts).toEqual(flightFigures(pax));
    // The unsent action is sent as a bare mutation, without what version 1 kept beside it.
    expect(toMutation((await current.outbox.toArray())[0]!)).toEqual({
      id: v1Entry.id,
      seq: 1,
      type: 'passenger.noShow',
      args: v1Entry.args,
      at: v1Entry.at,
      staffId: 'AG1001',
    });
    const index = await current.searchIndex.get(flight().id);
    expect(index?.text).toContain('A\tOKAFOR CHIDI\tQ7X2LM\t');
    current.close();
  });

  it('lists versions in ascending order and never repeats one', () => {
    const versions = SCHEMA_VERSIONS.map((v) => v.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });
});

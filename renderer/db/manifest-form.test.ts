/**
 * Manifests stored compactly (manifest-form.ts), against fake-indexeddb read underneath Dexie: what
 * lands on disk is one text of columns per flight, and every read path gives back the passengers
 * that were put; what the columns cannot hold exactly is stored as it was, and a damaged text is an
 * error, never a guess.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { Passenger } from '../../shared/domain/schemas';
import { A320, fixtureClock, flight, passenger } from '../../tests/support/fixtures';
import { sampleFlight, samplePassengers } from '../../tests/support/sample-flight';
import { lease, seedFlight } from '../../tests/support/memory-db';
import { aesGcmSealer, SEALED } from './at-rest';
import { browserKeys } from './keys';
import { loadedPassengers, precodeManifest, storedPassengers } from './manifest-form';
import { toColumns } from '../../shared/protocol/bulk';
import { openDatabase, type BackstopDB, type Manifest } from './schema';
import { checkIn } from './write-path';

const FLIGHT = sampleFlight();
const opened: BackstopDB[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

/** A flight's passengers with every optional field somewhere (and absent elsewhere). */
function richPassengers(): Passenger[] {
  const list = samplePassengers(120, FLIGHT);
  list[3] = {
    ...list[3]!,
    document: {
      type: 'P',
      format: 'TD3',
      number: 'X1234567',
      issuingState: 'GBR',
      nationality: 'GBR',
      lastName: list[3]!.lastName,
      firstName: list[3]!.firstName,
      birthDate: '1980-01-01',
      expiryDate: '2030-01-01',
      sex: 'F',
      source: 'reader',
      nameMismatch: false,
      recordedAt: '2026-11-26T12:00:00.000Z',
      recordedBy: 'AG1001',
    },
  };
  list[5] = { ...list[5]!, acceptedAsStandby: true, onward: [] };
  return list;
}

function database(factory = new IDBFactory(), sealer: ReturnType<typeof aesGcmSealer> | null = null): BackstopDB {
  const db = openDatabase('form-test', { indexedDB: factory, IDBKeyRange, sealer });
  opened.push(db);
  return db;
}

/** The manifest record as IndexedDB holds it, read with the plain IndexedDB API. */
function rawManifest(factory: IDBFactory, flightId: string): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve, reject) => {
    const open = factory.open('form-test');
    open.onerror = () => reject(open.error ?? new Error('open'));
    open.onsuccess = () => {
      const req = open.result.transaction('manifests').objectStore('manifests').get(flightId);
      req.onerror = () => reject(req.error ?? new Error('get'));
      req.onsuccess = () => {
        open.result.close();
        resolve(req.result as Record<string, unknown> | undefined);
      };
    };
  });
}

function rawPut(factory: IDBFactory, row: object): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = factory.open('form-test');
    open.onerror = () => reject(open.error ?? new Error('open'));
    open.onsuccess = () => {
      const tx = open.result.transaction('manifests', 'readwrite');
      tx.objectStore('manifests').put(row);
      tx.oncomplete = () => {
        open.result.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error ?? new Error('put'));
    };
  });
}

describe('manifests stored as columns', () => {
  it('stores one text per flight and gives back the same passengers on every read path', async () => {
    const factory = new IDBFactory();
    const db = database(factory);
    const passengers = richPassengers();
    const manifest: Manifest = { flightId: FLIGHT.id, passengers, base: null, asOf: '2026-11-26T12:00:00.000Z' };
    await db.manifests.put(manifest);

    const raw = await rawManifest(factory, FLIGHT.id);
    expect(typeof raw?.passengers).toBe('string');
    expect(raw?.passengers).toBe(storedPassengers(FLIGHT.id, passengers));
    expect(raw).toMatchObject({ flightId: FLIGHT.id, base: null, asOf: manifest.asOf });

    expect(await db.manifests.get(FLIGHT.id)).toEqual(manifest);
    expect(await db.manifests.bulkGet([FLIGHT.id])).toEqual([manifest]);
    expect(await db.manifests.toArray()).toEqual([manifest]);
    expect(await db.manifests.where('flightId').anyOf([FLIGHT.id]).toArray()).toEqual([manifest]);
    expect(await db.manifests.filter((m) => m.passengers.length === passengers.length).toArray()).toEqual([manifest]);
    const seen: Manifest[] = [];
    await db.manifests.each((m) => void seen.push(m));
    expect(seen).toEqual([manifest]);
    // modify reads through the cursor and writes back through the put: still columns, one more change.
    await db.manifests.toCollection().modify((m) => {
      m.passengers[0] = { ...m.passengers[0]!, remark: 'moved to the front' };
    });
    expect((await db.manifests.get(FLIGHT.id))!.passengers[0]!.remark).toBe('moved to the front');
    expect(typeof (await rawManifest(factory, FLIGHT.id))?.passengers).toBe('string');
  });

  it('a staff action through the write path reads and writes the compact form', async () => {
    const factory = new IDBFactory();
    const db = database(factory);
    const F = flight();
    await seedFlight(db, { flight: F, seatMap: A320, passengers: [passenger({ id: 'PAX1' })], leases: [lease(F.id, 100, 120)] });
    const out = await checkIn(
      db,
      { staffId: 'AG1001', role: 'agent' },
      { flightId: F.id, passengerId: 'PAX1', seat: '10C', bags: { count: 0, weightKg: 0 }, docsChecked: true, standby: false },
      fixtureClock,
    );
    expect(out).toMatchObject({ ok: true });
    expect((await db.manifests.get(F.id))!.passengers[0]).toMatchObject({ id: 'PAX1', status: 'checked-in', seat: '10C' });
    expect(typeof (await rawManifest(factory, F.id))?.passengers).toBe('string');
  });

  it('keeps as it was what the columns cannot hold exactly', () => {
    const base = passenger({ id: 'PAX1', flightId: FLIGHT.id });
    const cases: [string, Passenger[]][] = [
      ['a key the schema does not have', [{ ...base, extra: 1 } as Passenger]],
      ['another flight’s passenger', [{ ...base, flightId: 'OTHER' }]],
      ['null in an optional field', [{ ...base, document: null } as unknown as Passenger]],
      ['a required field left out', [(({ remark: _, ...rest }) => rest)(base) as Passenger]],
      ['a required field undefined', [{ ...base, seat: undefined } as unknown as Passenger]],
    ];
    for (const [why, list] of cases) expect(storedPassengers(FLIGHT.id, list), why).toBe(list);
    // An optional field present as undefined is absent after the round trip (the one difference allowed).
    const loose = [{ ...base, document: undefined }];
    const text = storedPassengers(FLIGHT.id, loose);
    expect(typeof text).toBe('string');
    expect(loadedPassengers(FLIGHT.id, text)).toEqual([base]);
    expect('document' in loadedPassengers(FLIGHT.id, text)[0]!).toBe(false);
  });

  it('reads records stored before (passengers as an array) and stores them compactly on their next write', async () => {
    const factory = new IDBFactory();
    const db = database(factory);
    await db.manifests.put({ flightId: 'X', passengers: [], base: null, asOf: 'now' });
    const passengers = samplePassengers(30, FLIGHT);
    await rawPut(factory, { flightId: FLIGHT.id, passengers, base: null, asOf: '2026-11-26T12:00:00.000Z' });
    expect((await db.manifests.get(FLIGHT.id))!.passengers).toEqual(passengers);
    await db.manifests.update(FLIGHT.id, { asOf: '2026-11-26T13:00:00.000Z' });
    expect(typeof (await rawManifest(factory, FLIGHT.id))?.passengers).toBe('string');
    expect((await db.manifests.get(FLIGHT.id))!.passengers).toEqual(passengers);
  });

  it('a damaged stored text is an error naming the flight, on every read; the other flights still read', async () => {
    const factory = new IDBFactory();
    const db = database(factory);
    await db.manifests.put({ flightId: 'GOOD', passengers: [], base: null, asOf: 'now' });
    await rawPut(factory, { flightId: FLIGHT.id, passengers: '{"n":3,"c":{"id":["a"', base: null, asOf: 'now' });
    await expect(db.manifests.get(FLIGHT.id)).rejects.toThrow(`manifest ${FLIGHT.id}: its stored passengers are not readable`);
    await rawPut(factory, { flightId: FLIGHT.id, passengers: '{"n":3,"c":{"id":["a"]}}', base: null, asOf: 'now' });
    await expect(db.manifests.get(FLIGHT.id)).rejects.toThrow('stored passenger columns: column id does not hold 3 values');
    await expect(db.manifests.toArray()).rejects.toThrow('stored passenger columns');
    expect((await db.manifests.get('GOOD'))?.passengers).toEqual([]);
  });

  it('uses the stored form made ahead for that very record (a first fill makes it off the storing thread)', async () => {
    const factory = new IDBFactory();
    const db = database(factory);
    const manifest: Manifest = { flightId: FLIGHT.id, passengers: samplePassengers(40, FLIGHT), base: null, asOf: 'now' };
    const stored = precodeManifest(manifest) as Record<string, unknown>;
    expect(precodeManifest(manifest)).toBe(stored);
    expect(typeof stored.passengers).toBe('string');
    const asMade = structuredClone(manifest);
    // The record must not change once made ahead; changing it here shows that what was made is what lands.
    manifest.passengers.pop();
    await db.manifests.add(manifest);
    expect((await rawManifest(factory, FLIGHT.id))?.passengers).toBe(stored.passengers);
    expect(await db.manifests.get(FLIGHT.id)).toEqual(asMade);
  });

  it('made ahead from the columns the passengers were built from, it stores their text as it is', async () => {
    const factory = new IDBFactory();
    const db = database(factory);
    const passengers = richPassengers();
    // The wire may carry an optional column that holds no value at all; the passengers read back the same.
    const columns = toColumns(passengers);
    columns.c.vettingOverride = passengers.map(() => null);
    const manifest: Manifest = { flightId: FLIGHT.id, passengers, base: null, asOf: 'now' };
    precodeManifest(manifest, columns);
    await db.manifests.add(manifest);
    expect((await rawManifest(factory, FLIGHT.id))?.passengers).toBe(JSON.stringify(columns));
    expect(await db.manifests.get(FLIGHT.id)).toEqual(manifest);
    // Columns that are not the passengers' (one fewer: a duplicate merged away) are not used.
    const other: Manifest = { flightId: 'OTHER', passengers: [], base: null, asOf: 'now' };
    expect((precodeManifest(other, columns) as Manifest).passengers).toBe(JSON.stringify(toColumns([])));
  });

  it('sealed at rest: the compact text is sealed, no name on disk, and reads back the same', async () => {
    const factory = new IDBFactory();
    const keys = await browserKeys({ indexedDB: factory, IDBKeyRange });
    const db = database(factory, aesGcmSealer(keys.data));
    const passengers = richPassengers();
    await db.manifests.put({ flightId: FLIGHT.id, passengers, base: null, asOf: 'now' });
    const raw = await rawManifest(factory, FLIGHT.id);
    expect(raw?.[SEALED]).toBeInstanceOf(Uint8Array);
    expect('passengers' in raw!).toBe(false);
    expect(JSON.stringify(raw)).not.toContain(passengers[0]!.lastName);
    expect((await db.manifests.get(FLIGHT.id))!.passengers).toEqual(passengers);
  });
});

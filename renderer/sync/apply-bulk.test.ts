/**
 * A bulk page stored on a database sealed at rest: the new flights' records are made and sealed
 * ahead of the transaction (WebCrypto), and what lands is what the ordinary path would store — the
 * same plain records for the app, nothing readable on disk.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { toColumns, decodeBulkPage, type DecodedBulkPage } from '../../shared/protocol/bulk';
import type { Change } from '../../shared/protocol/v1';
import { A320, flight, passenger } from '../../tests/support/fixtures';
import { aesGcmSealer, type Sealer } from '../db/at-rest';
import { browserKeys } from '../db/keys';
import { openDatabase, type BackstopDB } from '../db/schema';
import { applyPullPage, readyBulkPage, storeReadyPage } from './apply-pull';

/** A bulk page made ready and stored in one go, as a one-thread fill does. */
async function applyBulkPage(db: BackstopDB, page: DecodedBulkPage, cursor: string, at: string) {
  return storeReadyPage(db, await readyBulkPage(db, page, at), cursor);
}

const opened: BackstopDB[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const AT = '2026-11-26T10:00:00.000Z';
const flights = [flight({ id: 'F1' }), flight({ id: 'F2', number: '124' })];
const passengers = flights.flatMap((f) =>
  Array.from({ length: 3 }, (_, i) => passenger({ id: `${f.id}.${i}`, flightId: f.id, lastName: `NAME${'ABC'[i]}`, pnr: `PNR00${i}` })),
);

function bulkPage() {
  const decoded = decodeBulkPage({
    protocol: 1,
    format: 1,
    snapshot: 'c0',
    changes: [{ op: 'put', kind: 'seatMap', id: A320.id, version: 1, data: A320 }],
    flights: flights.map((f, i) => ({ flight: f, version: 10 + i, pax: toColumns(passengers.filter((p) => p.flightId === f.id)) })),
    cursor: 'c1',
    hasMore: false,
    remaining: 0,
    serverTime: AT,
    dcs: 'up',
  });
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.value;
}

/** The same flights as the per-change feed carries them. */
function feedPage() {
  const changes: Change[] = [
    { op: 'put', kind: 'seatMap', id: A320.id, version: 1, data: A320 },
    ...flights.map((f, i): Change => ({ op: 'put', kind: 'flight', id: f.id, version: 10 + i, data: f })),
    ...passengers.map((p, i): Change => ({ op: 'put', kind: 'passenger', id: p.id, version: 20 + i, data: p })),
  ];
  return { protocol: 1 as const, changes, cursor: 'c0', hasMore: false, serverTime: AT, dcs: 'up' as const };
}

async function database(sealing: boolean): Promise<{ db: BackstopDB; raw: BackstopDB; syncSeals: () => number }> {
  const factory = new IDBFactory();
  const keys = await browserKeys({ indexedDB: factory, IDBKeyRange });
  const inner = aesGcmSealer(keys.data);
  let seals = 0;
  const sealer: Sealer = {
    ...inner,
    seal: (plain) => {
      seals++;
      return inner.seal(plain);
    },
  };
  const db = openDatabase('bulk-test', { indexedDB: factory, IDBKeyRange, sealer: sealing ? sealer : null });
  const raw = openDatabase('bulk-test', { indexedDB: factory, IDBKeyRange, sealer: null });
  opened.push(db, raw);
  return { db, raw, syncSeals: () => seals };
}

async function contents(db: BackstopDB) {
  return {
    flights: await db.flights.toArray(),
    manifests: await db.manifests.toArray(),
    search: await db.searchIndex.toArray(),
  };
}

describe('a bulk page on a database sealed at rest', () => {
  it('stores the new flights sealed ahead off the storing thread, as the per-change feed would store them', async () => {
    const bulk = await database(true);
    await applyBulkPage(bulk.db, bulkPage(), 'c0', AT);
    // Nothing of the manifests or the search text was sealed on the storing thread.
    expect(bulk.syncSeals()).toBe(0);
    const feed = await database(true);
    await applyPullPage(feed.db, feedPage(), AT);
    expect(feed.syncSeals()).toBeGreaterThan(0);
    expect(await contents(bulk.db)).toEqual(await contents(feed.db));
    const disk = JSON.stringify(await bulk.raw.manifests.toArray()) + JSON.stringify(await bulk.raw.searchIndex.toArray());
    expect(disk).not.toContain('NAMEA');
    expect(disk).not.toContain('PNR000');
    expect((await bulk.db.manifests.get('F1'))!.passengers.map((p) => p.lastName)).toEqual(['NAMEA', 'NAMEB', 'NAMEC']);
  });

  it('stores the same records on a database that is not sealed', async () => {
    const bulk = await database(false);
    await applyBulkPage(bulk.db, bulkPage(), 'c0', AT);
    const feed = await database(false);
    await applyPullPage(feed.db, feedPage(), AT);
    expect(await contents(bulk.db)).toEqual(await contents(feed.db));
  });

  it('stores a new flight’s passengers as the text of the columns they arrived in (manifest-form.ts), read back as objects', async () => {
    const bulk = await database(false);
    const page = bulkPage();
    // An optional column holding no value (the wire may carry one): re-encoding the passengers would leave it out.
    page.flights[0]!.columns.c.vettingOverride = [null, null, null];
    await applyBulkPage(bulk.db, page, 'c0', AT);
    const stored = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = bulk.db.backendDB().transaction('manifests').objectStore('manifests').get('F1');
      req.onsuccess = () => resolve(req.result as Record<string, unknown>);
      req.onerror = () => reject(req.error ?? new Error('get'));
    });
    expect(stored.passengers).toBe(JSON.stringify(page.flights[0]!.columns));
    expect((await bulk.db.manifests.get('F1'))!.passengers).toEqual(passengers.filter((p) => p.flightId === 'F1'));
  });

  it('stores a passenger a document names twice once, its later state in its first place, as the feed would', async () => {
    const f1 = passengers.filter((p) => p.flightId === 'F1');
    const again = { ...f1[0]!, lastName: 'RENAMED' };
    const page = bulkPage();
    const doc = page.flights.find((d) => d.flight.id === 'F1')!;
    doc.passengers = [...f1, again];
    doc.columns = toColumns(doc.passengers);
    const bulk = await database(false);
    await applyBulkPage(bulk.db, page, 'c0', AT);
    const stored = (await bulk.db.manifests.get('F1'))!.passengers;
    expect(stored.map((p) => [p.id, p.lastName])).toEqual([
      ['F1.0', 'RENAMED'],
      ['F1.1', 'NAMEB'],
      ['F1.2', 'NAMEC'],
    ]);
    expect((await bulk.db.flights.get('F1'))!.counts.booked).toBe(3);
    expect((await bulk.db.searchIndex.get('F1'))!.text).not.toContain('NAMEA');
  });
});

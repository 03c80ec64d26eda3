/**
 * Bulk pages on the wire (server/sync/bulk.ts): to a client that takes deflate, one zlib stream of the
 * stored documents as they are; to any other, the same JSON, plain or compressed at serve time.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_NEXT_HEADER, type BulkResponse } from '../../shared/protocol/bulk';
import { openSqlite } from '../db/driver';
import { dbPath } from '../db/database';
import { bulkBothWays, bulkPageOf, decoded, rawBulk, type BulkAsk, type WireResponse } from '../../tests/support/wire';
import {
  bookable,
  freeSeats,
  inspectDatabase,
  startTestServer,
  Synced,
  tempDir,
  TEST_STORE,
  type TestServer,
} from '../../tests/support/server-harness';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ flights: 6, seed: 29 });
});
afterAll(() => server.cleanup());

const bulk = (desk: Synced, ask: BulkAsk, acceptEncoding: string | null) => rawBulk(desk.ws, ask, acceptEncoding);
const bothWays = (desk: Synced, ask: BulkAsk) => bulkBothWays(desk.ws, ask);

async function storedPieces(): Promise<Map<string, { piece: Buffer; size: number; stamp: string }>> {
  const db = await inspectDatabase(server);
  try {
    const rows = await db.all<{ flight_id: string; piece: Uint8Array; size: number; stamp: string }>(
      'SELECT flight_id, piece, size, stamp FROM flight_doc_deflate',
    );
    return new Map(rows.map((r) => [r.flight_id, { piece: Buffer.from(r.piece), size: Number(r.size), stamp: r.stamp }]));
  } finally {
    await db.close();
  }
}

describe('bulk pages to a client that takes deflate', () => {
  it('are the stored documents as they are, in one zlib stream that inflates to exactly the plain page: first, middle and last', async () => {
    const desk = await Synced.enrol(server.url, 'WIRE-1');
    const pages: { deflated: WireResponse; plain: Buffer; page: BulkResponse }[] = [];
    let cursor: string | null = null;
    do {
      const answer = await bothWays(desk, { cursor, maxFlights: 2 });
      pages.push(answer);
      cursor = answer.page.cursor;
    } while (pages.at(-1)!.page.hasMore);
    expect(pages.map((p) => p.page.flights.length)).toEqual([2, 2, 2]);
    expect(pages[0]!.page.changes.length).toBeGreaterThan(0);
    expect(pages.slice(1).every((p) => p.page.changes.length === 0)).toBe(true);
    // Each stored piece crosses the wire byte for byte, inside the page that carries its flight.
    const stored = await storedPieces();
    expect(stored.size).toBe(6);
    for (const { deflated, page } of pages) {
      for (const f of page.flights) expect(deflated.wire.indexOf(stored.get(f.flight.id)!.piece), f.flight.id).toBeGreaterThan(0);
    }
    const wire = pages.reduce((n, p) => n + p.deflated.wire.length, 0);
    const plain = pages.reduce((n, p) => n + p.plain.length, 0);
    expect(wire * 4).toBeLessThan(plain);
  });

  it('are read by fetch as a workstation reads them', async () => {
    const desk = await Synced.enrol(server.url, 'WIRE-2');
    const identity = await bulk(desk, { cursor: null, maxFlights: 3 }, null);
    const viaFetch = await desk.ws.post('/v1/sync/bulk', {
      clientId: desk.ws.deviceId,
      station: desk.ws.station,
      cursor: null,
      maxFlights: 3,
    });
    expect(viaFetch.status).toBe(200);
    expect(viaFetch.headers.get('content-encoding')).toBe('deflate');
    expect(viaFetch.text).toBe(identity.wire.toString('utf8'));
    expect(bulkPageOf(Buffer.from(viaFetch.text)).flights).toHaveLength(3);
  });

  it('carry a document rebuilt because the flight changed since it was stored', async () => {
    const desk = await Synced.enrol(server.url, 'WIRE-3');
    await bothWays(desk, { cursor: null, maxFlights: 6 });
    const before = await storedPieces();
    const flight = desk.replica
      .flights()
      .find((f) => f.status === 'scheduled' && desk.replica.leases(f.id).length > 0 && bookable(desk.replica, f.id).length > 0)!;
    const passenger = bookable(desk.replica, flight.id)[0]!;
    const pushed = await desk.ws.push([desk.checkIn(passenger, freeSeats(desk.replica, flight)[0]!)]);
    expect(pushed.results[0]!.status).toBe('applied');
    // The deflate answer comes first, so it is the one that finds the document stale and rebuilds it.
    const { page } = await bothWays(desk, { cursor: null, maxFlights: 6 });
    const after = await storedPieces();
    expect(after.get(flight.id)!.stamp).not.toBe(before.get(flight.id)!.stamp);
    const served = page.flights.find((f) => f.flight.id === flight.id)!;
    const at = (served.pax.c.id as string[]).indexOf(passenger.id);
    expect((served.pax.c.status as string[])[at]).toBe('checked-in');
  });

  it('count maxBytes in the text a desk must parse, not in compressed bytes', async () => {
    const desk = await Synced.enrol(server.url, 'WIRE-4');
    const first = await bothWays(desk, { cursor: null, maxFlights: 2 });
    const stored = await storedPieces();
    const next = (await bothWays(desk, { cursor: first.page.cursor, maxFlights: 6 })).page.flights.map((f) => f.flight.id);
    // Documents and a comma after each: exactly what fits two of them, then a byte less.
    const two = stored.get(next[0]!)!.size + stored.get(next[1]!)!.size + 2;
    expect(two).toBeGreaterThan(1024);
    const fits = await bothWays(desk, { cursor: first.page.cursor, maxFlights: 6, maxBytes: two });
    expect(fits.page.flights.map((f) => f.flight.id)).toEqual(next.slice(0, 2));
    const short = await bothWays(desk, { cursor: first.page.cursor, maxFlights: 6, maxBytes: two - 1 });
    expect(short.page.flights.map((f) => f.flight.id)).toEqual(next.slice(0, 1));
    // Counted in compressed bytes, both documents would have fitted many times over.
    expect(fits.deflated.wire.length * 2).toBeLessThan(two - 1);
  });

  it('from a station with no flights are an empty page all the same', async () => {
    const empty = await startTestServer({ flights: 0 });
    try {
      const desk = await Synced.enrol(empty.url, 'WIRE-5');
      const { page } = await bothWays(desk, { cursor: null });
      expect(page.flights).toEqual([]);
      expect(page.changes.some((c) => c.kind === 'station')).toBe(true);
      expect([page.hasMore, page.remaining]).toEqual([false, 0]);
    } finally {
      await empty.cleanup();
    }
  });
});

describe('bulk pages to a client that does not take deflate', () => {
  it('are the same page, Brotli- or gzip-compressed at serve time, or plain', async () => {
    const desk = await Synced.enrol(server.url, 'WIRE-6');
    const ask = { cursor: null, maxFlights: 4 };
    const plain = await bulk(desk, ask, null);
    for (const [acceptEncoding, coding] of [
      ['br', 'br'],
      ['gzip, br', 'br'],
      ['gzip', 'gzip'],
      ['deflate;q=0, gzip', 'gzip'],
      ['identity', undefined],
      ['deflate;q=0', undefined],
    ] as const) {
      const res = await bulk(desk, ask, acceptEncoding);
      expect(res.headers['content-encoding'], acceptEncoding).toBe(coding);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.headers[BULK_NEXT_HEADER]).toBe(plain.headers[BULK_NEXT_HEADER]);
      expect(decoded(res).equals(plain.wire), acceptEncoding).toBe(true);
    }
    expect(bulkPageOf(plain.wire).flights).toHaveLength(4);
  });
});

describe('a database that a server of the earlier layout wrote', () => {
  it('keeps working: the text documents it kept are set aside and the fill is served from fresh ones', async () => {
    const dataDir = tempDir();
    const older = await startTestServer({ flights: 3, seed: 31, dataDir });
    const desk = await Synced.enrol(older.url, 'WIRE-OLD');
    await bothWays(desk, { cursor: null });
    await older.close();
    // What the earlier release left: documents as JSON text in flight_doc, no compressed table yet.
    const junk = '{"flight":"not this"}';
    if (TEST_STORE === 'sqlite') {
      const db = openSqlite(dbPath(dataDir));
      db.exec(`DROP TABLE flight_doc_deflate;
        CREATE TABLE flight_doc (station TEXT NOT NULL, flight_id TEXT NOT NULL, stamp TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (station, flight_id));
        INSERT INTO flight_doc SELECT station, id, '0.0.0', '${junk}' FROM entity WHERE kind = 'flight';`);
      db.close();
    } else {
      const client = new pg.Client({ connectionString: older.databaseUrl! });
      await client.connect();
      await client.query(`DELETE FROM schema_migrations WHERE version = 7; DROP TABLE flight_doc_deflate;
        INSERT INTO flight_doc SELECT station, id, '0.0.0', '${junk}' FROM entity WHERE kind = 'flight';`);
      await client.end();
    }
    const newer = await startTestServer({ flights: 3, seed: 31, dataDir });
    try {
      desk.ws.url = newer.url;
      const { page, plain } = await bothWays(desk, { cursor: null });
      expect(page.flights).toHaveLength(3);
      expect(plain.toString()).not.toContain('not this');
      const probe = await inspectDatabase(newer);
      try {
        const left =
          TEST_STORE === 'sqlite'
            ? await probe.all("SELECT name FROM sqlite_master WHERE name = 'flight_doc'")
            : await probe.all('SELECT flight_id FROM flight_doc');
        expect(left).toEqual([]);
        expect(await probe.all('SELECT flight_id FROM flight_doc_deflate')).toHaveLength(3);
      } finally {
        await probe.close();
      }
    } finally {
      await newer.cleanup();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBulkPage, type DecodedBulkPage } from '../../shared/protocol/bulk';
import {
  bookable,
  errorOf,
  freeSeats,
  inspectDatabase,
  startTestServer,
  Synced,
  type TestServer,
} from '../../tests/support/server-harness';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ flights: 6, seed: 3 });
});
afterAll(() => server.cleanup());

/** Every page of one bulk fill, decoded as a workstation decodes them. */
async function bulkFill(desk: Synced, maxFlights = 2): Promise<DecodedBulkPage[]> {
  const out: DecodedBulkPage[] = [];
  let cursor: string | null = null;
  for (;;) {
    const raw = await desk.ws.post('/v1/sync/bulk', { clientId: desk.ws.deviceId, station: desk.ws.station, cursor, maxFlights });
    expect(raw.status, raw.text).toBe(200);
    const decoded = decodeBulkPage(JSON.parse(raw.text));
    if (!decoded.ok) throw new Error(decoded.message);
    out.push(decoded.value);
    cursor = decoded.value.page.cursor;
    if (!decoded.value.page.hasMore) return out;
  }
}

async function storedDocs(): Promise<Map<string, string>> {
  const db = await inspectDatabase(server);
  try {
    const rows = await db.all<{ flight_id: string; stamp: string }>('SELECT flight_id, stamp FROM flight_doc_deflate');
    return new Map(rows.map((r) => [r.flight_id, r.stamp]));
  } finally {
    await db.close();
  }
}

describe('bulk pages of a first fill', () => {
  it('carry every live flight once, the small kinds only on the first page, and this desk’s leases only', async () => {
    const desk = await Synced.enrol(server.url, 'BULK-1');
    const other = await Synced.enrol(server.url, 'BULK-2');
    const pages = await bulkFill(desk);
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => p.page.remaining)).toEqual([4, 2, 0]);
    const flights = pages.flatMap((p) => p.flights.map((f) => f.flight.id));
    expect([...flights].sort()).toEqual(
      desk.replica
        .flights()
        .map((f) => f.id)
        .sort(),
    );
    const small = pages[0]!.page.changes;
    expect(new Set(small.map((c) => c.kind))).toEqual(new Set(['station', 'seatMap', 'staff', 'lease', 'tagLease']));
    const leaseOwners = new Set(small.flatMap((c) => (c.kind === 'lease' || c.kind === 'tagLease' ? [c.data.deviceId] : [])));
    expect(leaseOwners).toEqual(new Set([desk.ws.deviceId]));
    expect(other.ws.deviceId).not.toBe(desk.ws.deviceId);
    expect(pages.slice(1).every((p) => p.page.changes.length === 0)).toBe(true);
    // Each flight's passengers are the feed's, as the feed last sent them.
    for (const f of pages.flatMap((p) => p.flights)) {
      expect(f.passengers).toEqual(desk.replica.passengers(f.flight.id));
      expect(f.version).toBe(desk.replica.entities.get(`flight:${f.flight.id}`)!.version);
    }
  });

  it('keeps each flight’s document stored and rebuilds only the flights written since', async () => {
    const desk = await Synced.enrol(server.url, 'BULK-3');
    await bulkFill(desk);
    const before = await storedDocs();
    expect(before.size).toBe(6);
    const flight = desk.replica
      .flights()
      .find((f) => f.status === 'scheduled' && desk.replica.leases(f.id).length > 0 && bookable(desk.replica, f.id).length > 0)!;
    const passenger = bookable(desk.replica, flight.id)[0]!;
    const pushed = await desk.ws.push([desk.checkIn(passenger, freeSeats(desk.replica, flight)[0]!)]);
    expect(pushed.results[0]!.status).toBe('applied');
    const pages = await bulkFill(await Synced.enrol(server.url, 'BULK-4'));
    const after = await storedDocs();
    for (const [id, stamp] of before) {
      if (id === flight.id) expect(after.get(id)).not.toBe(stamp);
      else expect(after.get(id)).toBe(stamp);
    }
    const served = pages.flatMap((p) => p.flights).find((f) => f.flight.id === flight.id)!;
    expect(served.passengers.find((p) => p.id === passenger.id)).toMatchObject({ status: 'checked-in', checkedInBy: 'AG1001' });
  });

  it('continue the feed from the snapshot: a change made during the fill comes again after it', async () => {
    const desk = await Synced.enrol(server.url, 'BULK-5');
    const first = await bulkFill(desk, 6);
    const snapshot = first[0]!.page.snapshot;
    const flight = desk.replica
      .flights()
      .find((f) => f.status === 'scheduled' && desk.replica.leases(f.id).length > 0 && bookable(desk.replica, f.id).length > 0)!;
    const passenger = bookable(desk.replica, flight.id)[0]!;
    await desk.ws.push([desk.checkIn(passenger, freeSeats(desk.replica, flight)[0]!)]);
    const after = await desk.ws.pullAll(snapshot);
    expect(after.changes.some((c) => c.op === 'put' && c.kind === 'passenger' && c.id === passenger.id)).toBe(true);
  });

  it('refuse a cursor they did not issue, one from a replaced database, another station and a page too large', async () => {
    const desk = await Synced.enrol(server.url, 'BULK-6');
    const ask = (body: Record<string, unknown>) =>
      desk.ws.post('/v1/sync/bulk', { clientId: desk.ws.deviceId, station: desk.ws.station, cursor: null, ...body });
    const malformed = await ask({ cursor: 'not-a-cursor' });
    expect([malformed.status, errorOf(malformed).code]).toEqual([400, 'BAD_REQUEST']);
    const foreign = Buffer.from(JSON.stringify(['0123abcd', 5, ''])).toString('base64url');
    const expired = await ask({ cursor: foreign });
    expect([expired.status, errorOf(expired).code]).toEqual([409, 'CURSOR_EXPIRED']);
    const station = await ask({ station: 'CDG' });
    expect([station.status, errorOf(station).code]).toEqual([403, 'STATION_MISMATCH']);
    const tooMany = await ask({ maxFlights: 1_001 });
    expect(tooMany.status).toBe(400);
    const anonymous = await fetch(`${server.url}/v1/sync/bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'backstop-protocol': '1' },
      body: JSON.stringify({ clientId: desk.ws.deviceId, station: 'LHR', cursor: null }),
    });
    expect(anonymous.status).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFastAccepts, hostile, hostileRounds, setAt } from '../../tests/support/hostile';
import { SeededRandom } from '../../tests/support/random';
import { startTestServer, Workstation, type TestServer } from '../../tests/support/server-harness';
import { Passenger } from '../domain/schemas';
import { BulkResponse, decodeBulkPage, fromColumns, toColumns, type PassengerColumns } from './bulk';
import type { Change } from './v1';

let server: TestServer;
/** Real bulk pages of a real backend (two flights a page), and the same backend's per-change feed. */
let pages: { flights: { flight: { id: string }; pax: PassengerColumns }[] }[];
let feed: Change[];

beforeAll(async () => {
  server = await startTestServer({ flights: 6 });
  const ws = await Workstation.enrol(server.url);
  pages = [];
  let cursor: string | null = null;
  for (;;) {
    const raw = await ws.post('/v1/sync/bulk', { clientId: ws.deviceId, station: ws.station, cursor, maxFlights: 2 });
    expect(raw.status).toBe(200);
    const page = JSON.parse(raw.text) as (typeof pages)[number] & { cursor: string; hasMore: boolean };
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  feed = (await ws.pullAll()).changes;
});
afterAll(() => server.cleanup());

/** A real page cut down to its first flight's first passengers (hostile variants clone and parse it thousands of times). */
function smallPage(n = 6): (typeof pages)[number] {
  const page = pages[0]!;
  const f = page.flights[0]!;
  const c = Object.fromEntries(Object.entries(f.pax.c).map(([k, col]) => [k, col.slice(0, n)]));
  return { ...page, flights: [{ ...f, pax: { n, c } }] };
}

const passengersOfFeed = () => feed.flatMap((c) => (c.op === 'put' && c.kind === 'passenger' ? [c.data] : []));

describe('the bulk form of a first fill', () => {
  it('is checked by the compiled fast path: every real page is accepted as it is, without zod', () => {
    expect(pages.length).toBe(3);
    expectFastAccepts(BulkResponse, pages);
  });

  it('rebuilds exactly the passengers zod makes of the per-change feed, keys in the same order', () => {
    const fromFeed = new Map(passengersOfFeed().map((p) => [p.id, JSON.stringify(Passenger.parse(p))]));
    let n = 0;
    for (const page of pages) {
      const decoded = decodeBulkPage(page);
      if (!decoded.ok) throw new Error(decoded.message);
      for (const f of decoded.value.flights)
        for (const p of f.passengers) {
          expect(JSON.stringify(p)).toBe(fromFeed.get(p.id));
          n++;
        }
    }
    expect(n).toBe(fromFeed.size);
    // Optional fields (documents, flags, onward legs) are in the data, so their columns are exercised.
    expect(pages.some((p) => p.flights.some((f) => 'document' in f.pax.c || 'onward' in f.pax.c))).toBe(true);
  });

  it('round-trips passengers through columns, leaving absent optional fields absent', () => {
    const passengers = passengersOfFeed().slice(0, 40);
    const back = fromColumns(passengers[0]!.flightId, toColumns(passengers.filter((p) => p.flightId === passengers[0]!.flightId)));
    expect(back).toEqual(passengers.filter((p) => p.flightId === passengers[0]!.flightId));
    expect(fromColumns('X', toColumns([]))).toEqual([]);
  });

  it('gives the same verdict, output and issues as zod on thousands of hostile pages', () => {
    const random = new SeededRandom(23);
    const page = smallPage();
    const { tried, rejected } = hostileRounds(BulkResponse, random, 500, () => page);
    expect(tried).toBeGreaterThan(5_000);
    expect(rejected).toBeGreaterThan(tried / 2);
    expect(rejected).toBeLessThan(tried);
  });

  it('is exactly as strict as the per-passenger schema: a value in a column passes only where it would pass in the passenger', () => {
    const random = new SeededRandom(5);
    const page = smallPage();
    const decoded = decodeBulkPage(page);
    if (!decoded.ok) throw new Error(decoded.message);
    let compared = 0;
    let refused = 0;
    for (let round = 0; round < 600; round++) {
      const f = random.int(0, page.flights.length - 1);
      const columns = Object.keys(page.flights[f]!.pax.c);
      const key = random.pick(columns);
      const column = page.flights[f]!.pax.c[key as keyof PassengerColumns['c']]!;
      const j = random.int(0, column.length - 1);
      for (const replacement of hostile(column[j], random)) {
        if (replacement === undefined) continue;
        const bulkVerdict = BulkResponse.safeParse(setAt(page, ['flights', f, 'pax', 'c', key, j], replacement)).success;
        const passenger: Record<string, unknown> = { ...decoded.value.flights[f]!.passengers[j]! };
        // In a column null stands for an absent optional field; a field that takes null keeps it.
        if (replacement === null && !Passenger.shape[key as keyof typeof Passenger.shape].safeParse(null).success) delete passenger[key];
        else passenger[key] = replacement;
        expect(bulkVerdict, `${key}[${j}] = ${JSON.stringify(replacement)}`).toBe(Passenger.safeParse(passenger).success);
        compared++;
        if (!bulkVerdict) refused++;
      }
    }
    expect(compared).toBeGreaterThan(5_000);
    expect(refused).toBeGreaterThan(compared / 3);
  });
});

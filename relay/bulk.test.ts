/**
 * A station relay serves first fills in the bulk form from its own copy (server/sync/bulk.ts), its
 * documents stored compressed in its SQLite file like central's: to a desk that takes deflate, one
 * zlib stream of them, the same text a desk that takes nothing gets, with the relay's word on central.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkBothWays, type BulkAsk } from '../tests/support/wire';
import { startTestServer, Synced, tempDir, TEST_NOW, type TestServer } from '../tests/support/server-harness';
import { startRelay, type RunningRelay } from './relay';

let central: TestServer;
let relay: RunningRelay;

beforeAll(async () => {
  central = await startTestServer({ flights: 5, seed: 41 });
  relay = await startRelay({
    upstream: central.url,
    station: 'LHR',
    dataDir: tempDir('backstop-relay-'),
    port: 0,
    upstreamEnrolmentKey: 'backstop-demo',
    now: () => TEST_NOW,
    random: () => 0.5,
    logLevel: 'silent',
  });
  for (let i = 0; i < 400 && !relay.upstream().centralAsOf; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(relay.upstream().centralAsOf).not.toBeNull();
});
afterAll(async () => {
  await relay?.close();
  await central?.cleanup();
});

describe('bulk pages from a station relay', () => {
  it('inflate to exactly the plain page, every page, and carry what central carries', async () => {
    const atRelay = await Synced.enrol(relay.url, 'RELAY-WIRE');
    const atCentral = await Synced.enrol(central.url, 'CENTRAL-WIRE');
    const fill = async (desk: Synced) => {
      const pages = [];
      let ask: BulkAsk = { cursor: null, maxFlights: 2 };
      for (;;) {
        const { page } = await bulkBothWays(desk.ws, ask);
        pages.push(page);
        if (!page.hasMore) return pages;
        ask = { ...ask, cursor: page.cursor };
      }
    };
    const fromRelay = await fill(atRelay);
    const fromCentral = await fill(atCentral);
    expect(fromRelay).toHaveLength(3);
    expect(fromRelay.every((p) => p.relay !== undefined)).toBe(true);
    expect(fromCentral.every((p) => p.relay === undefined)).toBe(true);
    // The same flights and passengers; the order of passengers in a column follows each copy's own versions.
    const byFlight = (pages: typeof fromRelay) =>
      new Map(
        pages
          .flatMap((p) => p.flights)
          .map((d) => [d.flight.id, { flight: d.flight, ids: [...(d.pax.c.id as string[])].sort(), n: d.pax.n }]),
      );
    expect(byFlight(fromRelay)).toEqual(byFlight(fromCentral));
  });
});

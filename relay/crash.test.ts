/**
 * A station relay killed with SIGKILL while it forwards its desks' actions to central (a real
 * `relay/cli.ts` process; central holds each mutation's transaction open a while, so the kill lands
 * while central is still working through the relay's batch), then started again on the same data
 * dir: nothing its desks recorded is lost, and central applies each action exactly once; and bag-tag
 * serials it sub-leased before the kill are never granted again after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mutation } from '../shared/domain/mutations';
import type { TagLease } from '../shared/domain/schemas';
import { RelayProcess } from '../tests/support/relay-process';
import {
  bookable,
  freeSeats,
  inspectDatabase,
  openFlights,
  startTestServer,
  Synced,
  type TestServer,
} from '../tests/support/server-harness';

let central: TestServer;
let relay: RelayProcess;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function centralCounts(table: 'mutation_log' | 'ledger_fact', column: 'id' | 'mutation_id'): Promise<Map<string, number>> {
  const probe = await inspectDatabase(central);
  try {
    const rows = await probe.all<{ id: string; n: number }>(`SELECT ${column} AS id, count(*) AS n FROM ${table} GROUP BY ${column}`);
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  } finally {
    await probe.close();
  }
}

beforeAll(async () => {
  // Slow on purpose: each of the relay's mutations holds central's transaction 150 ms, committed in groups of 4.
  central = await startTestServer({ flights: 6, seed: 31, slowMutationMs: 150, commitGroup: 4 });
  relay = new RelayProcess({ upstream: central.url, now: '2026-11-26T10:00:00.000Z' });
  await relay.start();
  await until('the relay to copy central', async () => (await relay.upstream())?.centralAsOf);
});

afterAll(async () => {
  await relay?.close();
  await central?.cleanup();
});

describe('a relay killed in the middle of forwarding', () => {
  it('loses nothing, and forwards nothing twice, once it is started again', async () => {
    const desk = await Synced.enrol(relay.url, 'DESK-A');
    const flight = openFlights(desk.replica).sort((a, b) => bookable(desk.replica, b.id).length - bookable(desk.replica, a.id).length)[0]!;
    const pax = bookable(desk.replica, flight.id).slice(0, 16);
    const seats = freeSeats(desk.replica, flight);
    const batch: Mutation[] = pax.map((p, i) => desk.checkIn(p, seats[i] ?? null));
    const answer = await desk.ws.push(batch);
    expect(answer.results.map((r) => r.status)).toEqual(batch.map(() => 'applied'));

    // Central is part-way through the relay's batch: some groups committed, one open.
    await until('central to commit part of the batch', async () => {
      const log = await centralCounts('mutation_log', 'id');
      return batch.filter((m) => log.has(m.id)).length >= 4;
    });
    await relay.kill();
    const before = await centralCounts('mutation_log', 'id');
    expect(batch.filter((m) => before.has(m.id)).length).toBeLessThan(batch.length);

    await relay.start();
    await until('the relay to forward everything', async () => (await relay.upstream())?.unforwarded === 0);
    const log = await centralCounts('mutation_log', 'id');
    const facts = await centralCounts('ledger_fact', 'mutation_id');
    for (const m of batch) {
      expect(log.get(m.id), `central's log of ${m.id}`).toBe(1);
      expect(facts.get(m.id), `central's ledger of ${m.id}`).toBe(1);
    }
    const observer = await Synced.enrol(central.url, 'OBSERVER');
    for (const [i, p] of pax.entries()) {
      expect(observer.replica.passenger(p.id)).toMatchObject({ status: 'checked-in', seat: seats[i] ?? null });
    }
    // The desk's own copy, from the restarted relay, still has every action, and asking again changes nothing.
    await desk.sync();
    for (const p of pax) expect(desk.replica.passenger(p.id).status).toBe('checked-in');
    const again = await desk.ws.push(batch);
    expect(again.results.map((r) => r.status)).toEqual(batch.map(() => 'applied'));
    expect((await centralCounts('mutation_log', 'id')).get(batch[0]!.id)).toBe(1);
  }, 120_000);
});

describe('a relay killed after sub-leasing bag-tag serials', () => {
  it('never grants the same serials again after a restart', async () => {
    const tagLeases = (d: Synced) => d.replica.of<TagLease>('tagLease');
    const deskA = await Synced.enrol(relay.url, 'DESK-TAG-A');
    await until('desk A to hold serials', async () => tagLeases(deskA).length > 0 || (await deskA.sync(), false));
    const before = tagLeases(deskA);
    await relay.kill();
    await relay.start();
    await until('the relay to answer again', async () => (await relay.upstream())?.centralAsOf);
    const deskB = await Synced.enrol(relay.url, 'DESK-TAG-B');
    const deskC = await Synced.enrol(relay.url, 'DESK-TAG-C');
    await until('desks B and C to hold serials', async () => {
      await Promise.all([deskA.sync(), deskB.sync(), deskC.sync()]);
      return tagLeases(deskB).length > 0 && tagLeases(deskC).length > 0;
    });
    // Desk A keeps what it had; nobody else holds any of it, nor any serial twice.
    expect(tagLeases(deskA).map((l) => l.id)).toEqual(expect.arrayContaining(before.map((l) => l.id)));
    const probe = await inspectDatabase(central);
    const relayBlocks = await probe.all<{ from: number; to: number }>(
      `SELECT t.serial_from AS "from", t.serial_to AS "to" FROM tag_lease t JOIN device d ON d.id = t.device_id WHERE d.name = 'RELAY-LHR'`,
    );
    await probe.close();
    const serials = new Map<number, string>();
    for (const d of [deskA, deskB, deskC]) {
      for (const l of tagLeases(d)) {
        expect(relayBlocks.some((b) => b.from <= l.from && l.to <= b.to)).toBe(true);
        for (let n = l.from; n <= l.to; n++) {
          expect(serials.get(n), `serial ${n}`).toBeUndefined();
          serials.set(n, d.ws.deviceId);
        }
      }
    }
  }, 120_000);
});

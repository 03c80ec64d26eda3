/**
 * Fallback bag-tag leases over real HTTP and a real database: every workstation gets its own block
 * of serials, no two blocks overlap, plates printed from them are counted when their check-ins
 * arrive, a desk running low is topped up, and a desk that enrols again keeps its blocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocatePlates, heldLease, type HeldTagLease } from '../../shared/domain/bag-tags';
import type { Passenger, TagLease } from '../../shared/domain/schemas';
import { EnrolResponse, PullResponse } from '../../shared/protocol/v1';
import {
  Synced,
  bookable,
  freeSeats,
  inspectDatabase,
  openFlights,
  request,
  startTestServer,
  type TestServer,
} from '../../tests/support/server-harness';
import { TAG_POLICY } from './tag-leases';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.cleanup());

const tagLeases = (s: Synced) => s.replica.of<TagLease>('tagLease');
const held = (s: Synced): HeldTagLease[] => tagLeases(s).map((l) => ({ ...l, next: l.from }));

describe('bag-tag leases', () => {
  it('gives each workstation its own block for the carrier, so two desks never print the same plate', async () => {
    const desks = await Promise.all(['DESK-1', 'DESK-2', 'DESK-3'].map((name) => Synced.enrol(server.url, name)));
    const blocks = desks.map(tagLeases);
    for (const [i, b] of blocks.entries()) {
      expect(b).toHaveLength(1);
      expect(b[0]).toMatchObject({ carrier: 'BQ', airlineCode: '934', deviceId: desks[i]!.ws.deviceId });
      expect(b[0]!.to - b[0]!.from + 1).toBe(TAG_POLICY.block);
    }
    // Every plate each desk can print from its block, together: no plate twice.
    const plates = desks.flatMap((d) => allocatePlates(held(d), 'BQ', TAG_POLICY.block, new Set())!.plates);
    expect(plates).toHaveLength(3 * TAG_POLICY.block);
    expect(new Set(plates).size).toBe(plates.length);
    expect(plates.every((p) => /^1934\d{6}$/.test(p))).toBe(true);
    // A leased block goes to its workstation only: another desk never sees it.
    expect(tagLeases(desks[0]!).every((l) => l.deviceId === desks[0]!.ws.deviceId)).toBe(true);
  });

  it('counts the plates of applied check-ins, tops a desk up when it runs low, and withdraws a block it used up', async () => {
    const desk = await Synced.enrol(server.url, 'DESK-BUSY');
    const [first] = tagLeases(desk);
    const flight = openFlights(desk.replica)[0]!;
    const pax = bookable(desk.replica, flight.id)[0]!;
    const seat = freeSeats(desk.replica, flight)[0]!;
    // The desk has printed all but a few of its block (offline, say); its last check-in carries the latest plates.
    const plates = allocatePlates(held(desk), 'BQ', TAG_POLICY.block - TAG_POLICY.minFree + 2, new Set())!.plates;
    const last = plates.slice(-2);
    const pieces = last.map((tag) => ({ tag, weightKg: 20, destination: flight.destination }));
    const result = await desk.ws.push([desk.checkIn(pax, seat, { bags: { count: 2, weightKg: 40, pieces } })]);
    expect(result.results[0]).toMatchObject({ status: 'applied' });
    await desk.sync();
    const now = tagLeases(desk);
    expect(now.map((l) => l.id)).toContain(first!.id);
    expect(now).toHaveLength(2);
    const fresh = now.find((l) => l.id !== first!.id)!;
    expect(fresh.from > first!.to || fresh.to < first!.from).toBe(true);
    // The passenger's bags carry their tags on the backend.
    expect(desk.replica.passenger(pax.id).bags.pieces?.map((b) => b.tag)).toEqual(last);

    // The desk prints the first block's last plate and runs the second one low: a third block comes,
    // and the first, used up, is withdrawn from the desk (its numbers stay recorded as held until then).
    const pax2 = bookable(desk.replica, flight.id)[1]!;
    const seat2 = freeSeats(desk.replica, flight)[0]!;
    const endOfFirst = `1934${String(first!.to).padStart(6, '0')}`;
    const lowInSecond = `1934${String(fresh.to - TAG_POLICY.minFree + 1).padStart(6, '0')}`;
    const more = [endOfFirst, lowInSecond].map((tag) => ({ tag, weightKg: 20, destination: flight.destination }));
    expect((await desk.ws.push([desk.checkIn(pax2, seat2, { bags: { count: 2, weightKg: 40, pieces: more } })])).results[0]).toMatchObject({
      status: 'applied',
    });
    await desk.sync();
    const later = tagLeases(desk).map((l) => l.id);
    expect(later).not.toContain(first!.id);
    expect(later).toContain(fresh.id);
    expect(later).toHaveLength(2);
  });

  it('keeps a desk’s blocks when it enrols again, and moves them to the new enrolment', async () => {
    const before = await Synced.enrol(server.url, 'DESK-REENROL');
    const ids = tagLeases(before)
      .map((l) => l.id)
      .sort();
    // The desk tags three bags before it loses its local copy.
    const flight = openFlights(before.replica)[0]!;
    const tagged = allocatePlates(held(before), 'BQ', 3, new Set())!.plates;
    const pieces = tagged.map((tag) => ({ tag, weightKg: 20, destination: flight.destination }));
    const pax = bookable(before.replica, flight.id).at(-1)!;
    const checkIn = before.checkIn(pax, freeSeats(before.replica, flight).at(-1)!, { bags: { count: 3, weightKg: 60, pieces } });
    expect((await before.ws.push([checkIn])).results[0]).toMatchObject({ status: 'applied' });
    const again = await request(`${server.url}/v1/devices`, 'POST', {
      name: 'DESK-REENROL',
      station: 'LHR',
      enrolmentKey: 'backstop-demo',
      previous: { deviceId: before.ws.deviceId, token: before.ws.token },
    });
    expect(again.status).toBe(201);
    const { deviceId, token } = EnrolResponse.parse(JSON.parse(again.text));
    const pulled = await request(
      `${server.url}/v1/sync/pull`,
      'POST',
      { clientId: deviceId, station: 'LHR', cursor: null },
      { authorization: `Bearer ${token}` },
    );
    const changes = PullResponse.parse(JSON.parse(pulled.text)).changes;
    const mine = changes.flatMap((c) => (c.op === 'put' && c.kind === 'tagLease' ? [c.data] : []));
    // The same blocks (plates it printed offline came from them), now the new enrolment's.
    expect(mine.map((l) => l.id).sort()).toEqual(ids);
    expect(mine.every((l) => l.deviceId === deviceId)).toBe(true);
    // A desk starting from nothing goes on past the plates the backend saw it print.
    const fresh = mine.map((l) => heldLease(l, undefined));
    const next = allocatePlates(fresh, 'BQ', 3, new Set())!.plates;
    expect(next.filter((p) => tagged.includes(p))).toEqual([]);
    expect(Number(next[0]!.slice(4))).toBe(Number(tagged.at(-1)!.slice(4)) + 1);
    const db = await inspectDatabase({ dataDir: server.dataDir, databaseUrl: server.databaseUrl });
    try {
      const rows = await db.all<{ n: number }>('SELECT count(*) AS n FROM tag_lease WHERE device_id = ?', before.ws.deviceId);
      expect(Number(rows[0]?.n)).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('never gives two desks the same plate while they work offline through several lease renewals', async () => {
    const desks = await Promise.all(['DESK-RENEW-A', 'DESK-RENEW-B'].map((name) => Synced.enrol(server.url, name)));
    // What each desk holds of its blocks, as the workstation keeps it (renderer/sync/apply-pull.ts).
    const holding = desks.map((d) => new Map(tagLeases(d).map((l) => [l.id, heldLease(l, undefined)])));
    const renew = (i: number) => {
      const had = holding[i]!;
      holding[i] = new Map(tagLeases(desks[i]!).map((l) => [l.id, heldLease(l, had.get(l.id))]));
    };
    // Passengers and seats split between the desks, so their check-ins never clash over a person or a seat.
    const work = openFlights(desks[0]!.replica).flatMap((f) => {
      const seats = freeSeats(desks[0]!.replica, f);
      return bookable(desks[0]!.replica, f.id)
        .slice(0, seats.length)
        .map((p, k) => ({ p, seat: seats[k]!, flight: f }));
    });
    const queue = desks.map((_, i) => work.filter((_, k) => k % 2 === i));
    const printed: string[] = [];
    const leaseIds = desks.map(() => new Set<string>());
    for (let round = 0; round < 3; round++) {
      // Offline: each desk tags 8 passengers' 20 bags from what it holds, and queues the check-ins.
      const outbox = desks.map((desk, i) =>
        Array.from({ length: 8 }, () => {
          const { p, seat, flight } = queue[i]!.shift() as { p: Passenger; seat: string; flight: { destination: string } };
          const got = allocatePlates([...holding[i]!.values()], 'BQ', 20, new Set());
          if (!got) throw new Error(`desk ${i} ran out of plates in round ${round}`);
          for (const [id, next] of got.next) holding[i]!.set(id, { ...holding[i]!.get(id)!, next });
          printed.push(...got.plates);
          const pieces = got.plates.map((tag) => ({ tag, weightKg: 20, destination: flight.destination }));
          return desk.checkIn(p, seat, { bags: { count: 20, weightKg: 400, pieces } });
        }),
      );
      // Back online, one after the other: every check-in stands, and each desk gets a new block.
      for (const [i, desk] of desks.entries()) {
        const results = (await desk.ws.push(outbox[i]!)).results;
        expect(results.map((r) => r.status)).toEqual(outbox[i]!.map(() => 'applied'));
        await desk.sync();
        renew(i);
        for (const id of holding[i]!.keys()) leaseIds[i]!.add(id);
      }
    }
    expect(printed).toHaveLength(2 * 3 * 8 * 20);
    expect(new Set(printed).size).toBe(printed.length);
    // The desks went through several blocks each, and never one of the other's.
    for (const ids of leaseIds) expect(ids.size).toBeGreaterThanOrEqual(3);
    expect([...leaseIds[0]!].filter((id) => leaseIds[1]!.has(id))).toEqual([]);
  });
});

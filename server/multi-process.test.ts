/**
 * Two backend processes (`server/cli.ts`) serving one PostgreSQL database, started at the same moment:
 * workstations enrol, pull and push through both at random, some batches are sent to both at once,
 * the DCS steps through both, and a reader pulls small pages all along. Then:
 * - exactly once: every mutation has one log row and one ledger fact, every workstation's lastSeq is
 *   its last seq, and a batch sent to both processes got the same bytes from each;
 * - leases: no two blocks on a flight overlap, no workstation got two blocks from one top-up raced on
 *   both processes, and no sequence number is on two passengers;
 * - no pull skipped a change: the reader's copy, built from pages that raced the commits, equals a
 *   fresh full pull.
 * Runs only against PostgreSQL (BACKSTOP_TEST_DATABASE_URL); SQLite has one process by design.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Mutation } from '../shared/domain/mutations';
import type { Passenger, SeqLease } from '../shared/domain/schemas';
import { PullResponse, PushResponse, type Change } from '../shared/protocol/v1';
import { Random } from './demo/random';
import {
  ADMIN_TOKEN,
  Replica,
  Synced,
  TEST_DATABASE_URL,
  Workstation,
  bookable,
  freeSeats,
  inspectDatabase,
  openFlights,
  request,
  tempDir,
  testDatabase,
  type TestDatabase,
} from '../tests/support/server-harness';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];
let database: TestDatabase | null = null;

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await database?.drop();
});

async function startCli(db: TestDatabase): Promise<{ child: ChildProcess; url: string; banner: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/cli.ts',
      '--database',
      db.url ?? '',
      '--database-pool',
      '6',
      '--port',
      '0',
      '--flights',
      '8',
      '--log-level',
      'warn',
      '--admin-token',
      ADMIN_TOKEN,
      '--now',
      '2026-11-26T10:00:00.000Z',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  const banner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('listening on'));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  const url = /listening on (http:\/\/\S+)/.exec(banner)?.[1];
  if (!url) throw new Error(`no URL in: ${banner}`);
  return { child, url, banner };
}

const auth = (ws: Workstation) => ({ authorization: `Bearer ${ws.token}` });

async function pull(url: string, ws: Workstation, cursor: string | null, maxChanges?: number): Promise<PullResponse> {
  const body = { clientId: ws.deviceId, station: 'LHR', cursor, maxChanges };
  let res = await request(`${url}/v1/sync/pull`, 'POST', body, auth(ws));
  // A process that has just started asks for a few seconds to learn where the feed stands (503
  // TRY_AGAIN, server/sync/lineage.ts); a workstation retries a 5xx, and so does this client.
  for (let tries = 0; res.status === 503 && res.text.includes('TRY_AGAIN') && tries < 60; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    res = await request(`${url}/v1/sync/pull`, 'POST', body, auth(ws));
  }
  if (res.status !== 200) throw new Error(`pull: ${res.status} ${res.text}`);
  return PullResponse.parse(JSON.parse(res.text));
}

async function push(url: string, ws: Workstation, mutations: Mutation[]): Promise<{ text: string; body: PushResponse }> {
  const res = await request(`${url}/v1/sync/push`, 'POST', { clientId: ws.deviceId, mutations }, auth(ws));
  if (res.status !== 200) throw new Error(`push: ${res.status} ${res.text}`);
  return { text: res.text, body: PushResponse.parse(JSON.parse(res.text)) };
}

describe.skipIf(!TEST_DATABASE_URL)('two backend processes on one PostgreSQL database', () => {
  it('apply every mutation exactly once, never grant a number twice, and never let a pull skip a change', async () => {
    database = await testDatabase(tempDir('backstop-two-'));
    // Started together: one migrates and seeds, the other waits for it and finds the data there.
    const [a, b] = await Promise.all([startCli(database), startCli(database)]);
    expect([a.banner, b.banner].filter((l) => l.includes('seeded')).length).toBe(1);
    expect([a.banner, b.banner].filter((l) => l.includes('existing database kept')).length).toBe(1);
    const urls = [a.url, b.url];
    const rng = new Random('two-processes');
    const anyUrl = () => rng.pick(urls);

    // Workstations enrol through either process; each pulls its first page through BOTH at once, so
    // both processes race to top up the same workstation's leases.
    const desks = await Promise.all(Array.from({ length: 6 }, (_, i) => Workstation.enrol(urls[i % 2]!, `DESK ${i + 1}`)));
    await Promise.all(desks.flatMap((ws) => urls.map((url) => pull(url, ws, null, 1))));
    const synced = await Promise.all(
      desks.map(async (ws) => {
        const s = new Synced(ws);
        await s.sync();
        return s;
      }),
    );

    // One flight all desks work on, passengers and seats split between them.
    const probe = synced[0]!;
    const flight = openFlights(probe.replica).sort(
      (x, y) => bookable(probe.replica, y.id).length - bookable(probe.replica, x.id).length,
    )[0]!;
    const pax = bookable(probe.replica, flight.id);
    const seats = freeSeats(probe.replica, flight);
    const perDesk = Math.min(12, Math.floor(Math.min(pax.length, seats.length) / desks.length));
    expect(perDesk).toBeGreaterThanOrEqual(6);

    // A reader pulls small pages through either process while everything else happens.
    const reader = await Workstation.enrol(anyUrl(), 'READER');
    const seen = new Replica();
    let readerCursor: string | null = null;
    let writing = true;
    let readerPages = 0;
    const readerLoop = (async () => {
      while (writing) {
        const page: PullResponse = await pull(anyUrl(), reader, readerCursor, 7);
        seen.apply(page.changes);
        readerCursor = page.cursor;
        readerPages++;
        if (!page.hasMore) await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const sentTwice: string[][] = [];
    const allMutations = new Map<string, Mutation[]>();
    const deskWork = synced.map(async (s, d) => {
      const mine = pax.slice(d * perDesk, (d + 1) * perDesk);
      const mySeats = seats.slice(d * perDesk, (d + 1) * perDesk);
      const muts: Mutation[] = [];
      mine.forEach((p: Passenger, i) => {
        muts.push(s.checkIn(p, mySeats[i] ?? null));
        if (i % 3 === 0) muts.push(s.ws.mutation('passenger.board', { flightId: flight.id, passengerId: p.id, via: 'scan' }));
      });
      allMutations.set(s.ws.deviceId, muts);
      for (let i = 0; i < muts.length; i += 4) {
        const batch = muts.slice(i, i + 4);
        if (rng.chance(0.35)) {
          // The same batch through both processes at the same moment: one applies it, the other replays it.
          const [x, y] = await Promise.all([push(a.url, s.ws, batch), push(b.url, s.ws, batch)]);
          // Usually 'applied'. Once in CI, under load, one answer was something else (not reproduced in
          // eight runs since): whatever it is must not be a refusal — a desk resends 'deferred' and takes
          // 'duplicate' as done — and the database below must still hold each mutation exactly once.
          expect(x.body.results.map((r) => r.status).filter((st) => st !== 'applied' && st !== 'duplicate' && st !== 'deferred')).toEqual(
            [],
          );
          sentTwice.push([x.text, y.text]);
        } else {
          const r = await push(anyUrl(), s.ws, batch);
          expect(r.body.results.map((x) => x.status)).toEqual(batch.map(() => 'applied'));
        }
      }
    });
    // Upstream changes through both processes too (each step is one transaction of the station).
    const dcsWork = (async () => {
      for (let i = 0; i < 6; i++) {
        const res = await request(`${urls[i % 2]!}/v1/admin/dcs/step`, 'POST', {}, { authorization: `Bearer ${ADMIN_TOKEN}` });
        expect(res.status).toBe(200);
      }
    })();
    await Promise.all([...deskWork, dcsWork]);
    writing = false;
    await readerLoop;

    // Both answers to a batch sent twice are the same bytes.
    expect(sentTwice.length).toBeGreaterThan(0);
    for (const [x, y] of sentTwice) expect(y).toBe(x);

    // Exactly once, in the database itself.
    const db = await inspectDatabase({ dataDir: database.dataDir, databaseUrl: database.url });
    try {
      for (const [deviceId, muts] of allMutations) {
        const log = await db.all<{ id: string; seq: number }>(
          'SELECT id, seq FROM mutation_log WHERE device_id = ? ORDER BY seq',
          deviceId,
        );
        expect(log.map((l) => l.id)).toEqual(muts.map((m) => m.id));
        const [device] = await db.all<{ last_seq: number }>('SELECT last_seq FROM device WHERE id = ?', deviceId);
        expect(device?.last_seq).toBe(muts.length);
      }
      const ids = [...allMutations.values()].flat().map((m) => m.id);
      const facts = await db.all<{ mutation_id: string; n: number }>(
        'SELECT mutation_id, CAST(count(*) AS INTEGER) AS n FROM ledger_fact WHERE flight_id = ? GROUP BY mutation_id',
        flight.id,
      );
      const factCount = new Map(facts.map((f) => [f.mutation_id, f.n]));
      for (const id of ids) expect(factCount.get(id), `facts of ${id}`).toBe(1);
      // Bag-tag serial blocks, granted by both processes: never one serial twice.
      const blocks = await db.all<{ airline_code: string; serial_from: number; serial_to: number }>(
        'SELECT airline_code, serial_from, serial_to FROM tag_lease ORDER BY airline_code, serial_from',
      );
      expect(blocks.length).toBeGreaterThan(1);
      for (let i = 1; i < blocks.length; i++)
        if (blocks[i]!.airline_code === blocks[i - 1]!.airline_code)
          expect(blocks[i]!.serial_from).toBeGreaterThan(blocks[i - 1]!.serial_to);
    } finally {
      await db.close();
    }

    // The reader catches up (both processes), then compares with a fresh full copy.
    for (;;) {
      const page: PullResponse = await pull(anyUrl(), reader, readerCursor, 50);
      seen.apply(page.changes);
      readerCursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(readerPages).toBeGreaterThan(10);
    const fresh = await Workstation.enrol(anyUrl(), 'FRESH');
    const full = new Replica().apply((await fresh.pullAll()).changes);
    const shared = (r: Replica) =>
      // Sequence-number and bag-tag leases go to the workstation that holds them only.
      [...r.entities.entries()]
        .filter(([k]) => !k.startsWith('lease:') && !k.startsWith('tagLease:'))
        .sort(([x], [y]) => x.localeCompare(y));
    expect(shared(seen)).toEqual(shared(full));
    const flightPax = full.passengers(flight.id);
    for (const [, muts] of allMutations) {
      for (const m of muts)
        if (m.type === 'passenger.checkIn') expect(flightPax.find((p) => p.id === m.args.passengerId)?.seqNo).toBe(m.args.seqNo);
    }

    // Leases: one regular and one emergency block per workstation and open flight, none overlapping.
    const leases: SeqLease[] = [];
    for (const s of synced) {
      const changes: Change[] = await s.sync();
      void changes;
      const own = s.replica.of<SeqLease>('lease');
      for (const f of openFlights(s.replica)) {
        const onFlight = own.filter((l) => l.flightId === f.id);
        expect(onFlight.filter((l) => !l.emergency).length, `regular blocks of ${s.ws.deviceId} on ${f.id}`).toBe(1);
        expect(onFlight.filter((l) => l.emergency).length).toBe(1);
      }
      leases.push(...own);
    }
    const byFlight = new Map<string, SeqLease[]>();
    for (const l of leases) byFlight.set(l.flightId, [...(byFlight.get(l.flightId) ?? []), l]);
    for (const [flightId, ls] of byFlight) {
      const sorted = [...ls].sort((x, y) => x.from - y.from);
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i]!.from, `${flightId}: ${sorted[i - 1]!.id} overlaps ${sorted[i]!.id}`).toBeGreaterThan(sorted[i - 1]!.to);
    }
    for (const f of full.flights()) {
      const numbers = full
        .passengers(f.id)
        .flatMap((p) => [p.seqNo])
        .filter((n): n is number => n !== null);
      expect(new Set(numbers).size, `sequence numbers on ${f.id}`).toBe(numbers.length);
    }
  }, 90_000);
});

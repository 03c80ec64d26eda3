/**
 * The station relay against the real reference backend, both on loopback over real HTTP and real
 * SQLite: the relay between them as desks see it (protocol v1, same enrolment, push and pull) and as
 * central sees it (one more workstation of the station).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allocatePlates, heldLease, readPlate, type HeldTagLease } from '../shared/domain/bag-tags';
import type { Mutation } from '../shared/domain/mutations';
import type { Passenger, TagLease } from '../shared/domain/schemas';
import { EnrolResponse, HealthResponse, VouchedSessionsResponse, WaitResponse } from '../shared/protocol/v1';
import { startFaultProxy, type FaultProxy } from '../tests/support/fault-proxy';
import {
  bookable,
  freeSeats,
  inspectDatabase,
  openFlights,
  startTestServer,
  Synced,
  tempDir,
  TEST_NOW,
  type TestServer,
} from '../tests/support/server-harness';
import { DEMO_AGENT_PIN } from '../server/demo/staff';
import { startRelay, type RunningRelay } from './relay';

let central: TestServer;
let proxy: FaultProxy;
let relay: RunningRelay;
const dirs: string[] = [];

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function relayFor(upstream: string, station = 'LHR'): Promise<RunningRelay> {
  const dataDir = tempDir('backstop-relay-');
  dirs.push(dataDir);
  return startRelay({
    upstream,
    station,
    dataDir,
    port: 0,
    upstreamEnrolmentKey: 'backstop-demo',
    now: () => TEST_NOW,
    random: () => 0.5,
    logLevel: 'silent',
  });
}

/** Every mutation central has logged, by id, with how many times. */
async function centralLog(): Promise<Map<string, number>> {
  const probe = await inspectDatabase(central);
  try {
    const rows = await probe.all<{ id: string; n: number }>('SELECT id, count(*) AS n FROM mutation_log GROUP BY id');
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  } finally {
    await probe.close();
  }
}

beforeAll(async () => {
  central = await startTestServer({ flights: 6, seed: 21 });
  proxy = await startFaultProxy(central.url);
  relay = await relayFor(proxy.url);
  await until('the relay to copy central', async () => relay.upstream().centralAsOf);
});

afterAll(async () => {
  await relay?.close();
  await proxy?.close();
  await central?.cleanup();
});

afterEach(() => proxy.setFaults(() => 'pass'));

describe('a station relay', () => {
  it('serves its desks the station as central holds it, and says its copy is fresh', async () => {
    const direct = await Synced.enrol(central.url, 'DIRECT');
    const desk = await Synced.enrol(relay.url, 'DESK-A');
    const ids = (r: Synced) =>
      r.replica
        .flights()
        .map((f) => f.id)
        .sort();
    expect(ids(desk)).toEqual(ids(direct));
    for (const f of direct.replica.flights()) {
      expect(desk.replica.passengers(f.id).map((p) => [p.id, p.status, p.seat])).toEqual(
        expect.arrayContaining(direct.replica.passengers(f.id).map((p) => [p.id, p.status, p.seat])),
      );
    }
    const page = await desk.ws.pull(desk.cursor);
    expect(page.relay).toMatchObject({ station: 'LHR', reachable: true, stale: false, unforwarded: 0 });
  });

  it('applies a desk action at once for the other desks, forwards it to central once, and passes central’s answer down', async () => {
    const deskA = await Synced.enrol(relay.url, 'DESK-A');
    const deskB = await Synced.enrol(relay.url, 'DESK-B');
    const flight = openFlights(deskA.replica)[0]!;
    const pax = bookable(deskA.replica, flight.id)[0]!;
    const seat = freeSeats(deskA.replica, flight)[0]!;
    const checkIn = deskA.checkIn(pax, seat);
    const pushed = await deskA.ws.push([checkIn]);
    expect(pushed.results[0]).toMatchObject({ id: checkIn.id, status: 'applied' });

    await deskB.sync();
    expect(deskB.replica.passenger(pax.id)).toMatchObject({ status: 'checked-in', seat });

    // Central gets it once, from the relay.
    await until('central to have the check-in', async () => (await centralLog()).get(checkIn.id) === 1);
    const observer = await Synced.enrol(central.url, 'OBSERVER');
    expect(observer.replica.passenger(pax.id)).toMatchObject({ status: 'checked-in', seat, seqNo: checkIn.args.seqNo });

    // The desk learns that central has answered, and asking again gets central's answer.
    const confirmed = await until('confirmation', async () => {
      const page = await deskA.ws.pull(deskA.cursor);
      return (page.relay?.confirmedSeq ?? 0) >= checkIn.seq && page.relay;
    });
    expect(confirmed.unforwarded).toBe(0);
    const again = await deskA.ws.push([checkIn]);
    expect(again.results[0]).toMatchObject({ id: checkIn.id, seq: checkIn.seq, status: 'applied' });
    expect((await centralLog()).get(checkIn.id)).toBe(1);
  });

  it('answers a long poll as soon as another desk acts, and not before', async () => {
    const deskA = await Synced.enrol(relay.url, 'DESK-A');
    const deskB = await Synced.enrol(relay.url, 'DESK-B');
    const quiet = await deskB.ws.post('/v1/sync/wait', {
      clientId: deskB.ws.deviceId,
      station: 'LHR',
      cursor: deskB.cursor,
      timeoutMs: 1_000,
    });
    expect(WaitResponse.parse(JSON.parse(quiet.text)).changed).toBe(false);

    const waiting = deskB.ws.post('/v1/sync/wait', {
      clientId: deskB.ws.deviceId,
      station: 'LHR',
      cursor: deskB.cursor,
      timeoutMs: 30_000,
    });
    const flight = openFlights(deskA.replica)[0]!;
    const pax: Passenger = bookable(deskA.replica, flight.id)[1]!;
    await deskA.ws.push([deskA.checkIn(pax, null, { standby: true })]);
    expect(WaitResponse.parse(JSON.parse((await waiting).text)).changed).toBe(true);
    await deskB.sync();
    expect(deskB.replica.passenger(pax.id).status).toBe('checked-in');
  });
});

describe('a station relay while central does not answer', () => {
  it('keeps its desks in step with each other, says so, and forwards every action exactly once when central is back', async () => {
    const deskA = await Synced.enrol(relay.url, 'DESK-A');
    const deskB = await Synced.enrol(relay.url, 'DESK-B');
    const flight = openFlights(deskA.replica)[1]!;
    const [p1, p2] = bookable(deskA.replica, flight.id).slice(2, 4) as [Passenger, Passenger];
    const [s1, s2] = freeSeats(deskA.replica, flight).slice(2, 4) as [string, string];

    proxy.setFaults(() => 'drop');
    const c1 = deskA.checkIn(p1, s1);
    await deskA.ws.push([c1]);
    await until('the relay to notice', async () => !relay.upstream().reachable);
    const health = await fetch(`${relay.url}/v1/health`).then(
      async (r) => (await r.json()) as { dcs: string; relay: { reachable: boolean } },
    );
    expect(health).toMatchObject({ dcs: 'down', relay: { reachable: false } });

    const c2 = deskB.checkIn(p2, s2);
    const board = deskA.ws.mutation('passenger.board', { flightId: flight.id, passengerId: p1.id, via: 'scan', seqNo: c1.args.seqNo });
    await deskB.ws.push([c2]);
    await deskA.ws.push([board]);
    await deskB.sync();
    expect(deskB.replica.passenger(p1.id)).toMatchObject({ status: 'boarded', seat: s1 });
    const page = await deskB.ws.pull(deskB.cursor);
    expect(page.relay).toMatchObject({ reachable: false, unforwarded: 3 });
    expect(page.dcs).toBe('down');

    // The first push after the outage reaches central, but its answer is lost on the way back.
    let first = true;
    proxy.setFaults((path) => {
      if (path === '/v1/sync/push' && first) {
        first = false;
        return 'drop-after';
      }
      return 'pass';
    });
    await until('central to answer', async () => relay.upstream().reachable && relay.upstream().unforwarded === 0, 30_000);
    const log = await centralLog();
    for (const m of [c1, c2, board]) expect(log.get(m.id)).toBe(1);
    const observer = await Synced.enrol(central.url, 'OBSERVER');
    expect(observer.replica.passenger(p1.id)).toMatchObject({ status: 'boarded', seat: s1 });
    expect(observer.replica.passenger(p2.id)).toMatchObject({ status: 'checked-in', seat: s2 });
  });
});

describe('a relay whose copy of central grows old', () => {
  it('says its copy is stale once central has not answered for longer than its stale-after setting', async () => {
    const wan = await startFaultProxy(central.url);
    let minutes = 0;
    const dataDir = tempDir('backstop-relay-');
    dirs.push(dataDir);
    const aging = await startRelay({
      upstream: wan.url,
      station: 'LHR',
      dataDir,
      port: 0,
      upstreamEnrolmentKey: 'backstop-demo',
      now: () => new Date(TEST_NOW.getTime() + minutes * 60_000),
      random: () => 0.5,
      logLevel: 'silent',
      staleAfterMinutes: 10,
    });
    try {
      await until('the relay to copy central', async () => aging.upstream().centralAsOf);
      const desk = await Synced.enrol(aging.url, 'DESK-A');
      wan.setFaults(() => 'drop');
      minutes = 9;
      expect((await desk.ws.pull(desk.cursor)).relay).toMatchObject({ stale: false, centralAsOf: TEST_NOW.toISOString() });
      minutes = 11;
      expect((await desk.ws.pull(desk.cursor)).relay).toMatchObject({ stale: true, centralAsOf: TEST_NOW.toISOString() });
      const health = HealthResponse.parse(await (await fetch(`${aging.url}/v1/health`)).json());
      expect(health.relay).toMatchObject({ stale: true });
    } finally {
      await aging.close();
      await wan.close();
    }
  });
});

describe('sequence numbers at a relay', () => {
  it('sub-leases to its desks from central’s blocks for the relay, so no number is held twice', async () => {
    const deskA = await Synced.enrol(relay.url, 'DESK-A');
    const deskB = await Synced.enrol(relay.url, 'DESK-B');
    const direct = await Synced.enrol(central.url, 'DIRECT');
    // A desk that found the relay's pool of a flight empty gets its block at a later pull, once the
    // relay (woken by the shortage) has had another block from central.
    await until('both desks to hold numbers on every open flight', async () => {
      await Promise.all([deskA.sync(), deskB.sync()]);
      return openFlights(direct.replica).every((f) => deskA.replica.leases(f.id).length > 0 && deskB.replica.leases(f.id).length > 0);
    });
    const probe = await inspectDatabase(central);
    const relayBlocks = await probe.all<{ flightId: string; from: number; to: number }>(
      `SELECT l.flight_id AS "flightId", l.seq_from AS "from", l.seq_to AS "to" FROM lease l JOIN device d ON d.id = l.device_id WHERE d.name = 'RELAY-LHR'`,
    );
    await probe.close();
    for (const flight of openFlights(deskA.replica)) {
      const held = [deskA, deskB, direct].flatMap((d) => d.replica.leases(flight.id).map((l) => ({ who: d.ws.deviceId, ...l })));
      const numbers = new Map<number, string>();
      for (const l of held) {
        for (let n = l.from; n <= l.to; n++) {
          expect(numbers.get(n), `number ${n} of ${flight.id}`).toBeUndefined();
          numbers.set(n, l.who);
        }
      }
      // The relay's desks hold numbers central granted the relay, nothing else.
      for (const l of held.filter((h) => h.who !== direct.ws.deviceId)) {
        expect(relayBlocks.some((b) => b.flightId === flight.id && b.from <= l.from && l.to <= b.to)).toBe(true);
      }
      expect(deskA.replica.leases(flight.id).length).toBeGreaterThan(0);
      expect(deskB.replica.leases(flight.id).length).toBeGreaterThan(0);
    }
  });
});

describe('bag tags at a relay', () => {
  const tagLeases = (d: Synced) => d.replica.of<TagLease>('tagLease');
  /** What a desk holds of its blocks and how far it got, as the workstation keeps it (renderer/sync/apply-pull.ts). */
  const holding = new Map<Synced, Map<string, HeldTagLease>>();
  const renew = (d: Synced) => {
    const had = holding.get(d) ?? new Map<string, HeldTagLease>();
    holding.set(d, new Map(tagLeases(d).map((l) => [l.id, heldLease(l, had.get(l.id))])));
  };

  it('sub-leases serials from central’s blocks for the relay: two desks cut off from central tag bags, no plate twice', async () => {
    const deskA = await Synced.enrol(relay.url, 'DESK-TAG-A');
    const deskB = await Synced.enrol(relay.url, 'DESK-TAG-B');
    const direct = await Synced.enrol(central.url, 'DIRECT-TAG');
    await until('both desks to hold bag-tag serials', async () => {
      await Promise.all([deskA.sync(), deskB.sync()]);
      return tagLeases(deskA).length > 0 && tagLeases(deskB).length > 0;
    });
    for (const d of [deskA, deskB]) {
      renew(d);
      // A desk holds blocks of its own, from the relay: never the relay's own blocks at central.
      expect(tagLeases(d).every((l) => l.deviceId === d.ws.deviceId && l.airlineCode === '934')).toBe(true);
    }

    proxy.setFaults(() => 'drop');
    await until('the relay to notice', async () => !relay.upstream().reachable);
    const flight = openFlights(deskA.replica)[3]!;
    const seats = freeSeats(deskA.replica, flight).slice(10);
    const pax = bookable(deskA.replica, flight.id).slice(10, 10 + 2 * 6);
    const printed: string[] = [];
    const pushed: Mutation[] = [];
    for (const [k, p] of pax.entries()) {
      const desk = k % 2 === 0 ? deskA : deskB;
      const held = holding.get(desk)!;
      const got = allocatePlates([...held.values()], 'BQ', 3, new Set(printed));
      expect(got, `plates for ${desk.ws.deviceId}`).not.toBeNull();
      for (const [id, next] of got!.next) held.set(id, { ...held.get(id)!, next });
      printed.push(...got!.plates);
      const pieces = got!.plates.map((tag) => ({ tag, weightKg: 15, destination: flight.destination }));
      const checkIn = desk.checkIn(p, seats[k] ?? null, { bags: { count: 3, weightKg: 45, pieces } });
      expect((await desk.ws.push([checkIn])).results[0]).toMatchObject({ status: 'applied' });
      pushed.push(checkIn);
      // Between check-ins the desks pull from the relay as they do, and may be topped up from its pool.
      await desk.sync();
      renew(desk);
    }
    expect(new Set(printed).size).toBe(printed.length);

    // Every serial the relay's desks hold or printed lies in a block central granted the relay, and
    // central's own desk holds none of them.
    const probe = await inspectDatabase(central);
    const relayBlocks = await probe.all<{ from: number; to: number }>(
      `SELECT t.serial_from AS "from", t.serial_to AS "to" FROM tag_lease t JOIN device d ON d.id = t.device_id WHERE d.name = 'RELAY-LHR'`,
    );
    await probe.close();
    const inRelayBlock = (serial: number) => relayBlocks.some((b) => b.from <= serial && serial <= b.to);
    for (const plate of printed) expect(inRelayBlock(readPlate(plate)!.serial), plate).toBe(true);
    const serials = new Map<number, string>();
    for (const d of [deskA, deskB, direct]) {
      for (const l of tagLeases(d)) {
        for (let n = l.from; n <= l.to; n++) {
          expect(serials.get(n), `serial ${n}`).toBeUndefined();
          serials.set(n, d.ws.deviceId);
        }
        if (d !== direct) expect(inRelayBlock(l.from) && inRelayBlock(l.to)).toBe(true);
      }
    }

    // Central back: the check-ins land there once, with their tags.
    proxy.setFaults(() => 'pass');
    await until('central to answer', async () => relay.upstream().reachable && relay.upstream().unforwarded === 0, 30_000);
    const log = await centralLog();
    for (const m of pushed) expect(log.get(m.id)).toBe(1);
    const observer = await Synced.enrol(central.url, 'OBSERVER-TAG');
    const landed = pax.flatMap((p) => (observer.replica.passenger(p.id).bags?.pieces ?? []).map((b) => b.tag));
    expect(landed.sort()).toEqual([...printed].sort());
    // Central counted them as used on the relay's blocks, and its next grants keep clear of them.
    const more = await Synced.enrol(central.url, 'DIRECT-TAG-2');
    for (const l of tagLeases(more))
      for (const plate of printed) expect(readPlate(plate)!.serial < l.from || readPlate(plate)!.serial > l.to).toBe(true);
  });
});

describe('who may use a relay', () => {
  it('enrols workstations of its own station only, and serves nobody without its token', async () => {
    const other = await fetch(`${relay.url}/v1/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'backstop-protocol': '1' },
      body: JSON.stringify({ name: 'INTRUDER', station: 'MAD', enrolmentKey: 'backstop-demo' }),
    });
    expect(other.status).toBe(400);
    const direct = await Synced.enrol(central.url, 'DIRECT');
    const borrowed = await fetch(`${relay.url}/v1/sync/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'backstop-protocol': '1', authorization: `Bearer ${direct.ws.token}` },
      body: JSON.stringify({ clientId: direct.ws.deviceId, station: 'LHR', cursor: null }),
    });
    expect(borrowed.status).toBe(401);
    const desk = await Synced.enrol(relay.url, 'DESK-A');
    const wrongStation = await desk.ws.post('/v1/sync/pull', { clientId: desk.ws.deviceId, station: 'MAD', cursor: null });
    expect(wrongStation.status).toBe(403);
  });

  it('checks a desk’s PIN online itself, from central’s roster, and ties the desk’s actions to that sign-in', async () => {
    const desk = await Synced.enrol(relay.url, 'DESK-A');
    const wrong = await desk.ws.staffSession('AG1001', '000000');
    expect(wrong.status).toBe(401);
    const signIn = await desk.ws.signIn('AG1001', { pin: DEMO_AGENT_PIN });
    const answer = await desk.ws.push([signIn]);
    expect(answer.results[0]).toMatchObject({ id: signIn.id, status: 'applied' });
    expect(answer.results[0]).not.toHaveProperty('identity');
    const flight = openFlights(desk.replica)[2]!;
    const standby = desk.checkIn(bookable(desk.replica, flight.id)[5]!, null, { standby: true });
    expect(standby.signIn).toBe(signIn.id);
    const acted = await desk.ws.push([standby]);
    expect(acted.results[0]).toMatchObject({ id: standby.id, status: 'applied' });
    expect(acted.results[0]).not.toHaveProperty('identity');

    // A sign-in naming a session nobody issued: the relay flags it, and so does central.
    const forged = desk.ws.mutation('staff.signIn', { flightId: null, method: 'online', session: 'f'.repeat(43) }, 'AG1001');
    expect((await desk.ws.push([forged])).results[0]).toMatchObject({ status: 'applied', identity: ['SESSION_UNKNOWN'] });

    // Central: the relay vouched for the session it issued, so the sign-in is verified there too (as
    // the relay's check) and nothing tied to it is flagged; the forged one is flagged as unknown.
    await until('central to have them', async () => {
      const log = await centralLog();
      return [signIn, standby, forged].every((m) => log.get(m.id) === 1);
    });
    const probe = await inspectDatabase(central);
    try {
      const signIns = await probe.all<{ id: string; method: string; verified: number }>(
        'SELECT id, method, verified FROM staff_sign_in WHERE id IN (?, ?)',
        signIn.id,
        forged.id,
      );
      expect(
        signIns.map((r) => ({ ...r, verified: Number(r.verified) })).sort((a, b) => (a.id === signIn.id ? -1 : b.id === signIn.id ? 1 : 0)),
      ).toEqual([
        { id: signIn.id, method: 'relay', verified: 1 },
        { id: forged.id, method: 'offline', verified: 0 },
      ]);
      const flags = await probe.all<{ id: string; codes: string }>(
        'SELECT mutation_id AS id, codes FROM identity_flag WHERE mutation_id IN (?, ?, ?)',
        signIn.id,
        standby.id,
        forged.id,
      );
      expect(flags).toEqual([{ id: forged.id, codes: JSON.stringify(['SESSION_UNKNOWN']) }]);
    } finally {
      await probe.close();
    }
  });

  it('takes a relay’s word on staff sessions only from a relay, and checks it against central’s roster', async () => {
    const direct = await Synced.enrol(central.url, 'NOT-A-RELAY');
    const session = {
      tokenHash: 'a'.repeat(64),
      staffId: 'AG1001',
      issuedAt: TEST_NOW.toISOString(),
      expiresAt: new Date(TEST_NOW.getTime() + 3_600_000).toISOString(),
    };
    const refused = await direct.ws.post('/v1/staff/vouched-sessions', { clientId: direct.ws.deviceId, sessions: [session] });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('NOT_A_RELAY');

    const enrol = await fetch(`${central.url}/v1/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'backstop-protocol': '1' },
      body: JSON.stringify({ name: 'RELAY-TEST', station: 'LHR', enrolmentKey: 'backstop-demo', relay: true }),
    });
    const relayDevice = EnrolResponse.parse(await enrol.json());
    const vouch = (sessions: unknown[]) =>
      fetch(`${central.url}/v1/staff/vouched-sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'backstop-protocol': '1', authorization: `Bearer ${relayDevice.token}` },
        body: JSON.stringify({ clientId: relayDevice.deviceId, sessions }),
      });
    const stranger = { ...session, tokenHash: 'b'.repeat(64), staffId: 'ZZ9999' };
    const tooLong = { ...session, tokenHash: 'c'.repeat(64), expiresAt: new Date(TEST_NOW.getTime() + 48 * 3_600_000).toISOString() };
    const answer = VouchedSessionsResponse.parse(await (await vouch([session, stranger, tooLong])).json());
    expect(answer).toEqual({ accepted: 1, refused: [stranger.tokenHash, tooLong.tokenHash] });
  });

  it('holds nothing of another station, and a relay for a station central does not serve has nothing to serve', async () => {
    const probe = await inspectDatabase({ dataDir: relay.dataDir, databaseUrl: null });
    const stations = await probe.all<{ station: string }>('SELECT DISTINCT station FROM entity');
    await probe.close();
    expect(stations.map((s) => s.station)).toEqual(['LHR']);

    const stray = await relayFor(central.url, 'MAD');
    try {
      await new Promise((r) => setTimeout(r, 500));
      expect(stray.upstream()).toMatchObject({ station: 'MAD', centralAsOf: null, stale: true });
      const enrol = await fetch(`${stray.url}/v1/devices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'backstop-protocol': '1' },
        body: JSON.stringify({ name: 'DESK', station: 'MAD', enrolmentKey: 'backstop-demo' }),
      });
      expect(enrol.status).toBe(400);
    } finally {
      await stray.close();
    }
  });
});

afterAll(async () => {
  const fs = await import('node:fs');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

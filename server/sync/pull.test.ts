import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponse } from '../../shared/protocol/v1';
import type { Flight, SeqLease } from '../../shared/domain/schemas';
import type { Change } from '../../shared/protocol/v1';
import type { DcsEvent } from '../dcs/simulator';
import { EMERGENCY_SEQ_FROM } from '../db/database';
import { blockSize, LEASE_POLICY } from './leases';
import {
  Replica,
  Synced,
  Workstation,
  bookable,
  errorOf,
  openFlights,
  startTestServer,
  type TestServer,
} from '../../tests/support/server-harness';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.cleanup());

const keyOf = (c: Change) => `${c.kind}:${c.id}`;

describe('pull', () => {
  it('returns every change exactly once across pages, even with writes between pages', async () => {
    const writer = await Synced.enrol(server.url, 'WRITER');
    const flights = openFlights(writer.replica);
    const reader = await Workstation.enrol(server.url, 'READER');

    const seen: Change[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await reader.pull(cursor, { maxChanges: 150 });
      expect(page.changes.length).toBeLessThanOrEqual(150);
      seen.push(...page.changes);
      cursor = page.cursor;
      pages++;
      if (!page.hasMore) break;
      // Between pages another workstation changes passengers the reader has and has not yet received.
      if (pages % 3 === 0) {
        const muts = flights.slice(0, 3).flatMap((f) => {
          const p = bookable(writer.replica, f.id)[pages];
          return p ? [writer.checkIn(p, null)] : [];
        });
        expect((await writer.ws.push(muts)).results.every((r) => r.status === 'applied')).toBe(true);
        await writer.sync();
      }
    }
    expect(pages).toBeGreaterThan(5);

    const versions = seen.map((c) => c.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);

    // The paged copy equals a fresh full copy of the server's current state (leases are per workstation).
    const paged = new Replica().apply(seen);
    const full = new Replica().apply((await reader.pullAll()).changes);
    const shared = (r: Replica) =>
      [...r.entities.entries()].filter(([k]) => !k.startsWith('lease:')).sort(([a], [b]) => a.localeCompare(b));
    expect(shared(paged)).toEqual(shared(full));
    expect(new Set(seen.map(keyOf)).size).toBe(paged.entities.size);
  });

  it('keeps each page within the byte budget and says how much remains', async () => {
    const ws = await Workstation.enrol(server.url);
    const all = await ws.pullAll(null, { maxChanges: 20_000 });
    expect(all.pages).toBe(1);
    const maxBytes = 48 * 1024;
    let cursor: string | null = null;
    let seen = 0;
    let pages = 0;
    for (;;) {
      const page = await ws.pull(cursor, { maxBytes });
      const text = page.raw.text;
      const changesText = text.slice(text.indexOf('"changes":[') + 11, text.indexOf('],"cursor"'));
      expect(Buffer.byteLength(changesText)).toBeLessThanOrEqual(maxBytes);
      seen += page.changes.length;
      expect(page.remaining).toBe(all.changes.length - seen);
      pages++;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(seen).toBe(all.changes.length);
    expect(pages).toBeGreaterThan(10);
  });

  it('answers an up-to-date workstation with an empty page', async () => {
    const s = await Synced.enrol(server.url);
    const page = await s.ws.pull(s.cursor);
    expect(page.changes).toEqual([]);
    expect(page.hasMore).toBe(false);
    expect(page.cursor).toBe(s.cursor);
  });

  it('refuses a cursor from a database that has since been replaced', async () => {
    const ws = await Workstation.enrol(server.url);
    const cursor = Buffer.from('0123456789ab.42').toString('base64url');
    const res = await ws.post('/v1/sync/pull', { clientId: ws.deviceId, station: 'LHR', cursor });
    expect(res.status).toBe(409);
    expect(errorOf(res)).toMatchObject({ code: 'CURSOR_EXPIRED', field: 'cursor' });
  });

  it('sends the station, its seat maps, flights, passengers and staff, with credentials (none for former staff) but no PINs', async () => {
    const { replica } = await Synced.enrol(server.url);
    expect(replica.of('station')).toEqual([
      {
        code: 'LHR',
        name: 'London Heathrow',
        timeZone: 'Europe/London',
        // The station's sign-in policy travels with it, so desks enforce it offline.
        security: { lockAfterMinutes: 5, pinPolicy: { agentMinLength: 6, supervisorMinLength: 8 } },
      },
    ]);
    const mapIds = new Set(replica.flights().map((f) => f.seatMapId));
    expect(new Set(replica.of<{ id: string }>('seatMap').map((m) => m.id))).toEqual(mapIds);
    expect(replica.flights().length).toBe(8);
    expect(replica.passengers().every((p) => replica.flights().some((f) => f.id === p.flightId))).toBe(true);
    const staff = replica.of<{ id: string; active: boolean; credential: { algorithm: string } | null }>('staff');
    expect(staff.map((s) => s.id)).toContain('SU9001');
    expect(staff.filter((s) => s.active).every((s) => s.credential?.algorithm === 'PBKDF2-SHA256')).toBe(true);
    expect(staff.filter((s) => !s.active).map((s) => [s.id, s.credential])).toEqual([['AG1099', null]]);
  });
});

describe('sequence-number leases', () => {
  it('gives each workstation its own block on every open flight, above every number in use', async () => {
    const a = await Synced.enrol(server.url, 'A');
    const b = await Synced.enrol(server.url, 'B');
    for (const f of a.replica.flights()) {
      const mine = a.replica.leases(f.id);
      if (f.status !== 'scheduled') {
        expect(mine).toEqual([]);
        continue;
      }
      expect(mine.length).toBeGreaterThan(0);
      const used = Math.max(0, ...a.replica.passengers(f.id).map((p) => p.seqNo ?? 0));
      const theirs = b.replica.leases(f.id);
      for (const l of mine) {
        expect(l.deviceId).toBe(a.ws.deviceId);
        expect(l.from).toBeGreaterThan(used);
        for (const o of theirs) expect(l.to < o.from || o.to < l.from, `${l.id} overlaps ${o.id}`).toBe(true);
      }
    }
    expect(a.replica.of<SeqLease>('lease').every((l) => l.deviceId === a.ws.deviceId)).toBe(true);
  });

  it('sizes a block for every passenger still to check in, and keeps an emergency block apart', async () => {
    const s = await Synced.enrol(server.url, 'SIZED');
    const flight = openFlights(s.replica).find((f) => bookable(s.replica, f.id).length > 20) as Flight;
    const awaiting = s.replica.passengers(flight.id).filter((p) => p.status === 'booked').length;
    const leases = s.replica.leases(flight.id);
    const regular = leases.filter((l) => !l.emergency);
    const emergency = leases.filter((l) => l.emergency);
    expect(regular).toHaveLength(1);
    expect(regular[0]!.to - regular[0]!.from + 1).toBe(blockSize(awaiting));
    expect(blockSize(awaiting)).toBeGreaterThan(awaiting);
    expect(emergency).toHaveLength(1);
    expect(emergency[0]!.from).toBeGreaterThanOrEqual(EMERGENCY_SEQ_FROM);
    expect(emergency[0]!.to - emergency[0]!.from + 1).toBe(LEASE_POLICY.emergencyBlock);
  });

  it('tops a workstation up when it is down to a fifth of its block, and only then', async () => {
    const s = await Synced.enrol(server.url, 'LOW');
    const flight = openFlights(s.replica)[1]!;
    const first = s.replica.leases(flight.id).find((l) => !l.emergency)!;
    const size = first.to - first.from + 1;
    const report = async (next: number) => {
      const raw = await s.ws.post('/v1/sync/pull', {
        clientId: s.ws.deviceId,
        station: 'LHR',
        cursor: s.cursor,
        leaseUse: [{ id: first.id, next }],
      });
      const page = PullResponse.parse(JSON.parse(raw.text));
      s.cursor = page.cursor;
      return page.changes.filter((c) => c.kind === 'lease' && c.op === 'put');
    };
    // Still more than a fifth left: nothing new.
    expect(await report(first.from + Math.floor(size * 0.7))).toEqual([]);
    const granted = await report(first.to - Math.floor(size * 0.15));
    expect(granted).toHaveLength(1);
    expect(granted[0]!.op === 'put' && granted[0]!.kind === 'lease' && granted[0]!.data.from).toBeGreaterThan(first.to);
  });

  it('counts numbers the workstation spent on refused check-ins, and tops up when it reports them', async () => {
    const s = await Synced.enrol(server.url, 'SPENDER');
    const flight = openFlights(s.replica)[0]!;
    const first = s.replica.leases(flight.id).find((l) => !l.emergency)!;
    // Nothing was applied, but the workstation printed passes with most of its numbers.
    const page = await s.ws.pull(s.cursor, {});
    expect(page.changes.filter((c) => c.kind === 'lease')).toEqual([]);
    const raw = await s.ws.post('/v1/sync/pull', {
      clientId: s.ws.deviceId,
      station: 'LHR',
      cursor: page.cursor,
      leaseUse: [{ id: first.id, next: first.to - 5 }],
    });
    const granted = PullResponse.parse(JSON.parse(raw.text)).changes.filter((c) => c.kind === 'lease' && c.op === 'put');
    expect(granted).toHaveLength(1);
    expect(granted[0]!.op === 'put' && granted[0]!.kind === 'lease' && granted[0]!.data.from).toBeGreaterThan(first.to);
  });

  it('withdraws leases with tombstones when the DCS cancels a flight, and passengers when bookings are cancelled', async () => {
    const s = await Synced.enrol(server.url);
    const other = await Synced.enrol(server.url, 'OTHER');
    const events: DcsEvent[] = [];
    const happened = (kind: DcsEvent['kind']) => events.some((e) => e.kind === kind);
    for (let i = 0; i < 10 && !(happened('cancel') && happened('bookingCancelled')); i++) events.push(...(await server.dcs.step()));
    const cancelled = events.find((e) => e.kind === 'cancel')?.flightId ?? '';
    const gone = events.filter((e) => e.kind === 'bookingCancelled').map((e) => e.passengerId ?? '');
    expect(cancelled).not.toBe('');
    expect(gone.length).toBeGreaterThan(0);
    expect(s.replica.leases(cancelled).length).toBeGreaterThan(0);

    const deletes = (await s.sync()).filter((c) => c.op === 'delete');
    expect(deletes.some((c) => c.kind === 'lease' && c.id.startsWith(`${cancelled}/`))).toBe(true);
    // Each workstation hears only about its own leases going.
    const mine = new Set(deletes.filter((c) => c.kind === 'lease').map((c) => c.id));
    const theirs = (await other.sync()).filter((c) => c.op === 'delete' && c.kind === 'lease').map((c) => c.id);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.filter((id) => mine.has(id))).toEqual([]);
    expect(s.replica.leases(cancelled)).toEqual([]);
    expect(s.replica.flights().find((f) => f.id === cancelled)?.status).toBe('cancelled');
    for (const id of gone) {
      expect(deletes.some((c) => c.kind === 'passenger' && c.id === id)).toBe(true);
      expect(() => s.replica.passenger(id)).toThrow();
    }
  });
  it('names the flight in passenger tombstones', async () => {
    const s = await Synced.enrol(server.url, 'TOMBSTONES');
    let events: DcsEvent[] = [];
    for (let i = 0; i < 10 && !events.some((e) => e.kind === 'bookingCancelled'); i++) events = [...events, ...(await server.dcs.step())];
    const gone = events.find((e) => e.kind === 'bookingCancelled')!;
    const tombstone = (await s.sync()).find((c) => c.op === 'delete' && c.kind === 'passenger' && c.id === gone.passengerId);
    expect(tombstone).toMatchObject({ flightId: gone.flightId });
  });
});

/**
 * A workstation and the real backend at the edges of the calendar, both on the same pinned clock:
 * stations whose "today" is not UTC's (Honolulu, UTC−10; Auckland, UTC+13 in summer), a pass printed
 * on 31 December for a 1 January flight and scanned after midnight, and a night when the clocks go
 * forward. Nothing here may depend on the date the tests run.
 */
import { platformTimers } from '../../renderer/sync/timers';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBoardingPass } from '../../shared/bcbp/encode';
import { manualClock, type ManualClock } from '../../shared/clock';
import type { Flight, Passenger } from '../../shared/domain/schemas';
import { localDate, localTime } from '../../shared/time';
import { lookupScan } from '../../renderer/features/boarding/lookup';
import type { BackstopDB } from '../../renderer/db/schema';
import { memoryDatabase } from '../support/memory-db';
import { checkIn, perform } from '../../renderer/db/write-path';
import { DEFAULT_ENGINE_CONFIG, SyncEngine } from '../../renderer/sync/engine';
import { SyncHttpClient } from '../../renderer/sync/http';
import { bookable, freeSeats, startTestServer, Synced, type TestServer } from '../support/server-harness';

const agent = { staffId: 'AG1001', role: 'agent' as const };

interface Desk {
  server: TestServer;
  clock: ManualClock;
  db: BackstopDB;
  engine: SyncEngine;
  zone: string;
}

let desk: Desk | null = null;
afterEach(async () => {
  if (!desk) return;
  await desk.engine.stop();
  desk.db.close();
  await desk.server.cleanup();
  desk = null;
});

/** Backend and workstation on one clock that the test moves. */
async function station(code: string, at: string, flights = 40): Promise<Desk> {
  const clock = manualClock(at);
  const server = await startTestServer({ station: code, flights, seed: 3, now: clock.now });
  const db = memoryDatabase();
  const engine = new SyncEngine({
    db,
    transport: new SyncHttpClient({ baseUrl: server.url, timeoutMs: 5_000 }),
    config: { ...DEFAULT_ENGINE_CONFIG, station: code, workstation: `${code}-DESK`, enrolmentKey: 'backstop-demo', autoSchedule: false },
    emit: () => {},
    clock: clock.now,
    random: () => 0,
    timers: platformTimers,
  });
  expect(await engine.syncNow()).toBe('ok');
  const zone = (await db.stations.get(code))!.timeZone;
  desk = { server, clock, db, engine, zone };
  return desk;
}

async function backendState(d: Desk) {
  return (await Synced.enrol(d.server.url, 'OBSERVER', d.server.station)).replica;
}

/** Checks in a bookable passenger of `flight` at this desk and returns the pass the desk would print. */
async function checkInAndPrint(d: Desk, flight: Flight): Promise<{ passenger: Passenger; bcbp: string }> {
  const state = await backendState(d);
  const p = bookable(state, flight.id)[0]!;
  const out = await checkIn(
    d.db,
    agent,
    {
      flightId: flight.id,
      passengerId: p.id,
      seat: freeSeats(state, flight)[0]!,
      bags: { count: 0, weightKg: 0 },
      docsChecked: true,
      standby: false,
    },
    d.clock.now,
  );
  expect(out.ok).toBe(true);
  const passenger = out.ok ? out.passengers.find((x) => x.id === p.id)! : p;
  // The boarding pass template encodes the barcode with the station-local print date.
  const bcbp = encodeBoardingPass({ flight, passenger, issuedOn: localDate(d.clock.now().toISOString(), d.zone) });
  return { passenger, bcbp };
}

async function scanAtGate(d: Desk, flight: Flight, bcbp: string) {
  const manifest = (await d.db.manifests.get(flight.id))!;
  return lookupScan(bcbp, flight, manifest.passengers, localDate(d.clock.now().toISOString(), d.zone));
}

async function localFlights(d: Desk): Promise<Flight[]> {
  return (await d.db.flights.toArray()).sort((a, b) => a.std.localeCompare(b.std));
}

describe('a station whose day is not UTC’s', () => {
  it('Honolulu (UTC−10): flights are dated by the station’s day, and a pass printed this evening scans at the gate', async () => {
    // 20:00 on 26 Nov in Honolulu is 06:00 on 27 Nov in UTC.
    const d = await station('HNL', '2026-11-27T06:00:00.000Z');
    const flights = await localFlights(d);
    expect(flights.length).toBeGreaterThan(0);
    for (const f of flights) expect(f.date).toBe(localDate(f.std, d.zone));
    expect(flights.some((f) => f.date !== f.std.slice(0, 10))).toBe(true);
    // The engine's retention runs on the station's clock too: nothing was purged as "departed".
    expect(flights.length).toBe((await backendState(d)).flights().length);

    const tonight = flights.find((f) => f.status === 'scheduled' && f.date === '2026-11-26' && f.std.startsWith('2026-11-27'))!;
    expect(tonight).toBeDefined();
    const { passenger, bcbp } = await checkInAndPrint(d, tonight);
    const found = await scanAtGate(d, tonight, bcbp);
    expect(found).toMatchObject({ kind: 'found', passenger: { id: passenger.id } });
  });

  it('Auckland (UTC+13): a pass printed at 23:30 on 31 December for a 1 January flight boards after midnight, and the backend agrees', async () => {
    // 23:30 on 31 Dec 2027 in Auckland (NZDT, UTC+13) is 10:30 UTC on the same day.
    const d = await station('AKL', '2027-12-31T10:30:00.000Z');
    expect(localDate(d.clock.now().toISOString(), d.zone)).toBe('2027-12-31');
    const flights = await localFlights(d);
    const newYear = flights.find(
      (f) => f.status === 'scheduled' && f.date === '2028-01-01' && Date.parse(f.std) - d.clock.now().getTime() < 12 * 3_600_000,
    )!;
    expect(newYear).toBeDefined();
    const { passenger, bcbp } = await checkInAndPrint(d, newYear);
    expect(bcbp.slice(44, 47)).toBe('001');

    // Past midnight at the station: the gate's "today" is 1 January.
    d.clock.set(new Date(Date.parse(newYear.std) - 30 * 60_000));
    expect(localDate(d.clock.now().toISOString(), d.zone)).toBe('2028-01-01');
    const found = await scanAtGate(d, newYear, bcbp);
    expect(found).toMatchObject({ kind: 'found', passenger: { id: passenger.id } });
    const boarded = await perform(
      d.db,
      agent,
      { type: 'passenger.board', args: { flightId: newYear.id, passengerId: passenger.id, via: 'scan' } },
      d.clock.now,
    );
    expect(boarded.ok).toBe(true);

    expect(await d.engine.syncNow()).toBe('ok');
    expect(await d.db.outbox.count()).toBe(0);
    expect((await backendState(d)).passenger(passenger.id)).toMatchObject({ status: 'boarded', boardedAt: d.clock.now().toISOString() });
  });
});

describe('the night the clocks go forward (London, 28 March 2027)', () => {
  it('keeps every flight, shows local times on both sides of the change, and a check-in at 00:50 GMT lands', async () => {
    const d = await station('LHR', '2027-03-27T23:00:00.000Z');
    const flights = await localFlights(d);
    const before = flights.filter((f) => f.std < '2027-03-28T01:00:00.000Z');
    const after = flights.filter((f) => f.std >= '2027-03-28T01:00:00.000Z');
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    // No departure time on the board falls in the hour that does not exist (01:00–01:59 local).
    for (const f of flights) expect(localTime(f.std, d.zone).startsWith('01:') && f.date === '2027-03-28').toBe(false);

    const next = flights.find((f) => f.status === 'scheduled' && f.std > '2027-03-28T05:00:00.000Z')!;
    d.clock.set('2027-03-28T00:50:00.000Z');
    const { passenger } = await checkInAndPrint(d, next);
    d.clock.set('2027-03-28T01:10:00.000Z'); // 02:10 BST
    expect(await d.engine.syncNow()).toBe('ok');
    expect((await backendState(d)).passenger(passenger.id)).toMatchObject({
      status: 'checked-in',
      checkedInAt: '2027-03-28T00:50:00.000Z',
    });
    expect((await localFlights(d)).length).toBe(flights.length);
  });
});

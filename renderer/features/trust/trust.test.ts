/** Retention by age on a timer, supervisor-only retention changes, and the supervisor's wipe. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../../shared/clock';
import { A320, flight } from '../../../tests/support/fixtures';
import { memoryDatabase, seedFlight } from '../../../tests/support/memory-db';
import type { BackstopDB, SyncOutcome } from '../../db/schema';
import { changeSettings, DEFAULT_SETTINGS, loadSettings } from '../../settings';
import { purgeByAge } from './retention';
import { wipeWorkstation } from './wipe';

let db: BackstopDB;
afterEach(() => db?.close());

const now = new Date('2026-11-28T12:00:00.000Z');
const outcome = (id: string, decidedAt: string, acknowledged: 0 | 1): SyncOutcome => ({
  id,
  seq: 1,
  type: 'passenger.board',
  flightId: null,
  passengerId: null,
  status: 'rejected',
  code: 'NOT_CHECKED_IN',
  message: 'x',
  server: null,
  at: decidedAt,
  staffId: 'AG1001',
  decidedAt,
  acknowledged,
});

describe('retention on a timer', () => {
  it('purges departed flights, acknowledged outcomes and old prints by age, keeping what still matters', async () => {
    db = memoryDatabase();
    await seedFlight(db, { flight: flight(), seatMap: A320, passengers: [] });
    await db.outcomes.bulkPut([
      outcome('old-ack', '2026-11-26T12:00:00.000Z', 1),
      outcome('old-open', '2026-11-26T12:00:00.000Z', 0),
      outcome('new-ack', '2026-11-28T11:00:00.000Z', 1),
    ]);
    await db.prints.bulkPut(
      ['2026-11-26T12:00:00.000Z', '2026-11-28T11:00:00.000Z'].map((at, i) => ({
        id: `job-${i}`,
        at,
        document: 'boarding-pass',
        flightId: null,
        passengerId: null,
        staffId: 'AG1001',
        destination: 'PDF',
        status: 'printed' as const,
        error: null,
        archiveRef: null,
        attempts: 1,
      })),
    );
    const purged = await purgeByAge(db, now);
    expect(purged).toMatchObject({ flights: 1, outcomes: 1, prints: 1 });
    expect((await db.outcomes.toArray()).map((o) => o.id).sort()).toEqual(['new-ack', 'old-open']);
    expect(await db.flights.count()).toBe(0);
  });
});

describe('retention settings', () => {
  it('may be changed by a supervisor only', async () => {
    db = memoryDatabase();
    const clock = fixedClock(now.toISOString());
    const longer = { ...DEFAULT_SETTINGS, retentionHours: 24 * 30 };
    expect(await changeSettings(db, { id: 'AG1001', role: 'agent' }, longer, clock)).toMatchObject({ ok: false, code: 'SUPERVISOR_ONLY' });
    expect((await loadSettings(db)).retentionHours).toBe(DEFAULT_SETTINGS.retentionHours);
    expect(await changeSettings(db, { id: 'AG1001', role: 'agent' }, { ...DEFAULT_SETTINGS, syncIntervalMinutes: 2 }, clock)).toMatchObject(
      { ok: true },
    );
    expect(await changeSettings(db, { id: 'SU9001', role: 'supervisor' }, longer, clock)).toMatchObject({ ok: true });
    expect((await loadSettings(db)).retentionHours).toBe(24 * 30);
    expect((await db.audit.toArray()).map((a) => a.action)).toContain('settings.retention');
  });
});

describe('wiping the workstation', () => {
  const supervisor = { id: 'SU9001', name: 'Helen Moore', role: 'supervisor' as const, at: now.toISOString() };

  it('is for supervisors, refuses while actions are unsent unless told to discard them, and deletes everything', async () => {
    db = memoryDatabase();
    await seedFlight(db, { flight: flight(), seatMap: A320, passengers: [] });
    await db.outbox.add({
      id: crypto.randomUUID(),
      seq: 1,
      at: now.toISOString(),
      staffId: 'AG1001',
      type: 'fallback.declared',
      args: { flightId: null, on: true },
      flightId: null,
      attempts: 0,
      lastError: null,
    });
    const host = { wipe: vi.fn(async () => ({ ok: true as const, value: true })) };
    const stopSync = vi.fn();
    const storage = { clear: vi.fn() };
    expect(await wipeWorkstation({ db, host, stopSync, storage }, { ...supervisor, role: 'agent' }, true)).toMatchObject({
      code: 'SUPERVISOR_ONLY',
    });
    expect(await wipeWorkstation({ db, host, stopSync, storage }, supervisor, false)).toMatchObject({ code: 'UNSENT_ACTIONS' });
    expect(host.wipe).not.toHaveBeenCalled();
    expect(await wipeWorkstation({ db, host, stopSync, storage }, supervisor, true)).toMatchObject({ ok: true, value: { discarded: 1 } });
    expect(host.wipe).toHaveBeenCalledWith('SU9001');
    expect(stopSync).toHaveBeenCalled();
    expect(storage.clear).toHaveBeenCalled();
    expect(
      await db
        .open()
        .then(() => db.flights.count())
        .catch(() => 0),
    ).toBe(0);
  });
});

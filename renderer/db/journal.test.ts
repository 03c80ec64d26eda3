/**
 * The journal of acknowledged actions: what a push answer puts in it, how long it keeps it, and
 * what goes back in the outbox when a backend turns out to have lost it (renderer/sync/restored.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PushResponse } from '../../shared/protocol/v1';
import { A320, fixtureClock, flight, passenger } from '../../tests/support/fixtures';
import { lease, memoryDatabase, seedFlight } from '../../tests/support/memory-db';
import { applyPushResults } from '../sync/apply-push';
import { readBook } from '../sync/sources';
import { recoverFromRestoredPull, recoverFromRestoredPush, requeueJournal, restoreUnconfirmed } from '../sync/restored';
import { journalCutoff, pruneJournal, type JournalLimits } from './journal';
import type { BackstopDB, JournalEntry } from './schema';
import { SYNC_KEYS } from './sync-state';
import { checkIn } from './write-path';

const F = flight();
const agent = { staffId: 'AG1001', role: 'agent' as const };
const CENTRAL = 'https://central.example';
let db: BackstopDB;
afterEach(() => db?.close());

function entry(n: number, ackedAt: string, over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    seq: n,
    at: ackedAt,
    staffId: 'AG1001',
    type: 'passenger.board',
    args: { flightId: F.id, passengerId: `P${n}`, via: 'scan' },
    flightId: F.id,
    source: CENTRAL,
    deviceId: 'DEV1',
    wireSeq: n,
    ackedAt,
    ...over,
  } as JournalEntry;
}

async function enrolled(acked: number): Promise<void> {
  await db.syncState.bulkPut([
    { key: SYNC_KEYS.deviceId, value: 'DEV1' },
    { key: SYNC_KEYS.source, value: { url: CENTRAL, acked, sent: acked, relay: false, confirmedSeq: 0 } },
  ]);
}

/** Three passengers checked in here, answered by central under wire seqs 1…3. */
async function threeAcknowledged(): Promise<string[]> {
  db = memoryDatabase();
  await seedFlight(db, {
    flight: F,
    seatMap: A320,
    passengers: ['P1', 'P2', 'P3', 'P4'].map((id) => passenger({ id })),
    leases: [lease(F.id, 100, 149)],
  });
  await enrolled(0);
  for (const [i, id] of ['P1', 'P2', 'P3'].entries()) {
    const out = await checkIn(
      db,
      agent,
      { flightId: F.id, passengerId: id, seat: `1${i}A`, bags: { count: 0, weightKg: 0 }, docsChecked: true, standby: false },
      fixtureClock,
    );
    expect(out.ok).toBe(true);
  }
  const sent = await db.outbox.orderBy('seq').toArray();
  const response: PushResponse = { protocol: 1, results: sent.map((e, i) => ({ id: e.id, seq: i + 1, status: 'applied' })), lastSeq: 3 };
  await applyPushResults(db, response, '2026-11-26T12:01:00.000Z', {
    relay: null,
    final: new Set(),
    journal: { source: CENTRAL, deviceId: 'DEV1' },
  });
  await db.syncState.put({ key: SYNC_KEYS.source, value: { url: CENTRAL, acked: 3, sent: 3, relay: false, confirmedSeq: 0 } });
  return sent.map((e) => e.id);
}

describe('the journal of acknowledged actions', () => {
  it('keeps every action a backend settled, with the seq it was answered under, once it leaves the outbox', async () => {
    const ids = await threeAcknowledged();
    expect(await db.outbox.count()).toBe(0);
    const kept = (await db.journal.toArray()).sort((a, b) => a.wireSeq - b.wireSeq);
    expect(kept.map((j) => [j.id, j.wireSeq, j.source, j.deviceId])).toEqual(ids.map((id, i) => [id, i + 1, CENTRAL, 'DEV1']));
    expect(kept[0]).toMatchObject({
      type: 'passenger.checkIn',
      args: { passengerId: 'P1', seat: '10A' },
      ackedAt: '2026-11-26T12:01:00.000Z',
    });
    expect(kept[0]).not.toHaveProperty('attempts');
  });

  it('does not keep an action a station relay holds provisionally: it is still in the outbox', async () => {
    db = memoryDatabase();
    await seedFlight(db, { flight: F, seatMap: A320, passengers: [passenger({ id: 'P1' })], leases: [lease(F.id, 100, 149)] });
    await checkIn(
      db,
      agent,
      { flightId: F.id, passengerId: 'P1', seat: '10A', bags: { count: 0, weightKg: 0 }, docsChecked: true, standby: false },
      fixtureClock,
    );
    const [e] = await db.outbox.toArray();
    await applyPushResults(
      db,
      { protocol: 1, results: [{ id: e!.id, seq: 1, status: 'applied' }], lastSeq: 1 },
      '2026-11-26T12:01:00.000Z',
      { relay: 'http://relay.local', final: new Set(), journal: { source: 'http://relay.local', deviceId: 'DEV9' } },
    );
    expect(await db.outbox.count()).toBe(1);
    expect(await db.journal.count()).toBe(0);
  });

  it('drops entries past their time, and beyond the count the oldest first', async () => {
    db = memoryDatabase();
    const limits: JournalLimits = { keepHours: 72, maxEntries: 3 };
    const now = Date.parse('2026-11-26T12:00:00.000Z');
    expect(journalCutoff(now, limits)).toBe('2026-11-23T12:00:00.000Z');
    await db.journal.bulkPut([
      entry(1, '2026-11-23T11:59:59.999Z'),
      entry(2, '2026-11-23T12:00:00.000Z'),
      entry(3, '2026-11-24T08:00:00.000Z'),
      entry(4, '2026-11-25T08:00:00.000Z'),
      entry(5, '2026-11-26T08:00:00.000Z'),
    ]);
    // 1 is past 72 hours; of the four left, the oldest (2) goes to stay within three.
    expect(await pruneJournal(db, now, limits)).toBe(2);
    expect((await db.journal.toArray()).map((j) => j.seq).sort()).toEqual([3, 4, 5]);
    expect(await pruneJournal(db, now, limits)).toBe(0);
  });
});

describe('sending again what a restored backend lost', () => {
  it('puts back what the backend no longer has, ahead of pending actions, and numbers on from where it stands', async () => {
    const ids = await threeAcknowledged();
    const pending = await checkIn(
      db,
      agent,
      { flightId: F.id, passengerId: 'P4', seat: '14A', bags: { count: 0, weightKg: 0 }, docsChecked: true, standby: false },
      fixtureClock,
    );
    expect(pending.ok).toBe(true);
    const pendingBefore = (await db.outbox.toArray()).map((e) => e.seq);
    expect(pendingBefore).toHaveLength(1);
    // The backend answers with lastSeq 1: it lost wire seqs 2 and 3.
    expect(await recoverFromRestoredPush(db, 1)).toBe(true);
    const outbox = await db.outbox.orderBy('seq').toArray();
    expect(outbox.slice(0, 2).map((e) => [e.id, e.resent, e.attempts])).toEqual([
      [ids[1], true, 0],
      [ids[2], true, 0],
    ]);
    expect(outbox.slice(2).map((e) => e.seq)).toEqual(pendingBefore);
    expect((await db.journal.toArray()).map((j) => j.id)).toEqual([ids[0]]);
    expect(await readBook(db)).toMatchObject({ acked: 1, sent: 1 });
    // The pulled copy came from history the backend lost: it is rebuilt from the start.
    expect(await db.syncState.get(SYNC_KEYS.cursor)).toBeUndefined();
    // Their effect stays on screen while they wait again.
    const shown = (await db.manifests.get(F.id))!;
    expect(shown.passengers.filter((p) => p.status === 'checked-in').map((p) => p.id)).toEqual(['P1', 'P2', 'P3', 'P4']);
    expect(shown.base).not.toBeNull();
  });

  it('after a refused pull, puts back the whole journal, earlier enrolments and a relay’s answers too, and keeps the numbers above the backend’s', async () => {
    const ids = await threeAcknowledged();
    const earlier = entry(0, '2026-11-26T11:00:00.000Z', { deviceId: 'EARLIER-ENROLMENT' });
    const viaRelay = entry(9, '2026-11-26T12:00:00.000Z', { source: 'http://relay.local', deviceId: 'DEV-AT-RELAY' });
    await db.journal.bulkPut([earlier, viaRelay]);
    await db.syncState.put({ key: SYNC_KEYS.cursor, value: 'somewhere' });
    expect(await recoverFromRestoredPull(db)).toBe(5);
    expect((await db.outbox.orderBy('seq').toArray()).map((e) => e.id)).toEqual([earlier.id, ...ids, viaRelay.id]);
    expect(await db.journal.count()).toBe(0);
    // Still 3: the answers will tell where the backend stands, and until then pulls do not claim it.
    expect(await readBook(db)).toMatchObject({ acked: 3 });
    expect(await restoreUnconfirmed(db)).toBe(true);
    expect(await db.syncState.get(SYNC_KEYS.cursor)).toBeUndefined();
    // The push that then finds where it stands does not throw the rebuilt copy away again.
    expect(await recoverFromRestoredPush(db, 1)).toBe(false);
    expect(await readBook(db)).toMatchObject({ acked: 1 });
  });

  it('puts back nothing for a workstation that never enrolled', async () => {
    db = memoryDatabase();
    await db.journal.put(entry(1, '2026-11-26T12:00:00.000Z'));
    expect(await requeueJournal(db, null)).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });
});

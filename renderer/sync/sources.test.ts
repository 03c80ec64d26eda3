import { afterEach, describe, expect, it } from 'vitest';
import { memoryDatabase } from '../../tests/support/memory-db';
import type { BackstopDB, OutboxEntry } from '../db/schema';
import { SYNC_KEYS } from '../db/sync-state';
import { activate, heldAtRelay, outgoing, readBook, resetNumbering, updateBook, type SourceBook } from './sources';

const RELAY = 'http://127.0.0.1:8788';
const CENTRAL = 'http://127.0.0.1:8787';

function entry(seq: number, relayed?: { source: string; wireSeq: number }): OutboxEntry {
  return {
    id: `m-${seq}`,
    seq,
    type: 'passenger.board',
    args: { flightId: 'F1', passengerId: `P${seq}`, via: 'scan' },
    at: '2026-11-26T10:00:00.000Z',
    staffId: 'AG1001',
    flightId: 'F1',
    attempts: 0,
    lastError: null,
    ...(relayed ? { relayed } : {}),
  };
}

function book(patch: Partial<SourceBook>): SourceBook {
  return { url: RELAY, acked: null, sent: null, relay: true, confirmedSeq: 0, ...patch };
}

async function keys(db: BackstopDB): Promise<Record<string, unknown>> {
  const rows = await db.syncState.bulkGet([SYNC_KEYS.deviceId, SYNC_KEYS.token, SYNC_KEYS.cursor, SYNC_KEYS.previousDeviceId]);
  return { deviceId: rows[0]?.value, token: rows[1]?.value, cursor: rows[2]?.value, previousDeviceId: rows[3]?.value };
}

const dbs: BackstopDB[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('what goes to which backend', () => {
  it('numbers new actions for a backend from the last seq it confirmed, not by the outbox order', () => {
    const entries = [entry(7), entry(8), entry(9)];
    expect(outgoing(book({ url: CENTRAL, relay: false, acked: 2 }), entries, 10).map((o) => [o.entry.seq, o.wire, o.final])).toEqual([
      [7, 3, false],
      [8, 4, false],
      [9, 5, false],
    ]);
    // A backend whose numbering is not known yet takes the outbox's own.
    expect(outgoing(book({ url: CENTRAL, relay: false }), entries, 10).map((o) => o.wire)).toEqual([7, 8, 9]);
  });

  it('asks a relay again for the actions central has answered there, under their old seq, and sends it nothing twice', () => {
    const entries = [entry(1, { source: RELAY, wireSeq: 1 }), entry(2, { source: RELAY, wireSeq: 2 }), entry(3)];
    const out = outgoing(book({ acked: 2, sent: 2, confirmedSeq: 1 }), entries, 10);
    expect(out.map((o) => [o.entry.seq, o.wire, o.final])).toEqual([
      [1, 1, true],
      [3, 3, false],
    ]);
    // Turned to central, the workstation sends everything the relay held itself: central answers each id once.
    expect(outgoing(book({ url: CENTRAL, relay: false, acked: 10 }), entries, 10).map((o) => o.wire)).toEqual([11, 12, 13]);
  });

  it('counts what a relay holds that central has not answered yet', () => {
    const entries = [entry(1, { source: RELAY, wireSeq: 1 }), entry(2, { source: RELAY, wireSeq: 2 }), entry(3)];
    expect(heldAtRelay(book({ confirmedSeq: 1 }), entries)).toBe(1);
    expect(heldAtRelay(book({ url: CENTRAL, relay: false }), entries)).toBe(2);
  });
});

describe('turning from one backend to another', () => {
  it('parks one backend’s enrolment and cursor and brings the other’s back, in both directions', async () => {
    const db = memoryDatabase();
    dbs.push(db);
    // A workstation from before there were several backends: its keys are central's.
    await db.syncState.bulkPut([
      { key: SYNC_KEYS.deviceId, value: 'central-device' },
      { key: SYNC_KEYS.token, value: 'central-token' },
      { key: SYNC_KEYS.cursor, value: 'central-cursor' },
    ]);
    expect(await activate(db, CENTRAL, CENTRAL)).toEqual({ switched: false });

    expect(await activate(db, RELAY, CENTRAL)).toEqual({ switched: true });
    expect(await keys(db)).toEqual({ deviceId: undefined, token: undefined, cursor: undefined, previousDeviceId: undefined });
    await db.syncState.bulkPut([
      { key: SYNC_KEYS.deviceId, value: 'relay-device' },
      { key: SYNC_KEYS.token, value: 'relay-token' },
      { key: SYNC_KEYS.cursor, value: 'relay-cursor' },
    ]);

    await activate(db, CENTRAL, CENTRAL);
    expect(await keys(db)).toMatchObject({ deviceId: 'central-device', token: 'central-token', cursor: 'central-cursor' });
    await activate(db, RELAY, CENTRAL);
    expect(await keys(db)).toMatchObject({ deviceId: 'relay-device', token: 'relay-token', cursor: 'relay-cursor' });
    expect((await readBook(db))?.url).toBe(RELAY);
  });

  it('enrols afresh with a backend it left with an answer outstanding, and asks it for nothing under the old numbers', async () => {
    const db = memoryDatabase();
    dbs.push(db);
    await activate(db, RELAY, CENTRAL);
    await db.syncState.bulkPut([
      { key: SYNC_KEYS.deviceId, value: 'relay-device' },
      { key: SYNC_KEYS.token, value: 'relay-token' },
      { key: SYNC_KEYS.cursor, value: 'relay-cursor' },
    ]);
    await db.outbox.bulkPut([entry(1, { source: RELAY, wireSeq: 1 }), entry(2)]);
    // Seq 2 went out and the relay fell silent before answering.
    await updateBook(db, { relay: true, acked: 1, sent: 2 });
    await activate(db, CENTRAL, CENTRAL);
    await activate(db, RELAY, CENTRAL);

    expect(await keys(db)).toEqual({ deviceId: undefined, token: undefined, cursor: 'relay-cursor', previousDeviceId: 'relay-device' });
    expect(await readBook(db)).toMatchObject({ url: RELAY, acked: null, sent: null, confirmedSeq: 0 });
    expect((await db.outbox.get(1))?.relayed).toBeUndefined();
  });

  it('numbers from 1 again after a new enrolment', async () => {
    const db = memoryDatabase();
    dbs.push(db);
    await activate(db, RELAY, CENTRAL);
    await updateBook(db, { relay: true, acked: 40, sent: 41, confirmedSeq: 39 });
    await db.outbox.put(entry(5, { source: RELAY, wireSeq: 40 }));
    await resetNumbering(db);
    expect(await readBook(db)).toMatchObject({ acked: 0, sent: 0, confirmedSeq: 0 });
    expect(outgoing((await readBook(db))!, await db.outbox.toArray(), 10).map((o) => o.wire)).toEqual([1]);
  });
});

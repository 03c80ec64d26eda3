import { afterEach, describe, expect, it } from 'vitest';
import { memoryDatabase } from '../../../tests/support/memory-db';
import type { BackstopDB } from '../../db/schema';
import { SYNC_KEYS } from '../../db/sync-state';
import { signInOnline } from './online-signin';

let db: BackstopDB;
afterEach(() => db?.close());

async function enrolled(source: string | null) {
  db = memoryDatabase();
  await db.syncState.bulkPut([
    { key: SYNC_KEYS.deviceId, value: 'DEV-RELAY' },
    { key: SYNC_KEYS.token, value: 't'.repeat(40) },
  ]);
  if (source !== null)
    await db.syncState.put({ key: SYNC_KEYS.source, value: { url: source, acked: 0, sent: 0, relay: true, confirmedSeq: 0 } });
}

/** Records where the PIN went and refuses it (what the answer is does not matter here). */
function recorder() {
  const asked: string[] = [];
  const fetchImpl: typeof fetch = (input) => {
    asked.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return Promise.resolve(new Response(JSON.stringify({ error: { code: 'SIGN_IN_REFUSED', message: 'no' } }), { status: 401 }));
  };
  return { asked, fetchImpl };
}

describe('online sign-in', () => {
  it('asks the backend whose token the workstation holds: the station relay after a fail-over', async () => {
    await enrolled('http://relay.station:8788');
    const { asked, fetchImpl } = recorder();
    expect(await signInOnline(db, 'http://central.example:8787', 'AG1001', '123456', fetchImpl)).toEqual({ kind: 'refused' });
    expect(asked).toEqual(['http://relay.station:8788/v1/staff/sessions']);
  });

  it('asks the configured backend while the workstation has no sync source on record', async () => {
    await enrolled(null);
    const { asked, fetchImpl } = recorder();
    await signInOnline(db, 'http://central.example:8787', 'AG1001', '123456', fetchImpl);
    expect(asked).toEqual(['http://central.example:8787/v1/staff/sessions']);
  });

  it('does not ask anyone before the workstation is enrolled', async () => {
    db = memoryDatabase();
    const { asked, fetchImpl } = recorder();
    expect(await signInOnline(db, 'http://central.example:8787', 'AG1001', '123456', fetchImpl)).toEqual({ kind: 'unavailable' });
    expect(asked).toEqual([]);
  });
});

/**
 * Encryption at rest, against fake-indexeddb (which commits a transaction that has nothing pending,
 * as a browser does): what lands in IndexedDB holds no passenger name, PNR, token or audit summary,
 * while the app reads and writes plain records, staff actions included.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { A320, fixtureClock, flight, passenger } from '../../tests/support/fixtures';
import { lease, seedFlight } from '../../tests/support/memory-db';
import { aesGcmSealer } from './at-rest';
import { verifyAuditChain } from './audit';
import { browserKeys } from './keys';
import { openDatabase, type BackstopDB } from './schema';
import { SYNC_KEYS } from './sync-state';
import { checkIn, perform } from './write-path';

const F = flight();
const opened: BackstopDB[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

async function sealedAndRaw() {
  const factory = new IDBFactory();
  const keys = await browserKeys({ indexedDB: factory, IDBKeyRange });
  const sealer = aesGcmSealer(keys.data);
  const sealed = openDatabase('backstop-test', { indexedDB: factory, IDBKeyRange, sealer });
  const raw = openDatabase('backstop-test', { indexedDB: factory, IDBKeyRange, sealer: null });
  opened.push(sealed, raw);
  await seedFlight(sealed, {
    flight: F,
    seatMap: A320,
    passengers: [passenger({ id: 'PAX1', lastName: 'OKONKWO', firstName: 'ADAEZE', pnr: 'QX7R2M' })],
    leases: [lease(F.id, 100, 120)],
  });
  return { sealed, raw, factory };
}

describe('passenger data at rest', () => {
  it('stores manifests, search text, the outbox, the audit log and the token sealed; the app reads them plain', async () => {
    const { sealed, raw } = await sealedAndRaw();
    const agent = { staffId: 'AG1001', role: 'agent' as const };
    const out = await checkIn(
      sealed,
      agent,
      { flightId: F.id, passengerId: 'PAX1', seat: '10C', bags: { count: 1, weightKg: 20 }, docsChecked: true, standby: false },
      fixtureClock,
    );
    expect(out.ok).toBe(true);
    const offload = await perform(
      sealed,
      agent,
      { type: 'passenger.offload', args: { flightId: F.id, passengerId: 'PAX1', reason: 'Unwell at the gate' } },
      fixtureClock,
    );
    expect(offload.ok).toBe(true);
    await sealed.syncState.put({ key: SYNC_KEYS.token, value: 'device-token-0123456789-abcdefghijklmnopqrst' });

    // What the app sees.
    expect((await sealed.manifests.get(F.id))!.passengers[0]).toMatchObject({ lastName: 'OKONKWO', status: 'offloaded' });
    expect((await sealed.audit.toArray()).map((a) => a.summary).join()).toContain('OKONKWO');
    expect((await sealed.outbox.toArray())[1]!.args).toMatchObject({ reason: 'Unwell at the gate' });
    expect(await verifyAuditChain(sealed)).toMatchObject({ ok: true, entries: 2 });

    // What is on disk.
    const disk = JSON.stringify(
      await Promise.all(['manifests', 'searchIndex', 'outbox', 'audit', 'syncState'].map((t) => raw.table(t).toArray())),
    );
    for (const secret of ['OKONKWO', 'ADAEZE', 'QX7R2M', 'Unwell', 'device-token']) expect(disk).not.toContain(secret);
    expect(disk).toContain('__sealed');
    // Keys and indexed fields stay usable.
    expect(await raw.outbox.where('flightId').equals(F.id).count()).toBe(2);
  });

  it('refuses to open a sealed record with another key', async () => {
    const { factory } = await sealedAndRaw();
    const otherKey = crypto.getRandomValues(new Uint8Array(32));
    const intruder = openDatabase('backstop-test', { indexedDB: factory, IDBKeyRange, sealer: aesGcmSealer(otherKey) });
    opened.push(intruder);
    await expect(intruder.manifests.get(F.id)).rejects.toThrow();
  });
});

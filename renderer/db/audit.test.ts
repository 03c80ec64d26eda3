/**
 * An audit chain that holds up: keyed with the workstation's HMAC key, so an edit re-hashed by
 * someone without it is caught; anchored on the backend, so a rewritten or shortened chain is caught
 * at the next sync; purged by age only where the backend anchored it, still verifying afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../shared/crypto/sha256';
import { memoryDatabase } from '../../tests/support/memory-db';
import { anchorProblem, appendAudit, AUDIT_ANCHOR_KEY, auditHead, purgeAnchoredAudit, installAuditKey, verifyAuditChain } from './audit';
import type { BackstopDB } from './schema';

let db: BackstopDB;
afterEach(() => {
  installAuditKey(null);
  db?.close();
});

const entry = (i: number) => ({
  at: `2027-03-2${i}T10:00:00.000Z`,
  staffId: 'AG1001',
  action: 'passenger.board',
  flightId: 'F1',
  passengerId: `P${i}`,
  mutationId: null,
  summary: `Boarded passenger ${i}`,
});

async function chain(n: number): Promise<void> {
  db = memoryDatabase();
  for (let i = 1; i <= n; i++) await db.transaction('rw', db.audit, () => appendAudit(db, entry(i)));
}

describe('the keyed audit chain', () => {
  it('catches an entry edited and re-hashed by someone without the workstation’s key', async () => {
    installAuditKey(crypto.getRandomValues(new Uint8Array(32)));
    await chain(3);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, entries: 3 });
    const second = (await db.audit.get(2))!;
    const forged = { ...second, summary: 'Nothing happened' };
    const rehash = (e: typeof forged) =>
      sha256Hex(JSON.stringify([e.prevHash, e.at, e.staffId, e.action, e.flightId, e.passengerId, e.mutationId, e.summary]));
    // The forger recomputes the hash as the unkeyed chain did, and even drops the key marker.
    await db.audit.put({ ...forged, hash: rehash(forged) });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 2 });
    const { alg: _alg, ...unmarked } = forged;
    await db.audit.put({ ...unmarked, hash: rehash(forged) });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false });
  });

  it('finds a chain that no longer matches what the backend anchored', async () => {
    await chain(3);
    const anchored = await auditHead(db);
    expect(await anchorProblem(db, anchored, true)).toBeNull();
    // The whole log is rewritten from scratch, consistently (unkeyed here, so it even verifies locally).
    await db.audit.clear();
    for (let i = 1; i <= 3; i++) await db.transaction('rw', db.audit, () => appendAudit(db, { ...entry(i), summary: 'tidied' }));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
    expect(await anchorProblem(db, anchored, true)).toMatch(/no longer has the hash|missing/);
    expect(await anchorProblem(db, null, false)).toMatch(/refused/);
  });

  it('purges old entries only where the backend anchored them, and still verifies', async () => {
    await chain(5);
    expect(await purgeAnchoredAudit(db, '2027-03-30T00:00:00.000Z')).toBe(0);
    await db.settings.put({ key: AUDIT_ANCHOR_KEY, value: { n: 3, hash: (await db.audit.get(3))!.hash } });
    expect(await purgeAnchoredAudit(db, '2027-03-30T00:00:00.000Z')).toBe(3);
    expect(await db.audit.count()).toBe(2);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, entries: 2 });
    expect(await anchorProblem(db, { n: 3, hash: 'x'.repeat(64) }, true)).toBeNull();
  });
});

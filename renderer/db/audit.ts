/**
 * The append-only, hash-chained audit log: each entry's hash covers its content and the previous
 * entry's hash, so a removed or edited entry breaks the chain where it happened.
 */
import { sha256Hex } from '../../shared/crypto/sha256';
import type { AuditEntry, BackstopDB } from './schema';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditInput = Omit<AuditEntry, 'n' | 'prevHash' | 'hash'>;

function entryHash(entry: Omit<AuditEntry, 'n' | 'hash'>): string {
  return sha256Hex(
    JSON.stringify([
      entry.prevHash,
      entry.at,
      entry.staffId,
      entry.action,
      entry.flightId,
      entry.passengerId,
      entry.mutationId,
      entry.summary,
    ]),
  );
}

/** Must run inside a transaction that includes the audit table, so the chain cannot fork. */
export async function appendAudit(db: BackstopDB, input: AuditInput): Promise<AuditEntry> {
  const last = await db.audit.orderBy('n').last();
  const withPrev = { ...input, prevHash: last?.hash ?? GENESIS_HASH };
  const entry: AuditEntry = { ...withPrev, hash: entryHash(withPrev) };
  entry.n = await db.audit.add(entry);
  return entry;
}

export type ChainCheck = { ok: true; entries: number } | { ok: false; brokenAt: number; reason: string };

export async function verifyAuditChain(db: BackstopDB): Promise<ChainCheck> {
  let prev = GENESIS_HASH;
  let count = 0;
  let problem: ChainCheck | null = null;
  await db.audit
    .orderBy('n')
    .until(() => problem !== null)
    .each((e) => {
      count += 1;
      if (e.prevHash !== prev) problem = { ok: false, brokenAt: e.n ?? -1, reason: 'an entry before it is missing or changed' };
      else if (entryHash(e) !== e.hash) problem = { ok: false, brokenAt: e.n ?? -1, reason: 'the entry was changed' };
      prev = e.hash;
    });
  return problem ?? { ok: true, entries: count };
}

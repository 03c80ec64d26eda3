/**
 * The append-only, hash-chained audit log: each entry's hash covers its content and the previous
 * entry's hash, so a removed or edited entry breaks the chain where it happened.
 *
 * The chain is keyed: with the workstation's audit key (renderer/db/keys.ts) each hash is an
 * HMAC-SHA-256, so someone who edits an entry cannot compute a hash that fits. The HMAC is
 * synchronous (@noble/hashes): an entry is chained inside the staff action's transaction, which must
 * never wait on anything but IndexedDB.
 *
 * Entries written before the key existed (plain SHA-256, `alg` absent) may only come first. And it
 * is anchored: every push sends the head, the backend keeps it and answers with the head it had
 * (server/security/audit-anchor.ts); an entry at or below an anchor that no longer has the anchored
 * hash, a chain that got shorter, or one that forks, is a break the backend knows about too.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha256Hex } from '../../shared/crypto/sha256';
import type { AuditHead } from '../../shared/protocol/v1';
import type { AuditEntry, BackstopDB } from './schema';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditInput = Omit<AuditEntry, 'n' | 'prevHash' | 'hash' | 'alg'>;

let auditKey: Uint8Array | null = null;
let legacyAuditKey: CryptoKey | null = null;

/**
 * The HMAC key every entry from now on is chained with (set once at start-up; null: unkeyed, tests).
 * `legacy`: a browser profile's earlier non-extractable WebCrypto key, which only verifies the
 * entries it chained before the profile moved to key bytes (renderer/db/keys.ts).
 */
export function installAuditKey(key: Uint8Array | null, legacy: CryptoKey | null = null): void {
  auditKey = key ? key.slice() : null;
  legacyAuditKey = legacy;
}

function canonical(entry: Omit<AuditEntry, 'n' | 'hash' | 'alg'>): string {
  return JSON.stringify([
    entry.prevHash,
    entry.at,
    entry.staffId,
    entry.action,
    entry.flightId,
    entry.passengerId,
    entry.mutationId,
    entry.summary,
  ]);
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const encoder = new TextEncoder();

/** HMAC-SHA-256 of UTF-8 text, lowercase hex (the same bytes as WebCrypto's HMAC with this key). */
export function hmacHex(key: Uint8Array, text: string): string {
  return hex(hmac(sha256, key, encoder.encode(text)));
}

async function legacyHmacHex(key: CryptoKey, text: string): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text))));
}

/** Must run inside a transaction that includes the audit table, so the chain cannot fork. */
export async function appendAudit(db: BackstopDB, input: AuditInput): Promise<AuditEntry> {
  const last = await db.audit.orderBy('n').last();
  const withPrev = { ...input, prevHash: last?.hash ?? GENESIS_HASH };
  const key = auditKey;
  const entry: AuditEntry = key
    ? { ...withPrev, alg: 'hmac-sha256', hash: hmacHex(key, canonical(withPrev)) }
    : { ...withPrev, hash: sha256Hex(canonical(withPrev)) };
  entry.n = await db.audit.add(entry);
  return entry;
}

export type ChainCheck = { ok: true; entries: number } | { ok: false; brokenAt: number; reason: string };

/** Where a purge left the chain: the entries up to `n` are gone, the next one chains to `hash`. */
export const AUDIT_PURGED_KEY = 'auditPurgedThrough';
/** The head the backend last anchored for this workstation. */
export const AUDIT_ANCHOR_KEY = 'auditAnchor';
/** Set when a check found the chain broken: when, where and why (the supervisor screen shows it). */
export const AUDIT_BROKEN_KEY = 'auditBroken';

export interface AuditBreak {
  at: string;
  brokenAt: number;
  reason: string;
}

const PAGE = 500;

/**
 * Checks every link and every hash, outside any transaction (a profile's legacy key, if any, is
 * WebCrypto's: asynchronous). Without a key (tests) keyed entries are checked for their links only.
 */
export async function verifyAuditChain(
  db: BackstopDB,
  key: Uint8Array | null = auditKey,
  legacy: CryptoKey | null = legacyAuditKey,
): Promise<ChainCheck> {
  const purged = (await db.settings.get(AUDIT_PURGED_KEY))?.value as AuditHead | undefined;
  let prev = purged?.hash ?? GENESIS_HASH;
  let after = purged?.n ?? 0;
  let count = 0;
  let keyed = false;
  // Entries chained with a profile's legacy key all come before the first one chained with the key bytes.
  let legacyAllowed = legacy !== null;
  for (;;) {
    const page = await db.audit.where('n').above(after).limit(PAGE).toArray();
    for (const e of page) {
      count += 1;
      const n = e.n ?? -1;
      if (e.prevHash !== prev) return { ok: false, brokenAt: n, reason: 'an entry before it is missing or changed' };
      const { n: _n, hash: _h, alg, ...content } = e;
      if (alg === 'hmac-sha256') {
        keyed = true;
        if (key) {
          const text = canonical(content);
          if (hmacHex(key, text) === e.hash) legacyAllowed = false;
          else if (!legacyAllowed || (await legacyHmacHex(legacy!, text)) !== e.hash)
            return { ok: false, brokenAt: n, reason: 'the entry was changed' };
        }
      } else {
        // Unkeyed entries are only those written before the key existed, all before the first keyed one.
        if (keyed) return { ok: false, brokenAt: n, reason: 'an entry without the workstation’s key after keyed ones' };
        if (sha256Hex(canonical(content)) !== e.hash) return { ok: false, brokenAt: n, reason: 'the entry was changed' };
      }
      prev = e.hash;
      after = n;
    }
    if (page.length < PAGE) return { ok: true, entries: count };
  }
}

/** The newest entry's number and hash (n 0 and the genesis hash for an empty log). */
export async function auditHead(db: BackstopDB): Promise<AuditHead> {
  const last = await db.audit.orderBy('n').last();
  if (last) return { n: last.n ?? 0, hash: last.hash };
  const purged = (await db.settings.get(AUDIT_PURGED_KEY))?.value as AuditHead | undefined;
  return purged ?? { n: 0, hash: GENESIS_HASH };
}

/**
 * Compares the backend's anchor with the local chain: the entry at the anchored number must still
 * have the anchored hash (or have been purged after being anchored). Null when it holds.
 */
export async function anchorProblem(db: BackstopDB, anchored: AuditHead | null, accepted: boolean): Promise<string | null> {
  if (!accepted) return 'the backend refused the chain’s head: it does not extend what the backend anchored before';
  if (!anchored || anchored.n === 0) return null;
  const entry = await db.audit.get(anchored.n);
  if (entry) return entry.hash === anchored.hash ? null : `entry ${anchored.n} no longer has the hash the backend anchored`;
  const purged = (await db.settings.get(AUDIT_PURGED_KEY))?.value as AuditHead | undefined;
  return purged && purged.n >= anchored.n ? null : `entry ${anchored.n}, anchored on the backend, is missing`;
}

/** Records a break (once: the first one found stays) for the supervisor screen and the next push. */
export async function recordAuditBreak(db: BackstopDB, brk: AuditBreak): Promise<void> {
  if (await db.settings.get(AUDIT_BROKEN_KEY)) return;
  await db.settings.put({ key: AUDIT_BROKEN_KEY, value: brk });
}

export async function readAuditBreak(db: BackstopDB): Promise<AuditBreak | null> {
  return ((await db.settings.get(AUDIT_BROKEN_KEY))?.value as AuditBreak | undefined) ?? null;
}

/**
 * Retention: drops entries older than `cutoff` that the backend has anchored (they are on record
 * there), keeping where the chain continues so it still verifies. Returns how many went.
 */
export async function purgeAnchoredAudit(db: BackstopDB, cutoffIso: string): Promise<number> {
  return db.transaction('rw', db.audit, db.settings, async () => {
    const anchor = (await db.settings.get(AUDIT_ANCHOR_KEY))?.value as AuditHead | undefined;
    if (!anchor) return 0;
    const old = await db.audit
      .where('n')
      .belowOrEqual(anchor.n)
      .and((e) => e.at < cutoffIso)
      .primaryKeys();
    if (old.length === 0) return 0;
    const through = Math.max(...old.filter((k): k is number => typeof k === 'number'));
    const last = await db.audit.get(through);
    if (!last) return 0;
    const gone = await db.audit.where('n').belowOrEqual(through).primaryKeys();
    await db.audit.bulkDelete(gone);
    await db.settings.put({ key: AUDIT_PURGED_KEY, value: { n: through, hash: last.hash } });
    return gone.length;
  });
}

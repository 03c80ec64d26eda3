/**
 * Passenger data encrypted at rest: a Dexie middleware, at the bottom of the stack (right above
 * IndexedDB), seals the fields that hold personal or secret data into one AES-GCM blob per record
 * with the workstation's data key, and opens them again on the way up. Everything above it (the
 * write path, live queries, Dexie's own cache) sees plain records; what lands on disk does not
 * hold a name, a PNR, an e-ticket, a reason, an audit summary, a staff hash or a token.
 *
 * Keys, indexed fields and bookkeeping stay plain (they are ids, times and counts): IndexedDB must
 * be able to look records up by them. Every read path opens the record (row-codec.ts).
 *
 * Sealing and opening are synchronous (AES-256-GCM from @noble/ciphers, on key bytes the page holds:
 * renderer/db/keys.ts). IndexedDB commits a transaction that has no request pending at the end of a
 * task, so a transaction must never wait on anything but IndexedDB: with WebCrypto (asynchronous) the
 * middleware had to keep each transaction busy while it waited, and on a busy machine a staff action or
 * a sync could still end in "Transaction committed too early". The format is WebCrypto's, so records
 * sealed by either open with the other: a random 96-bit IV, then the ciphertext and its 128-bit tag.
 */
import { gcm } from '@noble/ciphers/aes.js';
import type { DBCore, Middleware } from 'dexie';
import { codecTable } from './row-codec';

/** Which fields of which tables are sealed. */
export const SEALED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  manifests: ['passengers', 'base'],
  searchIndex: ['text'],
  outcomes: ['message', 'server'],
  audit: ['summary'],
  staff: ['name', 'credential'],
  outbox: ['args'],
  journal: ['args'],
  prints: ['destination', 'error'],
  // Device and staff tokens (the other sync bookkeeping is plain: cursors, counters, times).
  syncState: ['value'],
  // The browser host's print history (renderer/host/browser-print-history.ts): documents and titles.
  jobs: ['job', 'document'],
};

/** syncState rows whose value is sealed: the secrets. */
// parkedSources: the tokens of the other backends this workstation may sync with (renderer/sync/sources.ts).
const SECRET_SYNC_KEYS = new Set(['token', 'previousToken', 'staffSession', 'parkedSources']);

/** The field a sealed record carries its sealed fields in. */
export const SEALED = '__sealed';

export interface Sealer {
  seal(plain: Uint8Array): Uint8Array<ArrayBuffer>;
  /**
   * The same sealing with the platform's AES-GCM (WebCrypto), which runs off this thread: for records
   * made before the transaction that puts them (presealRows). Never inside a transaction (see above).
   */
  sealAsync?(plain: Uint8Array): Promise<Uint8Array<ArrayBuffer>>;
  /** The plain bytes (shared with a cache: read them, never change them). Throws if `sealed` does not open. */
  open(sealed: Uint8Array): Uint8Array<ArrayBuffer>;
}

export const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The records this page sealed or opened last, by their exact sealed bytes: AES-GCM in JavaScript is
 * several times slower than the platform's, and a staff action reads back the manifest it (or the
 * previous action) just wrote. Bounded; it holds what the page shows anyway.
 */
class OpenedCache {
  private readonly entries = new Map<string, { sealed: Uint8Array; plain: Uint8Array<ArrayBuffer> }>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxEntries: number,
  ) {}

  /** IV and tag together name a sealed record (the IV is random per seal); the bytes are compared too. */
  private static id(sealed: Uint8Array): string {
    let id = `${sealed.length}:`;
    for (const b of sealed.subarray(0, IV_BYTES)) id += b.toString(16).padStart(2, '0');
    for (const b of sealed.subarray(sealed.length - TAG_BYTES)) id += b.toString(16).padStart(2, '0');
    return id;
  }

  get(sealed: Uint8Array): Uint8Array<ArrayBuffer> | null {
    const id = OpenedCache.id(sealed);
    const hit = this.entries.get(id);
    if (!hit) return null;
    for (let i = 0; i < sealed.length; i++) if (hit.sealed[i] !== sealed[i]) return null;
    this.entries.delete(id);
    this.entries.set(id, hit);
    return hit.plain;
  }

  put(sealed: Uint8Array, plain: Uint8Array<ArrayBuffer>): void {
    if (sealed.length > this.maxBytes / 4) return;
    const id = OpenedCache.id(sealed);
    if (this.entries.has(id)) return;
    this.entries.set(id, { sealed, plain });
    this.bytes += sealed.length + plain.length;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
      this.bytes -= entry.sealed.length + entry.plain.length;
    }
  }
}

/** AES-256-GCM with a random 96-bit IV per record: IV ‖ ciphertext+tag. The key is copied. */
export function aesGcmSealer(keyBytes: Uint8Array): Sealer {
  if (keyBytes.length !== 32) throw new Error('the at-rest key must be 32 bytes');
  const key = keyBytes.slice();
  const cache = new OpenedCache(16 * 1024 * 1024, 512);
  let platformKey: Promise<CryptoKey> | null = null;
  return {
    async sealAsync(plain) {
      platformKey ??= crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const body = new Uint8Array(
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await platformKey, plain as Uint8Array<ArrayBuffer>),
      );
      const out = new Uint8Array(IV_BYTES + body.length);
      out.set(iv);
      out.set(body, IV_BYTES);
      return out;
    },
    seal(plain) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const body = gcm(key, iv).encrypt(plain);
      const out = new Uint8Array(IV_BYTES + body.length);
      out.set(iv);
      out.set(body, IV_BYTES);
      // Neither is changed afterwards: `out` goes to IndexedDB (which copies it), `plain` was made for this call.
      cache.put(out, plain as Uint8Array<ArrayBuffer>);
      return out;
    },
    open(sealed) {
      const known = cache.get(sealed);
      if (known) return known;
      // A fresh array on a fresh ArrayBuffer (noble allocates it): no copy.
      const plain = gcm(key, sealed.subarray(0, IV_BYTES)).decrypt(sealed.subarray(IV_BYTES)) as Uint8Array<ArrayBuffer>;
      cache.put(sealed, plain);
      return plain;
    },
  };
}

type Row = Record<string, unknown>;

function sealedFieldsOf(table: string, row: Row): readonly string[] {
  const fields = SEALED_FIELDS[table] ?? [];
  if (table === 'syncState') return SECRET_SYNC_KEYS.has(String(row.key)) ? fields : [];
  return fields;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The record's sealed fields as the blob holds them, or null when it has none. */
function secretOf(table: string, row: Row): Row | null {
  const fields = sealedFieldsOf(table, row).filter((f) => f in row);
  if (fields.length === 0) return null;
  const secret: Row = {};
  for (const f of fields) secret[f] = row[f];
  return secret;
}

/** Blobs sealed ahead of their put (presealRows), by record, with the sealer that made them. */
const presealed = new WeakMap<object, { sealer: Sealer; sealed: Uint8Array<ArrayBuffer> }>();

/**
 * Seals records before the transaction that will put them, with the platform's AES-GCM off this
 * thread (a first fill's new manifests): the middleware then stores the blob made here instead of
 * sealing on the storing thread. The sealed fields of a record handed here must not change before it
 * is put (it would be stored as it was here); a record put by a database with another sealer is sealed
 * as usual.
 */
export async function presealRows(sealer: Sealer | null, table: string, rows: readonly object[]): Promise<void> {
  const sealAsync = sealer?.sealAsync?.bind(sealer);
  if (!sealer || !sealAsync) return;
  await Promise.all(
    rows.map(async (row) => {
      const secret = secretOf(table, row as Row);
      if (secret) presealed.set(row, { sealer, sealed: await sealAsync(encoder.encode(JSON.stringify(secret))) });
    }),
  );
}

/** The record as stored: its sealed fields moved into one blob (records without any are left alone). */
export function sealRow(sealer: Sealer, table: string, row: unknown): unknown {
  if (typeof row !== 'object' || row === null || SEALED in row) return row;
  const secret = secretOf(table, row as Row);
  if (!secret) return row;
  const out: Row = { ...(row as Row) };
  for (const f of Object.keys(secret)) delete out[f];
  const early = presealed.get(row);
  out[SEALED] = early?.sealer === sealer ? early.sealed : sealer.seal(encoder.encode(JSON.stringify(secret)));
  return out;
}

/** The record as the app sees it. Throws when the blob does not open with this sealer's key. */
export function openRow(sealer: Sealer, row: unknown): unknown {
  if (typeof row !== 'object' || row === null || !(SEALED in row)) return row;
  const { [SEALED]: sealed, ...rest } = row as Row;
  if (!(sealed instanceof Uint8Array)) return row;
  const secret = JSON.parse(decoder.decode(sealer.open(sealed))) as Row;
  return { ...rest, ...secret };
}

/** The middleware for a database whose sealed fields use `sealer`. */
export function atRestMiddleware(sealer: Sealer): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'at-rest',
    // Below Dexie's own layers (observability, cache, hooks: levels -1…2): they see plain records.
    level: -10,
    create: (down) => ({
      ...down,
      table: (tableName) => {
        const table = down.table(tableName);
        return tableName in SEALED_FIELDS
          ? codecTable(table, { store: (row) => sealRow(sealer, tableName, row), load: (row) => openRow(sealer, row) })
          : table;
      },
    }),
  };
}

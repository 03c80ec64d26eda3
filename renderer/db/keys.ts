/**
 * The workstation's keys, as bytes held by the page (and the sync worker) while it runs: `data`
 * (AES-256-GCM) seals passenger data at rest (at-rest.ts), `audit` (HMAC-SHA-256) keys the audit
 * chain (audit.ts), so an edited entry cannot be given a matching hash by anyone who does not hold it.
 * Both are derived with HKDF from one 32-byte master key, once at start, before the database opens.
 * Bytes, not WebCrypto key objects: sealing, opening and chaining must be synchronous (a transaction
 * must never wait on anything but IndexedDB), and WebCrypto is not.
 *
 * - Electron: main keeps the master key wrapped by the OS key store (main/vault.ts) and hands it over
 *   at start; the page derives both keys and overwrites the master bytes.
 * - Browser host: the master key is kept in its own IndexedDB database only wrapped (AES-GCM) by a
 *   non-extractable WebCrypto key stored beside it; it is unwrapped at start. A profile from before
 *   (non-extractable data and audit keys, no master) is moved over once: its sealed records are
 *   opened with the old data key and sealed again with the new one, then the old data key is
 *   forgotten; the old audit key is kept to verify the entries it chained.
 */
import Dexie, { type EntityTable, type Table } from 'dexie';
import { aesGcmSealer, IV_BYTES, SEALED, SEALED_FIELDS, type Sealer } from './at-rest';
import { DB_NAME } from './schema';

export interface AtRestKeys {
  data: Uint8Array<ArrayBuffer>;
  audit: Uint8Array<ArrayBuffer>;
  /** Browser host only: a profile's earlier non-extractable audit key, which verifies the entries it chained. */
  legacyAudit?: CryptoKey | null;
}

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const info = (label: string) => new TextEncoder().encode(`backstop ${label} v1`);

/**
 * Both keys from a master key: HKDF-SHA-256, zero salt, `backstop data v1` / `backstop audit v1`, the
 * same bytes WebCrypto's deriveKey gave the page's key objects before, so existing data still opens.
 */
export async function keysFromMaster(master: Uint8Array<ArrayBuffer>): Promise<AtRestKeys> {
  const hkdf = await crypto.subtle.importKey('raw', master, 'HKDF', false, ['deriveBits']);
  const derive = async (label: string) =>
    new Uint8Array(
      await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: info(label) }, hkdf, 256),
    );
  const [data, audit] = await Promise.all([derive('data'), derive('audit')]);
  return { data, audit };
}

/** Both keys from main's master key (base64 of 32 bytes); the master bytes are overwritten afterwards. */
export async function keysFromMain(base64: string): Promise<AtRestKeys> {
  const raw = bytesOf(base64);
  try {
    return await keysFromMaster(raw);
  } finally {
    raw.fill(0);
  }
}

/**
 * One record of the browser profile's key store. `wrap` (a non-extractable AES-GCM key) and `master`
 * (the master key, IV ‖ AES-GCM under `wrap`) are today's; `data` and `audit` (non-extractable key
 * objects) are a profile's from before the move to key bytes.
 */
interface StoredKey {
  name: 'wrap' | 'master' | 'data' | 'audit';
  key?: CryptoKey;
  wrapped?: Uint8Array<ArrayBuffer>;
}

export const KEYS_DB = 'backstop-keys';

/** Where the keys are kept: this page's IndexedDB, or another (tests). */
export interface KeyStoreFactory {
  indexedDB: IDBFactory;
  IDBKeyRange: typeof IDBKeyRange;
}

type KeysDb = Dexie & { keys: EntityTable<StoredKey, 'name'> };

function keysDb(factory?: KeyStoreFactory): KeysDb {
  const db = new Dexie(KEYS_DB, factory ?? {}) as KeysDb;
  db.version(1).stores({ keys: 'name' });
  return db;
}

async function wrapMaster(master: Uint8Array<ArrayBuffer>): Promise<{ wrap: CryptoKey; wrapped: Uint8Array<ArrayBuffer> }> {
  const wrap = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, wrap, master));
  const wrapped = new Uint8Array(IV_BYTES + body.length);
  wrapped.set(iv);
  wrapped.set(body, IV_BYTES);
  return { wrap, wrapped };
}

async function unwrapMaster(wrap: CryptoKey, wrapped: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: wrapped.subarray(0, IV_BYTES) }, wrap, wrapped.subarray(IV_BYTES)),
  );
}

/** The profile's master key, made and stored (wrapped) on first use; another tab that made one first wins. */
async function profileMaster(db: KeysDb): Promise<Uint8Array<ArrayBuffer>> {
  for (;;) {
    const [wrap, master] = await db.keys.bulkGet(['wrap', 'master']);
    if (wrap?.key && master?.wrapped) return unwrapMaster(wrap.key, master.wrapped);
    const made = crypto.getRandomValues(new Uint8Array(32));
    const { wrap: wrapKey, wrapped } = await wrapMaster(made);
    const stored = await db.transaction('rw', db.keys, async () => {
      if (await db.keys.get('master')) return false;
      await db.keys.bulkPut([
        { name: 'wrap', key: wrapKey },
        { name: 'master', wrapped },
      ]);
      return true;
    });
    if (stored) return made;
    made.fill(0);
  }
}

/**
 * The browser profile's keys. `reseal`: the databases a profile from before may have sealed with its
 * old data key (the app's, and the browser host's print history).
 */
export async function browserKeys(factory?: KeyStoreFactory, reseal: readonly string[] = [DB_NAME]): Promise<AtRestKeys> {
  const db = keysDb(factory);
  try {
    const master = await profileMaster(db);
    const keys = await keysFromMaster(master);
    master.fill(0);
    const [legacyData, legacyAudit] = await db.keys.bulkGet(['data', 'audit']);
    if (legacyData?.key) {
      const sealer = aesGcmSealer(keys.data);
      for (const name of reseal) await resealDatabase(name, legacyData.key, sealer, factory);
      // Only once every record opens with the new key: a move cut short starts again at the next start.
      await db.keys.delete('data');
    }
    return { ...keys, legacyAudit: legacyAudit?.key ?? null };
  } finally {
    db.close();
  }
}

/**
 * Seals again with `sealer` every record of `name` that still needs `legacy` (WebCrypto's AES-GCM,
 * the same format) to open; one transaction, so a move cut short leaves every record as it was.
 * Records that open with neither key are left alone. Returns how many records moved.
 */
export async function resealDatabase(name: string, legacy: CryptoKey, sealer: Sealer, factory?: KeyStoreFactory): Promise<number> {
  const idb = factory?.indexedDB ?? indexedDB;
  if (!(await idb.databases()).some((d) => d.name === name)) return 0;
  const db = new Dexie(name, factory ?? {});
  await db.open();
  try {
    const moved: { table: Table; rows: Record<string, unknown>[] }[] = [];
    for (const table of db.tables.filter((t) => t.name in SEALED_FIELDS)) {
      const rows: Record<string, unknown>[] = [];
      for (const row of (await table.toArray()) as unknown[]) {
        if (typeof row !== 'object' || row === null) continue;
        const blob = (row as Record<string, unknown>)[SEALED];
        if (!(blob instanceof Uint8Array)) continue;
        const sealed = blob as Uint8Array<ArrayBuffer>;
        try {
          sealer.open(sealed);
          continue;
        } catch {
          // Not sealed with the new key yet.
        }
        let plain: Uint8Array;
        try {
          plain = new Uint8Array(
            await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.subarray(0, IV_BYTES) }, legacy, sealed.subarray(IV_BYTES)),
          );
        } catch {
          continue;
        }
        rows.push({ ...(row as Record<string, unknown>), [SEALED]: sealer.seal(plain) });
      }
      if (rows.length > 0) moved.push({ table, rows });
    }
    if (moved.length === 0) return 0;
    await db.transaction(
      'rw',
      moved.map((m) => m.table),
      async () => {
        for (const m of moved) await m.table.bulkPut(m.rows);
      },
    );
    return moved.reduce((n, m) => n + m.rows.length, 0);
  } finally {
    db.close();
  }
}

/** Forgets the browser profile's keys: whatever they sealed is unreadable from now on. */
export async function deleteBrowserKeys(factory?: KeyStoreFactory): Promise<void> {
  await keysDb(factory).delete();
}

/**
 * The key bytes the page seals and chains with: the same format and the same results as the
 * WebCrypto keys the page used before (records and audit hashes written then still open and verify),
 * the browser profile's master key kept only wrapped by a non-extractable key, and a profile from
 * before moved over without losing an unsent action.
 */
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { A320, fixtureClock, flight, passenger } from '../../tests/support/fixtures';
import { lease, seedFlight } from '../../tests/support/memory-db';
import { aesGcmSealer, SEALED, SEALED_FIELDS, sealRow, type Sealer } from './at-rest';
import { GENESIS_HASH, hmacHex, installAuditKey, verifyAuditChain } from './audit';
import { browserKeys, KEYS_DB, keysFromMain } from './keys';
import { DB_NAME, openDatabase, type AuditEntry, type BackstopDB } from './schema';
import { SYNC_KEYS } from './sync-state';
import { checkIn, perform } from './write-path';

const opened: (BackstopDB | Dexie)[] = [];
afterEach(() => {
  installAuditKey(null);
  for (const db of opened.splice(0)) db.close();
});

const encoder = new TextEncoder();

/** The page's sealer before: WebCrypto AES-GCM with a key object, IV ‖ ciphertext+tag. */
async function webCryptoSeal(key: CryptoKey, plain: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
  const out = new Uint8Array(12 + body.length);
  out.set(iv);
  out.set(body, 12);
  return out;
}

async function webCryptoOpen(key: CryptoKey, sealed: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.subarray(0, 12) }, key, sealed.subarray(12)));
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

describe('the same format and results as WebCrypto', () => {
  it('opens what WebCrypto sealed, and WebCrypto opens what it seals', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const key = await crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
    const sealer = aesGcmSealer(bytes);
    const plain = encoder.encode(JSON.stringify({ passengers: [{ lastName: 'NWOSU', pnr: 'QX7R2M', remark: 'ünïcode ✈' }] }));

    expect(sealer.open(await webCryptoSeal(key, plain))).toEqual(plain);
    const sealed = sealer.seal(plain);
    expect(sealed.length).toBe(12 + plain.length + 16);
    expect(await webCryptoOpen(key, sealed)).toEqual(plain);
    // A fresh IV each time; a changed byte or another key does not open.
    expect(sealer.seal(plain).subarray(0, 12)).not.toEqual(sealed.subarray(0, 12));
    const tampered = sealed.slice();
    tampered[20]! ^= 1;
    expect(() => sealer.open(tampered)).toThrow();
    expect(() => aesGcmSealer(crypto.getRandomValues(new Uint8Array(32))).open(sealed)).toThrow();
  });

  it('computes the same HMAC-SHA-256 as WebCrypto', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const key = await crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    for (const text of ['', 'Boarded OKONKWO/ADAEZE 12C', '["0000",null,"AG1001","ü✈𝄞"]', 'x'.repeat(1000)]) {
      expect(hmacHex(bytes, text)).toBe(hex(await crypto.subtle.sign('HMAC', key, encoder.encode(text))));
    }
  });

  it('derives from main’s key the same keys WebCrypto derived, so an Electron workstation’s data still opens and its chain verifies', async () => {
    const master = crypto.getRandomValues(new Uint8Array(32));
    const base64 = btoa(String.fromCharCode(...master));
    // How the page derived its key objects before.
    const hkdfKey = await crypto.subtle.importKey('raw', master, 'HKDF', false, ['deriveKey']);
    const hkdf = (label: string) => ({
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(32),
      info: encoder.encode(`backstop ${label} v1`),
    });
    const oldData = await crypto.subtle.deriveKey(hkdf('data'), hkdfKey, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const oldAudit = await crypto.subtle.deriveKey(hkdf('audit'), hkdfKey, { name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);

    const keys = await keysFromMain(base64);
    const plain = encoder.encode('{"args":{"reason":"Unwell"}}');
    expect(aesGcmSealer(keys.data).open(await webCryptoSeal(oldData, plain))).toEqual(plain);
    expect(await webCryptoOpen(oldData, aesGcmSealer(keys.data).seal(plain))).toEqual(plain);
    expect(hmacHex(keys.audit, 'entry')).toBe(hex(await crypto.subtle.sign('HMAC', oldAudit, encoder.encode('entry'))));
  });
});

interface StoredKey {
  name: string;
  key?: CryptoKey;
  wrapped?: Uint8Array;
}

function keyStore(factory: IDBFactory): Dexie & { keys: Dexie.Table<StoredKey, string> } {
  const db = new Dexie(KEYS_DB, { indexedDB: factory, IDBKeyRange }) as Dexie & { keys: Dexie.Table<StoredKey, string> };
  db.version(1).stores({ keys: 'name' });
  opened.push(db);
  return db;
}

const contains = (haystack: Uint8Array, needle: Uint8Array) =>
  haystack.length >= needle.length &&
  Array.from({ length: haystack.length - needle.length + 1 }).some((_, i) => needle.every((b, j) => haystack[i + j] === b));

describe('the browser profile’s keys', () => {
  it('keeps only a wrapped master key beside a non-extractable wrapping key, and the same keys across restarts', async () => {
    const factory = new IDBFactory();
    const first = await browserKeys({ indexedDB: factory, IDBKeyRange });
    const again = await browserKeys({ indexedDB: factory, IDBKeyRange });
    expect(again.data).toEqual(first.data);
    expect(again.audit).toEqual(first.audit);
    expect(first.data).not.toEqual(first.audit);

    const stored = await keyStore(factory).keys.toArray();
    expect(stored.map((s) => s.name).sort()).toEqual(['master', 'wrap']);
    const wrap = stored.find((s) => s.name === 'wrap')!.key!;
    expect(wrap.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', wrap)).rejects.toThrow();
    const wrapped = stored.find((s) => s.name === 'master')!.wrapped!;
    expect(wrapped.length).toBe(12 + 32 + 16);
    expect(contains(wrapped, first.data) || contains(wrapped, first.audit)).toBe(false);
  });
});

/** The audit hash the chain used, with a profile's legacy WebCrypto HMAC key. */
async function legacyEntry(key: CryptoKey, prevHash: string, n: number): Promise<AuditEntry> {
  const content = {
    prevHash,
    at: '2026-11-26T11:00:00.000Z',
    staffId: 'AG1001',
    action: 'staff.signIn',
    flightId: null,
    passengerId: null,
    mutationId: null,
    summary: `Signed in ${n}`,
  };
  const canonical = JSON.stringify([
    content.prevHash,
    content.at,
    content.staffId,
    content.action,
    content.flightId,
    content.passengerId,
    content.mutationId,
    content.summary,
  ]);
  return { ...content, alg: 'hmac-sha256', hash: hex(await crypto.subtle.sign('HMAC', key, encoder.encode(canonical))) };
}

/** Seals every record of `db` the way the page did before: WebCrypto AES-GCM under `key`. */
async function sealAsBefore(db: Dexie, key: CryptoKey): Promise<void> {
  let plain: Uint8Array<ArrayBuffer> | null = null;
  const capture: Sealer = {
    seal: (p) => ((plain = Uint8Array.from(p)), new Uint8Array(0)),
    open: () => {
      throw new Error('not used');
    },
  };
  for (const table of db.tables.filter((t) => t.name in SEALED_FIELDS)) {
    const rows: Record<string, unknown>[] = [];
    for (const row of (await table.toArray()) as Record<string, unknown>[]) {
      const out = sealRow(capture, table.name, row) as Record<string, unknown>;
      if (plain) rows.push({ ...out, [SEALED]: await webCryptoSeal(key, plain) });
      plain = null;
    }
    await table.bulkPut(rows);
  }
}

describe('a browser profile from before the key bytes', () => {
  it('is moved over once: every record sealed again, the unsent action kept, the old audit entries still verified', async () => {
    const factory = new IDBFactory();
    const F = flight();
    const agent = { staffId: 'AG1001', role: 'agent' as const };
    // The profile as it was: key objects only, everything sealed with the old data key, a keyed chain.
    const oldData = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const oldAudit = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign', 'verify']);
    await keyStore(factory).keys.bulkPut([
      { name: 'data', key: oldData },
      { name: 'audit', key: oldAudit },
    ]);
    const before = openDatabase(DB_NAME, { indexedDB: factory, IDBKeyRange, sealer: null });
    opened.push(before);
    await seedFlight(before, {
      flight: F,
      seatMap: A320,
      passengers: [passenger({ id: 'PAX1', lastName: 'OKONKWO' }), passenger({ id: 'PAX2', lastName: 'ADEYEMI' })],
      leases: [lease(F.id, 100, 120)],
    });
    const first = await legacyEntry(oldAudit, GENESIS_HASH, 1);
    const second = await legacyEntry(oldAudit, first.hash, 2);
    await before.audit.bulkAdd([first, second]);
    await before.syncState.put({ key: SYNC_KEYS.token, value: 'device-token-0123456789-abcdefghijklmnopqrst' });
    before.close();
    const raw = new Dexie(DB_NAME, { indexedDB: factory, IDBKeyRange });
    await raw.open();
    await sealAsBefore(raw, oldData);
    raw.close();
    const legacyOnly = openDatabase(DB_NAME, { indexedDB: factory, IDBKeyRange, sealer: null });
    opened.push(legacyOnly);
    expect(JSON.stringify(await legacyOnly.manifests.toArray())).not.toContain('OKONKWO');
    legacyOnly.close();

    const keys = await browserKeys({ indexedDB: factory, IDBKeyRange });
    expect(keys.legacyAudit).toBeTruthy();
    expect((await keyStore(factory).keys.toArray()).map((k) => k.name).sort()).toEqual(['audit', 'master', 'wrap']);

    installAuditKey(keys.audit, keys.legacyAudit ?? null);
    const db = openDatabase(DB_NAME, { indexedDB: factory, IDBKeyRange, sealer: aesGcmSealer(keys.data) });
    opened.push(db);
    expect((await db.manifests.get(F.id))!.passengers.map((p) => p.lastName)).toEqual(['OKONKWO', 'ADEYEMI']);
    expect((await db.syncState.get(SYNC_KEYS.token))?.value).toMatch(/^device-token/);
    // Staff act as usual: the action is sealed with the new key and chained with the new audit key.
    const out = await checkIn(
      db,
      agent,
      { flightId: F.id, passengerId: 'PAX1', seat: '10C', bags: { count: 0, weightKg: 0 }, docsChecked: true, standby: false },
      fixtureClock,
    );
    expect(out.ok).toBe(true);
    expect(
      await perform(db, agent, { type: 'passenger.board', args: { flightId: F.id, passengerId: 'PAX1', via: 'scan' } }, fixtureClock),
    ).toMatchObject({ ok: true });
    expect(await verifyAuditChain(db)).toEqual({ ok: true, entries: 4 });
    // Without the old audit key the entries it chained cannot be told from forgeries.
    expect(await verifyAuditChain(db, keys.audit, null)).toMatchObject({ ok: false, brokenAt: 1 });
    db.close();

    // A second start moves nothing, and the unsent actions are all still there, readable.
    const restart = await browserKeys({ indexedDB: factory, IDBKeyRange });
    expect(restart.data).toEqual(keys.data);
    const reopened = openDatabase(DB_NAME, { indexedDB: factory, IDBKeyRange, sealer: aesGcmSealer(restart.data) });
    opened.push(reopened);
    const outbox = await reopened.outbox.orderBy('seq').toArray();
    expect(outbox.map((e) => [e.type, (e.args as { passengerId: string }).passengerId])).toEqual([
      ['passenger.checkIn', 'PAX1'],
      ['passenger.board', 'PAX1'],
    ]);
  });

  it('keeps an unsent action written before the move', async () => {
    const factory = new IDBFactory();
    const F = flight();
    const oldData = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    await keyStore(factory).keys.put({ name: 'data', key: oldData });
    const before = openDatabase(DB_NAME, { indexedDB: factory, IDBKeyRange, sealer: null });
    opened.push(before);
    await seedFlight(before, { flight: F, seatMap: A320, passengers: [passenger({ id: 'PAX1' })], leases: [lease(F.id, 100, 120)] });
    const agent = { staffId: 'AG1001', role: 'agent' as const };
    const args = { flightId: F.id, passengerId: 'PAX1', seat: '10C', bags: { count: 1, weightKg: 18 }, docsChecked: true, standby: false };
    expect(await checkIn(before, agent, args, fixtureClock)).toMatchObject({ ok: true });
    before.close();
    const raw = new Dexie(DB_NAME, { indexedDB: factory, IDBKeyRange });
    await raw.open();
    await sealAsBefore(raw, oldData);
    raw.close();

    const keys = await browserKeys({ indexedDB: factory, IDBKeyRange });
    const db = openDatabase(DB_NAME, { indexedDB: factory, IDBKeyRange, sealer: aesGcmSealer(keys.data) });
    opened.push(db);
    const [entry] = await db.outbox.toArray();
    expect(entry).toMatchObject({
      type: 'passenger.checkIn',
      args: { passengerId: 'PAX1', seat: '10C', bags: { count: 1, weightKg: 18 } },
    });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 1 });
  });
});

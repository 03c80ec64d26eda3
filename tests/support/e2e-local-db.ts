/** Reads the app's own IndexedDB from the page, as the app stored it (no app code involved). */
import type { Page } from '@playwright/test';
import { SEALED } from '../../renderer/db/at-rest';
import { KEYS_DB } from '../../renderer/db/keys';
import { loadedPassengers } from '../../renderer/db/manifest-form';
import type { Passenger } from '../../shared/domain/schemas';

/**
 * The passengers of a flight as this workstation holds them. Manifests are sealed at rest
 * (renderer/db/at-rest.ts): the page opens them as script in the page could — the master key
 * unwrapped with the profile's non-extractable key, the data key derived from it as
 * renderer/db/keys.ts does (HKDF-SHA-256, zero salt, "backstop data v1") — while the disk alone
 * holds no names.
 */
export async function localPassengers(page: Page, flightId: string): Promise<Passenger[]> {
  // Stored compactly (renderer/db/manifest-form.ts): the page hands back what is stored, read here as the app reads it.
  return loadedPassengers(flightId, await storedPassengers(page, flightId));
}

function storedPassengers(page: Page, flightId: string): Promise<unknown> {
  return page.evaluate(
    async ({ id, sealedField, keysDb }) => {
      const read = <T>(dbName: string, store: string, key: string) =>
        new Promise<T | undefined>((resolve, reject) => {
          const open = indexedDB.open(dbName);
          open.onerror = () => reject(open.error ?? new Error(`cannot open ${dbName}`));
          open.onsuccess = () => {
            const db = open.result;
            const req = db.transaction(store).objectStore(store).get(key);
            req.onerror = () => reject(req.error ?? new Error(`cannot read ${store}`));
            req.onsuccess = () => {
              db.close();
              resolve(req.result as T | undefined);
            };
          };
        });
      const gcmOpen = async (key: CryptoKey, blob: Uint8Array<ArrayBuffer>) =>
        new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: blob.subarray(0, 12) }, key, blob.subarray(12)));
      const row = await read<Record<string, unknown>>('backstop', 'manifests', id);
      if (!row) return [];
      const sealed = row[sealedField];
      if (!(sealed instanceof Uint8Array)) return row.passengers ?? [];
      const wrap = await read<{ key: CryptoKey }>(keysDb, 'keys', 'wrap');
      const master = await read<{ wrapped: Uint8Array<ArrayBuffer> }>(keysDb, 'keys', 'master');
      if (!wrap || !master) throw new Error('the manifest is sealed and this profile has no master key');
      const hkdf = await crypto.subtle.importKey('raw', await gcmOpen(wrap.key, master.wrapped), 'HKDF', false, ['deriveKey']);
      const info = new TextEncoder().encode('backstop data v1');
      const data = await crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info },
        hkdf,
        { name: 'AES-GCM', length: 256 },
        false,
        ['decrypt'],
      );
      const plain = await gcmOpen(data, sealed as Uint8Array<ArrayBuffer>);
      return (JSON.parse(new TextDecoder().decode(plain)) as { passengers?: unknown }).passengers ?? [];
    },
    { id: flightId, sealedField: SEALED, keysDb: KEYS_DB },
  );
}

export function outboxCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('backstop');
        open.onerror = () => reject(open.error ?? new Error('cannot open the database'));
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction('outbox').objectStore('outbox').count();
          req.onsuccess = () => {
            db.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error ?? new Error('cannot count'));
        };
      }),
  );
}

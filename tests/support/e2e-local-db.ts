/** Reads the app's own IndexedDB from the page, as the app stored it (no app code involved). */
import type { Page } from '@playwright/test';
import { SEALED } from '../../renderer/db/at-rest';
import { KEYS_DB } from '../../renderer/db/keys';
import type { Passenger } from '../../shared/domain/schemas';

/**
 * The passengers of a flight as this workstation holds them. Manifests are sealed at rest
 * (renderer/db/at-rest.ts): the page opens them with its own key, which script in the page may use
 * but not read out (renderer/db/keys.ts) — the disk alone holds no names.
 */
export function localPassengers(page: Page, flightId: string): Promise<Passenger[]> {
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
      const row = await read<Record<string, unknown>>('backstop', 'manifests', id);
      if (!row) return [];
      const sealed = row[sealedField];
      if (!(sealed instanceof Uint8Array)) return (row.passengers as Passenger[] | undefined) ?? [];
      const blob = sealed as Uint8Array<ArrayBuffer>;
      const stored = await read<{ key: CryptoKey }>(keysDb, 'keys', 'data');
      if (!stored) throw new Error('the manifest is sealed and this page has no data key');
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: blob.subarray(0, 12) }, stored.key, blob.subarray(12));
      return (JSON.parse(new TextDecoder().decode(plain)) as { passengers?: Passenger[] }).passengers ?? [];
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

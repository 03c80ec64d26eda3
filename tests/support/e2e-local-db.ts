/** Reads the app's own IndexedDB from the page, as the app stored it (no app code involved). */
import type { Page } from '@playwright/test';
import type { Passenger } from '../../shared/domain/schemas';

export function localPassengers(page: Page, flightId: string): Promise<Passenger[]> {
  return page.evaluate(
    (id) =>
      new Promise<Passenger[]>((resolve, reject) => {
        const open = indexedDB.open('backstop');
        open.onerror = () => reject(open.error ?? new Error('cannot open the database'));
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction('manifests').objectStore('manifests').get(id);
          req.onerror = () => reject(req.error ?? new Error('cannot read'));
          req.onsuccess = () => {
            db.close();
            resolve((req.result as { passengers?: Passenger[] } | undefined)?.passengers ?? []);
          };
        };
      }),
    flightId,
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

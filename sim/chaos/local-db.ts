/**
 * Reads a workstation's own IndexedDB from its page, as the app stored it (no app code involved).
 * Passenger data, reasons and audit summaries are sealed at rest (renderer/db/at-rest.ts) with a key
 * only the app holds, so only the plain bookkeeping is read here: the outbox, the backend's answers
 * that did not simply apply, and the audit chain's links. What a desk shows is read from its screens.
 */
import type { Page } from 'playwright-core';

export interface LocalState {
  outbox: { seq: number; id: string; type: string; lastError: string | null }[];
  outcomes: { id: string; type: string; status: string; code: string | null; flightId: string | null; passengerId: string | null }[];
  audit: { n: number; action: string; mutationId: string | null; prevHash: string; hash: string; alg?: string }[];
}

export function readLocal(page: Page): Promise<LocalState> {
  return page.evaluate(
    () =>
      new Promise<LocalState>((resolve, reject) => {
        const open = indexedDB.open('backstop');
        open.onerror = () => reject(open.error ?? new Error('cannot open the database'));
        open.onsuccess = () => {
          const db = open.result;
          const names = ['outbox', 'outcomes', 'audit'] as const;
          const tx = db.transaction([...names]);
          const out: Record<string, unknown[]> = {};
          for (const name of names) {
            const req = tx.objectStore(name).getAll();
            req.onsuccess = () => (out[name] = req.result as unknown[]);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(out as unknown as LocalState);
          };
          tx.onerror = () => reject(tx.error ?? new Error('cannot read'));
        };
      }),
  );
}

const GENESIS = '0'.repeat(64);

/**
 * The audit chain's links: every entry names the hash of the one before it, from the genesis on (a
 * removed or reordered entry breaks them). The hashes themselves cover sealed summaries, keyed with
 * the workstation's audit key: the app verifies those itself.
 */
export function verifyLinks(entries: LocalState['audit']): { ok: true } | { ok: false; at: number; reason: string } {
  let prev = GENESIS;
  for (const e of [...entries].sort((a, b) => a.n - b.n)) {
    if (e.prevHash !== prev) return { ok: false, at: e.n, reason: 'it does not name the hash of the entry before it' };
    prev = e.hash;
  }
  return { ok: true };
}

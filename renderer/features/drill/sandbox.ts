/**
 * The drill's sandbox: a separate local database (its own IndexedDB name), filled with a copy of the
 * live one when a drill starts and deleted when it ends. The app works on it exactly as on the live
 * database — the same write path, rules and printing — but no sync worker ever sees it.
 */
import { openDatabase, type BackstopDB, type OpenOptions } from '../../db/schema';

export const SANDBOX_PREFIX = 'backstop-drill-';

type Factory = Pick<OpenOptions, 'indexedDB' | 'IDBKeyRange'>;

/** Copies every table of `live` into a new database `name` (which must not exist yet); returns it open. */
export async function copyToSandbox(live: BackstopDB, name: string, factory: Factory = {}): Promise<BackstopDB> {
  if (!name.startsWith(SANDBOX_PREFIX)) throw new Error(`a sandbox's name starts with ${SANDBOX_PREFIX}`);
  const sandbox = openDatabase(name, factory);
  await sandbox.open();
  for (const table of live.tables) {
    const rows: unknown[] = await table.toArray();
    // Outbound keys (the audit log's ++n) are kept as they were, so the copied chain still verifies.
    if (table.schema.primKey.keyPath === null) await sandbox.table(table.name).bulkPut(rows, await table.toCollection().primaryKeys());
    else await sandbox.table(table.name).bulkPut(rows);
  }
  return sandbox;
}

export async function deleteSandbox(name: string, factory: Factory = {}): Promise<void> {
  if (!name.startsWith(SANDBOX_PREFIX)) throw new Error(`not a sandbox: ${name}`);
  await openDatabase(name, factory).delete();
}

/** Sandboxes left by a drill that never ended (the page was reloaded during it); deletes them, returns how many. */
export async function discardLeftoverSandboxes(factory: Factory = {}): Promise<number> {
  const idb = factory.indexedDB ?? globalThis.indexedDB;
  if (typeof idb.databases !== 'function') return 0;
  const leftovers = (await idb.databases()).flatMap((d) => (d.name?.startsWith(SANDBOX_PREFIX) ? [d.name] : []));
  for (const name of leftovers) await deleteSandbox(name, factory);
  return leftovers.length;
}

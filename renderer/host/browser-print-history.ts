/**
 * The browser host's print history: every job it handled, newest first, and the documents of the
 * latest ones so they can be reprinted, kept across reloads and restarts in a small IndexedDB
 * database of its own (the app's database, renderer/db, is not the host's to change). When
 * IndexedDB cannot be opened (a private window that refuses it), the history lives in memory for
 * the session and printing goes on.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { PrintJobInfo } from '../../shared/documents/print-job';
import type { PrintDocument } from '../../shared/documents/types';
import { atRestMiddleware, type Sealer } from '../db/at-rest';
import { currentSealer } from '../db/schema';

export interface PrintHistoryEntry {
  id: string;
  createdAt: string;
  job: PrintJobInfo;
  /** The document as printed, for reprints; dropped from older entries to bound the space used. */
  document: PrintDocument | null;
}

export interface PrintHistory {
  put(entry: PrintHistoryEntry): Promise<void>;
  get(id: string): Promise<PrintHistoryEntry | undefined>;
  /** Newest first. */
  list(limit: number): Promise<PrintHistoryEntry[]>;
  clear(): Promise<void>;
}

export const PRINT_HISTORY_DB = 'backstop-print-history';
/** Jobs listed and kept. */
export const JOBS_KEPT = 200;
/** Of those, how many keep their document for a reprint (a manifest is ~0.4 MB). */
export const DOCUMENTS_KEPT = 50;

type HistoryDB = Dexie & { jobs: EntityTable<PrintHistoryEntry, 'id'> };

export class IndexedDbPrintHistory implements PrintHistory {
  private readonly db: HistoryDB;
  private readonly fallback = new MemoryPrintHistory();
  private usable = true;

  constructor(name = PRINT_HISTORY_DB, indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange, sealer: Sealer | null = currentSealer()) {
    this.db = new Dexie(name, { ...(indexedDB ? { indexedDB } : {}), ...(keyRange ? { IDBKeyRange: keyRange } : {}) }) as HistoryDB;
    // Printed documents name passengers and carry valid barcodes: sealed at rest like the app's own data.
    if (sealer) this.db.use(atRestMiddleware(sealer));
    this.db.version(1).stores({ jobs: 'id, createdAt' });
  }

  private async guard<T>(work: () => Promise<T>, instead: () => Promise<T>): Promise<T> {
    if (this.usable) {
      try {
        return await work();
      } catch (error) {
        console.error('print history: IndexedDB unavailable, keeping it in memory', error);
        this.usable = false;
      }
    }
    return instead();
  }

  put(entry: PrintHistoryEntry): Promise<void> {
    return this.guard(
      async () => {
        await this.db.transaction('rw', this.db.jobs, async () => {
          await this.db.jobs.put(entry);
          const ids = await this.db.jobs.orderBy('createdAt').reverse().primaryKeys();
          const tooOld = ids.slice(JOBS_KEPT);
          if (tooOld.length > 0) await this.db.jobs.bulkDelete(tooOld);
          const documentsDropped = ids.slice(DOCUMENTS_KEPT, JOBS_KEPT);
          if (documentsDropped.length > 0) {
            // Read and written whole (not a cursor modify): the document is sealed at rest with the job.
            const older = (await this.db.jobs.bulkGet(documentsDropped)).filter(
              (e): e is PrintHistoryEntry => e !== undefined && e.document !== null,
            );
            if (older.length > 0) await this.db.jobs.bulkPut(older.map((e) => ({ ...e, document: null })));
          }
        });
      },
      () => this.fallback.put(entry),
    );
  }

  get(id: string): Promise<PrintHistoryEntry | undefined> {
    return this.guard(
      () => this.db.jobs.get(id),
      () => this.fallback.get(id),
    );
  }

  list(limit: number): Promise<PrintHistoryEntry[]> {
    return this.guard(
      () => this.db.jobs.orderBy('createdAt').reverse().limit(limit).toArray(),
      () => this.fallback.list(limit),
    );
  }

  /** Deletes every job and document (a workstation wipe). */
  async clear(): Promise<void> {
    await this.fallback.clear();
    await this.db.delete();
  }

  close(): void {
    this.db.close();
  }
}

export class MemoryPrintHistory implements PrintHistory {
  private entries: PrintHistoryEntry[] = [];

  async put(entry: PrintHistoryEntry): Promise<void> {
    this.entries = [entry, ...this.entries.filter((e) => e.id !== entry.id)]
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
      .slice(0, JOBS_KEPT)
      .map((e, i) => (i < DOCUMENTS_KEPT ? e : { ...e, document: null }));
  }

  async get(id: string): Promise<PrintHistoryEntry | undefined> {
    return this.entries.find((e) => e.id === id);
  }

  async list(limit: number): Promise<PrintHistoryEntry[]> {
    return this.entries.slice(0, limit);
  }

  async clear(): Promise<void> {
    this.entries = [];
  }
}

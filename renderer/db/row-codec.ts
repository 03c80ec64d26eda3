/**
 * A table whose records are stored in another form than the app sees them: a Dexie middleware
 * table that turns each record put or added into its stored form on the way down, and each record
 * read back into the app's form on the way up, on every read path (get, bulkGet, queries and
 * cursors: `each`, `modify`, `anyOf`, a JS `filter`). Sealing at rest (at-rest.ts) and the compact
 * form of manifests (manifest-form.ts) are two such codecs, one above the other.
 *
 * Both directions are synchronous: IndexedDB commits a transaction that has no request pending at
 * the end of a task, so nothing here may wait on anything but IndexedDB.
 */
import type {
  DBCoreCursor,
  DBCoreGetManyRequest,
  DBCoreGetRequest,
  DBCoreMutateRequest,
  DBCoreOpenCursorRequest,
  DBCoreQueryRequest,
  DBCoreTable,
} from 'dexie';

export interface RowCodec {
  /** The record as stored; may throw (the put fails, nothing is stored). */
  store(row: unknown): unknown;
  /** The record as the app sees it; may throw (a record that cannot be read is an error, never a guess). */
  load(row: unknown): unknown;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

export function codecTable(down: DBCoreTable, codec: RowCodec): DBCoreTable {
  const loadAll = (rows: readonly unknown[]) => rows.map((r) => codec.load(r));
  // No await between IndexedDB's answer and the caller: the codec takes no task of its own.
  return {
    ...down,
    mutate(req: DBCoreMutateRequest) {
      if ((req.type === 'add' || req.type === 'put') && req.values.length > 0) {
        let values: unknown[];
        try {
          values = req.values.map((v) => codec.store(v));
        } catch (error) {
          return Promise.reject(asError(error));
        }
        return down.mutate({ ...req, values });
      }
      return down.mutate(req);
    },
    get: (req: DBCoreGetRequest) => down.get(req).then((row: unknown) => codec.load(row)),
    getMany: (req: DBCoreGetManyRequest) => down.getMany(req).then((rows: unknown[]) => loadAll(rows)),
    query: (req: DBCoreQueryRequest) =>
      down.query(req).then((result) => (req.values ? { ...result, result: loadAll(result.result) } : result)),
    openCursor: (req: DBCoreOpenCursorRequest) =>
      down.openCursor(req).then((cursor) => (cursor && req.values ? loadingCursor(cursor, codec) : cursor)),
  };
}

/** A cursor that hands out loaded records: at each position it loads the record before it calls the iteration back. */
function loadingCursor(c: DBCoreCursor, codec: RowCodec): DBCoreCursor {
  let current: unknown = undefined;
  const fail = (error: unknown) => c.fail(asError(error));
  const wrapped: DBCoreCursor = {
    get trans() {
      return c.trans;
    },
    get key(): unknown {
      return c.key as unknown;
    },
    get primaryKey(): unknown {
      return c.primaryKey as unknown;
    },
    get value() {
      return current;
    },
    get done() {
      return c.done;
    },
    continue: (key?: unknown) => c.continue(key),
    continuePrimaryKey: (key: unknown, primaryKey: unknown) => c.continuePrimaryKey(key, primaryKey),
    advance: (count: number) => c.advance(count),
    stop: (value?: unknown) => c.stop(value),
    fail,
    start: (onNext: () => void) =>
      c.start(() => {
        try {
          current = codec.load(c.value);
          onNext();
        } catch (error) {
          fail(error);
        }
      }),
    next: () => {
      let gotOne = 1;
      return wrapped.start(() => (gotOne-- ? wrapped.continue() : wrapped.stop())).then(() => wrapped);
    },
  };
  return wrapped;
}

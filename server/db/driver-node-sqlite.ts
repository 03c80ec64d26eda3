/**
 * The node:sqlite driver (Node ≥ 22.16, and Electron's embedded Node): better-sqlite3's behaviour,
 * where the store relies on it, over `DatabaseSync`.
 *
 * Where they differ and what this file does about it:
 * - Named parameters: node:sqlite refuses a key the statement does not name and binds a missing one as
 *   NULL; better-sqlite3 ignores extra keys and refuses a missing one. The statement's names are read
 *   from its SQL once, and each call binds exactly those, refusing a missing one.
 * - Blobs come back as Uint8Array; the store hands them on as Buffers (a view, no copy).
 * - `transaction()` and `pragma()` do not exist: BEGIN/COMMIT (a SAVEPOINT when a transaction is
 *   open, as better-sqlite3 nests), and `PRAGMA` as a statement.
 * - Integers come back as numbers (no BigInt) in both, unless asked otherwise: the store never asks.
 * - Errors carry better-sqlite3's `code` (SQLITE_BUSY, SQLITE_CONSTRAINT…), which the store reports,
 *   instead of node's ERR_SQLITE_ERROR.
 */
import type * as sqliteModule from 'node:sqlite';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { RunResult, SqliteDatabase, SqliteOpenOptions, Statement } from './driver';

type NodeSqlite = typeof sqliteModule;

function load(): NodeSqlite {
  // getBuiltinModule rather than an import: Node 20 has no node:sqlite, and only this driver needs it.
  const sqlite = process.getBuiltinModule('node:sqlite') as NodeSqlite | undefined;
  if (!sqlite?.DatabaseSync || typeof sqlite.StatementSync.prototype.setReturnArrays !== 'function') {
    throw new Error(`The node:sqlite driver needs Node 22.16 or later (or Electron 37 or later); this is Node ${process.versions.node}.`);
  }
  return sqlite;
}

/** `@name`, `:name` and `$name` parameters of a statement, string literals and quoted names left out. */
export function namedParameters(sql: string): string[] {
  const bare = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*/g, ' ');
  return [...new Set([...bare.matchAll(/[@:$]([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string))];
}

/** Primary result codes (sqlite.org/rescode.html) by number, as better-sqlite3 names them. */
const RESULT_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  3: 'SQLITE_PERM',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  19: 'SQLITE_CONSTRAINT',
  26: 'SQLITE_NOTADB',
};

/** Runs a node:sqlite call, giving an error it throws better-sqlite3's code. */
function sqlite<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    const e = error as { code?: unknown; errcode?: unknown };
    if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') e.code = RESULT_CODES[e.errcode & 0xff] ?? 'SQLITE_ERROR';
    throw error;
  }
}

function asBuffer(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
}

class NodeStatement<P extends unknown[], R> implements Statement<P, R> {
  private readonly names: string[];

  constructor(
    private readonly st: StatementSync,
    source: string,
  ) {
    this.names = namedParameters(source);
  }

  private args(params: unknown[]): SQLInputValue[] {
    const first = params[0];
    if (this.names.length === 0 || first === null || typeof first !== 'object' || ArrayBuffer.isView(first)) {
      return params as SQLInputValue[];
    }
    const given = first as Record<string, unknown>;
    const named: Record<string, SQLInputValue> = {};
    for (const name of this.names) {
      if (given[name] === undefined) throw new RangeError(`Missing named parameter "${name}"`);
      named[name] = given[name] as SQLInputValue;
    }
    return [named as unknown as SQLInputValue, ...(params.slice(1) as SQLInputValue[])];
  }

  private row(row: unknown): R {
    if (Array.isArray(row)) return row.map(asBuffer) as R;
    const record = row as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (value instanceof Uint8Array) record[key] = asBuffer(value);
    }
    return record as R;
  }

  run(...params: P): RunResult {
    const r = sqlite(() => this.st.run(...this.args(params)));
    return { changes: Number(r.changes), lastInsertRowid: r.lastInsertRowid };
  }

  get(...params: P): R | undefined {
    const row = sqlite(() => this.st.get(...this.args(params)));
    return row === undefined ? undefined : this.row(row);
  }

  all(...params: P): R[] {
    return sqlite(() => this.st.all(...this.args(params))).map((r) => this.row(r));
  }

  *iterate(...params: P): IterableIterator<R> {
    for (const row of sqlite(() => this.st.iterate(...this.args(params)))) yield this.row(row);
  }

  raw(toggleState = true): this {
    this.st.setReturnArrays(toggleState);
    return this;
  }
}

class NodeSqliteDatabase implements SqliteDatabase {
  private savepoints = 0;

  constructor(
    private readonly db: DatabaseSync,
    readonly name: string,
  ) {}

  get inTransaction(): boolean {
    return this.db.isTransaction;
  }

  exec(source: string): this {
    sqlite(() => this.db.exec(source));
    return this;
  }

  prepare<P extends unknown[] | object = unknown[], R = unknown>(
    source: string,
  ): P extends unknown[] ? Statement<P, R> : Statement<[P], R> {
    return new NodeStatement(
      sqlite(() => this.db.prepare(source)),
      source,
    ) as unknown as P extends unknown[] ? Statement<P, R> : Statement<[P], R>;
  }

  transaction<R>(fn: () => R): () => R {
    return () => {
      const savepoint = this.db.isTransaction ? `backstop_tx_${++this.savepoints}` : null;
      this.exec(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN');
      try {
        const result = fn();
        this.exec(savepoint ? `RELEASE ${savepoint}` : 'COMMIT');
        return result;
      } catch (error) {
        if (this.db.isTransaction) this.db.exec(savepoint ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
        throw error;
      } finally {
        if (savepoint) this.savepoints--;
      }
    };
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const st = sqlite(() => this.db.prepare(`PRAGMA ${source}`));
    if (!options.simple) return sqlite(() => st.all());
    const row = sqlite(() => st.get());
    return row === undefined ? undefined : Object.values(row)[0];
  }

  close(): this {
    this.db.close();
    return this;
  }
}

export function openNodeSqlite(file: string, { readonly = false }: SqliteOpenOptions): SqliteDatabase {
  const { DatabaseSync } = load();
  return new NodeSqliteDatabase(
    sqlite(() => new DatabaseSync(file, { readOnly: readonly })),
    file,
  );
}

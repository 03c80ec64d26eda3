/**
 * The SQLite the backend and the station relay run on, behind the small part of better-sqlite3's API
 * the store uses. Two drivers:
 * - `better-sqlite3` (default): a native module built for Node's ABI; the server, `npm run relay`, tests.
 * - `node:sqlite`: SQLite built into Node ≥ 22 and into Electron (its Node), so a relay running inside
 *   the app needs no native module rebuilt for Electron's ABI and the package holds no node_modules.
 * `BACKSTOP_SQLITE_DRIVER=node:sqlite` (or the `driver` option) picks the second.
 *
 * Each driver loads its SQLite only when it opens a database, so a bundle that runs on node:sqlite
 * never loads (nor bundles) better-sqlite3's binary, and Node 20 never asks for node:sqlite.
 */
import { openBetterSqlite3 } from './driver-better-sqlite3';
import { openNodeSqlite } from './driver-node-sqlite';

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement; `@name` parameters bind from one object, `?` ones from the arguments in order. */
export interface Statement<BindParameters extends unknown[], Result = unknown> {
  run(...params: BindParameters): RunResult;
  get(...params: BindParameters): Result | undefined;
  all(...params: BindParameters): Result[];
  iterate(...params: BindParameters): IterableIterator<Result>;
  /** Rows as arrays of column values, in column order (declare Result as the tuple). */
  raw(toggleState?: boolean): this;
}

export interface SqliteDatabase {
  /** The file's path. */
  readonly name: string;
  readonly inTransaction: boolean;
  exec(source: string): this;
  prepare<BindParameters extends unknown[] | object = unknown[], Result = unknown>(
    source: string,
  ): BindParameters extends unknown[] ? Statement<BindParameters, Result> : Statement<[BindParameters], Result>;
  /** `fn` in a transaction (BEGIN … COMMIT), or in a savepoint when one is open already; rolled back if it throws. */
  transaction<R>(fn: () => R): () => R;
  /** `PRAGMA source`: every row, or with `simple` the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): this;
}

export const SQLITE_DRIVERS = ['better-sqlite3', 'node:sqlite'] as const;
export type SqliteDriver = (typeof SQLITE_DRIVERS)[number];

export const SQLITE_DRIVER_ENV = 'BACKSTOP_SQLITE_DRIVER';

/** The driver an environment asks for: better-sqlite3 unless BACKSTOP_SQLITE_DRIVER names node:sqlite. */
export function sqliteDriverOf(env: Record<string, string | undefined>): SqliteDriver {
  const asked = env[SQLITE_DRIVER_ENV]?.trim();
  if (asked === undefined || asked === '') return 'better-sqlite3';
  const known = SQLITE_DRIVERS.find((d) => d === asked || d.replace('node:', '') === asked);
  if (!known) throw new Error(`${SQLITE_DRIVER_ENV}=${asked}: expected one of ${SQLITE_DRIVERS.join(', ')}`);
  return known;
}

export interface SqliteOpenOptions {
  /** Read only, and the file must exist (tests inspecting a server's database). */
  readonly?: boolean;
}

export function openSqlite(
  file: string,
  driver: SqliteDriver = sqliteDriverOf(process.env),
  options: SqliteOpenOptions = {},
): SqliteDatabase {
  return driver === 'node:sqlite' ? openNodeSqlite(file, options) : openBetterSqlite3(file, options);
}

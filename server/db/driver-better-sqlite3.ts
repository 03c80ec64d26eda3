/**
 * The better-sqlite3 driver. Required at the first open, not imported: the relay bundle inside the
 * Electron app runs on node:sqlite and must neither bundle nor load this native module.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';
import type { SqliteDatabase, SqliteOpenOptions } from './driver';

export function openBetterSqlite3(file: string, { readonly = false }: SqliteOpenOptions): SqliteDatabase {
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  const db: SqliteDatabase = new Database(file, readonly ? { readonly, fileMustExist: true } : {});
  return db;
}

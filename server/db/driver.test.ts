/**
 * What the store relies on from SQLite, checked against the driver this run uses: better-sqlite3 in the
 * ordinary run, node:sqlite when server/db/node-sqlite.test.ts runs this file again on Node 22 with
 * BACKSTOP_SQLITE_DRIVER=node:sqlite.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { namedParameters } from './driver-node-sqlite';
import { openSqlite, sqliteDriverOf, type SqliteDatabase } from './driver';

const driver = sqliteDriverOf(process.env);
const dirs: string[] = [];
const open: SqliteDatabase[] = [];

function fresh(): SqliteDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-driver-'));
  dirs.push(dir);
  const db = openSqlite(path.join(dir, 'test.sqlite'), driver);
  open.push(db);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, body BLOB)');
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`SQLite driver ${driver}`, () => {
  it('binds positional parameters and reports the rows a statement changed', () => {
    const db = fresh();
    const insert = db.prepare<[number, string]>('INSERT INTO t (id, name) VALUES (?, ?)');
    expect(insert.run(1, 'one').changes).toBe(1);
    expect(insert.run(2, 'two')).toMatchObject({ changes: 1, lastInsertRowid: 2 });
    expect(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM t').get()).toEqual({ n: 2 });
    expect(db.prepare<[string], { id: number }>('SELECT id FROM t WHERE name = ?').get('nobody')).toBeUndefined();
  });

  it('binds @named parameters from one object, ignoring keys the statement does not name and refusing a missing one', () => {
    const db = fresh();
    db.prepare<{ id: number; name: string }>('INSERT INTO t (id, name) VALUES (@id, @name)').run({ id: 7, name: 'seven' });
    const byName = db.prepare<{ name: string; extra?: string }, { id: number }>('SELECT id FROM t WHERE name = @name');
    expect(byName.get({ name: 'seven', extra: 'ignored' })).toEqual({ id: 7 });
    const both = db.prepare<Record<string, unknown>, { id: number }>('SELECT id FROM t WHERE name = @name AND id = @id');
    expect(() => both.get({ name: 'seven' })).toThrow(/id/);
  });

  it('returns integers as numbers and blobs as Buffers, concatenated in order', () => {
    const db = fresh();
    const insert = db.prepare<[number, string]>('INSERT INTO t (id, name) VALUES (?, ?)');
    for (const [id, name] of [
      [3, 'c'],
      [1, 'a'],
      [2, 'b'],
    ] as const)
      insert.run(id, name);
    const row = db
      .prepare<[], { body: Buffer; n: number }>(
        "SELECT CAST(group_concat(name, ',') AS BLOB) AS body, count(*) AS n FROM (SELECT name FROM t ORDER BY id)",
      )
      .get();
    expect(typeof row?.n).toBe('number');
    expect(Buffer.isBuffer(row?.body)).toBe(true);
    expect(Buffer.concat([Buffer.from('['), row?.body ?? Buffer.alloc(0), Buffer.from(']')]).toString()).toBe('[a,b,c]');
  });

  it('gives rows as arrays in column order with raw(), and walks them with iterate()', () => {
    const db = fresh();
    const insert = db.prepare<[number, string]>('INSERT INTO t (id, name) VALUES (?, ?)');
    for (let i = 1; i <= 5; i++) insert.run(i, `n${i}`);
    const sizes = db
      .prepare<{ after: number }, [number, number]>('SELECT id, length(name) * 10 FROM t WHERE id > @after ORDER BY id')
      .raw(true);
    const seen: [number, number][] = [];
    for (const [id, size] of sizes.iterate({ after: 2 })) {
      seen.push([id, size]);
      if (id === 4) break;
    }
    expect(seen).toEqual([
      [3, 20],
      [4, 20],
    ]);
    expect(sizes.all({ after: 4 })).toEqual([[5, 20]]);
  });

  it('reads and sets pragmas, simple or as rows', () => {
    const db = fresh();
    expect(db.pragma('journal_mode = WAL')).toEqual([{ journal_mode: 'wal' }]);
    db.pragma('busy_timeout = 1234');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(db.pragma('table_info(t)')).toHaveLength(3);
  });

  it('commits a transaction, rolls it back when it throws, and nests one in a savepoint', () => {
    const db = fresh();
    const insert = db.prepare<[number, string]>('INSERT INTO t (id, name) VALUES (?, ?)');
    const count = () => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM t').get()?.n;
    expect(db.transaction(() => insert.run(1, 'a').changes)()).toBe(1);
    expect(() =>
      db.transaction(() => {
        insert.run(2, 'b');
        throw new Error('no');
      })(),
    ).toThrow('no');
    expect(count()).toBe(1);
    expect(db.inTransaction).toBe(false);

    db.transaction(() => {
      insert.run(3, 'c');
      expect(() =>
        db.transaction(() => {
          insert.run(4, 'd');
          throw new Error('inner');
        })(),
      ).toThrow('inner');
      expect(db.inTransaction).toBe(true);
    })();
    expect(db.prepare<[], [number]>('SELECT id FROM t ORDER BY id').raw(true).all()).toEqual([[1], [3]]);
  });

  it('nests a transaction inside one opened with BEGIN IMMEDIATE, which the store does for every write', () => {
    const db = fresh();
    db.exec('BEGIN IMMEDIATE');
    expect(db.inTransaction).toBe(true);
    db.transaction(() => db.prepare('INSERT INTO t (id, name) VALUES (1, ?)').run('x'))();
    expect(db.inTransaction).toBe(true);
    db.exec('ROLLBACK');
    expect(db.prepare<[], { n: number }>('SELECT count(*) AS n FROM t').get()?.n).toBe(0);
  });

  it("names a failure with SQLite's code, as the store reports it (a write lock held by another connection: SQLITE_BUSY)", () => {
    const db = fresh();
    const other = openSqlite(db.name, driver);
    open.push(other);
    other.exec('BEGIN IMMEDIATE');
    db.pragma('busy_timeout = 0');
    expect(() => db.prepare('INSERT INTO t (id, name) VALUES (1, ?)').run('x')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    other.exec('ROLLBACK');
  });

  it("opens the backend's database with its schema, and names the file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-driver-'));
    dirs.push(dir);
    const db = openDatabase({ dataDir: dir, driver });
    open.push(db);
    expect(db.name).toBe(path.join(dir, 'backstop.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get('schema')).toEqual({ value: '1' });
  });
});

describe('named parameters of a statement', () => {
  it('are read from the SQL, leaving out string literals, quoted names and comments', () => {
    expect(namedParameters('SELECT \'@no\', "$no" FROM t WHERE a = @a AND b = :b AND c = $c AND d = @a -- @no\n LIMIT @limit')).toEqual([
      'a',
      'b',
      'c',
      'limit',
    ]);
  });
});

describe('the driver an environment asks for', () => {
  it('is better-sqlite3 unless BACKSTOP_SQLITE_DRIVER names node:sqlite', () => {
    expect(sqliteDriverOf({})).toBe('better-sqlite3');
    expect(sqliteDriverOf({ BACKSTOP_SQLITE_DRIVER: 'node:sqlite' })).toBe('node:sqlite');
    expect(sqliteDriverOf({ BACKSTOP_SQLITE_DRIVER: 'sqlite' })).toBe('node:sqlite');
    expect(() => sqliteDriverOf({ BACKSTOP_SQLITE_DRIVER: 'sqlite3' })).toThrow(/expected one of/);
  });
});

/**
 * A backend's SQLite file from before a column was added opens and gains it, with what the rows
 * already there meant: enrolment codes issued before codes had a purpose enrol workstations.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dbPath, openDatabase } from './database';
import { openSqlite } from './driver';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('opening an older backend database', () => {
  it('adds the enrolment code purpose, reading earlier codes as workstation codes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-olddb-'));
    dirs.push(dir);
    const old = openSqlite(dbPath(dir));
    old.exec(`CREATE TABLE enrolment_code (
      code_hash TEXT PRIMARY KEY, station TEXT NOT NULL, name TEXT, created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL, used_at TEXT, device_id TEXT)`);
    old
      .prepare('INSERT INTO enrolment_code (code_hash, station, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run('abc', 'LHR', '2026-11-30T10:00:00.000Z', '2026-12-03T10:00:00.000Z');
    old.close();

    const db = openDatabase({ dataDir: dir });
    const rows = db.prepare('SELECT code_hash, purpose FROM enrolment_code').all();
    db.close();
    expect(rows).toEqual([{ code_hash: 'abc', purpose: 'workstation' }]);
    // Opening again changes nothing.
    const again = openDatabase({ dataDir: dir });
    expect(again.prepare('SELECT count(*) AS n FROM pragma_table_info(?) WHERE name = ?').get('enrolment_code', 'purpose')).toEqual({
      n: 1,
    });
    again.close();
  });
});

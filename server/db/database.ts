/**
 * Opens the backend's SQLite file and creates its schema.
 *
 * One table, `entity`, is at once the current state and the change feed: a row holds the latest
 * change of one entity as one station sees it — the complete protocol Change as JSON text — and its
 * `version` (the rowid) is rewritten on every change. Rows are therefore stored in change order, and
 * a pull page is a range scan of `(station, version > cursor)` that SQLite concatenates into one
 * buffer: no row is parsed or re-stringified. Deletes keep the row as a tombstone (`live` 0) so that
 * workstations which already hold the entity learn that it is gone.
 *
 * Everything else is plain relational bookkeeping: devices, per-device push state and results,
 * sequence-number counters and leases, the print log.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ENROLMENT_PURPOSE_COLUMN, SECURITY_SCHEMA } from '../security/schema';
import { EMERGENCY_SEQ_FROM } from '../sync/lease-policy';
import { TAG_SCHEMA } from '../sync/tag-leases';
import { openSqlite, type SqliteDatabase, type SqliteDriver } from './driver';

export type Db = SqliteDatabase;

export const SCHEMA_VERSION = '1';
export const DB_FILE = 'backstop.sqlite';

/**
 * The entity table's secondary indexes, apart so that seeding an empty database can build them
 * once after the bulk insert (sorting once is several times faster than 300k b-tree inserts).
 */
export const ENTITY_INDEXES = `
CREATE UNIQUE INDEX IF NOT EXISTS entity_key ON entity (station, kind, id);
-- Covers paging: which versions, how big, whose lease; the rows are read only for the page itself.
CREATE INDEX IF NOT EXISTS entity_feed ON entity (station, version, device_id, size);
CREATE INDEX IF NOT EXISTS entity_flight ON entity (flight_id, kind) WHERE flight_id IS NOT NULL;
`;

export const DROP_ENTITY_INDEXES = 'DROP INDEX IF EXISTS entity_key; DROP INDEX IF EXISTS entity_feed; DROP INDEX IF EXISTS entity_flight;';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS entity (
  version   INTEGER PRIMARY KEY,  -- server version of the row's latest change; rowid, so rows sit in change order
  station   TEXT NOT NULL,        -- which station's workstations receive it
  kind      TEXT NOT NULL,        -- station | seatMap | flight | passenger | staff | lease
  id        TEXT NOT NULL,
  flight_id TEXT,                 -- passengers and leases: their flight, to load a flight's state in one lookup
  device_id TEXT,                 -- leases: only this workstation receives it
  live      INTEGER NOT NULL,     -- 0 for a tombstone
  size      INTEGER NOT NULL,     -- bytes of change, so a page is cut by size without reading the rows
  change    TEXT NOT NULL         -- the whole protocol Change as JSON: {"op":"put","kind":…,"version":…,"data":{…}}
);
${ENTITY_INDEXES}

CREATE TABLE IF NOT EXISTS device (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  station     TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,  -- SHA-256 of the bearer token; the token itself is never stored
  enrolled_at TEXT NOT NULL,
  last_seq    INTEGER NOT NULL DEFAULT 0  -- highest mutation seq of this client that has been processed
);

CREATE TABLE IF NOT EXISTS mutation_log (
  device_id    TEXT NOT NULL,
  id           TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  type         TEXT NOT NULL,
  staff_id     TEXT NOT NULL,
  status       TEXT NOT NULL,
  code         TEXT,
  mutation     TEXT NOT NULL,  -- the mutation as received, for audit
  result       TEXT NOT NULL,  -- the result JSON exactly as first sent; re-sent mutations get these bytes
  processed_at TEXT NOT NULL,
  PRIMARY KEY (device_id, id)
) WITHOUT ROWID;
-- Mutation ids are UUIDs: the idempotency key holds across re-enrolments of a workstation.
CREATE INDEX IF NOT EXISTS mutation_log_id ON mutation_log (id);

CREATE TABLE IF NOT EXISTS flight_seq (
  flight_id TEXT PRIMARY KEY,
  station   TEXT NOT NULL,
  next_seq  INTEGER NOT NULL,  -- next check-in sequence number nobody holds yet (leases and DCS draw from it)
  open      INTEGER NOT NULL   -- 1 while the flight is 'scheduled': only open flights get new leases
);
CREATE INDEX IF NOT EXISTS flight_seq_station ON flight_seq (station, open);

CREATE TABLE IF NOT EXISTS lease (
  id         TEXT PRIMARY KEY,
  device_id  TEXT NOT NULL,
  flight_id  TEXT NOT NULL,
  seq_from   INTEGER NOT NULL,
  seq_to     INTEGER NOT NULL,
  used       INTEGER NOT NULL DEFAULT 0,  -- numbers consumed by this device's applied check-ins
  granted_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS lease_device_flight ON lease (device_id, flight_id);

-- The ledger of a flight desks have acted on (shared/domain/ledger.ts): its state without those
-- actions (the DCS's), and every action recorded against it. The entity rows are the ledger folded.
CREATE TABLE IF NOT EXISTS ledger_base (
  flight_id TEXT PRIMARY KEY,
  station   TEXT NOT NULL,
  view      TEXT NOT NULL  -- {flight, passengers} as JSON
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS ledger_fact (
  flight_id   TEXT NOT NULL,
  mutation_id TEXT NOT NULL,
  origin      TEXT NOT NULL,  -- the workstation (device id) that recorded it
  mutation    TEXT NOT NULL,  -- the parsed mutation as JSON
  PRIMARY KEY (flight_id, mutation_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS print_log (
  print_job_id  TEXT PRIMARY KEY,
  device_id     TEXT NOT NULL,
  mutation_id   TEXT NOT NULL,
  staff_id      TEXT NOT NULL,
  document      TEXT NOT NULL,
  flight_id     TEXT,
  passenger_id  TEXT,
  copies        INTEGER NOT NULL,
  destination   TEXT NOT NULL,
  reprint       INTEGER NOT NULL,
  printed_at    TEXT NOT NULL
);
`;

export interface OpenOptions {
  dataDir: string;
  /** Delete an existing database first (the CLI's --reset). */
  reset?: boolean;
  /** better-sqlite3 unless BACKSTOP_SQLITE_DRIVER says node:sqlite (server/db/driver.ts). */
  driver?: SqliteDriver;
}

export function dbPath(dataDir: string): string {
  return path.join(dataDir, DB_FILE);
}

export function openDatabase({ dataDir, reset = false, driver }: OpenOptions): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = dbPath(dataDir);
  if (reset) {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
  const db = openSqlite(file, driver);
  // WAL: pulls read while a push writes. synchronous=FULL: a result the backend has acknowledged
  // survives a power cut, because the workstation deletes the mutation from its outbox on that answer.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.exec(SCHEMA);
  db.exec(SECURITY_SCHEMA);
  addMissingColumns(db, 'enrolment_code', [ENROLMENT_PURPOSE_COLUMN]);
  db.exec(TAG_SCHEMA);
  // Columns added after the first release, in place, so an existing database keeps its data.
  addMissingColumns(db, 'lease', [['emergency', 'INTEGER NOT NULL DEFAULT 0']]);
  addMissingColumns(db, 'flight_seq', [['next_emergency', `INTEGER NOT NULL DEFAULT ${EMERGENCY_SEQ_FROM}`]]);
  const schema = getMeta(db, 'schema');
  if (schema === null) {
    setMeta(db, 'schema', SCHEMA_VERSION);
    // The epoch goes into every cursor, so a cursor from a database that has since been reset is
    // recognised instead of silently skipping everything below its version.
    setMeta(db, 'epoch', randomBytes(6).toString('hex'));
    setMeta(db, 'dcs', 'up');
  } else if (schema !== SCHEMA_VERSION) {
    db.close();
    throw new Error(`Database ${file} has schema ${schema}; this server needs ${SCHEMA_VERSION}. Start with --reset to recreate it.`);
  }
  return db;
}

/** Sequence numbers from here up are kept for emergency blocks a supervisor opens offline (see server/sync/leases.ts). */
export { EMERGENCY_SEQ_FROM };

/** Adds whichever of `columns` the table lacks; idempotent. */
export function addMissingColumns(db: Db, table: string, columns: readonly (readonly [name: string, type: string])[]): void {
  const have = new Set(
    db
      .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
      .all()
      .map((c) => c.name),
  );
  const missing = columns.filter(([name]) => !have.has(name));
  if (missing.length === 0) return;
  db.transaction(() => {
    for (const [name, type] of missing) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
  })();
}

export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/**
 * The PostgreSQL schema, as versioned migrations: each runs once, in its own transaction, in order,
 * recorded in `schema_migrations`. A starting process takes a session advisory lock (one per schema)
 * while it migrates, so several backend processes starting at once migrate once. Migrations only ever
 * get appended: a released one is never edited.
 *
 * The tables are the SQLite store's (server/db/database.ts) in PostgreSQL's types, plus `station_feed`:
 * the clock of each station's change feed, whose row every write transaction of the station takes
 * FOR UPDATE before anything else (server/store/postgres.ts explains why).
 */

import { ENROLMENT_PURPOSE_COLUMN, SECURITY_SCHEMA, STATION_RELAY_SCHEMA } from '../security/schema';
import { TAG_SCHEMA } from '../sync/tag-leases';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The entity table's secondary indexes, apart so a bulk load of an empty database can build them once at the end. */
export const ENTITY_INDEXES = `
CREATE UNIQUE INDEX IF NOT EXISTS entity_key ON entity (station, kind, id);
CREATE INDEX IF NOT EXISTS entity_flight ON entity (flight_id, kind) WHERE flight_id IS NOT NULL;
`;
export const DROP_ENTITY_INDEXES = 'DROP INDEX IF EXISTS entity_key; DROP INDEX IF EXISTS entity_flight;';

/** The feed's key too, while bulk loading an empty database (no upserts then, so nothing needs it). */
export const DROP_ENTITY_KEY = 'ALTER TABLE entity DROP CONSTRAINT entity_feed';
export const ADD_ENTITY_KEY = 'ALTER TABLE entity ADD CONSTRAINT entity_feed PRIMARY KEY (station, version) INCLUDE (device_id, size)';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);

-- The clock of a station's change feed: the last version handed out. Every write transaction of the
-- station locks this row first and hands out versions above it, so versions are in commit order.
CREATE TABLE station_feed (
  station text PRIMARY KEY,
  version bigint NOT NULL
);

-- Current state and change feed at once (server/db/entities.ts). Versions count per station.
CREATE TABLE entity (
  station   text NOT NULL,
  version   bigint NOT NULL,
  kind      text NOT NULL,
  id        text NOT NULL,
  flight_id text,
  device_id text,
  live      boolean NOT NULL,
  size      integer NOT NULL,
  change    text NOT NULL,
  -- Covers paging: which versions, how big, whose lease; the rows are read only for the page itself.
  CONSTRAINT entity_feed PRIMARY KEY (station, version) INCLUDE (device_id, size)
);
${ENTITY_INDEXES}

CREATE TABLE device (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  station      text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  enrolled_at  text NOT NULL,
  last_seq     integer NOT NULL DEFAULT 0,
  last_seen_at text,
  last_pull_at text,
  app_version  text,
  backlog      integer,
  backlog_at   text
);

CREATE TABLE mutation_log (
  device_id    text NOT NULL,
  id           text NOT NULL,
  seq          integer NOT NULL,
  type         text NOT NULL,
  staff_id     text NOT NULL,
  status       text NOT NULL,
  code         text,
  mutation     text NOT NULL,
  result       text NOT NULL,
  processed_at text NOT NULL,
  PRIMARY KEY (device_id, id)
);
CREATE INDEX mutation_log_id ON mutation_log (id);

CREATE TABLE flight_seq (
  flight_id      text PRIMARY KEY,
  station        text NOT NULL,
  next_seq       integer NOT NULL,
  open           boolean NOT NULL,
  next_emergency integer NOT NULL DEFAULT 9000
);
CREATE INDEX flight_seq_station ON flight_seq (station, open);

CREATE TABLE lease (
  id         text PRIMARY KEY,
  device_id  text NOT NULL,
  flight_id  text NOT NULL,
  seq_from   integer NOT NULL,
  seq_to     integer NOT NULL,
  used       integer NOT NULL DEFAULT 0,
  granted_at text NOT NULL,
  emergency  boolean NOT NULL DEFAULT false
);
CREATE INDEX lease_device_flight ON lease (device_id, flight_id);
CREATE INDEX lease_flight ON lease (flight_id);

CREATE TABLE ledger_base (
  flight_id text PRIMARY KEY,
  station   text NOT NULL,
  view      text NOT NULL
);

CREATE TABLE ledger_fact (
  flight_id   text NOT NULL,
  mutation_id text NOT NULL,
  origin      text NOT NULL,
  mutation    text NOT NULL,
  PRIMARY KEY (flight_id, mutation_id)
);

CREATE TABLE print_log (
  print_job_id text PRIMARY KEY,
  device_id    text NOT NULL,
  mutation_id  text NOT NULL,
  staff_id     text NOT NULL,
  document     text NOT NULL,
  flight_id    text,
  passenger_id text,
  copies       integer NOT NULL,
  destination  text NOT NULL,
  reprint      boolean NOT NULL,
  printed_at   text NOT NULL
);
`,
  },
  {
    // Workstation and staff identity (server/security/schema.ts): the same SQL as SQLite's.
    version: 2,
    name: 'identity',
    sql: SECURITY_SCHEMA,
  },
  {
    // Fallback bag-tag serial counters and leases (server/sync/tag-leases.ts): the same SQL as SQLite's.
    version: 3,
    name: 'bag tags',
    sql: TAG_SCHEMA,
  },
  {
    // Station relays, whose word on their desks' staff sessions counts (server/security/schema.ts).
    version: 4,
    name: 'station relays',
    sql: STATION_RELAY_SCHEMA,
  },
  {
    // First fills' per-flight documents (server/sync/bulk.ts): a cache beside the feed, rebuilt when stale.
    version: 5,
    name: 'flight documents',
    sql: `
CREATE TABLE flight_doc (
  station   text NOT NULL,
  flight_id text NOT NULL,
  stamp     text NOT NULL,
  doc       text NOT NULL,
  PRIMARY KEY (station, flight_id)
);
`,
  },
  {
    // Enrolment codes say what they enrol, a desk or a station relay (server/security/schema.ts).
    version: 6,
    name: 'enrolment code purpose',
    sql: `ALTER TABLE enrolment_code ADD COLUMN IF NOT EXISTS ${ENROLMENT_PURPOSE_COLUMN.join(' ')};`,
  },
  {
    // First fills' documents kept compressed (server/sync/deflate-pieces.ts), served as they are. A new
    // table, so that a server of the previous release still running against this database keeps its
    // own; that one is only emptied (a cache: it refills if such a server still fills a desk).
    version: 7,
    name: 'flight documents compressed',
    sql: `
CREATE TABLE flight_doc_deflate (
  station   text NOT NULL,
  flight_id text NOT NULL,
  stamp     text NOT NULL,
  piece     bytea NOT NULL,
  size      integer NOT NULL,
  adler     bigint NOT NULL,
  PRIMARY KEY (station, flight_id)
);
TRUNCATE flight_doc;
`,
  },
];

/** Every table of the schema, for --reset. */
export const TABLES = [
  'meta',
  'station_feed',
  'entity',
  'device',
  'mutation_log',
  'flight_seq',
  'lease',
  'ledger_base',
  'ledger_fact',
  'print_log',
  'enrolment_code',
  'device_token',
  'device_revocation',
  'staff_session',
  'station_relay',
  'staff_sign_in',
  'pin_failure',
  'held_action',
  'identity_flag',
  'audit_anchor',
  'tag_counter',
  'tag_lease',
  'flight_doc',
  'flight_doc_deflate',
  'schema_migrations',
] as const;

/**
 * The tables of workstation and staff identity, in SQL that SQLite and PostgreSQL both take (see
 * server/store/sql-runner.ts). Created by the SQLite store on open and by PostgreSQL migration 2.
 */
/**
 * Station relays (relay/) enrolled here: the only workstations whose word on a staff session this
 * backend takes (a relay checks PINs for its desks from this backend's roster while it is cut off).
 * Its own constant too, for the PostgreSQL migration that added it.
 */
export const STATION_RELAY_SCHEMA = `
CREATE TABLE IF NOT EXISTS station_relay (
  device_id   TEXT PRIMARY KEY,
  station     TEXT NOT NULL,
  enrolled_at TEXT NOT NULL
);
`;

export const SECURITY_SCHEMA = `${STATION_RELAY_SCHEMA}
-- One-time enrolment codes an administrator issues: only the SHA-256 of a code is kept.
CREATE TABLE IF NOT EXISTS enrolment_code (
  code_hash  TEXT PRIMARY KEY,
  station    TEXT NOT NULL,
  name       TEXT,              -- the workstation it is meant for, if the administrator said
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT,
  device_id  TEXT,              -- the workstation that used it
  purpose    TEXT NOT NULL DEFAULT 'workstation'  -- 'workstation' | 'relay': what may enrol with it
);

-- Bearer tokens of workstations (SHA-256 only). A rotation adds a token and lets the old one run out.
CREATE TABLE IF NOT EXISTS device_token (
  token_hash TEXT PRIMARY KEY,
  device_id  TEXT NOT NULL,
  issued_at  TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS device_token_device ON device_token (device_id);

-- A revoked workstation: none of its tokens works any more, and its leases cannot be taken over.
CREATE TABLE IF NOT EXISTS device_revocation (
  device_id  TEXT PRIMARY KEY,
  revoked_at TEXT NOT NULL,
  reason     TEXT NOT NULL
);

-- Staff sessions the backend issued after checking a PIN online, bound to one workstation.
CREATE TABLE IF NOT EXISTS staff_session (
  token_hash TEXT PRIMARY KEY,
  device_id  TEXT NOT NULL,
  staff_id   TEXT NOT NULL,
  role       TEXT NOT NULL,
  issued_at  TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

-- Every sign-in a workstation reported (a synced staff.signIn action), online-verified or offline.
CREATE TABLE IF NOT EXISTS staff_sign_in (
  id         TEXT PRIMARY KEY,  -- the id of the staff.signIn mutation
  device_id  TEXT NOT NULL,
  staff_id   TEXT NOT NULL,
  at         TEXT NOT NULL,
  method     TEXT NOT NULL,     -- online | relay (a station relay's session, vouched for) | offline
  verified   INTEGER NOT NULL,  -- 1: a staff session this backend issued backs it
  session_expires_at TEXT
);

-- Wrong PINs against the backend, per staff member and per workstation: survives restarts.
CREATE TABLE IF NOT EXISTS pin_failure (
  key          TEXT PRIMARY KEY, -- staff:<id> or device:<id>
  failures     INTEGER NOT NULL,
  locked_until TEXT,
  last_at      TEXT NOT NULL
);

-- Actions a supervisor took offline that only a supervisor may take and that are not facts: held
-- until a supervisor confirms them online.
CREATE TABLE IF NOT EXISTS held_action (
  mutation_id  TEXT PRIMARY KEY,
  device_id    TEXT NOT NULL,
  station      TEXT NOT NULL,
  flight_id    TEXT,
  staff_id     TEXT NOT NULL,
  type         TEXT NOT NULL,
  mutation     TEXT NOT NULL,
  held_at      TEXT NOT NULL,
  confirmed_by TEXT,
  confirmed_at TEXT
);

-- Actions the backend could not tie to a sign-in, or whose staff or time it doubts: a person looks.
CREATE TABLE IF NOT EXISTS identity_flag (
  mutation_id TEXT PRIMARY KEY,
  device_id   TEXT NOT NULL,
  station     TEXT NOT NULL,
  staff_id    TEXT NOT NULL,
  type        TEXT NOT NULL,
  codes       TEXT NOT NULL,     -- JSON array of IdentityFlag codes
  flagged_at  TEXT NOT NULL
);

-- The head of each workstation's audit chain as last anchored: a later head must extend it.
CREATE TABLE IF NOT EXISTS audit_anchor (
  device_id   TEXT PRIMARY KEY,
  n           INTEGER NOT NULL,
  hash        TEXT NOT NULL,
  anchored_at TEXT NOT NULL,
  broken_at   TEXT,              -- when the workstation's chain stopped matching its anchor
  broken_detail TEXT
);
`;

/**
 * Enrolment codes say what they enrol: a desk, or a station relay (whose word on its desks' staff
 * sessions the backend takes). Added after the first release; SQLite adds it on open, PostgreSQL in a migration.
 */
export const ENROLMENT_PURPOSE_COLUMN = ['purpose', "TEXT NOT NULL DEFAULT 'workstation'"] as const;

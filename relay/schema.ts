/**
 * The station relay's own tables, beside the backend's in the relay's SQLite file, so that what it
 * owes central is written in the same transaction as the desk's action that created it:
 *
 *   relay_forward  every desk action the relay decided, in the order it decided them: the queue of
 *                  what to send upstream (up_seq is the relay's own sequence there) and, once central
 *                  has answered, that answer (which then replaces the relay's own, for the desk)
 *   relay_pool     the sequence-number blocks central granted the relay itself, which it sub-leases
 *                  to its desks (relay/pool.ts)
 *   relay_tag_pool the bag-tag serial blocks central granted the relay itself, sub-leased to its
 *                  desks likewise (relay/tag-pool.ts)
 *
 * The relay's own bookkeeping with central (its device id and token there, its cursor in central's
 * feed, how far central has answered) lives in `meta` under the keys of RELAY_META.
 */
import type { Db } from '../server/db/database';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS relay_forward (
  up_seq      INTEGER PRIMARY KEY,   -- the relay's order upstream (gap-free, from 1)
  mutation_id TEXT NOT NULL UNIQUE,  -- the desk's idempotency key, kept upstream
  flight_id   TEXT,                  -- whose ledger holds the fact until central's copy has it
  mutation    TEXT NOT NULL,         -- the envelope as the desk sent it
  result      TEXT,                  -- central's answer as JSON; NULL until it came
  answered_at TEXT,
  settled     INTEGER NOT NULL DEFAULT 0  -- 1 once the relay's copy of central holds it (its fact left the ledger)
);
CREATE INDEX IF NOT EXISTS relay_forward_open ON relay_forward (up_seq) WHERE result IS NULL;
CREATE INDEX IF NOT EXISTS relay_forward_unsettled ON relay_forward (up_seq) WHERE result IS NOT NULL AND settled = 0;

CREATE TABLE IF NOT EXISTS relay_pool (
  lease_id  TEXT PRIMARY KEY,   -- central's lease to the relay
  flight_id TEXT NOT NULL,
  seq_from  INTEGER NOT NULL,
  seq_to    INTEGER NOT NULL,
  next      INTEGER NOT NULL,   -- the first number not yet sub-leased to a desk
  emergency INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS relay_pool_flight ON relay_pool (flight_id, emergency, seq_from);

CREATE TABLE IF NOT EXISTS relay_tag_pool (
  lease_id     TEXT PRIMARY KEY,  -- central's bag-tag lease to the relay
  airline_code TEXT NOT NULL,
  serial_from  INTEGER NOT NULL,
  serial_to    INTEGER NOT NULL,
  next         INTEGER NOT NULL   -- the first serial not yet sub-leased to a desk
);
`;

/** The relay's state with central, in `meta`. */
export const RELAY_META = {
  /** Station this relay serves; a data dir serves one station for ever. */
  station: 'relay.station',
  /** Central's URL, so a data dir is not quietly pointed at another backend. */
  upstream: 'relay.upstream',
  deviceId: 'relay.deviceId',
  token: 'relay.token',
  /** When central stops taking the token unless it is rotated first. */
  tokenExpiresAt: 'relay.tokenExpiresAt',
  /** The device id before a re-enrolment (central moves its leases to the new one). */
  previousDeviceId: 'relay.previousDeviceId',
  /** The token of that enrolment, central's proof that the leases are ours to move. */
  previousToken: 'relay.previousToken',
  cursor: 'relay.cursor',
  /** Central's serverTime at the end of the last complete pull. */
  centralAsOf: 'relay.centralAsOf',
  /** up_seq − this = the seq central sees (a new enrolment starts again at 1). */
  upBase: 'relay.upBase',
} as const;

export function createRelayTables(db: Db): void {
  db.exec(SCHEMA);
}

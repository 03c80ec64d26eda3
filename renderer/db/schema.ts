/**
 * The local database (IndexedDB through Dexie): what a workstation keeps so it can run departures
 * with no network. Every schema version ever shipped stays listed here, so a workstation that was
 * switched off for months still upgrades step by step with its data (and its unsent actions) intact.
 *
 * Passenger layout (chosen by measurement, see bench/README.md): one document per flight holding
 * all its passengers. A cache fill writes ~1,000 documents instead of ~300,000 indexed records.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { Mutation, MutationType } from '../../shared/domain/mutations';
import type { Flight, Passenger, SeatMap, SeqLease, Staff, Station } from '../../shared/domain/schemas';
import type { ConflictState, MutationStatus } from '../../shared/protocol/v1';

export interface LocalFlight extends Flight {
  /** Server version of this flight record, for diagnostics. */
  version: number;
  /** When this workstation last received data for the flight from the backend (UTC ISO). */
  asOf: string;
}

/**
 * All passengers of one flight. `passengers` is what the UI shows: the backend's state with this
 * workstation's pending actions applied on top. `base` is the backend's state alone; it is kept
 * only while actions on the flight are waiting to sync, so pulled changes can be rebased under them.
 */
export interface Manifest {
  flightId: string;
  passengers: Passenger[];
  base: Passenger[] | null;
  /** Server flight state under pending flight-level actions (close, reopen). */
  baseFlight: Flight | null;
  asOf: string;
}

export type OutboxState = 'pending' | 'sent';

/** A staff action waiting to be pushed; keyed by its per-client sequence number. */
export type OutboxEntry = Mutation & {
  flightId: string | null;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
};

/** The backend's answer to an action that did not simply apply: kept for the reconciliation screen. */
export interface SyncOutcome {
  id: string;
  seq: number;
  type: MutationType;
  flightId: string | null;
  passengerId: string | null;
  status: MutationStatus;
  code: string | null;
  message: string | null;
  server: ConflictState | null;
  at: string;
  staffId: string;
  decidedAt: string;
  acknowledged: boolean;
}

export interface LocalLease extends SeqLease {
  /** Next number this workstation will hand out from the range. */
  next: number;
}

export interface AuditEntry {
  n?: number;
  at: string;
  staffId: string;
  action: string;
  flightId: string | null;
  passengerId: string | null;
  mutationId: string | null;
  summary: string;
  prevHash: string;
  hash: string;
}

export interface PrintRecord {
  id: string;
  at: string;
  document: string;
  flightId: string | null;
  passengerId: string | null;
  staffId: string;
  destination: string;
  status: 'queued' | 'printed' | 'saved' | 'failed';
  error: string | null;
  /** Where the host kept the PDF (a path in the Electron archive, a blob key in the browser). */
  archiveRef: string | null;
  attempts: number;
}

export interface KeyValue {
  key: string;
  value: unknown;
}

export type BackstopTables = {
  stations: EntityTable<Station, 'code'>;
  seatMaps: EntityTable<SeatMap, 'id'>;
  flights: EntityTable<LocalFlight, 'id'>;
  manifests: EntityTable<Manifest, 'flightId'>;
  staff: EntityTable<Staff, 'id'>;
  leases: EntityTable<LocalLease, 'id'>;
  outbox: EntityTable<OutboxEntry, 'seq'>;
  outcomes: EntityTable<SyncOutcome, 'id'>;
  audit: EntityTable<AuditEntry, 'n'>;
  prints: EntityTable<PrintRecord, 'id'>;
  syncState: EntityTable<KeyValue, 'key'>;
  settings: EntityTable<KeyValue, 'key'>;
};

export type BackstopDB = Dexie & BackstopTables;

/** Every version ever shipped, oldest first. Never edit a shipped entry; add a new one. */
export const SCHEMA_VERSIONS: readonly { version: number; stores: Record<string, string | null>; upgrade?: (tx: Transaction) => Promise<void> }[] = [
  {
    version: 1,
    stores: {
      stations: 'code',
      seatMaps: 'id',
      flights: 'id, std, origin',
      manifests: 'flightId',
      staff: 'id',
      leases: 'id, flightId',
      outbox: 'seq, id, flightId, state',
      outcomes: 'id, seq, flightId, status, acknowledged',
      audit: '++n, at, flightId, passengerId',
      prints: 'id, at, flightId, status',
      syncState: 'key',
      settings: 'key',
    },
  },
];

export const DB_NAME = 'backstop';

export function openDatabase(
  name: string = DB_NAME,
  options: { durability?: 'strict' | 'relaxed' | 'default'; indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {},
): BackstopDB {
  const db = new Dexie(name, {
    chromeTransactionDurability: options.durability ?? 'strict',
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  }) as BackstopDB;
  for (const v of SCHEMA_VERSIONS) {
    const version = db.version(v.version).stores(v.stores);
    if (v.upgrade) version.upgrade(v.upgrade);
  }
  return db;
}

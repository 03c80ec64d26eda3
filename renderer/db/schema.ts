/**
 * The local database (IndexedDB through Dexie): what a workstation keeps so it can run departures
 * with no network. Every schema version ever shipped stays listed here, so a workstation that was
 * switched off for months still upgrades step by step with its data (and its unsent actions) intact.
 *
 * Passenger layout (chosen by measurement, see bench/README.md): one document per flight holding
 * all its passengers. A cache fill writes ~1,000 documents instead of ~300,000 indexed records.
 * Station-wide search runs over a compact per-flight text index (searchIndex) instead of
 * per-passenger IndexedDB indexes.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { Mutation, MutationType } from '../../shared/domain/mutations';
import { flightFigures, type FlightFigures } from '../../shared/domain/headcount';
import type { FlightView } from '../../shared/domain/replay';
import type { Flight, Passenger, SeatMap, SeqLease, Staff, Station, TagLease } from '../../shared/domain/schemas';
import type { ConflictState, MutationStatus } from '../../shared/protocol/v1';
import { atRestMiddleware, type Sealer } from './at-rest';
import { manifestFormMiddleware } from './manifest-form';
import { buildSearchText } from './search-text';

export interface LocalFlight extends Flight {
  /** Server version of this flight record, for diagnostics. */
  version: number;
  /** When this workstation last received data for the flight from the backend (UTC ISO). */
  asOf: string;
  /** The flight's figures (shared/domain/headcount.ts), kept here so the departures board never loads manifests. */
  counts: FlightFigures;
}

/**
 * All passengers of one flight. `passengers` is what the UI shows: the backend's state with this
 * workstation's pending actions applied on top. `base` is the backend's state alone (flight and
 * passengers); it exists exactly while actions on the flight wait to sync, so pulled changes and
 * push results can be rebased under them.
 */
export interface Manifest {
  flightId: string;
  passengers: Passenger[];
  base: FlightView | null;
  asOf: string;
}

/**
 * A staff action waiting to be pushed; keyed by its per-client sequence number. It leaves the
 * outbox when the backend has answered it.
 */
export type OutboxEntry = Mutation & {
  flightId: string | null;
  attempts: number;
  /** Why the last attempt did not settle it: a failure kind or the backend's code (the UI words it). */
  lastError: string | null;
  /**
   * A station relay has it (and has applied it for the station's other desks), under `wireSeq`, but
   * central has not answered it yet: it stays here until it has, so that nothing is lost if the
   * relay is, and it goes to central directly if this workstation turns to central (see
   * renderer/sync/sources.ts). Its effect is in the flight's base from then on, not pending.
   */
  relayed?: { source: string; wireSeq: number };
  /** Put back from the journal: the backend acknowledged it once, then lost it (its database was restored). */
  resent?: true;
};

/**
 * An action a backend acknowledged, kept for a while after it left the outbox (renderer/db/journal.ts):
 * if that backend's database goes back to an older copy, this is what is sent again.
 */
export type JournalEntry = Mutation & {
  flightId: string | null;
  /** The backend (its URL as the sync sources name it) and our enrolment there that acknowledged it. */
  source: string;
  deviceId: string;
  /** The seq it was acknowledged under on that enrolment. */
  wireSeq: number;
  /** When the acknowledgement arrived (UTC ISO). */
  ackedAt: string;
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
  /** For an action recorded with something left for a person: what (RESEAT, VOID_PASS, AFTER_CLOSE…). */
  flags?: string[];
  server: ConflictState | null;
  at: string;
  staffId: string;
  decidedAt: string;
  /** 0/1 rather than boolean: IndexedDB cannot index booleans. */
  acknowledged: 0 | 1;
}

export interface LocalLease extends SeqLease {
  /** Next number this workstation will try to hand out from the range. */
  next: number;
  /** An emergency block a supervisor opened at this desk (who, when); until then it is not used. */
  opened?: { by: string; at: string };
}

/** A block of bag-tag serials leased to this workstation, and how far it has printed from it. */
export interface LocalTagLease extends TagLease {
  /** The next serial this workstation will print from the block. */
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
  /** 'hmac-sha256': keyed with the workstation's audit key; absent: plain SHA-256 (entries from before the key). */
  alg?: 'hmac-sha256';
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
  /** Where the host kept the PDF (a path in the Electron archive, a key in the browser). */
  archiveRef: string | null;
  attempts: number;
}

/** Names, PNRs, e-tickets and frequent-flyer numbers of one flight, one passenger a line. */
export interface SearchDoc {
  flightId: string;
  rev: number;
  text: string;
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
  searchIndex: EntityTable<SearchDoc, 'flightId'>;
  tagLeases: EntityTable<LocalTagLease, 'id'>;
  journal: EntityTable<JournalEntry, 'id'>;
};

export type BackstopDB = Dexie & BackstopTables;

export interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

/** Every version ever shipped, oldest first. Never edit a shipped entry; add a new one. */
export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [
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
  {
    // v2: station-wide search over a compact text index instead of scanning every manifest.
    version: 2,
    stores: { searchIndex: 'flightId, [flightId+rev]' },
    upgrade: async (tx) => {
      await tx
        .table<Manifest, string>('manifests')
        .each((m) => tx.table<SearchDoc, string>('searchIndex').put({ flightId: m.flightId, rev: 1, text: buildSearchText(m.passengers) }));
    },
  },
  {
    // v3: the flight record's counts follow the shared headcount ("booked" = on the list, as on
    // every other screen and document); recomputed from each manifest.
    version: 3,
    stores: {},
    upgrade: async (tx) => {
      const manifests = new Map<string, Passenger[]>();
      await tx.table<Manifest, string>('manifests').each((m) => void manifests.set(m.flightId, m.passengers));
      await tx
        .table<LocalFlight, string>('flights')
        .toCollection()
        .modify((f) => {
          f.counts = flightFigures(manifests.get(f.id) ?? []);
        });
    },
  },
  {
    // v4: fallback bag-tag serial blocks this workstation holds (shared/domain/bag-tags.ts).
    version: 4,
    stores: { tagLeases: 'id, carrier' },
  },
  {
    // v5: acknowledged actions, kept for a while so a backend restored from an older copy gets them again.
    version: 5,
    stores: { journal: 'id, ackedAt' },
  },
  {
    // v6: manifests' passengers stored as one text of columns (manifest-form.ts). Nothing to upgrade: both
    // forms read back, and a record takes the new one on its next write. An older build would misread the
    // text: the version marks a release that cannot be rolled back, only forward (docs/operations.md).
    version: 6,
    stores: {},
  },
];

export const DB_NAME = 'backstop';

export interface OpenOptions {
  /**
   * 'strict' for staff actions (an action is on disk before the agent sees it confirmed);
   * 'relaxed' for the sync worker's cache fills, which can always be pulled again.
   */
  durability?: 'strict' | 'relaxed' | 'default';
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  /** Open at an older version: only for the migration test. */
  uptoVersion?: number;
  /**
   * Seals passenger data at rest (at-rest.ts). Defaults to the one set for this page or worker with
   * installSealer() at start-up, so every database the app opens (the live one, a drill's sandbox) is
   * sealed alike; null for none (tests, simulations).
   */
  sealer?: Sealer | null;
}

let defaultSealer: Sealer | null = null;

/** The sealer every database opened from now on uses unless told otherwise (set once at start-up). */
export function installSealer(sealer: Sealer | null): void {
  defaultSealer = sealer;
}

const sealers = new WeakMap<BackstopDB, Sealer>();

/** The sealer a database was opened with (records made before a transaction can be sealed ahead with it). */
export function sealerOf(db: BackstopDB): Sealer | null {
  return sealers.get(db) ?? null;
}

/** The sealer set with installSealer (the browser host's print history uses it too). */
export function currentSealer(): Sealer | null {
  return defaultSealer;
}

export function openDatabase(name: string = DB_NAME, options: OpenOptions = {}): BackstopDB {
  const db = new Dexie(name, {
    chromeTransactionDurability: options.durability ?? 'strict',
    ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
    ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}),
  }) as BackstopDB;
  db.use(manifestFormMiddleware());
  const sealer = options.sealer === undefined ? defaultSealer : options.sealer;
  if (sealer) {
    db.use(atRestMiddleware(sealer));
    sealers.set(db, sealer);
  }
  for (const v of SCHEMA_VERSIONS) {
    if (options.uptoVersion !== undefined && v.version > options.uptoVersion) break;
    const version = db.version(v.version).stores(v.stores);
    if (v.upgrade) version.upgrade(v.upgrade);
  }
  return db;
}

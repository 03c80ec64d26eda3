/**
 * The backend's storage interface. Two implementations: SQLite (server/store/sqlite.ts, the embedded
 * default: a demo, a station relay, the tests) and PostgreSQL (server/store/postgres.ts, the airline's
 * backend, which several backend processes may serve at once). Everything above this interface —
 * push (FlightLedgers.record over shared/domain/ledger.ts), leases, pull, the DCS simulator, demo
 * seeding, fleet and metrics — is written once against it.
 *
 * The one rule both implementations keep, and everything else rests on: **within a station, versions
 * are handed out in commit order.** A write transaction names its station; the store serialises the
 * write transactions of one station (SQLite: its one writer; PostgreSQL: the station's row in
 * `station_feed`, taken FOR UPDATE before anything else, see postgres.ts) and assigns versions inside
 * that lock. So a pull that sees version N of a station sees every version below N of that station,
 * and a cursor never skips a change whose transaction was still in flight.
 *
 * Reads inside a write transaction see its own writes. Writes are `void`: an implementation may send
 * them ahead (PostgreSQL pipelines them) and reports a failure at the next read or at commit, before
 * anything is answered.
 */
import type { Flight, Passenger } from '../../shared/domain/schemas';
import type { EntityKind, EntityOf, MutationResult } from '../../shared/protocol/v1';
import type { DeflatePiece } from '../sync/deflate-pieces';
import type { SqlRunner } from './sql-runner';

export type { SqlRunner } from './sql-runner';

export type StoreKind = 'sqlite' | 'postgres';

/** Which rows a change belongs to beyond its station: a flight (passengers, leases), a workstation (leases). */
export interface Links {
  flightId?: string | null;
  deviceId?: string | null;
}

export interface EntityReader {
  /** A live entity of a station's feed, or null. */
  get<K extends EntityKind>(station: string, kind: K, id: string): Promise<EntityOf<K> | null>;
  /** Every live entity of one kind in a station's feed (a few thousand at most: flights, staff). */
  all<K extends EntityKind>(station: string, kind: K): Promise<EntityOf<K>[]>;
  /** The live passengers of a flight. */
  passengersOf(flightId: string): Promise<Passenger[]>;
}

/** Writes of synced entities; each gets the next version of its station's feed, which it returns. */
export interface Writer {
  put<K extends EntityKind>(kind: K, station: string, data: EntityOf<K>, links?: Links): number;
  /** Replaces the entity with a tombstone (for the same audience: a lease's tombstone goes to its workstation). */
  remove(kind: EntityKind, station: string, id: string, links?: Links): number;
  /** A flight and its sequence-number counter move together: only 'scheduled' flights get leases. */
  putFlight(flight: Flight, firstFreeSeq?: number): number;
}

export interface Device {
  id: string;
  name: string;
  station: string;
  lastSeq: number;
}

export interface DeviceRow {
  id: string;
  name: string;
  station: string;
  enrolledAt: string;
  lastSeenAt: string | null;
  lastPullAt: string | null;
  appVersion: string | null;
  backlog: number | null;
  backlogAt: string | null;
}

export interface Telemetry {
  lastSeenAt?: string;
  lastPullAt?: string;
  appVersion?: string;
  backlog?: number;
  backlogAt?: string;
}

/** What the log holds about a mutation id for one workstation, in one read. */
export interface MutationState {
  /** This workstation's stored answer to this id. */
  stored: { result: string; status: MutationResult['status']; code: string | null } | null;
  lastSeq: number;
  /** The stored answer to this id under any enrolment (a re-enrolled workstation's renumbered queue). */
  earlier: string | null;
}

export interface MutationLogRow {
  deviceId: string;
  id: string;
  seq: number;
  type: string;
  staffId: string;
  status: string;
  code: string | null;
  mutation: string;
  result: string;
  processedAt: string;
}

export interface PrintLogRow {
  printJobId: string;
  deviceId: string;
  mutationId: string;
  staffId: string;
  document: string;
  flightId: string | null;
  passengerId: string | null;
  copies: number;
  destination: string;
  reprint: boolean;
  printedAt: string;
}

/** A flight where a workstation may need a new block (see server/sync/leases.ts). */
export interface LeaseNeed {
  flightId: string;
  free: number;
  /** Size of the workstation's largest regular block on the flight (0 without one). */
  block: number;
  hasEmergency: boolean;
}

export interface SeqCounter {
  station: string;
  nextSeq: number;
  nextEmergency: number;
}

export interface LeaseRow {
  id: string;
  deviceId: string;
  flightId: string;
  from: number;
  to: number;
  grantedAt: string;
  emergency: boolean;
}

/** A write transaction of one station. */
export interface Tx extends EntityReader, Writer {
  readonly station: string;
  /** The identity bookkeeping tables (server/security/schema.ts), inside this transaction. */
  readonly sql: SqlRunner;
  /**
   * Changes whenever the flight or one of its passengers may have been written since: by this
   * transaction, an earlier one of this process, or (PostgreSQL) another process. Lets a push batch
   * keep a flight's parsed state across mutations.
   */
  generation(flightId: string): string;
  /**
   * Lets the database catch up with the writes sent so far, to a few statements behind (a bulk load
   * calls it now and then: memory stays bounded and the database keeps working while rows are made).
   * Every write is done at commit, and before any read.
   */
  flush(): Promise<void>;
  /** Runs `fn` in a nested transaction (a savepoint): all of it or none of it. */
  nested<T>(fn: () => Promise<T>): Promise<T>;
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): void;

  // Push bookkeeping
  mutationState(deviceId: string, mutationId: string): Promise<MutationState>;
  /** Stores the answer and advances the workstation's lastSeq to its seq. */
  logResult(row: MutationLogRow): void;
  /** Once per print job, however often it is sent. */
  logPrint(row: PrintLogRow): void;

  // Sequence-number leases
  leaseNeeds(deviceId: string, station: string): Promise<LeaseNeed[]>;
  /** Booked passengers of the flight (still to check in). */
  awaitingCheckIn(flightId: string): Promise<number>;
  /** The flight's counter row, locked for the rest of the transaction (FOR UPDATE on PostgreSQL). */
  lockCounter(flightId: string): Promise<SeqCounter | null>;
  setNextSeq(flightId: string, next: number): void;
  setNextEmergency(flightId: string, next: number): void;
  insertLease(row: LeaseRow): void;
  markLeaseUsed(deviceId: string, flightId: string, seqNo: number): void;
  /** Numbers up to `next` of the lease count as used (never fewer than already counted, never more than it holds). */
  recordLeaseUse(deviceId: string, leaseId: string, next: number): void;
  leasesOnFlight(flightId: string): Promise<{ id: string; station: string; deviceId: string }[]>;
  dropLeases(flightId: string): void;
  leasesOfDevice(deviceId: string): Promise<{ id: string; flightId: string; from: number; to: number; station: string }[]>;
  reassignLeases(fromDeviceId: string, toDeviceId: string): void;

  // The ledgers of flights desks have acted on (JSON text, parsed by server/sync/ledger-store.ts)
  ledgerBase(flightId: string): Promise<string | null>;
  saveLedgerBase(flightId: string, station: string, view: string): void;
  ledgerFacts(flightId: string): Promise<{ origin: string; mutation: string }[]>;
  addLedgerFact(flightId: string, mutationId: string, origin: string, mutation: string): void;
  /** Drops a fact the ledger no longer holds on its own (a station relay's, once central's base includes it). */
  removeLedgerFact(flightId: string, mutationId: string): void;
}

export interface PageRequest {
  station: string;
  deviceId: string;
  afterVersion: number;
  /** Carried in the cursor from the previous page of the same pull; null: count afresh. */
  estimate: Estimate | null;
  maxChanges: number;
  maxBytes: number;
}

/** "`remaining` changes were left after the cursor when the newest version was `highWater`." */
export interface Estimate {
  remaining: number;
  highWater: number;
}

export interface Page {
  /** The changes as JSON array elements joined by commas (no brackets), UTF-8. */
  changes: Buffer;
  count: number;
  bytes: number;
  /** Version of the last change in the page, or the requested one when the page is empty. */
  lastVersion: number;
  hasMore: boolean;
  /**
   * Changes still to come. Exact, except that an entity changed again while a paged pull is under
   * way may be counted twice: good enough for progress and an ETA, which is what it is for.
   */
  remaining: number;
  /** For the next page's cursor, when there is one. */
  estimate: Estimate | null;
}

/**
 * A flight of the bulk form (server/sync/bulk.ts), as the store has it: its stamp now, and the stored
 * document (compressed, server/sync/deflate-pieces.ts) with the stamp it was built at. The stamp
 * changes with any write to the flight or to the set of its passenger rows (the flight's version, its
 * passengers' newest version, their count).
 */
export interface FlightDocState {
  flightId: string;
  stamp: string;
  doc: { stamp: string; piece: DeflatePiece } | null;
}

/** A flight as it is now, with its stamp read first (so the content is at least as new as the stamp). */
export interface FlightDocSource {
  flight: Flight;
  /** The version of the flight's own change. */
  version: number;
  /** Live passengers, in version order (the order the feed would deliver them). */
  passengers: Passenger[];
  stamp: string;
}

/** The pre-serialised, pre-compressed per-flight documents of first fills: a cache the store keeps beside the feed. */
export interface FlightDocStore {
  /** The newest version of the station's feed (a bulk fill's snapshot). */
  head(station: string): Promise<number>;
  /** Live flights of the station after `afterId` (id order), with their stamps and stored documents. */
  page(station: string, afterId: string, limit: number): Promise<FlightDocState[]>;
  /** Live flights of the station after `afterId`. */
  countAfter(station: string, afterId: string): Promise<number>;
  source(station: string, flightId: string): Promise<FlightDocSource | null>;
  save(station: string, flightId: string, stamp: string, piece: DeflatePiece): Promise<void>;
  /** Live changes of the small kinds (neither flight nor passenger) up to `upTo` for the workstation, joined as Page.changes. */
  smallChanges(station: string, deviceId: string, upTo: number): Promise<Buffer>;
}

export interface Store extends EntityReader {
  /** First fills' per-flight documents (server/sync/bulk.ts). */
  readonly docs: FlightDocStore;
  readonly kind: StoreKind;
  /** Where the data is: the SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Several backend processes may serve this database at once (PostgreSQL). */
  readonly shared: boolean;
  /** Random per database; part of every cursor. */
  readonly epoch: string;
  /** The identity bookkeeping tables (server/security/schema.ts), each statement on its own. */
  readonly sql: SqlRunner;

  /**
   * One write transaction of `station`: all of `fn` or none of it, committed durably before it
   * resolves. Inside `fn`, use the Tx only — never this Store's own methods (SQLite would wait for
   * its own transaction to end).
   */
  write<T>(station: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Fills an empty database in one transaction, the fast way; null when it is not empty (another process seeded it). */
  bulkLoad<T>(station: string, fn: (tx: Tx) => Promise<T>): Promise<T | null>;
  isEmpty(): Promise<boolean>;
  /** The station the data is for (the first live station entity), or null. */
  liveStation(): Promise<string | null>;
  getMeta(key: string): Promise<string | null>;
  setMeta(key: string, value: string): Promise<void>;

  /** Outside a transaction: a cheap look before taking a station's write lock. */
  leaseNeeds(deviceId: string, station: string): Promise<LeaseNeed[]>;
  lastSeq(deviceId: string): Promise<number>;
  /** One pull page, concatenated by the database from the stored change text. */
  readPage(request: PageRequest): Promise<Page>;
  /** Whether the workstation's feed holds a change after `afterVersion` (a long poll's cheap look). */
  hasChangesAfter(station: string, deviceId: string, afterVersion: number): Promise<boolean>;

  enrolDevice(row: { id: string; name: string; station: string; tokenHash: string; enrolledAt: string }): Promise<void>;
  deviceByTokenHash(tokenHash: string): Promise<Device | null>;
  devices(): Promise<DeviceRow[]>;
  /** Writes workstation telemetry kept in memory; never moves a time backwards (several processes flush). */
  saveTelemetry(batch: readonly (readonly [deviceId: string, telemetry: Telemetry])[]): Promise<void>;

  /** Readiness: commits one tiny write, waiting at most `lockWaitMs` for a lock; null when it worked, else why not. */
  probeWrite(nowIso: string, lockWaitMs: number): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * One holder at a time, in arrival order. The SQLite store has one connection and async callers:
 * without it, a request could read (or begin) between two statements of another's open transaction.
 */
export class Mutex {
  private locked = false;
  private readonly waiters: (() => void)[] = [];

  get busy(): boolean {
    return this.locked;
  }

  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.locked) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.locked = true;
    try {
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.locked = false;
    }
  }
}

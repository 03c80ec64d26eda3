/**
 * The write path for synced entities and the reads the backend needs to decide on a mutation.
 * Every change goes through `write()`, which gives it the next global server version inside the
 * same SQLite transaction as the change itself, and stores it as the protocol Change it will be
 * sent as.
 *
 * Why versions taken inside the write transaction are safe to page by: better-sqlite3 is synchronous
 * and the process holds one connection, so write transactions are strictly serial and a reader can
 * never see version N+1 committed while N is still in flight. (A multi-writer database would need a
 * commit-ordered sequence or a "safe watermark" instead.)
 */
import type { Statement } from 'better-sqlite3';
import type { Flight, Passenger, SeatMap, Staff } from '../../shared/domain/schemas';
import type { EntityKind, EntityOf } from '../../shared/protocol/v1';
import { DROP_ENTITY_INDEXES, ENTITY_INDEXES, type Db } from './database';

export interface Links {
  flightId?: string | null;
  deviceId?: string | null;
}

export interface Writer {
  /** Stores the entity's new state for one station's feed; returns the version it got. */
  put<K extends EntityKind>(kind: K, station: string, data: EntityOf<K>, links?: Links): number;
  /** Replaces the entity with a tombstone (for the same audience: a lease's tombstone goes to its workstation). */
  remove(kind: EntityKind, station: string, id: string, links?: Links): number;
  /** A flight and its sequence-number counter move together: only 'scheduled' flights get leases. */
  putFlight(flight: Flight, firstFreeSeq?: number): number;
}

type UpsertRow = [
  version: number,
  station: string,
  kind: string,
  id: string,
  flightId: string | null,
  deviceId: string | null,
  live: 0 | 1,
  size: number,
  change: string,
];

/** The stored change text of a live entity: `…,"data":<entity>}`. */
function dataOf<T>(change: string): T {
  // Our own JSON, written from parsed values by this module: trusted, not re-validated per read.
  return (JSON.parse(change) as { data: T }).data;
}

export class EntityStore {
  private version = 0;
  /** Bumped on every write that touches a flight or its passengers: lets callers cache a flight's state. */
  private readonly generations = new Map<string, number>();
  private readonly upsert: Statement<UpsertRow>;
  private readonly insert: Statement<UpsertRow>;
  /** Plain inserts while bulk-loading an empty database; upserts otherwise. */
  private save: Statement<UpsertRow>;
  private readonly maxVersion: Statement<[], { v: number | null }>;
  private readonly upsertFlightSeq: Statement<[string, string, number, number]>;
  private readonly selectOne: Statement<[string, string, string], { change: string }>;
  private readonly selectFlightRows: Statement<[string, string], { change: string }>;
  private readonly selectKind: Statement<[string, string], { change: string }>;

  constructor(readonly db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO entity (version, station, kind, id, flight_id, device_id, live, size, change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (station, kind, id) DO UPDATE SET
         version = excluded.version, flight_id = excluded.flight_id, device_id = excluded.device_id,
         live = excluded.live, size = excluded.size, change = excluded.change`,
    );
    this.insert = db.prepare(
      'INSERT INTO entity (version, station, kind, id, flight_id, device_id, live, size, change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.save = this.upsert;
    this.maxVersion = db.prepare('SELECT max(version) AS v FROM entity');
    this.upsertFlightSeq = db.prepare(
      `INSERT INTO flight_seq (flight_id, station, next_seq, open) VALUES (?, ?, ?, ?)
       ON CONFLICT (flight_id) DO UPDATE SET open = excluded.open, next_seq = max(next_seq, excluded.next_seq)`,
    );
    this.selectOne = db.prepare('SELECT change FROM entity WHERE station = ? AND kind = ? AND id = ? AND live = 1');
    this.selectFlightRows = db.prepare('SELECT change FROM entity WHERE flight_id = ? AND kind = ? AND live = 1');
    this.selectKind = db.prepare('SELECT change FROM entity WHERE station = ? AND kind = ? AND live = 1');
  }

  /** Runs `fn` as one IMMEDIATE transaction; all or nothing. */
  write<T>(fn: (w: Writer) => T): T {
    const tx = this.db.transaction(() => {
      this.version = this.maxVersion.get()?.v ?? 0;
      return fn(this.writer);
    });
    return tx.immediate();
  }

  /**
   * Fills an empty database in one transaction: plain inserts without secondary indexes, which are
   * built once at the end. The upsert needs the unique index, so nothing may be written twice here.
   */
  bulkLoad<T>(fn: (w: Writer) => T): T {
    if (this.currentVersion() !== 0) throw new Error('bulkLoad needs an empty database');
    return this.write((w) => {
      this.db.exec(DROP_ENTITY_INDEXES);
      this.save = this.insert;
      try {
        return fn(w);
      } finally {
        this.save = this.upsert;
        this.db.exec(ENTITY_INDEXES);
      }
    });
  }

  private readonly writer: Writer = {
    put: (kind, station, data, links = {}) => {
      const v = ++this.version;
      this.touch(kind === 'flight' && 'id' in data ? data.id : links.flightId);
      // A station is keyed by its code; every other entity has an id.
      const id = 'id' in data ? data.id : data.code;
      const change = `{"op":"put","kind":"${kind}","id":${JSON.stringify(id)},"version":${v},"data":${JSON.stringify(data)}}`;
      this.save.run(v, station, kind, id, links.flightId ?? null, links.deviceId ?? null, 1, Buffer.byteLength(change), change);
      return v;
    },
    remove: (kind, station, id, links = {}) => {
      const v = ++this.version;
      this.touch(kind === 'flight' ? id : links.flightId);
      // Passengers and leases name their flight, so a workstation can drop them without a search.
      const flight = links.flightId && (kind === 'passenger' || kind === 'lease') ? `,"flightId":${JSON.stringify(links.flightId)}` : '';
      const change = `{"op":"delete","kind":"${kind}","id":${JSON.stringify(id)},"version":${v}${flight}}`;
      this.save.run(v, station, kind, id, links.flightId ?? null, links.deviceId ?? null, 0, Buffer.byteLength(change), change);
      return v;
    },
    putFlight: (flight, firstFreeSeq = 1) => {
      this.upsertFlightSeq.run(flight.id, flight.origin, firstFreeSeq, flight.status === 'scheduled' ? 1 : 0);
      return this.writer.put('flight', flight.origin, flight);
    },
  };

  private touch(flightId: string | null | undefined): void {
    if (flightId) this.generations.set(flightId, (this.generations.get(flightId) ?? 0) + 1);
  }

  /** Changes whenever the flight or one of its passengers is written (in this process, the only writer). */
  generation(flightId: string): number {
    return this.generations.get(flightId) ?? 0;
  }

  get<K extends EntityKind>(station: string, kind: K, id: string): EntityOf<K> | null {
    const row = this.selectOne.get(station, kind, id);
    return row ? dataOf<EntityOf<K>>(row.change) : null;
  }

  flight(station: string, id: string): Flight | null {
    return this.get(station, 'flight', id);
  }

  seatMap(station: string, id: string): SeatMap | null {
    return this.get(station, 'seatMap', id);
  }

  staff(station: string, id: string): Staff | null {
    return this.get(station, 'staff', id);
  }

  /** Every live entity of one kind in a station's feed (a few thousand at most: flights, staff). */
  all<K extends EntityKind>(station: string, kind: K): EntityOf<K>[] {
    return this.selectKind.all(station, kind).map((r) => dataOf<EntityOf<K>>(r.change));
  }

  passengersOf(flightId: string): Passenger[] {
    return this.selectFlightRows.all(flightId, 'passenger').map((r) => dataOf<Passenger>(r.change));
  }

  /** The highest version handed out so far (0 for an empty database). */
  currentVersion(): number {
    return this.maxVersion.get()?.v ?? 0;
  }
}

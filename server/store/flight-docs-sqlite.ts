/**
 * The SQLite side of first fills' per-flight documents (server/sync/bulk.ts): the `flight_doc_deflate`
 * table beside the feed, and the reads a bulk page needs. Every read is one synchronous call on the store's
 * connection (run through its mutex), so a document's source is read in one go, between write
 * transactions.
 */
import type { Db } from '../db/database';
import type { Flight, Passenger } from '../../shared/domain/schemas';
import { dataOf } from '../db/entities';
import type { DeflatePiece } from '../sync/deflate-pieces';
import type { FlightDocSource, FlightDocState, FlightDocStore } from './store';

/**
 * A cache: dropping it loses nothing (documents are rebuilt on the next fill). Each document is a
 * raw-deflate piece (server/sync/deflate-pieces.ts) with its text's length and Adler-32. The earlier
 * layout (`flight_doc`, the JSON text) is dropped: a file written by an older server holds it.
 */
export const FLIGHT_DOC_TABLE = `
DROP TABLE IF EXISTS flight_doc;
CREATE TABLE IF NOT EXISTS flight_doc_deflate (
  station   TEXT NOT NULL,
  flight_id TEXT NOT NULL,
  stamp     TEXT NOT NULL,
  piece     BLOB NOT NULL,
  size      INTEGER NOT NULL,
  adler     INTEGER NOT NULL,
  PRIMARY KEY (station, flight_id)
)`;

interface StoredRow {
  docStamp: string | null;
  piece: Buffer | null;
  size: number | null;
  adler: number | null;
}

/** The stored document of a page row, when there is one. */
export function storedDoc(r: StoredRow): FlightDocState['doc'] {
  if (r.docStamp === null || r.piece === null || r.size === null || r.adler === null) return null;
  return { stamp: r.docStamp, piece: { bytes: r.piece, size: r.size, adler: r.adler } };
}

interface StampRow {
  fv: number;
  pv: number | null;
  pn: number;
}

export const stampOf = (r: StampRow): string => `${r.fv}.${r.pv ?? 0}.${r.pn}`;

// The passenger rows of a flight, live or not: a tombstone or a passenger moved away changes the stamp too.
const PAX_STAMP = `(SELECT max(p.version) FROM entity p WHERE p.flight_id = f.id AND p.kind = 'passenger') AS pv,
  (SELECT count(*) FROM entity p WHERE p.flight_id = f.id AND p.kind = 'passenger') AS pn`;

const SMALL_KINDS = "('station', 'seatMap', 'staff', 'lease', 'tagLease')";

export class SqliteFlightDocs implements FlightDocStore {
  private readonly s;

  constructor(
    db: Db,
    private readonly read: <T>(fn: () => T) => Promise<T>,
  ) {
    db.exec(FLIGHT_DOC_TABLE);
    this.s = {
      head: db.prepare<[string], { v: number | null }>('SELECT max(version) AS v FROM entity WHERE station = ?'),
      page: db.prepare<[string, string, number], StampRow & StoredRow & { flightId: string }>(
        `SELECT f.id AS flightId, f.version AS fv, ${PAX_STAMP}, d.stamp AS docStamp, d.piece AS piece, d.size AS size, d.adler AS adler
         FROM entity f LEFT JOIN flight_doc_deflate d ON d.station = f.station AND d.flight_id = f.id
         WHERE f.station = ? AND f.kind = 'flight' AND f.live = 1 AND f.id > ? ORDER BY f.id LIMIT ?`,
      ),
      countAfter: db.prepare<[string, string], { n: number }>(
        "SELECT count(*) AS n FROM entity WHERE station = ? AND kind = 'flight' AND live = 1 AND id > ?",
      ),
      stamp: db.prepare<[string, string], StampRow & { change: string }>(
        `SELECT f.version AS fv, ${PAX_STAMP}, f.change AS change FROM entity f
         WHERE f.station = ? AND f.kind = 'flight' AND f.id = ? AND f.live = 1`,
      ),
      passengers: db.prepare<[string], { change: string }>(
        "SELECT change FROM entity WHERE flight_id = ? AND kind = 'passenger' AND live = 1 ORDER BY version",
      ),
      save: db.prepare<[string, string, string, Buffer, number, number]>(
        `INSERT INTO flight_doc_deflate (station, flight_id, stamp, piece, size, adler) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (station, flight_id) DO UPDATE
           SET stamp = excluded.stamp, piece = excluded.piece, size = excluded.size, adler = excluded.adler`,
      ),
      small: db.prepare<[{ station: string; device: string; upTo: number }], { body: Buffer | null }>(
        `SELECT CAST(group_concat(change, ',') AS BLOB) AS body FROM (
           SELECT change FROM entity
           WHERE station = @station AND kind IN ${SMALL_KINDS} AND live = 1 AND version <= @upTo
             AND (device_id IS NULL OR device_id = @device)
           ORDER BY version)`,
      ),
    };
  }

  head(station: string): Promise<number> {
    return this.read(() => this.s.head.get(station)?.v ?? 0);
  }

  page(station: string, afterId: string, limit: number): Promise<FlightDocState[]> {
    return this.read(() =>
      this.s.page.all(station, afterId, limit).map((r) => ({
        flightId: r.flightId,
        stamp: stampOf(r),
        doc: storedDoc(r),
      })),
    );
  }

  countAfter(station: string, afterId: string): Promise<number> {
    return this.read(() => this.s.countAfter.get(station, afterId)?.n ?? 0);
  }

  source(station: string, flightId: string): Promise<FlightDocSource | null> {
    return this.read(() => {
      const row = this.s.stamp.get(station, flightId);
      if (!row) return null;
      const passengers = this.s.passengers.all(flightId).map((r) => dataOf<Passenger>(r.change));
      return { flight: dataOf<Flight>(row.change), version: row.fv, passengers, stamp: stampOf(row) };
    });
  }

  save(station: string, flightId: string, stamp: string, piece: DeflatePiece): Promise<void> {
    return this.read(() => void this.s.save.run(station, flightId, stamp, piece.bytes, piece.size, piece.adler));
  }

  smallChanges(station: string, deviceId: string, upTo: number): Promise<Buffer> {
    return this.read(() => this.s.small.get({ station, device: deviceId, upTo })?.body ?? Buffer.alloc(0));
  }
}

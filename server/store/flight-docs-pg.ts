/**
 * The PostgreSQL side of first fills' per-flight documents (server/sync/bulk.ts), in
 * `flight_doc_deflate` (pg-schema.ts). Several processes may build the same document at once: each
 * writes the stamp it read with the piece it built from what it read after it, so whichever lands
 * last is still a true pair (at worst an older one, which the next fill sees and rebuilds).
 */
import type pg from 'pg';
import type { Flight, Passenger } from '../../shared/domain/schemas';
import { dataOf } from '../db/entities';
import type { DeflatePiece } from '../sync/deflate-pieces';
import { stampOf, storedDoc } from './flight-docs-sqlite';
import type { FlightDocSource, FlightDocState, FlightDocStore } from './store';

const PAX_STAMP = `(SELECT max(p.version) FROM entity p WHERE p.flight_id = f.id AND p.kind = 'passenger') AS pv,
  (SELECT count(*) FROM entity p WHERE p.flight_id = f.id AND p.kind = 'passenger') AS pn`;

const SQL = {
  head: 'SELECT version AS v FROM station_feed WHERE station = $1',
  page: `SELECT f.id AS "flightId", f.version AS fv, ${PAX_STAMP}, d.stamp AS "docStamp", d.piece AS piece, d.size AS size, d.adler AS adler
         FROM entity f LEFT JOIN flight_doc_deflate d ON d.station = f.station AND d.flight_id = f.id
         WHERE f.station = $1 AND f.kind = 'flight' AND f.live AND f.id > $2 ORDER BY f.id LIMIT $3`,
  countAfter: "SELECT count(*) AS n FROM entity WHERE station = $1 AND kind = 'flight' AND live AND id > $2",
  stamp: `SELECT f.version AS fv, ${PAX_STAMP}, f.change AS change FROM entity f
          WHERE f.station = $1 AND f.kind = 'flight' AND f.id = $2 AND f.live`,
  passengers: "SELECT change FROM entity WHERE flight_id = $1 AND kind = 'passenger' AND live ORDER BY version",
  save: `INSERT INTO flight_doc_deflate (station, flight_id, stamp, piece, size, adler) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (station, flight_id) DO UPDATE
           SET stamp = excluded.stamp, piece = excluded.piece, size = excluded.size, adler = excluded.adler`,
  small: `SELECT string_agg(change, ',' ORDER BY version) AS body FROM entity
          WHERE station = $1 AND kind IN ('station', 'seatMap', 'staff', 'lease', 'tagLease') AND live AND version <= $3
            AND (device_id IS NULL OR device_id = $2)`,
} as const;

export class PgFlightDocs implements FlightDocStore {
  constructor(private readonly pool: pg.Pool) {}

  private async rows<R extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>({ name: `flight_doc_${name}`, text: SQL[name], values })).rows;
  }

  async head(station: string): Promise<number> {
    const [row] = await this.rows<{ v: number }>('head', [station]);
    return row?.v ?? 0;
  }

  async page(station: string, afterId: string, limit: number): Promise<FlightDocState[]> {
    const rows = await this.rows<{
      flightId: string;
      fv: number;
      pv: number | null;
      pn: number;
      docStamp: string | null;
      piece: Buffer | null;
      size: number | null;
      adler: number | null;
    }>('page', [station, afterId, limit]);
    return rows.map((r) => ({
      flightId: r.flightId,
      stamp: stampOf(r),
      doc: storedDoc(r),
    }));
  }

  async countAfter(station: string, afterId: string): Promise<number> {
    const [row] = await this.rows<{ n: number }>('countAfter', [station, afterId]);
    return row?.n ?? 0;
  }

  async source(station: string, flightId: string): Promise<FlightDocSource | null> {
    // The stamp first: whatever is read after it is at least as new.
    const [row] = await this.rows<{ fv: number; pv: number | null; pn: number; change: string }>('stamp', [station, flightId]);
    if (!row) return null;
    const passengers = (await this.rows<{ change: string }>('passengers', [flightId])).map((r) => dataOf<Passenger>(r.change));
    return { flight: dataOf<Flight>(row.change), version: row.fv, passengers, stamp: stampOf(row) };
  }

  async save(station: string, flightId: string, stamp: string, piece: DeflatePiece): Promise<void> {
    await this.rows('save', [station, flightId, stamp, piece.bytes, piece.size, piece.adler]);
  }

  async smallChanges(station: string, deviceId: string, upTo: number): Promise<Buffer> {
    const [row] = await this.rows<{ body: string | null }>('small', [station, deviceId, upTo]);
    return row?.body ? Buffer.from(row.body, 'utf8') : Buffer.alloc(0);
  }
}

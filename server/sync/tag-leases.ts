/**
 * Fallback bag-tag leases (IATA Resolution 740 licence plates, shared/domain/bag-tags.ts). A plate
 * is 1 + the carrier's three-digit airline code + a six-digit serial; serials of one airline code
 * come from one counter for the whole backend (every station, every process), and each workstation
 * holds blocks of them, so two desks cut off from each other never print the same plate. Blocks
 * travel to their workstation as 'tagLease' entities, like sequence-number leases (leases.ts), and
 * are topped up at the start of a pull when a desk runs low.
 *
 * The counter counts every serial ever granted; a block starts at that count modulo 1,000,000 and
 * its size divides 1,000,000, so a block never runs past 999999. Serials come round again only after
 * a million more have been granted, and a new block is moved on past any block still held.
 */
import { licencePlate, readPlate, SERIALS } from '../../shared/domain/bag-tags';
import type { TagLease } from '../../shared/domain/schemas';
import type { SqlRunner, Store, Tx } from '../store/store';

export const TAG_POLICY = {
  /** Serials per block: divides 1,000,000. A desk tags ~40 bags an hour, so one block lasts a long outage. */
  block: 250,
  /** A desk is topped up when it has fewer serials left than this for a carrier. */
  minFree: 100,
  /** Blocks skipped at most while looking for one no workstation holds. */
  maxSkips: 8,
} as const;

/** The carriers this backend tags bags for, with their three-digit airline codes (the plate's digits 2–4). */
export type TagIssuers = Readonly<Record<string, string>>;

/** The demo carrier BQ and its airline code (the prefix of its e-tickets, server/demo/passengers.ts). */
export const DEFAULT_TAG_ISSUERS: TagIssuers = { BQ: '934' };

/** The bookkeeping tables, in SQL both stores take (server/store/sql-runner.ts). */
export const TAG_SCHEMA = `
-- Serials of each airline code granted so far, all time: the next block starts at granted mod 1,000,000.
CREATE TABLE IF NOT EXISTS tag_counter (
  airline_code TEXT PRIMARY KEY,
  granted      INTEGER NOT NULL
);

-- Blocks of bag-tag serials held by workstations.
CREATE TABLE IF NOT EXISTS tag_lease (
  id           TEXT PRIMARY KEY,
  device_id    TEXT NOT NULL,
  station      TEXT NOT NULL,
  carrier      TEXT NOT NULL,
  airline_code TEXT NOT NULL,
  serial_from  INTEGER NOT NULL,
  serial_to    INTEGER NOT NULL,
  used_to      INTEGER,                   -- the highest serial seen on this workstation's applied check-ins
  granted_at   TEXT NOT NULL,
  retired      INTEGER NOT NULL DEFAULT 0 -- 1 once used up and withdrawn from the workstation
);
CREATE INDEX IF NOT EXISTS tag_lease_device ON tag_lease (device_id, retired);
CREATE INDEX IF NOT EXISTS tag_lease_code ON tag_lease (airline_code, retired);
`;

export const TAG_TABLES = ['tag_counter', 'tag_lease'] as const;

interface TagLeaseRow {
  id: string;
  deviceId: string;
  station: string;
  carrier: string;
  airlineCode: string;
  from: number;
  to: number;
  usedTo: number | null;
}

const SELECT_ROWS = `SELECT id, device_id AS "deviceId", station, carrier, airline_code AS "airlineCode",
  serial_from AS "from", serial_to AS "to", used_to AS "usedTo" FROM tag_lease`;

/**
 * Where blocks take their serials from; called inside a write transaction. The backend draws from
 * its counters; a station relay sub-leases from the blocks central granted it (relay/tag-pool.ts).
 */
export interface TagSerialSource {
  /** A block of `size` serials of the airline code, or null when none can be had. */
  block(tx: Tx, airlineCode: string, size: number): Promise<{ from: number; to: number } | null>;
}

/** The backend's own counters (tag_counter), one row per airline code, incremented atomically. */
export const TAG_COUNTER: TagSerialSource = {
  async block(tx, airlineCode, size) {
    for (let skip = 0; skip <= TAG_POLICY.maxSkips; skip++) {
      // One statement: on PostgreSQL it locks the counter row until commit, so two processes (or two
      // stations' transactions) never take the same count.
      const [row] = await tx.sql.all<{ granted: number }>(
        `INSERT INTO tag_counter (airline_code, granted) VALUES (?, ?)
         ON CONFLICT (airline_code) DO UPDATE SET granted = tag_counter.granted + excluded.granted RETURNING granted`,
        [airlineCode, size],
      );
      const granted = Number(row?.granted ?? 0);
      const from = (granted - size) % SERIALS;
      const to = from + size - 1;
      const [held] = await tx.sql.all<{ n: number }>(
        'SELECT count(*) AS n FROM tag_lease WHERE airline_code = ? AND retired = 0 AND serial_from <= ? AND serial_to >= ?',
        [airlineCode, to, from],
      );
      if (Number(held?.n ?? 0) === 0) return { from, to };
    }
    return null;
  },
};

function entityOf(r: TagLeaseRow): TagLease {
  const lease = { id: r.id, deviceId: r.deviceId, carrier: r.carrier, airlineCode: r.airlineCode, from: r.from, to: r.to };
  return r.usedTo === null ? lease : { ...lease, usedTo: r.usedTo };
}

/** Serials of the lease the workstation has not used yet, as far as the backend has seen. */
function free(r: TagLeaseRow): number {
  return r.to - Math.max(r.from, (r.usedTo ?? r.from - 1) + 1) + 1;
}

export class TagLeases {
  constructor(
    private readonly store: Store,
    private readonly issuers: TagIssuers = DEFAULT_TAG_ISSUERS,
    private readonly source: TagSerialSource = TAG_COUNTER,
  ) {}

  /** The airline code this backend tags a carrier's bags with, or null. */
  airlineCode(carrier: string): string | null {
    return this.issuers[carrier] ?? null;
  }

  private static rows(sql: SqlRunner, deviceId: string): Promise<TagLeaseRow[]> {
    return sql.all<TagLeaseRow>(`${SELECT_ROWS} WHERE device_id = ? AND retired = 0`, [deviceId]);
  }

  /** Carriers this workstation is low on, from a cheap look outside any transaction. */
  private needs(rows: readonly TagLeaseRow[]): string[] {
    return Object.keys(this.issuers).filter((carrier) => {
      const left = rows.filter((r) => r.carrier === carrier).reduce((n, r) => n + free(r), 0);
      return left < TAG_POLICY.minFree;
    });
  }

  /**
   * Grants a block for every carrier the workstation is low on, and withdraws blocks it has used up
   * (it has a newer one). Called at the start of each pull, so new blocks travel in that same pull.
   */
  async topUp(deviceId: string, station: string, nowIso: string): Promise<number> {
    if (this.needs(await TagLeases.rows(this.store.sql, deviceId)).length === 0) return 0;
    return this.store.write(station, async (tx) => {
      const rows = await TagLeases.rows(tx.sql, deviceId);
      let granted = 0;
      for (const carrier of this.needs(rows)) {
        const code = this.issuers[carrier]!;
        const range = await this.source.block(tx, code, TAG_POLICY.block);
        if (!range) continue;
        const row: TagLeaseRow = {
          id: `tag/${code}/${range.from}/${nowIso}`,
          deviceId,
          station,
          carrier,
          airlineCode: code,
          ...range,
          usedTo: null,
        };
        await tx.sql.run(
          `INSERT INTO tag_lease (id, device_id, station, carrier, airline_code, serial_from, serial_to, granted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [row.id, deviceId, station, carrier, code, row.from, row.to, nowIso],
        );
        tx.put('tagLease', station, entityOf(row), { deviceId });
        granted++;
        for (const spent of rows.filter((r) => r.carrier === carrier && free(r) <= 0)) {
          await tx.sql.run('UPDATE tag_lease SET retired = 1 WHERE id = ?', [spent.id]);
          tx.remove('tagLease', spent.station, spent.id, { deviceId });
        }
      }
      return granted;
    });
  }

  /** Counts the plates of an applied check-in as used; call inside the mutation's transaction. */
  async markUsed(tx: Tx, deviceId: string, plates: readonly string[]): Promise<void> {
    for (const plate of plates) {
      const p = readPlate(plate);
      if (!p?.fallback) continue;
      await tx.sql.run(
        `UPDATE tag_lease SET used_to = ? WHERE device_id = ? AND airline_code = ? AND serial_from <= ? AND serial_to >= ?
           AND (used_to IS NULL OR used_to < ?)`,
        [p.serial, deviceId, p.airlineCode, p.serial, p.serial, p.serial],
      );
    }
  }

  /**
   * A station relay's account of how far it has sub-leased its blocks to its desks (PullRequest.tagUse):
   * those serials are used as far as this backend is concerned. Only the device's own blocks move,
   * and never back.
   */
  async recordUse(tx: Tx, deviceId: string, use: readonly { id: string; usedTo: number }[]): Promise<void> {
    for (const u of use) {
      await tx.sql.run(
        `UPDATE tag_lease SET used_to = ? WHERE id = ? AND device_id = ? AND serial_from <= ? AND serial_to >= ?
           AND (used_to IS NULL OR used_to < ?)`,
        [u.usedTo, u.id, deviceId, u.usedTo, u.usedTo, u.usedTo],
      );
    }
  }

  /**
   * A workstation that enrols again keeps its blocks: plates it printed offline came from them. They
   * travel with how far the backend has seen it use them, so a desk that lost its local copy goes on
   * past its last plate instead of printing the block again.
   */
  async transfer(tx: Tx, fromDeviceId: string, toDeviceId: string): Promise<number> {
    const rows = await TagLeases.rows(tx.sql, fromDeviceId);
    if (rows.length === 0) return 0;
    await tx.sql.run('UPDATE tag_lease SET device_id = ? WHERE device_id = ?', [toDeviceId, fromDeviceId]);
    for (const r of rows) tx.put('tagLease', r.station, entityOf({ ...r, deviceId: toDeviceId }), { deviceId: toDeviceId });
    return rows.length;
  }
}

/** The plate a lease's first serial makes, for logs and tests. */
export function firstPlate(lease: Pick<TagLease, 'airlineCode' | 'from'>): string {
  return licencePlate(lease.airlineCode, lease.from);
}

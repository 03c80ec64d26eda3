/**
 * Sequence numbers at a station relay. Central leases blocks of each flight's numbers to the relay
 * as it does to any workstation; the relay keeps them here (relay_pool) and sub-leases runs of them
 * to its desks through the backend's own lease code (server/sync/leases.ts with this SeqSource). A
 * number is therefore granted once by central, and once by the relay from central's grant to it:
 * two desks — one on the relay, one on central, or both on the relay with central gone — never print
 * the same number.
 *
 * Keeping enough: numbers the relay has sub-leased count as used towards central (leaseUse in its
 * pulls), and while a flight's pool holds less than its largest block, the relay reports the whole
 * pool used so central grants another block. The pool thus holds one to two blocks per open flight
 * for whatever outage comes, and stops growing there.
 */
import type { Db } from '../server/db/database';
import { LEASE_POLICY } from '../server/sync/lease-policy';
import type { SeqRange, SeqSource } from '../server/sync/leases';
import type { SeqLease } from '../shared/domain/schemas';

interface PoolRow {
  leaseId: string;
  flightId: string;
  from: number;
  to: number;
  next: number;
  emergency: number;
}

export class LeasePool implements SeqSource {
  private readonly s;

  constructor(
    db: Db,
    private readonly station: string,
    /** A flight's pool ran low or dry: the relay should fetch another block from central now. */
    private readonly onLow: () => void = () => {},
  ) {
    this.s = {
      upsert: db.prepare<[string, string, number, number, number, number]>(
        `INSERT INTO relay_pool (lease_id, flight_id, seq_from, seq_to, next, emergency) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (lease_id) DO UPDATE SET seq_to = excluded.seq_to`,
      ),
      remove: db.prepare<[string]>('DELETE FROM relay_pool WHERE lease_id = ?'),
      dropFlight: db.prepare<[string]>('DELETE FROM relay_pool WHERE flight_id = ?'),
      firstFree: db.prepare<[string, number], PoolRow>(
        `SELECT lease_id AS leaseId, flight_id AS flightId, seq_from AS "from", seq_to AS "to", next, emergency
         FROM relay_pool WHERE flight_id = ? AND emergency = ? AND next <= seq_to ORDER BY seq_from LIMIT 1`,
      ),
      take: db.prepare<[number, string]>('UPDATE relay_pool SET next = ? WHERE lease_id = ?'),
      all: db.prepare<[], PoolRow>(
        'SELECT lease_id AS leaseId, flight_id AS flightId, seq_from AS "from", seq_to AS "to", next, emergency FROM relay_pool',
      ),
    };
  }

  /** A lease central granted the relay (a pulled 'lease' change of the relay's own device). */
  received(lease: SeqLease): void {
    this.s.upsert.run(lease.id, lease.flightId, lease.from, lease.to, lease.from, lease.emergency ? 1 : 0);
  }

  /** Central withdrew a lease (the flight departed or was cancelled). */
  withdrawn(leaseId: string): void {
    this.s.remove.run(leaseId);
  }

  forgetFlight(flightId: string): void {
    this.s.dropFlight.run(flightId);
  }

  /**
   * A desk's new block: at most half of what is left of the pool block it comes from (but no less
   * than LEASE_POLICY.minBlock), so the first desk to ask does not take a whole block from the others.
   */
  async regular(_tx: unknown, flightId: string, size: number): Promise<SeqRange | null> {
    return this.carve(flightId, 0, size, true) ?? null;
  }

  /**
   * A desk's emergency block: from the relay's own emergency block while it lasts, then from its
   * regular numbers (any number nobody else holds will do; a supervisor still has to open it).
   */
  async emergency(_tx: unknown, flightId: string, size: number): Promise<SeqRange | null> {
    return this.carve(flightId, 1, size, false) ?? this.carve(flightId, 0, size, false) ?? null;
  }

  private carve(flightId: string, emergency: 0 | 1, size: number, share: boolean): SeqRange | undefined {
    const row = this.s.firstFree.get(flightId, emergency);
    if (!row) {
      if (emergency === 0) this.onLow();
      return undefined;
    }
    const left = row.to - row.next + 1;
    const take = share ? Math.min(size, Math.max(LEASE_POLICY.minBlock, Math.ceil(left / 2))) : size;
    const from = row.next;
    const to = Math.min(from + take - 1, row.to);
    this.s.take.run(to + 1, row.leaseId);
    if (emergency === 0 && this.free(flightId) < row.to - row.from + 1) this.onLow();
    return { station: this.station, from, to };
  }

  /**
   * leaseUse for the relay's pull from central: how far each of its leases is sub-leased — or, on
   * a flight whose pool holds less than its largest block, all of it, which makes central grant
   * the relay another block at the start of that pull.
   */
  usage(): { id: string; next: number }[] {
    const rows = this.s.all.all();
    const byFlight = new Map<string, PoolRow[]>();
    for (const r of rows) if (!r.emergency) byFlight.set(r.flightId, [...(byFlight.get(r.flightId) ?? []), r]);
    const low = new Set<string>();
    for (const [flightId, blocks] of byFlight) {
      const free = blocks.reduce((n, b) => n + (b.to - b.next + 1), 0);
      const largest = Math.max(...blocks.map((b) => b.to - b.from + 1));
      if (free < largest) low.add(flightId);
    }
    return rows.filter((r) => !r.emergency).map((r) => ({ id: r.leaseId, next: low.has(r.flightId) ? r.to + 1 : r.next }));
  }

  /** Free numbers of the pool on a flight (tests, status). */
  free(flightId: string): number {
    return this.s.all
      .all()
      .filter((r) => r.flightId === flightId && !r.emergency)
      .reduce((n, r) => n + (r.to - r.next + 1), 0);
  }
}

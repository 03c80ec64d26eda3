/**
 * Fallback bag-tag serials at a station relay (the tag counterpart of pool.ts). Central grants the
 * relay blocks of serials as it does any workstation ('tagLease' entities of the relay's own
 * device); the relay keeps them here (relay_tag_pool) and sub-leases runs of them to its desks
 * through the backend's own TagLeases code (server/sync/tag-leases.ts with this TagSerialSource).
 * Central never grants a serial twice, and the relay grants each of its serials once, in the same
 * transaction that records the desk's block: desks on the relay, desks on central, or both with the
 * relay restarted or killed in between, never print the same plate.
 *
 * Keeping enough: serials the relay has sub-leased count as used towards central (tagUse in its
 * pulls), and while the pool of an airline code holds less than one block, the relay reports all of
 * it used, so central grants another block at the start of that pull. Central then retires the
 * blocks the relay called used: their serials are the relay's to give out, and central's counter has
 * gone past them. The pool thus holds one to two blocks for whatever outage comes.
 */
import type { Db } from '../server/db/database';
import { TAG_POLICY, type TagSerialSource } from '../server/sync/tag-leases';
import type { TagLease } from '../shared/domain/schemas';

interface TagPoolRow {
  leaseId: string;
  airlineCode: string;
  from: number;
  to: number;
  next: number;
}

export class TagPool implements TagSerialSource {
  private readonly s;

  constructor(
    db: Db,
    /** An airline code's pool ran low or dry: the relay should fetch another block from central now. */
    private readonly onLow: () => void = () => {},
  ) {
    const columns = 'lease_id AS leaseId, airline_code AS airlineCode, serial_from AS "from", serial_to AS "to", next';
    this.s = {
      // A lease seen again (a re-enrolment moved it to the relay's new device) keeps how far the relay got.
      upsert: db.prepare<[string, string, number, number, number]>(
        `INSERT INTO relay_tag_pool (lease_id, airline_code, serial_from, serial_to, next) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (lease_id) DO UPDATE SET next = max(relay_tag_pool.next, excluded.next)`,
      ),
      firstFree: db.prepare<[string], TagPoolRow>(
        `SELECT ${columns} FROM relay_tag_pool WHERE airline_code = ? AND next <= serial_to ORDER BY serial_from LIMIT 1`,
      ),
      take: db.prepare<[number, string]>('UPDATE relay_tag_pool SET next = ? WHERE lease_id = ?'),
      all: db.prepare<[], TagPoolRow>(`SELECT ${columns} FROM relay_tag_pool`),
    };
  }

  /** A block central granted the relay (a pulled 'tagLease' of the relay's own device). */
  received(lease: TagLease): void {
    const next = Math.max(lease.from, lease.usedTo === undefined ? lease.from : lease.usedTo + 1);
    this.s.upsert.run(lease.id, lease.airlineCode, lease.from, lease.to, next);
  }

  /**
   * A desk's new block: at most half of what is left of the pool block it comes from (but no less
   * than a desk's top-up threshold), so the first desk to ask does not take everything from the others.
   */
  // The statements join the caller's SQLite transaction (the store's one connection).
  async block(_tx: unknown, airlineCode: string, size: number): Promise<{ from: number; to: number } | null> {
    const row = this.s.firstFree.get(airlineCode);
    if (!row) {
      this.onLow();
      return null;
    }
    const left = row.to - row.next + 1;
    const take = Math.min(size, Math.max(TAG_POLICY.minFree, Math.ceil(left / 2)));
    const from = row.next;
    const to = Math.min(from + take - 1, row.to);
    this.s.take.run(to + 1, row.leaseId);
    if (this.free(airlineCode) < TAG_POLICY.block) this.onLow();
    return { from, to };
  }

  /**
   * tagUse for the relay's pull from central: how far each of its blocks is sub-leased — or, for an
   * airline code whose pool holds less than one block, all of it, so central grants another.
   */
  usage(): { id: string; usedTo: number }[] {
    const rows = this.s.all.all();
    const low = new Set([...new Set(rows.map((r) => r.airlineCode))].filter((code) => this.freeOf(rows, code) < TAG_POLICY.block));
    return rows
      .map((r) => ({ id: r.leaseId, usedTo: low.has(r.airlineCode) ? r.to : r.next - 1 }))
      .filter((u, i) => u.usedTo >= rows[i]!.from);
  }

  /** Serials of an airline code not yet sub-leased (tests, status). */
  free(airlineCode: string): number {
    return this.freeOf(this.s.all.all(), airlineCode);
  }

  /** The blocks central granted the relay (tests). */
  blocks(): { id: string; airlineCode: string; from: number; to: number }[] {
    return this.s.all.all().map((r) => ({ id: r.leaseId, airlineCode: r.airlineCode, from: r.from, to: r.to }));
  }

  private freeOf(rows: readonly TagPoolRow[], airlineCode: string): number {
    return rows.filter((r) => r.airlineCode === airlineCode).reduce((n, r) => n + Math.max(0, r.to - r.next + 1), 0);
  }
}

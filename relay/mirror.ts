/**
 * The relay's copy of central's station feed: pulled pages are written into the relay's own store,
 * where its desks' pulls find them.
 *
 * A flight no desk has acted on at the relay is copied row for row. A flight with facts the relay
 * recorded has a ledger here (server/sync/ledgers.ts) whose base is central's state of the flight:
 * a page moves that base, and the relay's facts are folded over it again by the shared rules — as a
 * desk does with its pending actions (renderer/db/flight-store.ts). Once central has answered a fact
 * and a complete pull has brought back central's state including it, the fact leaves the relay's
 * ledger (`settleAnswered`): central's base holds it from then on.
 */
import type { Tx } from '../server/store/store';
import type { FlightLedgers } from '../server/sync/ledgers';
import type { LedgerStore } from '../server/sync/ledger-store';
import type { Leases } from '../server/sync/leases';
import { mergePassengers, type FlightView } from '../shared/domain/replay';
import type { Flight, Passenger, StaffRole } from '../shared/domain/schemas';
import type { Change, PullResponse } from '../shared/protocol/v1';
import type { ForwardQueue } from './forward-queue';
import type { LeasePool } from './pool';
import type { TagPool } from './tag-pool';

interface FlightWork {
  flight: Flight | null;
  put: Passenger[];
  removed: string[];
}

export interface MirrorParts {
  station: string;
  ledgers: FlightLedgers;
  ledgerStore: LedgerStore;
  leases: Leases;
  pool: LeasePool;
  tagPool: TagPool;
  queue: ForwardQueue;
}

export class Mirror {
  constructor(private readonly p: MirrorParts) {}

  /** Writes one page of central's feed; `relayDeviceId` is the relay's own enrolment at central. Returns how many changes it wrote. */
  async applyPage(tx: Tx, page: PullResponse, relayDeviceId: string): Promise<number> {
    const { station, pool } = this.p;
    const flights = new Map<string, FlightWork>();
    const work = (id: string) => {
      let w = flights.get(id);
      if (!w) flights.set(id, (w = { flight: null, put: [], removed: [] }));
      return w;
    };
    for (const c of page.changes) {
      if (c.op === 'put') {
        switch (c.kind) {
          case 'flight':
            work(c.data.id).flight = c.data;
            break;
          case 'passenger':
            work(c.data.flightId).put.push(c.data);
            break;
          case 'lease':
            // Only the relay's own blocks travel to it; they are its pool, never a desk's lease.
            if (c.data.deviceId === relayDeviceId) pool.received(c.data);
            break;
          case 'tagLease':
            // Likewise bag-tag blocks: the relay's pool, sub-leased to its desks; never copied as they
            // are, or every desk would print the relay's serials.
            if (c.data.deviceId === relayDeviceId) this.p.tagPool.received(c.data);
            break;
          default:
            tx.put(c.kind, station, c.data);
        }
      } else {
        this.applyDelete(tx, c, work);
      }
    }
    const roles = await this.roles(tx);
    for (const [flightId, w] of flights) await this.applyFlight(tx, flightId, w, roles);
    return page.changes.length;
  }

  private applyDelete(tx: Tx, c: Extract<Change, { op: 'delete' }>, work: (flightId: string) => FlightWork): void {
    switch (c.kind) {
      case 'lease':
        this.p.pool.withdrawn(c.id);
        return;
      case 'tagLease':
        // Central retires a block the relay reported used: what the relay has not sub-leased yet is
        // still its own to give (central's counter has gone past it), so the pool keeps it.
        return;
      case 'passenger':
        if (c.flightId) work(c.flightId).removed.push(c.id);
        else tx.remove('passenger', this.p.station, c.id);
        return;
      default:
        tx.remove(c.kind, this.p.station, c.id);
    }
  }

  private async applyFlight(tx: Tx, flightId: string, w: FlightWork, roleOf: (staffId: string) => StaffRole): Promise<void> {
    const { station, ledgers, ledgerStore, leases, pool } = this.p;
    for (const id of w.removed) tx.remove('passenger', station, id, { flightId });
    const base = await ledgerStore.base(tx, flightId);
    if (base) {
      // Central's state of the flight moved under the facts the relay still holds: fold them over it again.
      const next: FlightView = {
        flight: w.flight ?? base.flight,
        passengers: mergePassengers(
          base.passengers.filter((p) => !w.removed.includes(p.id)),
          w.put,
        ),
      };
      await ledgers.rebase(tx, next, roleOf);
    } else {
      if (w.flight) tx.putFlight(w.flight);
      for (const p of w.put) tx.put('passenger', station, p, { flightId });
    }
    const flight = w.flight ?? (await tx.get(station, 'flight', flightId));
    if (flight && flight.status !== 'scheduled') {
      // Check-in is over: desks' sub-leases go (they get tombstones), and so does the pool.
      await leases.revokeAll(tx, flightId);
      pool.forgetFlight(flightId);
    }
  }

  /**
   * After a complete pull that began after central answered them: the answered facts leave the
   * relay's ledgers (central's base now includes them) and their flights are folded again.
   * `answered` is what was answered when the pull began; anything answered since waits for the next.
   */
  async settleAnswered(tx: Tx, answered: readonly { mutationId: string; flightId: string | null }[]): Promise<number> {
    const { station, ledgers, ledgerStore, queue } = this.p;
    const byFlight = new Map<string, string[]>();
    for (const a of answered) {
      queue.settle(a.mutationId);
      if (a.flightId) byFlight.set(a.flightId, [...(byFlight.get(a.flightId) ?? []), a.mutationId]);
    }
    if (byFlight.size === 0) return 0;
    const roleOf = await this.roles(tx);
    for (const [flightId, ids] of byFlight) {
      for (const id of ids) tx.removeLedgerFact(flightId, id);
      const base = await ledgerStore.base(tx, flightId);
      if (base && (await tx.get(station, 'flight', flightId))) await ledgers.rebase(tx, base, roleOf);
    }
    return byFlight.size;
  }

  private async roles(tx: Tx): Promise<(staffId: string) => StaffRole> {
    const staff = new Map((await tx.all(this.p.station, 'staff')).map((s) => [s.id, s.role]));
    return (staffId) => staff.get(staffId) ?? 'agent';
  }
}

/**
 * Check-in sequence-number leases. Each flight has one counter; a workstation holds blocks drawn from
 * it, so two workstations that are both offline never hand out the same number, and DCS check-ins
 * draw single numbers from the same counter. Leases travel to their workstation as 'lease' entities.
 */
import type { Statement } from 'better-sqlite3';
import type { SeqLease } from '../../shared/domain/schemas';
import type { Db } from '../db/database';
import type { EntityStore, Writer } from '../db/entities';

export const LEASE_POLICY = {
  /** A workstation should never have fewer unused numbers than this on an open flight… */
  minFree: 20,
  /** …and gets a block of this many when it does. */
  block: 50,
} as const;

export const MAX_SEQ = 9999;

interface Need {
  flightId: string;
  free: number;
}

export class Leases {
  private readonly needs: Statement<[{ device: string; minFree: number; station: string }], Need>;
  private readonly counter: Statement<[string], { next_seq: number; station: string }>;
  private readonly advance: Statement<[number, string]>;
  private readonly insert: Statement<[string, string, string, number, number, string]>;
  private readonly rangesOf: Statement<[string, string], { from: number; to: number }>;
  private readonly use: Statement<[string, string, number]>;
  private readonly onFlight: Statement<[string], { id: string; station: string; deviceId: string }>;
  private readonly spent: Statement<[number, string, string]>;
  private readonly ofDevice: Statement<[string], { id: string; flightId: string; from: number; to: number; station: string }>;
  private readonly reassign: Statement<[string, string]>;
  private readonly dropFlight: Statement<[string]>;

  constructor(
    db: Db,
    private readonly store: EntityStore,
  ) {
    this.needs = db.prepare(
      `SELECT f.flight_id AS flightId,
              coalesce((SELECT sum(l.seq_to - l.seq_from + 1 - l.used) FROM lease l
                        WHERE l.device_id = @device AND l.flight_id = f.flight_id), 0) AS free
       FROM flight_seq f
       WHERE f.station = @station AND f.open = 1 AND f.next_seq <= ${MAX_SEQ}
         AND free < @minFree`,
    );
    this.counter = db.prepare('SELECT next_seq, station FROM flight_seq WHERE flight_id = ?');
    this.advance = db.prepare('UPDATE flight_seq SET next_seq = ? WHERE flight_id = ?');
    this.insert = db.prepare('INSERT INTO lease (id, device_id, flight_id, seq_from, seq_to, granted_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.rangesOf = db.prepare('SELECT seq_from AS "from", seq_to AS "to" FROM lease WHERE device_id = ? AND flight_id = ?');
    this.onFlight = db.prepare(
      'SELECT l.id, f.station, l.device_id AS deviceId FROM lease l JOIN flight_seq f ON f.flight_id = l.flight_id WHERE l.flight_id = ?',
    );
    this.dropFlight = db.prepare('DELETE FROM lease WHERE flight_id = ?');
    this.use = db.prepare('UPDATE lease SET used = used + 1 WHERE device_id = ? AND flight_id = ? AND ? BETWEEN seq_from AND seq_to');
    this.spent = db.prepare('UPDATE lease SET used = min(seq_to - seq_from + 1, max(used, ? - seq_from)) WHERE id = ? AND device_id = ?');
    this.ofDevice = db.prepare(
      'SELECT l.id, l.flight_id AS flightId, l.seq_from AS "from", l.seq_to AS "to", f.station FROM lease l JOIN flight_seq f ON f.flight_id = l.flight_id WHERE l.device_id = ?',
    );
    this.reassign = db.prepare('UPDATE lease SET device_id = ? WHERE device_id = ?');
  }

  /**
   * Numbers the workstation has handed out itself, including ones on check-ins the backend refused
   * (they are printed on passes and never reused): counted as used, so top-ups see the truth.
   */
  recordUse(deviceId: string, use: readonly { id: string; next: number }[]): void {
    this.store.db.transaction(() => {
      for (const u of use) this.spent.run(u.next, u.id, deviceId);
    })();
  }

  /**
   * A workstation that enrols again (its token was refused) keeps its leases: check-ins it made
   * offline carry numbers from them. They move to the new device and travel to it in its first pull.
   */
  transfer(fromDeviceId: string, toDeviceId: string, station: string): number {
    return this.store.write((w) => {
      const leases = this.ofDevice.all(fromDeviceId).filter((l) => l.station === station);
      if (leases.length === 0) return 0;
      this.reassign.run(toDeviceId, fromDeviceId);
      for (const l of leases) {
        w.put(
          'lease',
          l.station,
          { id: l.id, deviceId: toDeviceId, flightId: l.flightId, from: l.from, to: l.to },
          { flightId: l.flightId, deviceId: toDeviceId },
        );
      }
      return leases.length;
    });
  }

  /**
   * Grants a new block on every open flight of the station where this device is running low.
   * Called at the start of each pull, so new leases travel in that same pull. Returns how many.
   */
  topUp(deviceId: string, station: string, nowIso: string): number {
    if (this.needs.all({ device: deviceId, minFree: LEASE_POLICY.minFree, station }).length === 0) return 0;
    return this.store.write((w) => {
      // Re-read inside the write lock: another request may have granted meanwhile.
      const needs = this.needs.all({ device: deviceId, minFree: LEASE_POLICY.minFree, station });
      let granted = 0;
      for (const need of needs) if (this.grant(w, deviceId, need.flightId, LEASE_POLICY.block, nowIso)) granted++;
      return granted;
    });
  }

  private grant(w: Writer, deviceId: string, flightId: string, size: number, nowIso: string): SeqLease | null {
    const counter = this.counter.get(flightId);
    if (!counter || counter.next_seq > MAX_SEQ) return null;
    const from = counter.next_seq;
    const to = Math.min(from + size - 1, MAX_SEQ);
    this.advance.run(to + 1, flightId);
    // Ranges never overlap on a flight, so flight + first number names a lease uniquely.
    const lease: SeqLease = { id: `${flightId}/${from}`, deviceId, flightId, from, to };
    this.insert.run(lease.id, deviceId, flightId, from, to, nowIso);
    w.put('lease', counter.station, lease, { flightId, deviceId });
    return lease;
  }

  /**
   * Withdraws every lease on a flight that can no longer take check-ins (departed, cancelled):
   * workstations receive tombstones and drop them. Call inside a write transaction.
   */
  revokeAll(w: Writer, flightId: string): number {
    const rows = this.onFlight.all(flightId);
    for (const l of rows) w.remove('lease', l.station, l.id, { flightId, deviceId: l.deviceId });
    this.dropFlight.run(flightId);
    return rows.length;
  }

  /** The ranges this device holds on the flight, for the rule "seq only from your own lease". */
  ranges(deviceId: string, flightId: string): { from: number; to: number }[] {
    return this.rangesOf.all(deviceId, flightId);
  }

  /** Counts numbers consumed by an applied check-in; call inside the mutation's transaction. */
  markUsed(deviceId: string, flightId: string, seqNos: readonly number[]): void {
    for (const n of seqNos) this.use.run(deviceId, flightId, n);
  }

  /** One number straight from the flight's counter (DCS check-ins); call inside a write transaction. */
  takeNext(flightId: string): number | null {
    const counter = this.counter.get(flightId);
    if (!counter || counter.next_seq > MAX_SEQ) return null;
    this.advance.run(counter.next_seq + 1, flightId);
    return counter.next_seq;
  }
}

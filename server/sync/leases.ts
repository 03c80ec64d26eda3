/**
 * Check-in sequence-number leases. Each flight has one counter; a workstation holds blocks drawn from
 * it, so two workstations that are both offline never hand out the same number, and DCS check-ins
 * draw single numbers from the same counter. Leases travel to their workstation as 'lease' entities.
 *
 * A block is sized for a whole outage: enough for every passenger still to check in on the flight
 * (so one desk could accept them all alone), topped up whenever a desk is down to a fifth of its
 * last block. Numbers from EMERGENCY_SEQ_FROM up are kept apart: each desk also holds a small
 * emergency block there, which only a supervisor can open, offline, when a desk runs out anyway.
 */
import type { Statement } from 'better-sqlite3';
import type { SeqLease } from '../../shared/domain/schemas';
import { EMERGENCY_SEQ_FROM, type Db } from '../db/database';
import type { EntityStore, Writer } from '../db/entities';

export const LEASE_POLICY = {
  /** A workstation is topped up when it has fewer unused numbers than this on an open flight… */
  minFree: 20,
  /** …or fewer than this share of its last block. */
  lowShare: 0.2,
  /** Blocks are at least this big, and this much bigger than the passengers still to check in. */
  minBlock: 50,
  headroom: 1.1,
  /** Each workstation's emergency block on a flight. */
  emergencyBlock: 20,
} as const;

export const MAX_SEQ = 9999;
/** The last number regular blocks draw; the rest is for emergency blocks. */
export const MAX_REGULAR_SEQ = EMERGENCY_SEQ_FROM - 1;

/** How many numbers a new block should hold for a flight with `awaiting` passengers still to check in. */
export function blockSize(awaiting: number): number {
  return Math.max(LEASE_POLICY.minBlock, Math.ceil(awaiting * LEASE_POLICY.headroom) + 10);
}

interface Need {
  flightId: string;
  free: number;
  /** Size of the workstation's largest regular block on the flight (0 without one). */
  block: number;
  hasEmergency: number;
}

export class Leases {
  private readonly needs: Statement<[{ device: string; station: string }], Need>;
  private readonly awaiting: Statement<[string], { n: number }>;
  private readonly advanceEmergency: Statement<[number, string]>;
  private readonly emergencyCounter: Statement<[string], { next_emergency: number }>;
  private readonly counter: Statement<[string], { next_seq: number; station: string }>;
  private readonly advance: Statement<[number, string]>;
  private readonly insert: Statement<[string, string, string, number, number, string, 0 | 1]>;
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
      `SELECT * FROM (
         SELECT f.flight_id AS flightId, f.next_seq AS nextSeq,
                coalesce((SELECT sum(l.seq_to - l.seq_from + 1 - l.used) FROM lease l
                          WHERE l.device_id = @device AND l.flight_id = f.flight_id AND l.emergency = 0), 0) AS free,
                coalesce((SELECT max(l.seq_to - l.seq_from + 1) FROM lease l
                          WHERE l.device_id = @device AND l.flight_id = f.flight_id AND l.emergency = 0), 0) AS block,
                EXISTS (SELECT 1 FROM lease l WHERE l.device_id = @device AND l.flight_id = f.flight_id AND l.emergency = 1) AS hasEmergency
         FROM flight_seq f
         WHERE f.station = @station AND f.open = 1)
       WHERE (nextSeq <= ${MAX_REGULAR_SEQ} AND (free < ${LEASE_POLICY.minFree} OR free < block * ${LEASE_POLICY.lowShare}))
          OR hasEmergency = 0`,
    );
    this.awaiting = db.prepare(
      `SELECT count(*) AS n FROM entity WHERE flight_id = ? AND kind = 'passenger' AND live = 1 AND change LIKE '%"status":"booked"%'`,
    );
    this.advanceEmergency = db.prepare('UPDATE flight_seq SET next_emergency = ? WHERE flight_id = ?');
    this.emergencyCounter = db.prepare('SELECT next_emergency FROM flight_seq WHERE flight_id = ?');
    this.counter = db.prepare('SELECT next_seq, station FROM flight_seq WHERE flight_id = ?');
    this.advance = db.prepare('UPDATE flight_seq SET next_seq = ? WHERE flight_id = ?');
    this.insert = db.prepare(
      'INSERT INTO lease (id, device_id, flight_id, seq_from, seq_to, granted_at, emergency) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
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
    if (this.needs.all({ device: deviceId, station }).length === 0) return 0;
    return this.store.write((w) => {
      // Re-read inside the write lock: another request may have granted meanwhile.
      const needs = this.needs.all({ device: deviceId, station });
      let granted = 0;
      for (const need of needs) {
        const low = need.free < LEASE_POLICY.minFree || need.free < need.block * LEASE_POLICY.lowShare;
        if (low && this.grant(w, deviceId, need.flightId, blockSize(this.awaiting.get(need.flightId)?.n ?? 0), nowIso)) granted++;
        if (!need.hasEmergency && this.grantEmergency(w, deviceId, need.flightId, nowIso)) granted++;
      }
      return granted;
    });
  }

  private grant(w: Writer, deviceId: string, flightId: string, size: number, nowIso: string): SeqLease | null {
    const counter = this.counter.get(flightId);
    if (!counter || counter.next_seq > MAX_REGULAR_SEQ) return null;
    const from = counter.next_seq;
    const to = Math.min(from + size - 1, MAX_REGULAR_SEQ);
    this.advance.run(to + 1, flightId);
    // Ranges never overlap on a flight, so flight + first number names a lease uniquely.
    const lease: SeqLease = { id: `${flightId}/${from}`, deviceId, flightId, from, to };
    this.insert.run(lease.id, deviceId, flightId, from, to, nowIso, 0);
    w.put('lease', counter.station, lease, { flightId, deviceId });
    return lease;
  }

  /** A workstation's emergency block on a flight, from the numbers regular blocks never use. */
  private grantEmergency(w: Writer, deviceId: string, flightId: string, nowIso: string): SeqLease | null {
    const counter = this.counter.get(flightId);
    const next = this.emergencyCounter.get(flightId)?.next_emergency;
    if (!counter || next === undefined || next > MAX_SEQ) return null;
    const to = Math.min(next + LEASE_POLICY.emergencyBlock - 1, MAX_SEQ);
    this.advanceEmergency.run(to + 1, flightId);
    const lease: SeqLease = { id: `${flightId}/${next}`, deviceId, flightId, from: next, to, emergency: true };
    this.insert.run(lease.id, deviceId, flightId, next, to, nowIso, 1);
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
    if (!counter || counter.next_seq > MAX_REGULAR_SEQ) return null;
    this.advance.run(counter.next_seq + 1, flightId);
    return counter.next_seq;
  }
}

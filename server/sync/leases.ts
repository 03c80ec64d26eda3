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
import type { SeqLease } from '../../shared/domain/schemas';
import type { Store, Tx } from '../store/store';
import { blockSize, LEASE_POLICY, MAX_REGULAR_SEQ, MAX_SEQ } from './lease-policy';
import type { TagLeases } from './tag-leases';

export { blockSize, EMERGENCY_SEQ_FROM, LEASE_POLICY, MAX_REGULAR_SEQ, MAX_SEQ } from './lease-policy';

/** A run of numbers for a new block on a flight of `station`. */
export interface SeqRange {
  station: string;
  from: number;
  to: number;
}

/**
 * Where new blocks take their numbers from; called inside the station's write transaction. The
 * backend draws from each flight's counter; a station relay (relay/) sub-leases from the blocks
 * central granted it, so its desks' numbers never meet those of desks central serves.
 */
export interface SeqSource {
  /** Up to `size` regular numbers (fewer when fewer are left), or null when there are none. */
  regular(tx: Tx, flightId: string, size: number): Promise<SeqRange | null>;
  /** An emergency block of up to `size` numbers, or null. */
  emergency(tx: Tx, flightId: string, size: number): Promise<SeqRange | null>;
}

/** The flight's own counter: regular blocks below EMERGENCY_SEQ_FROM, emergency blocks from it. */
export const FLIGHT_COUNTER: SeqSource = {
  async regular(tx, flightId, size) {
    const counter = await tx.lockCounter(flightId);
    if (!counter || counter.nextSeq > MAX_REGULAR_SEQ) return null;
    const from = counter.nextSeq;
    const to = Math.min(from + size - 1, MAX_REGULAR_SEQ);
    tx.setNextSeq(flightId, to + 1);
    return { station: counter.station, from, to };
  },
  async emergency(tx, flightId, size) {
    const counter = await tx.lockCounter(flightId);
    if (!counter || counter.nextEmergency > MAX_SEQ) return null;
    const from = counter.nextEmergency;
    const to = Math.min(from + size - 1, MAX_SEQ);
    tx.setNextEmergency(flightId, to + 1);
    return { station: counter.station, from, to };
  },
};

/**
 * Never a double grant, with any number of workstations pulling and pushing through any number of
 * backend processes: every grant runs in its station's write transaction (one at a time per station,
 * see server/store/store.ts) and takes the flight's counter row itself FOR UPDATE before reading it.
 */
export class Leases {
  constructor(
    private readonly store: Store,
    private readonly source: SeqSource = FLIGHT_COUNTER,
    /** Bag-tag serial blocks, granted and moved with these (server/sync/tag-leases.ts); null: no fallback tags here. */
    private readonly tags: TagLeases | null = null,
  ) {}

  /**
   * Numbers the workstation has handed out itself, including ones on check-ins the backend refused
   * (they are printed on passes and never reused): counted as used, so top-ups see the truth.
   */
  async recordUse(deviceId: string, station: string, use: readonly { id: string; next: number }[]): Promise<void> {
    if (use.length === 0) return;
    await this.store.write(station, async (tx) => {
      for (const u of use) tx.recordLeaseUse(deviceId, u.id, u.next);
    });
  }

  /** How far a station relay has sub-leased its bag-tag blocks (PullRequest.tagUse): counted as used. */
  async recordTagUse(deviceId: string, station: string, use: readonly { id: string; usedTo: number }[]): Promise<void> {
    const tags = this.tags;
    if (!tags || use.length === 0) return;
    await this.store.write(station, (tx) => tags.recordUse(tx, deviceId, use));
  }

  /**
   * A workstation that enrols again (its token was refused) keeps its leases: check-ins it made
   * offline carry numbers from them. They move to the new device and travel to it in its first pull.
   */
  transfer(fromDeviceId: string, toDeviceId: string, station: string): Promise<number> {
    return this.store.write(station, async (tx) => {
      const tagLeases = this.tags ? await this.tags.transfer(tx, fromDeviceId, toDeviceId) : 0;
      const leases = (await tx.leasesOfDevice(fromDeviceId)).filter((l) => l.station === station);
      if (leases.length === 0) return tagLeases;
      tx.reassignLeases(fromDeviceId, toDeviceId);
      for (const l of leases) {
        tx.put(
          'lease',
          l.station,
          { id: l.id, deviceId: toDeviceId, flightId: l.flightId, from: l.from, to: l.to },
          { flightId: l.flightId, deviceId: toDeviceId },
        );
      }
      return leases.length + tagLeases;
    });
  }

  /**
   * Grants a new block on every open flight of the station where this device is running low.
   * Called at the start of each pull, so new leases travel in that same pull. Returns how many.
   */
  async topUp(deviceId: string, station: string, nowIso: string): Promise<number> {
    const tags = this.tags ? await this.tags.topUp(deviceId, station, nowIso) : 0;
    return tags + (await this.topUpSeq(deviceId, station, nowIso));
  }

  private async topUpSeq(deviceId: string, station: string, nowIso: string): Promise<number> {
    // A cheap look first: most pulls need nothing, and need not queue for the station's write lock.
    if ((await this.store.leaseNeeds(deviceId, station)).length === 0) return 0;
    return this.store.write(station, async (tx) => {
      // Re-read inside the write lock: another request (or process) may have granted meanwhile.
      const needs = await tx.leaseNeeds(deviceId, station);
      let granted = 0;
      for (const need of needs) {
        const low = need.free < LEASE_POLICY.minFree || need.free < need.block * LEASE_POLICY.lowShare;
        if (low && (await this.grant(tx, deviceId, need.flightId, blockSize(await tx.awaitingCheckIn(need.flightId)), nowIso))) granted++;
        if (!need.hasEmergency && (await this.grantEmergency(tx, deviceId, need.flightId, nowIso))) granted++;
      }
      return granted;
    });
  }

  private async grant(tx: Tx, deviceId: string, flightId: string, size: number, nowIso: string): Promise<SeqLease | null> {
    const range = await this.source.regular(tx, flightId, size);
    if (!range) return null;
    const { station, from, to } = range;
    // Ranges never overlap on a flight, so flight + first number names a lease uniquely.
    const lease: SeqLease = { id: `${flightId}/${from}`, deviceId, flightId, from, to };
    tx.insertLease({ id: lease.id, deviceId, flightId, from, to, grantedAt: nowIso, emergency: false });
    tx.put('lease', station, lease, { flightId, deviceId });
    return lease;
  }

  /** A workstation's emergency block on a flight, from the numbers regular blocks never use. */
  private async grantEmergency(tx: Tx, deviceId: string, flightId: string, nowIso: string): Promise<SeqLease | null> {
    const range = await this.source.emergency(tx, flightId, LEASE_POLICY.emergencyBlock);
    if (!range) return null;
    const { station, from, to } = range;
    const lease: SeqLease = { id: `${flightId}/${from}`, deviceId, flightId, from, to, emergency: true };
    tx.insertLease({ id: lease.id, deviceId, flightId, from, to, grantedAt: nowIso, emergency: true });
    tx.put('lease', station, lease, { flightId, deviceId });
    return lease;
  }

  /**
   * Withdraws every lease on a flight that can no longer take check-ins (departed, cancelled):
   * workstations receive tombstones and drop them. Call inside a write transaction.
   */
  async revokeAll(tx: Tx, flightId: string): Promise<number> {
    const rows = await tx.leasesOnFlight(flightId);
    for (const l of rows) tx.remove('lease', l.station, l.id, { flightId, deviceId: l.deviceId });
    tx.dropLeases(flightId);
    return rows.length;
  }

  /** Counts numbers consumed by an applied check-in; call inside the mutation's transaction. */
  /** Counts the fallback tags of an applied check-in as used (see tag-leases.ts); call inside its transaction. */
  async markTagsUsed(tx: Tx, deviceId: string, plates: readonly string[]): Promise<void> {
    if (this.tags && plates.length > 0) await this.tags.markUsed(tx, deviceId, plates);
  }

  markUsed(tx: Tx, deviceId: string, flightId: string, seqNos: readonly number[]): void {
    for (const n of seqNos) tx.markLeaseUsed(deviceId, flightId, n);
  }

  /** One number straight from the flight's counter (DCS check-ins); call inside a write transaction. */
  async takeNext(tx: Tx, flightId: string): Promise<number | null> {
    const counter = await tx.lockCounter(flightId);
    if (!counter || counter.nextSeq > MAX_REGULAR_SEQ) return null;
    tx.setNextSeq(flightId, counter.nextSeq + 1);
    return counter.nextSeq;
  }
}

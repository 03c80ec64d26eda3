/** The numbers of sequence-number leases (server/sync/leases.ts), apart so that both stores' queries can use them. */
/** Sequence numbers from here up are kept for emergency blocks a supervisor opens offline (see leases.ts). */
export const EMERGENCY_SEQ_FROM = 9000;

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

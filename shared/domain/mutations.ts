/**
 * Staff actions as mutations: what the local write path records in the outbox and what the backend
 * applies on push. Each carries everything needed to apply it without another lookup
 * (the flight id in particular), because both ends apply it with the same pure function.
 */
import { z } from 'zod';
import { Bags, EntityId, IsoDateTime, SeatCode, StaffId } from './schemas';

const Reason = z.string().trim().min(1, 'give a reason').max(200);
const SeqNo = z.number().int().min(1).max(9999);

export const CheckInArgs = z.object({
  flightId: EntityId,
  passengerId: EntityId,
  /** Null only when accepted as standby. */
  seat: SeatCode.nullable(),
  seqNo: SeqNo,
  /** Sequence number for the lap infant travelling with this adult, if any. */
  infantSeqNo: SeqNo.nullable(),
  bags: Bags,
  docsChecked: z.boolean(),
  standby: z.boolean(),
  /** Entered afterwards from the register of passes written by hand during an outage (`at` is when it was written). */
  handwritten: z.boolean().optional(),
  /**
   * A supervisor accepts a passenger whose watch-list vetting has not come back (never an inhibited
   * one): why, in their words. Kept on the passenger and in the audit trail.
   */
  vettingOverride: Reason.optional(),
});

export const AssignSeatArgs = z.object({ flightId: EntityId, passengerId: EntityId, seat: SeatCode });
export const BoardArgs = z.object({
  flightId: EntityId,
  passengerId: EntityId,
  via: z.enum(['scan', 'manual']),
  /** The sequence number on the pass that was scanned: which of two passes boarded, if there were two. */
  seqNo: SeqNo.nullable().optional(),
  /**
   * The passenger showed a pass with a sequence number although this desk has no check-in for them:
   * they were accepted at a desk this one cannot see (an outage). They board; the reconciliation
   * finds the check-in, or flags the boarding for a person.
   */
  acceptedElsewhere: z.boolean().optional(),
});
export const UnboardArgs = z.object({ flightId: EntityId, passengerId: EntityId, reason: Reason });
export const OffloadArgs = z.object({ flightId: EntityId, passengerId: EntityId, reason: Reason });
export const NoShowArgs = z.object({ flightId: EntityId, passengerId: EntityId });
export const StandbyArgs = z.object({ flightId: EntityId, passengerId: EntityId });
export const ClearStandbyArgs = z.object({ flightId: EntityId, passengerId: EntityId, seat: SeatCode });
export const CloseFlightArgs = z.object({
  flightId: EntityId,
  /** A supervisor closes with accepted passengers not boarded (they stay behind, with their bags): why. */
  notBoardedReason: Reason.optional(),
});
export const ReopenFlightArgs = z.object({ flightId: EntityId, reason: Reason });
export const PrintLoggedArgs = z.object({
  printJobId: EntityId,
  document: z.enum(['boarding-pass', 'manifest', 'ssr-list', 'closeout', 'reconciliation', 'test-page']),
  flightId: EntityId.nullable(),
  passengerId: EntityId.nullable(),
  copies: z.number().int().min(1).max(20),
  destination: z.string().max(120),
  reprint: z.boolean(),
  /** For a boarding pass: the seat and sequence number printed on it (so an outdated pass is known). */
  seat: SeatCode.nullable().optional(),
  seqNo: SeqNo.nullable().optional(),
});
/** A person finished what a reconciliation flag asked (reseated is done by a seat change instead). */
export const ResolveArgs = z.object({
  flightId: EntityId,
  passengerId: EntityId,
  flag: z.enum(['VOID_PASS', 'NO_CHECK_IN_RECORD', 'VETTING_REVIEW', 'REPRINT', 'SEQ_REISSUE']),
  note: z.string().trim().max(200).nullable(),
});

/** The argument schema of each mutation type; the keys are the wire names. */
export const MUTATION_ARGS = {
  'passenger.checkIn': CheckInArgs,
  'passenger.assignSeat': AssignSeatArgs,
  'passenger.board': BoardArgs,
  'passenger.unboard': UnboardArgs,
  'passenger.offload': OffloadArgs,
  'passenger.noShow': NoShowArgs,
  'passenger.standby': StandbyArgs,
  'passenger.clearStandby': ClearStandbyArgs,
  'flight.close': CloseFlightArgs,
  'flight.reopen': ReopenFlightArgs,
  'print.logged': PrintLoggedArgs,
  'passenger.resolve': ResolveArgs,
} as const;

export type MutationType = keyof typeof MUTATION_ARGS;
export type MutationArgs<T extends MutationType> = z.infer<(typeof MUTATION_ARGS)[T]>;

const envelope = {
  /** Unique per mutation (UUID); the idempotency key on the backend. */
  id: z.uuid(),
  /** Per-client, gap-free, starting at 1; the backend applies a client's mutations in this order. */
  seq: z.number().int().min(1),
  at: IsoDateTime,
  staffId: StaffId,
};

function variant<T extends MutationType>(type: T) {
  return z.object({ ...envelope, type: z.literal(type), args: MUTATION_ARGS[type] });
}

export const Mutation = z.discriminatedUnion('type', [
  variant('passenger.checkIn'),
  variant('passenger.assignSeat'),
  variant('passenger.board'),
  variant('passenger.unboard'),
  variant('passenger.offload'),
  variant('passenger.noShow'),
  variant('passenger.standby'),
  variant('passenger.clearStandby'),
  variant('flight.close'),
  variant('flight.reopen'),
  variant('print.logged'),
  variant('passenger.resolve'),
]);
export type Mutation = z.infer<typeof Mutation>;

/** What a caller supplies; the write path adds id, seq and time. */
export type MutationInput = { [T in MutationType]: { type: T; args: MutationArgs<T> } }[MutationType];

/**
 * Staff actions as mutations: what the local write path records in the outbox and what the backend
 * applies on push. Each carries everything needed to apply it without another lookup
 * (the flight id in particular), because both ends apply it with the same pure function.
 */
import { z } from 'zod';
import { Bags, EntityId, IsoDateTime, SeatCode, StaffId, TravelDocument } from './schemas';

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
  /** The passenger's travel document as read at the desk (APIS), and the lap infant's. */
  document: TravelDocument.optional(),
  infantDocument: TravelDocument.optional(),
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
  /** A supervisor closes an APIS flight with boarded passengers whose document was never read: why. */
  apisReason: Reason.optional(),
});
export const ReopenFlightArgs = z.object({ flightId: EntityId, reason: Reason });
export const PrintLoggedArgs = z.object({
  printJobId: EntityId,
  document: z.enum([
    'boarding-pass',
    'manifest',
    'ssr-list',
    'closeout',
    'reconciliation',
    'test-page',
    'drill-report',
    'bag-tag',
    'bag-manifest',
    'load-sheet',
    'flight-message',
  ]),
  flightId: EntityId.nullable(),
  passengerId: EntityId.nullable(),
  copies: z.number().int().min(1).max(20),
  destination: z.string().max(120),
  reprint: z.boolean(),
  /** For a boarding pass: the seat and sequence number printed on it (so an outdated pass is known). */
  seat: SeatCode.nullable().optional(),
  seqNo: SeqNo.nullable().optional(),
});
/** A travel document read after check-in (at the gate, for APIS): it replaces the one recorded before. */
export const RecordDocumentArgs = z.object({ flightId: EntityId, passengerId: EntityId, document: TravelDocument });

/** Messages a desk sends for a flight after close (shared/domain/messages.ts, load.ts). */
export const FLIGHT_MESSAGE_KINDS = ['PFS', 'PTM', 'LDM'] as const;
/**
 * A flight message as sent: the final figures (PFS), the transfer list (PTM) or the load message
 * (LDM), as text. Queued like every action, so the backend keeps each one sent, in its ledger.
 */
export const FlightMessageArgs = z.object({
  flightId: EntityId,
  kind: z.enum(FLIGHT_MESSAGE_KINDS),
  /** The message exactly as sent (IATA type B text: upper case, lines of at most 69 characters). */
  text: z
    .string()
    .min(1)
    .max(64_000)
    .regex(/^[A-Z0-9 .,/()\-+:?'=\n]*$/, 'a message is upper-case type B text'),
  /** Where it went: an address, "phone", "printed". */
  to: z.string().trim().min(1).max(120),
});

/**
 * A member of staff signed in at this workstation: online (the backend checked the PIN and issued
 * `session`) or offline (the workstation checked it against its cached hash). Later actions name it.
 */
export const StaffSignInArgs = z.object({
  flightId: z.null(),
  method: z.enum(['online', 'offline']),
  /** The staff session token the backend issued (online only): ties the sign-in to the backend's check. */
  session: z.string().min(32).max(200).optional(),
});
/** A supervisor declared (or ended) outage mode at this workstation. */
export const FallbackDeclaredArgs = z.object({ flightId: z.null(), on: z.boolean() });
/** A queued print job was cancelled before it printed. */
export const PrintCancelledArgs = z.object({
  printJobId: EntityId,
  document: z.string().max(40),
  flightId: EntityId.nullable(),
  passengerId: EntityId.nullable(),
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
  'staff.signIn': StaffSignInArgs,
  'fallback.declared': FallbackDeclaredArgs,
  'print.cancelled': PrintCancelledArgs,
  'passenger.recordDocument': RecordDocumentArgs,
  'flight.message': FlightMessageArgs,
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
  /** The id of the `staff.signIn` action this one was taken under (absent from older workstations). */
  signIn: z.uuid().optional(),
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
  variant('staff.signIn'),
  variant('fallback.declared'),
  variant('print.cancelled'),
  variant('passenger.recordDocument'),
  variant('flight.message'),
]);
export type Mutation = z.infer<typeof Mutation>;

/**
 * Actions that are records of what happened at the workstation (who signed in, outage declared, a
 * print cancelled), kept in the audit trail and on the backend but changing no flight's state.
 */
export const RECORD_ONLY_TYPES = ['staff.signIn', 'fallback.declared', 'print.cancelled'] as const;
export type RecordOnlyMutation = Extract<Mutation, { type: (typeof RECORD_ONLY_TYPES)[number] }>;
export function isRecordOnly(m: Pick<Mutation, 'type'>): m is RecordOnlyMutation {
  return (RECORD_ONLY_TYPES as readonly string[]).includes(m.type);
}

/** What a caller supplies; the write path adds id, seq and time. */
export type MutationInput = { [T in MutationType]: { type: T; args: MutationArgs<T> } }[MutationType];

/**
 * Sync protocol v1 between a workstation and the operations backend. Server authoritative, with an
 * idempotent upload queue (after Replicache and PowerSync). Both ends parse every body with these.
 */
import type { FactFlagCode as FactFlagCodeOf } from '../domain/ledger';
import { z } from 'zod';
import { Mutation } from '../domain/mutations';
import { AirportCode, EntityId, Flight, IsoDateTime, Passenger, SeatMap, SeqLease, Staff, Station } from '../domain/schemas';
import { RULE_CODES } from '../domain/codes';

export const PROTOCOL_VERSION = 1;
/** Every request carries this header; a backend that speaks another version answers 426. */
export const PROTOCOL_HEADER = 'backstop-protocol';

export const DcsStatus = z.enum(['up', 'down']);
export type DcsStatus = z.infer<typeof DcsStatus>;

export const HealthResponse = z.object({
  protocol: z.number().int(),
  status: z.literal('ok'),
  serverTime: IsoDateTime,
  dcs: DcsStatus,
});
export type HealthResponse = z.infer<typeof HealthResponse>;

export const EnrolRequest = z.object({
  name: z.string().trim().min(1).max(60),
  station: AirportCode,
  enrolmentKey: z.string().min(1).max(200),
  /**
   * The device id this workstation had before, when it enrols again (its token was refused): its
   * sequence-number leases move to the new enrolment, so check-ins it made offline stay valid.
   */
  previousDeviceId: EntityId.optional(),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.object({
  deviceId: EntityId,
  token: z.string().min(32).max(200),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

/** The entity kinds that travel in pull pages, each with its schema. */
export const ENTITY_SCHEMAS = {
  station: Station,
  seatMap: SeatMap,
  flight: Flight,
  passenger: Passenger,
  staff: Staff,
  lease: SeqLease,
} as const;
export type EntityKind = keyof typeof ENTITY_SCHEMAS;
export const ENTITY_KINDS = Object.keys(ENTITY_SCHEMAS) as EntityKind[];
export type EntityOf<K extends EntityKind> = z.infer<(typeof ENTITY_SCHEMAS)[K]>;

const version = z.number().int().positive();

function put<K extends EntityKind>(kind: K) {
  return z.object({ op: z.literal('put'), kind: z.literal(kind), id: EntityId, version, data: ENTITY_SCHEMAS[kind] });
}

export const PutChange = z.discriminatedUnion('kind', [
  put('station'),
  put('seatMap'),
  put('flight'),
  put('passenger'),
  put('staff'),
  put('lease'),
]);
/** A tombstone: the entity is gone for this workstation (cancelled lease, removed passenger). */
export const DeleteChange = z.object({
  op: z.literal('delete'),
  kind: z.enum(ENTITY_KINDS as [EntityKind, ...EntityKind[]]),
  id: EntityId,
  version,
  /** For a passenger or a lease: the flight it belonged to, so the workstation finds it without a scan. */
  flightId: EntityId.optional(),
});
export const Change = z.discriminatedUnion('op', [PutChange, DeleteChange]);
export type Change = z.infer<typeof Change>;
export type PutChange = z.infer<typeof PutChange>;
export type DeleteChange = z.infer<typeof DeleteChange>;

/** Upper bounds a client may ask for; the backend never exceeds them, whatever is asked. */
export const PULL_LIMITS = { maxChanges: 20_000, maxBytes: 16 * 1024 * 1024 } as const;

export const PullRequest = z.object({
  clientId: EntityId,
  station: AirportCode,
  /** Opaque; null for a first, full pull. */
  cursor: z.string().max(200).nullable(),
  maxChanges: z.number().int().min(1).max(PULL_LIMITS.maxChanges).optional(),
  maxBytes: z.number().int().min(1024).max(PULL_LIMITS.maxBytes).optional(),
  /**
   * How far this workstation has used each of its leases (the next number it would hand out),
   * including numbers spent on check-ins the backend later refused: they are printed on passes and
   * never reused, so the backend must count them when it decides whether to grant a new block.
   */
  leaseUse: z
    .array(z.object({ id: EntityId, next: z.number().int().min(1).max(10_000) }))
    .max(10_000)
    .optional(),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const PullResponse = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  changes: z.array(Change),
  cursor: z.string().max(200),
  hasMore: z.boolean(),
  /** How many changes are still to come after this page (for progress and ETA), when known. */
  remaining: z.number().int().min(0).optional(),
  serverTime: IsoDateTime,
  dcs: DcsStatus,
});
export type PullResponse = z.infer<typeof PullResponse>;

export const PUSH_MAX_MUTATIONS = 500;

export const PushRequest = z.object({
  clientId: EntityId,
  mutations: z.array(Mutation).min(1).max(PUSH_MAX_MUTATIONS),
});
export type PushRequest = z.infer<typeof PushRequest>;

/**
 * What the backend accepts as a push: each mutation's envelope strictly, its type and arguments
 * loosely, so that one mutation the backend cannot read (a workstation on a newer app version, a
 * damaged entry) is answered `rejected INVALID_ARGUMENTS` on its own, in seq order, instead of
 * failing the whole batch and blocking every action behind it.
 */
export const MutationEnvelope = z.looseObject({
  id: z.uuid(),
  seq: z.number().int().min(1),
  type: z.string().max(60),
  args: z.unknown(),
  at: z.string().max(40),
  staffId: z.string().max(20),
});
export type MutationEnvelope = z.infer<typeof MutationEnvelope>;
export const PushEnvelope = z.object({
  clientId: EntityId,
  mutations: z.array(MutationEnvelope).min(1).max(PUSH_MAX_MUTATIONS),
});

const RuleCode = z.enum(RULE_CODES);
const ServerCode = z.enum(['SEQ_GAP', 'UNKNOWN_STAFF', 'STALE_CLIENT']);

/** Server state sent with a conflict so the workstation can show and rebase on it. */
export const ConflictState = z.object({
  flight: Flight.nullable(),
  passengers: z.array(Passenger),
});
export type ConflictState = z.infer<typeof ConflictState>;

/** What a recorded fact needs a person for (see PassengerFlag), and whether it came after a close elsewhere. */
export const FactFlagCode = z.enum([
  'RESEAT',
  'VOID_PASS',
  'REPRINT',
  'NO_CHECK_IN_RECORD',
  'VETTING_REVIEW',
  'SEQ_REISSUE',
  'AFTER_CLOSE',
] as const satisfies readonly FactFlagCodeOf[]);

export const MutationResult = z.discriminatedUnion('status', [
  z.object({
    id: z.uuid(),
    seq: z.number().int(),
    status: z.literal('applied'),
    /** Recorded, and these need a person (facts stand; the claims they clashed on were resolved). */
    flags: z.array(FactFlagCode).max(10).optional(),
    /** With flags: the backend's state of the flight and passengers involved, to show at once. */
    server: ConflictState.optional(),
  }),
  z.object({
    id: z.uuid(),
    seq: z.number().int(),
    status: z.literal('duplicate'),
    code: z.union([RuleCode, ServerCode]),
    message: z.string(),
  }),
  z.object({
    id: z.uuid(),
    seq: z.number().int(),
    status: z.literal('rejected'),
    code: z.union([RuleCode, ServerCode]),
    message: z.string(),
  }),
  z.object({
    id: z.uuid(),
    seq: z.number().int(),
    status: z.literal('conflict'),
    code: RuleCode,
    message: z.string(),
    server: ConflictState,
  }),
  /** Not processed (an earlier seq is missing); send again after the gap is filled. */
  z.object({ id: z.uuid(), seq: z.number().int(), status: z.literal('deferred'), code: ServerCode, message: z.string() }),
]);
export type MutationResult = z.infer<typeof MutationResult>;
export type MutationStatus = MutationResult['status'];

export const PushResponse = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  results: z.array(MutationResult),
  /** Highest seq of this client the backend has processed. */
  lastSeq: z.number().int().min(0),
});
export type PushResponse = z.infer<typeof PushResponse>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

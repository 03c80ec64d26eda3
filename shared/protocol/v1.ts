/**
 * Sync protocol v1 between a workstation and the operations backend. Server authoritative, with an
 * idempotent upload queue (after Replicache and PowerSync). Both ends parse every body with these.
 */
import type { FactFlagCode as FactFlagCodeOf } from '../domain/ledger';
import { z } from 'zod';
import { Mutation } from '../domain/mutations';
import {
  AirportCode,
  EntityId,
  Flight,
  IsoDateTime,
  Passenger,
  SeatMap,
  SeqLease,
  Staff,
  StaffId,
  StaffRole,
  Station,
  TagLease,
} from '../domain/schemas';
import { IDENTITY_FLAGS } from '../domain/identity';
import { RULE_CODES } from '../domain/codes';

export const PROTOCOL_VERSION = 1;
/** Every request carries this header; a backend that speaks another version answers 426. */
export const PROTOCOL_HEADER = 'backstop-protocol';
/** A staff session token (POST /v1/staff/sessions) on a request made for a member of staff. */
export const STAFF_SESSION_HEADER = 'x-backstop-staff-session';

export const DcsStatus = z.enum(['up', 'down']);
export type DcsStatus = z.infer<typeof DcsStatus>;

/**
 * What a station relay (relay/) says about its copy of the central backend's data, in its health and
 * pull answers (a central backend sends none): whether central answers it now, when its copy last
 * caught up with central's feed, and whether that is too long ago to trust for an empty seat.
 */
export const RelayUpstream = z.object({
  station: AirportCode,
  /** Central answered the relay's last request. */
  reachable: z.boolean(),
  /** Central's time at the end of the relay's last complete pull; null: never. */
  centralAsOf: IsoDateTime.nullable(),
  /** The copy is older than the relay's stale-after setting (or there is none). */
  stale: z.boolean(),
  /** Actions desks recorded at the relay that central has not answered yet. */
  unforwarded: z.number().int().min(0),
});
export type RelayUpstream = z.infer<typeof RelayUpstream>;

export const HealthResponse = z.object({
  protocol: z.number().int(),
  status: z.literal('ok'),
  serverTime: IsoDateTime,
  dcs: DcsStatus,
  /** Present when this backend is a station relay. */
  relay: RelayUpstream.optional(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

export const EnrolRequest = z.object({
  name: z.string().trim().min(1).max(60),
  station: AirportCode,
  /**
   * A one-time enrolment code an administrator issued (POST /v1/admin/enrolment-codes), or on a
   * backend that allows it, from this machine only, the shared demo key. Never seen by the page:
   * the host (Electron main, the browser host's server) enrols.
   */
  enrolmentKey: z.string().min(1).max(200),
  /** Older workstations sent only this; it moves nothing without `previous` (the proof). */
  previousDeviceId: EntityId.optional(),
  /**
   * The enrolment this workstation had before, when it enrols again, with a token of it as proof
   * (an expired one will do, a revoked device's never): its sequence-number leases move to the new
   * enrolment, so check-ins it made offline stay valid.
   */
  previous: z.object({ deviceId: EntityId, token: z.string().min(32).max(200) }).optional(),
  /**
   * A station relay (relay/) enrols as one: the backend then takes its word on the staff sessions it
   * issued its desks (POST /v1/staff/vouched-sessions).
   */
  relay: z.literal(true).optional(),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.object({
  deviceId: EntityId,
  token: z.string().min(32).max(200),
  /** When the token stops working unless rotated first (POST /v1/devices/token); absent from older backends. */
  expiresAt: IsoDateTime.optional(),
});

/** POST /v1/staff/sessions: a member of staff signs in online; the backend checks the PIN. */
export const StaffSignInRequest = z.object({
  clientId: EntityId,
  staffId: StaffId,
  pin: z.string().min(1).max(128),
});
export type StaffSignInRequest = z.infer<typeof StaffSignInRequest>;

const SessionStaff = z.object({ id: StaffId, name: z.string().max(80), role: StaffRole });

/** GET /v1/staff/session: whose session a token is (main checks a supervisor's this way). */
export const StaffSessionInfo = z.object({ staff: SessionStaff, issuedAt: IsoDateTime, expiresAt: IsoDateTime });
export type StaffSessionInfo = z.infer<typeof StaffSessionInfo>;

/** The answer to an online sign-in: a short-lived session bound to this workstation. */
export const StaffSession = StaffSessionInfo.extend({ token: z.string().min(32).max(200) });

/**
 * POST /v1/staff/vouched-sessions (station relays only): staff sessions the relay issued its desks
 * after checking their PINs, sent before the sign-ins that name them. Only the SHA-256 of a token
 * travels; the backend checks each against its roster before it counts a sign-in naming it as verified.
 */
export const VouchedSessionsRequest = z.object({
  clientId: EntityId,
  sessions: z
    .array(z.object({ tokenHash: z.string().regex(/^[0-9a-f]{64}$/), staffId: StaffId, issuedAt: IsoDateTime, expiresAt: IsoDateTime }))
    .min(1)
    .max(500),
});
export type VouchedSessionsRequest = z.infer<typeof VouchedSessionsRequest>;
export const VouchedSessionsResponse = z.object({
  accepted: z.number().int().min(0),
  /** Sessions the backend would not take (not on its roster, not of this station, an impossible time). */
  refused: z.array(z.string()),
});
export type VouchedSessionsResponse = z.infer<typeof VouchedSessionsResponse>;
export type StaffSession = z.infer<typeof StaffSession>;

/** A refused online sign-in that is locked for a while says until when. */
export const SignInLocked = z.object({ error: z.object({ code: z.literal('SIGN_IN_LOCKED'), message: z.string(), until: IsoDateTime }) });

/** POST /v1/devices/token: a new bearer token for the workstation that asks with its current one. */
export const TokenResponse = z.object({
  token: z.string().min(32).max(200),
  expiresAt: IsoDateTime,
});
export type TokenResponse = z.infer<typeof TokenResponse>;
export type EnrolResponse = z.infer<typeof EnrolResponse>;

/** The entity kinds that travel in pull pages, each with its schema. */
export const ENTITY_SCHEMAS = {
  station: Station,
  seatMap: SeatMap,
  flight: Flight,
  passenger: Passenger,
  staff: Staff,
  lease: SeqLease,
  /** A block of fallback bag-tag serials for one workstation (server/sync/tag-leases.ts). */
  tagLease: TagLease,
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
  put('tagLease'),
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
  /**
   * The last seq of this workstation the backend confirmed (PushResponse.lastSeq) as the workstation
   * remembers it: more than the backend now holds means its database went back to an older copy.
   */
  acked: z.number().int().min(0).optional(),
  /**
   * How far a station relay has sub-leased each of its bag-tag blocks to its desks (the highest
   * serial no longer its own to give): counted as used, so the backend tops the relay up in time.
   */
  tagUse: z
    .array(z.object({ id: EntityId, usedTo: z.number().int().min(0).max(999_999) }))
    .max(1_000)
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
  /**
   * Present when this backend is a station relay: its copy of central's data, and how far central
   * has answered this workstation's actions. Every action of this workstation with a seq up to
   * `confirmedSeq` has central's answer: pushed again, it gets that answer, which is final.
   */
  relay: RelayUpstream.extend({ confirmedSeq: z.number().int().min(0) }).optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/**
 * POST /v1/sync/wait: a long poll. The backend answers as soon as its feed holds a change after
 * `cursor` for this workstation (another desk acted, the DCS changed something), or after
 * `timeoutMs` with `changed: false`. A workstation keeps one open and pulls when it says so: desks
 * see each other's actions within a second instead of at the next scheduled sync.
 */
export const WaitRequest = z.object({
  clientId: EntityId,
  station: AirportCode,
  cursor: z.string().max(200).nullable(),
  timeoutMs: z.number().int().min(1_000).max(60_000).optional(),
});
export type WaitRequest = z.infer<typeof WaitRequest>;

export const WaitResponse = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  changed: z.boolean(),
  serverTime: IsoDateTime,
});
export type WaitResponse = z.infer<typeof WaitResponse>;

export const PUSH_MAX_MUTATIONS = 500;

/** The head of a workstation's audit chain, sent with a push: the backend anchors it (renderer/db/audit.ts). */
export const AuditHead = z.object({
  n: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The workstation found its own chain broken (start-up or sync check): the backend records it. */
  broken: z.boolean().optional(),
});
export type AuditHead = z.infer<typeof AuditHead>;

export const PushRequest = z.object({
  clientId: EntityId,
  mutations: z.array(Mutation).min(1).max(PUSH_MAX_MUTATIONS),
  /** Optional (older workstations send none): the audit chain's head after these actions. */
  audit: AuditHead.optional(),
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
  audit: AuditHead.optional(),
});

const RuleCode = z.enum(RULE_CODES);
/**
 * Doubts about who did an action or when (shared/domain/identity.ts): a new, optional field, so a
 * workstation that does not know it still reads the answer.
 */
const Identity = z.array(z.enum(IDENTITY_FLAGS)).max(6).optional();
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
    identity: Identity,
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
    identity: Identity,
    /**
     * Not refused for good: a supervisor-only decision taken under an offline sign-in, held until a
     * supervisor confirms it online (POST /v1/staff/held/:id/confirm). Older workstations see SUPERVISOR_ONLY.
     */
    held: z.boolean().optional(),
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
  /**
   * The audit head the backend had anchored for this workstation before this push, and whether the
   * one sent extends it (absent from older backends, or when none was sent).
   */
  audit: z.object({ anchored: AuditHead.pick({ n: true, hash: true }).nullable(), accepted: z.boolean() }).optional(),
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

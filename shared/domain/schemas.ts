/**
 * The domain entities as zod schemas: the one definition both ends parse with and derive types from.
 * Times are UTC ISO strings; the station's IANA time zone decides how they are shown.
 */
import { z } from 'zod';

export const AirportCode = z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter IATA airport code');
export const CarrierCode = z.string().regex(/^[A-Z0-9]{2}$/, 'expected a 2-character IATA airline code');
export const FlightNumber = z.string().regex(/^\d{1,4}[A-Z]?$/, 'expected a flight number such as 123 or 4512A');
export const IsoDateTime = z.iso.datetime({ offset: true });
export const IsoDate = z.iso.date();
export const SeatCode = z.string().regex(/^\d{1,3}[A-K]$/, 'expected a seat such as 14C');
export const SsrCode = z.string().regex(/^[A-Z]{4}$/, 'expected a 4-letter SSR code');
export const StaffId = z.string().regex(/^[A-Z0-9]{3,12}$/, 'expected a staff ID of 3–12 letters and digits');
export const EntityId = z.string().min(1).max(64);

export const CABINS = ['F', 'J', 'W', 'Y'] as const;
export const Cabin = z.enum(CABINS);
export type Cabin = z.infer<typeof Cabin>;

export const AIRCRAFT_TYPES = ['A320', 'B738', 'B789'] as const;
export const AircraftType = z.enum(AIRCRAFT_TYPES);
export type AircraftType = z.infer<typeof AircraftType>;

export const Station = z.object({
  code: AirportCode,
  name: z.string().min(1).max(80),
  timeZone: z.string().min(1).max(64),
  /** The station's security policy; absent from older backends (then the defaults hold). */
  security: z
    .object({
      /** A workstation nobody touched for this long locks (PIN to continue). */
      lockAfterMinutes: z.number().int().min(1).max(60),
      /** The airline's PIN policy (shared/domain/pin-policy.ts). */
      pinPolicy: z.object({ agentMinLength: z.number().int().min(4).max(64), supervisorMinLength: z.number().int().min(6).max(128) }),
    })
    .optional(),
});
export type Station = z.infer<typeof Station>;

/**
 * A seat map describes one cabin configuration. Rows are listed explicitly so that missing rows
 * (many carriers skip 13) and per-row exits stay data, not code.
 * `layout` spells the seat letters of a row with `-` for each aisle, e.g. `ABC-DEF`.
 */
export const SeatMapRow = z.object({
  row: z.number().int().min(1).max(99),
  cabin: Cabin,
  layout: z.string().regex(/^[A-K]+(-[A-K]+)*$/),
  exit: z.boolean(),
});
export const SeatMap = z.object({
  id: EntityId,
  aircraftType: AircraftType,
  name: z.string().max(80),
  rows: z.array(SeatMapRow).min(1).max(99),
  /** Seats that cannot be sold: broken recline, crew rest, weight and balance. */
  blocked: z.array(SeatCode),
});
export type SeatMap = z.infer<typeof SeatMap>;
export type SeatMapRow = z.infer<typeof SeatMapRow>;

export const FLIGHT_STATUSES = ['scheduled', 'closed', 'departed', 'cancelled'] as const;
export const FlightStatus = z.enum(FLIGHT_STATUSES);
export type FlightStatus = z.infer<typeof FlightStatus>;

export const Flight = z.object({
  id: EntityId,
  carrier: CarrierCode,
  number: FlightNumber,
  /** Local date of scheduled departure at the origin, as printed on boarding passes. */
  date: IsoDate,
  origin: AirportCode,
  destination: AirportCode,
  std: IsoDateTime,
  etd: IsoDateTime.nullable(),
  gate: z.string().max(6).nullable(),
  aircraftType: AircraftType,
  registration: z.string().max(10).nullable(),
  seatMapId: EntityId,
  status: FlightStatus,
  /** Minutes before departure that boarding starts. */
  boardingMinutes: z.number().int().min(10).max(120),
  closedAt: IsoDateTime.nullable(),
  closedBy: StaffId.nullable(),
  /** What needs a person after a reconciliation (shared/domain/ledger.ts); absent when nothing does. */
  flags: z
    .array(z.lazy(() => FlightFlag))
    .max(10)
    .optional(),
  /** The destination wants advance passenger information (APIS): every boarded passenger's document. */
  apis: z.boolean().optional(),
});
export type Flight = z.infer<typeof Flight>;

/**
 * Something about a flight a person must finish after desks that could not see each other are
 * reconciled: actions recorded after the flight was closed elsewhere change its close-out figures,
 * so the printed close-out is superseded until a revised one is printed.
 */
export const FlightFlag = z.object({
  code: z.literal('CHANGED_AFTER_CLOSE'),
  closedAt: IsoDateTime,
  /** Actions recorded after the close (check-ins, boardings, offloads…). */
  changes: z.number().int().min(1),
});
export type FlightFlag = z.infer<typeof FlightFlag>;

export const PASSENGER_STATUSES = ['booked', 'checked-in', 'boarded', 'offloaded', 'no-show'] as const;
export const PassengerStatus = z.enum(PASSENGER_STATUSES);
export type PassengerStatus = z.infer<typeof PassengerStatus>;

export const PAX_TYPES = ['ADT', 'CHD', 'INF'] as const;
export const PaxType = z.enum(PAX_TYPES);
export type PaxType = z.infer<typeof PaxType>;

export const VETTING_RESULTS = ['cleared', 'selectee', 'inhibited', 'pending'] as const;
export const Vetting = z.enum(VETTING_RESULTS);
export type Vetting = z.infer<typeof Vetting>;

/**
 * A bag tag's licence plate (IATA Resolution 740): ten digits — a leading digit (0 for a tag the DCS
 * issued, 1 for a fallback tag printed when the DCS could not send its bag messages), the carrier's
 * three-digit airline code and a six-digit serial. shared/domain/bag-tags.ts forms and reads them.
 */
export const LicencePlate = z.string().regex(/^\d{10}$/, 'expected a 10-digit bag tag number');

/** One checked bag: its tag, its weight, and where it is tagged to (the passenger's final destination). */
export const BagPiece = z.object({
  tag: LicencePlate,
  weightKg: z.number().int().min(1).max(100),
  destination: AirportCode,
});
export type BagPiece = z.infer<typeof BagPiece>;

/**
 * A passenger's checked bags: how many and their total weight, and — when they were tagged by
 * Backstop or the DCS told us the tags — each piece. `pieces` is optional so bags the DCS counted
 * without telling us their tags stay valid; when present, the count and weight are theirs.
 */
export const Bags = z
  .object({
    // Room for two desks' tags on one passenger (unionBags); a desk accepts at most 20 at a time.
    count: z.number().int().min(0).max(40),
    weightKg: z.number().int().min(0).max(1280),
    pieces: z.array(BagPiece).max(40).optional(),
  })
  .refine((b) => b.pieces === undefined || (b.pieces.length <= b.count && b.pieces.reduce((n, x) => n + x.weightKg, 0) <= b.weightKg), {
    message: 'the tagged pieces do not add up to the bags',
    path: ['pieces'],
  });
export type Bags = z.infer<typeof Bags>;

/** How a travel document's data reached Backstop: a document reader, the MRZ typed by hand, or the DCS. */
export const DOCUMENT_SOURCES = ['reader', 'typed', 'dcs'] as const;
export const DocumentSource = z.enum(DOCUMENT_SOURCES);
export type DocumentSource = z.infer<typeof DocumentSource>;

/**
 * A passport or identity card as read from its machine-readable zone (ICAO 9303, TD3 or TD1): what
 * APIS needs (nationality, document number, birth date, expiry), how it was read, and what the agent
 * saw against the booking. Kept with the passenger, so it is stored (and encrypted) with them.
 */
export const TravelDocument = z.object({
  /** P (passport), I / A / C (identity cards)… the first character of the MRZ. */
  type: z.string().regex(/^[A-Z]$/),
  format: z.enum(['TD1', 'TD3']),
  number: z.string().regex(/^[A-Z0-9]{1,15}$/, 'expected a document number'),
  issuingState: z.string().regex(/^[A-Z<]{1,3}$/),
  nationality: z.string().regex(/^[A-Z<]{1,3}$/),
  lastName: z.string().max(60),
  firstName: z.string().max(60),
  birthDate: IsoDate,
  expiryDate: IsoDate,
  sex: z.enum(['M', 'F', 'X']),
  source: DocumentSource,
  /** The names on the document did not match the booking and the agent accepted it anyway. */
  nameMismatch: z.boolean(),
  recordedAt: IsoDateTime,
  recordedBy: StaffId,
});
export type TravelDocument = z.infer<typeof TravelDocument>;

/** A connecting flight after this one (from the booking): what the transfer message lists. */
export const OnwardLeg = z.object({
  carrier: CarrierCode,
  number: FlightNumber,
  date: IsoDate,
  destination: AirportCode,
  bookingClass: z.string().regex(/^[A-Z]$/),
});
export type OnwardLeg = z.infer<typeof OnwardLeg>;

const PersonName = z.string().regex(/^[A-Z][A-Z '-]{0,39}$/, 'expected an upper-case name');

export const Passenger = z.object({
  id: EntityId,
  flightId: EntityId,
  pnr: z.string().regex(/^[A-Z0-9]{6}$/, 'expected a 6-character PNR'),
  lastName: PersonName,
  firstName: PersonName,
  title: z.enum(['MR', 'MRS', 'MS', 'MSTR', 'MISS']).nullable(),
  paxType: PaxType,
  /** For a lap infant: the adult it travels with. */
  infantOf: EntityId.nullable(),
  /** For an adult: the lap infant travelling with them. */
  infantId: EntityId.nullable(),
  cabin: Cabin,
  bookingClass: z.string().regex(/^[A-Z]$/),
  seat: SeatCode.nullable(),
  seqNo: z.number().int().min(1).max(9999).nullable(),
  status: PassengerStatus,
  /** Accepted without a confirmed seat; must be cleared (given a seat) before boarding. */
  standby: z.boolean(),
  ssrs: z.array(SsrCode).max(20),
  bags: Bags,
  eticket: z.string().regex(/^\d{13}$/, 'expected a 13-digit e-ticket number'),
  ffNumber: z.string().max(20).nullable(),
  vetting: Vetting,
  docsChecked: z.boolean(),
  checkedInAt: IsoDateTime.nullable(),
  checkedInBy: StaffId.nullable(),
  boardedAt: IsoDateTime.nullable(),
  boardedBy: StaffId.nullable(),
  /** Why the passenger was offloaded or un-boarded, last one wins; the audit log keeps them all. */
  remark: z.string().max(200).nullable(),
  /** What needs a person after a reconciliation (shared/domain/ledger.ts); absent when nothing does. */
  flags: z
    .array(z.lazy(() => PassengerFlag))
    .max(20)
    .optional(),
  /** A supervisor accepted the passenger while vetting was still pending: who, when and why. */
  vettingOverride: z.lazy(() => VettingOverride).optional(),
  /** The travel document read at check-in or later (APIS data); absent until one is read. */
  document: TravelDocument.optional(),
  /** Accepted without a confirmed seat (standby): a go-show in the final figures, even once seated. */
  acceptedAsStandby: z.boolean().optional(),
  /** Connecting flights after this one, when the booking has them (transfer message). */
  onward: z.array(OnwardLeg).max(4).optional(),
});
export type Passenger = z.infer<typeof Passenger>;

export const VettingOverride = z.object({ by: StaffId, at: IsoDateTime, reason: z.string().min(1).max(200) });
export type VettingOverride = z.infer<typeof VettingOverride>;

const SeqNo = z.number().int().min(1).max(9999);

/**
 * Something about a passenger a person must finish after a reconciliation. Facts stand (the
 * passenger is accepted, or on board); these are the claims that clashed and what to do about it.
 */
export const PassengerFlag = z.discriminatedUnion('code', [
  /** Another passenger kept the seat (boarded first, or accepted earlier): give this one a seat. */
  z.object({ code: z.literal('RESEAT'), lostSeat: SeatCode.nullable(), suggested: SeatCode.nullable() }),
  /** The passenger was accepted at two desks; this pass is void (the standing one has another seq). */
  z.object({ code: z.literal('VOID_PASS'), seqNo: SeqNo, seat: SeatCode.nullable() }),
  /** The pass the passenger holds no longer matches their seat or sequence number: print a new one. */
  z.object({ code: z.literal('REPRINT'), printedSeat: SeatCode.nullable(), printedSeq: SeqNo.nullable() }),
  /** Boarded at a gate that never saw a check-in for them: find out who accepted them. */
  z.object({ code: z.literal('NO_CHECK_IN_RECORD') }),
  /** Accepted or boarded while watch-list vetting does not clear them: a supervisor decides. */
  z.object({ code: z.literal('VETTING_REVIEW') }),
  /** Another passenger holds the same sequence number: issue a new one (and a new pass). */
  z.object({ code: z.literal('SEQ_REISSUE'), seqNo: SeqNo }),
]);
export type PassengerFlag = z.infer<typeof PassengerFlag>;
export type PassengerFlagCode = PassengerFlag['code'];
export const PASSENGER_FLAG_CODES = [
  'RESEAT',
  'VOID_PASS',
  'REPRINT',
  'NO_CHECK_IN_RECORD',
  'VETTING_REVIEW',
  'SEQ_REISSUE',
] as const satisfies readonly PassengerFlagCode[];

export const StaffRole = z.enum(['agent', 'supervisor']);
export type StaffRole = z.infer<typeof StaffRole>;

/** Offline sign-in material: a salted PBKDF2-SHA256 hash, never the PIN itself. */
export const Credential = z.object({
  algorithm: z.literal('PBKDF2-SHA256'),
  iterations: z.number().int().min(10_000).max(10_000_000),
  salt: z.base64().min(16),
  hash: z.base64().min(32),
});
export type Credential = z.infer<typeof Credential>;

export const Staff = z
  .object({
    id: StaffId,
    name: z.string().min(1).max(80),
    role: StaffRole,
    station: AirportCode,
    active: z.boolean(),
    /**
     * Null once the person is no longer active: nobody signs in as them any more, so no workstation
     * should hold a hash of their PIN to be guessed at (PINs get reused).
     */
    credential: Credential.nullable(),
  })
  .refine((s) => !s.active || s.credential !== null, { message: 'an active staff member has a credential', path: ['credential'] });
export type Staff = z.infer<typeof Staff>;

/**
 * A block of check-in sequence numbers reserved for one workstation on one flight, so two
 * workstations that are both offline never hand out the same number.
 */
export const SeqLease = z
  .object({
    id: EntityId,
    deviceId: EntityId,
    flightId: EntityId,
    from: z.number().int().min(1).max(9999),
    to: z.number().int().min(1).max(9999),
    /** A block kept back for when the desk runs out: only a supervisor opens it (offline if need be). */
    emergency: z.boolean().optional(),
  })
  .refine((l) => l.to >= l.from, { message: 'lease ends before it starts', path: ['to'] });
export type SeqLease = z.infer<typeof SeqLease>;

/**
 * A block of fallback bag-tag serials reserved for one workstation, for one airline code: two desks
 * cut off from each other never print the same licence plate (shared/domain/bag-tags.ts). Granted by
 * the backend like sequence-number leases (server/sync/tag-leases.ts) and kept at the desk offline.
 */
export const TagLease = z
  .object({
    id: EntityId,
    deviceId: EntityId,
    /** The two-character carrier the tags are for, and its three-digit airline code on the plate. */
    carrier: CarrierCode,
    airlineCode: z.string().regex(/^\d{3}$/),
    from: z.number().int().min(0).max(999_999),
    to: z.number().int().min(0).max(999_999),
    /**
     * The highest serial of the block the backend has seen on this workstation's check-ins, when it
     * has seen one: a desk that lost its local copy (re-enrolled, reinstalled) starts past it.
     */
    usedTo: z.number().int().min(0).max(999_999).optional(),
  })
  .refine((l) => l.to >= l.from, { message: 'lease ends before it starts', path: ['to'] });
export type TagLease = z.infer<typeof TagLease>;

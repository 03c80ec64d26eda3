/**
 * The bulk form of a first fill (POST /v1/sync/bulk): the station's flights as one document each —
 * the flight and its passengers in columns — instead of one `{"op":"put","kind":"passenger",…}`
 * change per passenger. Only an empty workstation asks for it; every later pull is the ordinary feed.
 *
 * Consistency. The first bulk page fixes a snapshot: `snapshot` is an ordinary pull cursor at the
 * newest version V0 the backend had then. Each flight document is read in one go and is at least as
 * new as V0 for that flight (documents are read after V0 was fixed). After the last page the
 * workstation pulls the ordinary feed from `snapshot`: puts are whole-entity states applied in version
 * order, so whatever changed after V0 arrives again and lands on top, and tombstones arrive as usual.
 * The small kinds (station, seat maps, staff, this workstation's leases and tag leases) travel in the
 * first page as ordinary changes up to V0.
 *
 * Columns. A passenger is the protocol's Passenger schema, field by field: each column holds one field
 * of every passenger, checked with that field's own schema (so the form is exactly as strict as the
 * per-change feed: there are no cross-field rules in Passenger). `flightId` is the document's flight.
 * An optional field's column is there only when some passenger has it; null in it means "absent".
 */
import { z } from 'zod';
import { EntityId, Flight, IsoDateTime, Passenger } from '../domain/schemas';
import { fastSafeParse } from './fast-check';
import { DcsStatus, PROTOCOL_VERSION, PutChange, RelayUpstream } from './v1';

/** The layout of the bulk form; a workstation that finds another refuses the page. */
export const BULK_FORMAT = 1;

/** Upper bounds a workstation may ask for; the backend never exceeds them. */
export const BULK_LIMITS = { maxFlights: 1_000, maxBytes: 16 * 1024 * 1024 } as const;

/**
 * Where the next bulk page starts, sent ahead of the page in a header (`more <cursor>` or `last`) so
 * that a workstation can ask for it before this one has arrived whole and been checked. A hint only:
 * the page's body says the same (cursor, hasMore) or the page is refused as malformed.
 */
export const BULK_NEXT_HEADER = 'backstop-bulk-next';

export interface BulkNext {
  cursor: string;
  hasMore: boolean;
}

export function bulkNextHeader(next: BulkNext): string {
  return next.hasMore ? `more ${next.cursor}` : 'last';
}

/** The header read back; null when it is absent or not one a backend sends (the body then decides). */
export function readBulkNextHeader(value: string | null): BulkNext | null {
  if (value === 'last') return { cursor: '', hasMore: false };
  const match = value === null ? null : /^more ([A-Za-z0-9_-]{1,400})$/.exec(value);
  return match ? { cursor: match[1]!, hasMore: true } : null;
}

type PassengerShape = typeof Passenger.shape;
type PassengerKey = keyof PassengerShape;

type ColumnKey = Exclude<PassengerKey, 'flightId'>;

/** Passenger fields in schema order (the order zod builds a parsed passenger in), without flightId. */
const FIELDS = (Object.keys(Passenger.shape) as PassengerKey[]).filter((k): k is ColumnKey => k !== 'flightId');

/** Whether a Passenger field may be left out (then its column is optional and null marks "absent"). */
function isOptional(key: ColumnKey): boolean {
  return Passenger.shape[key].safeParse(undefined).success;
}

const OPTIONAL = new Set(FIELDS.filter(isOptional));
// fromColumns puts `flightId` right after `id`, where the schema has it.
if (FIELDS[0] !== 'id' || OPTIONAL.has('id')) throw new Error('bulk form: a passenger must start with its required id');

function columnOf(key: ColumnKey): z.ZodType {
  const field = Passenger.shape[key];
  if (!OPTIONAL.has(key)) return z.array(field);
  const inner = (field as z.ZodOptional<z.ZodType>).unwrap();
  return z.array(inner.nullable()).optional();
}

/** The columns of a document's passengers: `n` passengers, one array of `n` values per field (`c`). */
export const PassengerColumns = z
  .object({
    n: z.number().int().min(0).max(2_000),
    c: z.object(Object.fromEntries(FIELDS.map((k) => [k, columnOf(k)]))),
  })
  .refine((p) => unevenColumn(p.c, p.n) === null, {
    message: 'every column must hold one value per passenger',
    path: ['c'],
  });
/** The generic zod object infers a record of unknowns; this is what it checked. */
export interface PassengerColumns {
  n: number;
  c: Partial<Record<ColumnKey, unknown[]>>;
}

/** The first field whose column does not hold `n` values (an optional field may have none), or null. */
function unevenColumn(c: Record<string, unknown>, n: number): ColumnKey | null {
  for (const key of FIELDS) {
    const column = c[key];
    if (Array.isArray(column) ? column.length !== n : !(OPTIONAL.has(key) && !(key in c))) return key;
  }
  return null;
}

/** One flight's document: the flight (with the version of its own change) and its live passengers. */
export const FlightDoc = z.object({
  flight: Flight,
  version: z.number().int().positive(),
  pax: PassengerColumns,
});
export type FlightDoc = z.infer<typeof FlightDoc>;

export const BulkRequest = z.object({
  clientId: EntityId,
  station: z.string().regex(/^[A-Z]{3}$/),
  /** Opaque; null to start a bulk fill. */
  cursor: z.string().max(400).nullable(),
  maxFlights: z.number().int().min(1).max(BULK_LIMITS.maxFlights).optional(),
  maxBytes: z.number().int().min(1024).max(BULK_LIMITS.maxBytes).optional(),
});
export type BulkRequest = z.infer<typeof BulkRequest>;

export const BulkResponse = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  format: z.literal(BULK_FORMAT),
  /** An ordinary pull cursor at the snapshot version: where the feed continues after the last page. */
  snapshot: z.string().max(200),
  /** The small kinds up to the snapshot (first page only; empty after). */
  changes: z.array(PutChange),
  flights: z.array(FlightDoc),
  cursor: z.string().max(400),
  hasMore: z.boolean(),
  /** Flights still to come after this page. */
  remaining: z.number().int().min(0),
  serverTime: IsoDateTime,
  dcs: DcsStatus,
  relay: RelayUpstream.extend({ confirmedSeq: z.number().int().min(0) }).optional(),
});
export type BulkResponse = z.infer<typeof BulkResponse>;

/** The passengers of a flight as columns (the backend builds documents with it). */
export function toColumns(passengers: readonly Passenger[]): PassengerColumns {
  const c: PassengerColumns['c'] = {};
  for (const key of FIELDS) {
    if (OPTIONAL.has(key)) {
      if (!passengers.some((p) => p[key] !== undefined)) continue;
      c[key] = passengers.map((p) => p[key] ?? null);
    } else {
      c[key] = passengers.map((p) => p[key]);
    }
  }
  return { n: passengers.length, c };
}

/**
 * The passengers of a validated document, built as zod builds a parsed Passenger (its keys in
 * schema order, an absent optional field left out), so a bulk fill stores what the feed would.
 */
export function fromColumns(flightId: string, pax: PassengerColumns): Passenger[] {
  // Plain index loops over parallel arrays: every passenger gets its keys in the same order (one
  // object shape for the engine), and nothing is allocated per passenger but the passenger.
  const keys: string[] = [];
  const columns: unknown[][] = [];
  const optional: boolean[] = [];
  for (const k of FIELDS) {
    const column = pax.c[k];
    if (!column) continue;
    keys.push(k);
    columns.push(column);
    optional.push(OPTIONAL.has(k));
  }
  const width = keys.length;
  const out = new Array<Passenger>(pax.n);
  for (let i = 0; i < pax.n; i++) {
    // `id` is the first field and never optional: the flight's id follows it, where the schema has it.
    // (An empty literal filled in order measured faster here than one that starts with the two.)
    const p: Record<string, unknown> = {};
    p.id = columns[0]![i];
    p.flightId = flightId;
    for (let j = 1; j < width; j++) {
      const v = columns[j]![i];
      if (v !== null || !optional[j]) p[keys[j]!] = v;
    }
    out[i] = p as Passenger;
  }
  return out;
}

const REQUIRED_COUNT = FIELDS.length - OPTIONAL.size;
const KNOWN = new Set<string>(FIELDS);

/**
 * Whether fromColumns(flightId, toColumns(passengers)) gives these passengers back as they are, but
 * for the order of their keys: each has exactly the Passenger fields (no other key, every required
 * one defined), `flightId` is the flight's, and no optional field holds null (null in a column means
 * "absent"). An optional field present as undefined comes back absent. Values are JSON data.
 */
export function columnsHold(flightId: string, passengers: readonly Passenger[]): boolean {
  for (const p of passengers) {
    if (p.flightId !== flightId) return false;
    let required = 0;
    for (const key in p) {
      if (key === 'flightId') continue;
      if (!KNOWN.has(key)) return false;
      const v = (p as Record<string, unknown>)[key];
      if (OPTIONAL.has(key as ColumnKey)) {
        if (v === null) return false;
      } else if (v === undefined) return false;
      else required++;
    }
    if (required !== REQUIRED_COUNT) return false;
  }
  return true;
}

/**
 * Columns read back from where this app stored them (not from the wire: those are checked by
 * BulkResponse): the shape fromColumns relies on — a count, and one array of that length for every
 * required field and for each optional one present. Throws otherwise.
 */
export function storedColumns(value: unknown): PassengerColumns {
  const fail = (why: string): never => {
    throw new Error(`stored passenger columns: ${why}`);
  };
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const { n, c } = value as { n?: unknown; c?: unknown };
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return fail('no passenger count');
  if (typeof c !== 'object' || c === null) return fail('no columns');
  const columns = c as Record<string, unknown>;
  const uneven = unevenColumn(columns, n);
  if (uneven !== null) fail(`column ${uneven} does not hold ${n} values`);
  return { n, c: columns };
}

/** A bulk page that validated, with its flights' passengers rebuilt. */
export interface DecodedBulkPage {
  page: BulkResponse;
  /** `columns`: the document's, as checked (the passengers were built from them). */
  flights: { flight: Flight; version: number; passengers: Passenger[]; columns: PassengerColumns }[];
  passengers: number;
}

/**
 * Checks a bulk page in full (the compiled fast path; zod's verdict whenever it is not certain) and
 * rebuilds its passengers. A page that does not validate is refused whole: nothing of it is stored.
 */
export function decodeBulkPage(input: unknown): { ok: true; value: DecodedBulkPage } | { ok: false; message: string } {
  const parsed = fastSafeParse(BulkResponse, input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
  }
  let passengers = 0;
  const flights = parsed.data.flights.map((d) => {
    passengers += d.pax.n;
    return { flight: d.flight, version: d.version, passengers: fromColumns(d.flight.id, d.pax), columns: d.pax };
  });
  return { ok: true, value: { page: parsed.data, flights, passengers } };
}

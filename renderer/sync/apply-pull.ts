/**
 * Applies one validated pull page to the local database in a single transaction, together with
 * the cursor that page leads to: after a crash the next pull resumes from the last page that was
 * fully stored, and a page is never half-applied. Passenger changes land under pending local
 * actions (rebase), so the screen keeps showing what this workstation did.
 */
import Dexie from 'dexie';
import type { FlightView } from '../../shared/domain/replay';
import { mergePassengers } from '../../shared/domain/replay';
import { heldLease } from '../../shared/domain/bag-tags';
import type { Flight, Passenger, SeatMap, SeqLease, Staff, Station, TagLease } from '../../shared/domain/schemas';
import type { DecodedBulkPage, PassengerColumns } from '../../shared/protocol/bulk';
import type { Change, PullResponse } from '../../shared/protocol/v1';
import { flightFigures } from '../../shared/domain/headcount';
import { domainFlight, emptyManifest, rebaseFlight } from '../db/flight-store';
import { presealRows } from '../db/at-rest';
import { precodeManifest } from '../db/manifest-form';
import { sealerOf, type BackstopDB, type LocalFlight, type Manifest } from '../db/schema';
import { buildSearchText } from '../db/search-text';
import { SYNC_KEYS } from '../db/sync-state';

export interface PageStats {
  changes: number;
  flights: number;
  passengers: number;
}

interface FlightWork {
  flight?: { data: Flight; version: number };
  deleted?: boolean;
  put: Passenger[];
  removed: Set<string>;
  /** The bulk document's columns, while its passengers are all `put` holds (a new flight's stored form as it is). */
  columns?: PassengerColumns;
}

/**
 * The stored cursor of a bulk fill under way: the bulk form's own cursor behind this prefix, kept
 * under the same key as the feed's cursor so that everything that parks, drops or resets the cursor
 * (another backend, a rebuilt cache) treats an unfinished fill the same way.
 */
export const BULK_CURSOR_PREFIX = 'bulk:';

export function isBulkCursor(cursor: string): boolean {
  return cursor.startsWith(BULK_CURSOR_PREFIX);
}

export async function applyPullPage(db: BackstopDB, page: PullResponse, receivedAt: string): Promise<PageStats> {
  return storeReadyPage(
    db,
    await readyPage(db, { changes: page.changes, docs: [], complete: !page.hasMore }, receivedAt, true),
    page.cursor,
  );
}

/**
 * A page of a first fill's bulk form (shared/protocol/bulk.ts) made ready for its transaction (then
 * storeReadyPage): its flight documents are whole flights, so they land exactly as the same flights'
 * changes would, pending local actions included. Sorted by flight, its new flights' records made and
 * sealed ahead. `checkHeld: false` skips asking the database which flights it holds (that read waits
 * behind another thread's write transaction, which is what a fill in turns overlaps with); the
 * transaction checks again either way, so a flight held after all goes the ordinary way.
 */
export function readyBulkPage(
  db: BackstopDB,
  page: DecodedBulkPage,
  receivedAt: string,
  options: { checkHeld?: boolean } = {},
): Promise<ReadyPage> {
  return readyPage(db, { changes: page.page.changes, docs: page.flights, complete: false }, receivedAt, options.checkHeld ?? true);
}

function workOf(work: Map<string, FlightWork>, id: string): FlightWork {
  let w = work.get(id);
  if (!w) work.set(id, (w = { put: [], removed: new Set() }));
  return w;
}

interface Incoming {
  changes: readonly Change[];
  docs: DecodedBulkPage['flights'];
  /** The end of the feed: the copy is complete as of now. */
  complete: boolean;
}

/** A page sorted by flight and table, with its new flights made ahead (readyPage): what its transaction stores. */
export interface ReadyPage {
  page: Incoming;
  receivedAt: string;
  work: Map<string, FlightWork>;
  stations: Station[];
  seatMaps: SeatMap[];
  staff: Staff[];
  leases: SeqLease[];
  tagLeases: TagLease[];
  deletes: { table: 'stations' | 'seatMaps' | 'staff' | 'leases' | 'tagLeases'; id: string }[];
  orphanPassengerDeletes: string[];
  passengerCount: number;
  docPassengers: number;
  prepared: Map<string, NewFlight>;
}

async function readyPage(db: BackstopDB, page: Incoming, receivedAt: string, checkHeld: boolean): Promise<ReadyPage> {
  const work = new Map<string, FlightWork>();
  const forFlight = (id: string): FlightWork => workOf(work, id);
  const stations: Station[] = [];
  const seatMaps: SeatMap[] = [];
  const staff: Staff[] = [];
  const leases: SeqLease[] = [];
  const tagLeases: TagLease[] = [];
  const deletes: { table: 'stations' | 'seatMaps' | 'staff' | 'leases' | 'tagLeases'; id: string }[] = [];
  const orphanPassengerDeletes: string[] = [];
  let passengerCount = 0;
  let docPassengers = 0;

  for (const d of page.docs) {
    const w = forFlight(d.flight.id);
    w.flight = { data: d.flight, version: d.version };
    w.columns = w.put.length === 0 ? d.columns : undefined;
    w.put.push(...d.passengers);
    docPassengers += d.passengers.length;
  }
  passengerCount += docPassengers;
  for (const c of page.changes) {
    if (c.op === 'put') {
      switch (c.kind) {
        case 'station':
          stations.push(c.data);
          break;
        case 'seatMap':
          seatMaps.push(c.data);
          break;
        case 'staff':
          staff.push(c.data);
          break;
        case 'lease':
          leases.push(c.data);
          break;
        case 'tagLease':
          tagLeases.push(c.data);
          break;
        case 'flight':
          forFlight(c.data.id).flight = { data: c.data, version: c.version };
          break;
        case 'passenger': {
          const w = forFlight(c.data.flightId);
          w.put.push(c.data);
          w.columns = undefined;
          passengerCount++;
          break;
        }
      }
    } else {
      switch (c.kind) {
        case 'station':
          deletes.push({ table: 'stations', id: c.id });
          break;
        case 'seatMap':
          deletes.push({ table: 'seatMaps', id: c.id });
          break;
        case 'staff':
          deletes.push({ table: 'staff', id: c.id });
          break;
        case 'lease':
          deletes.push({ table: 'leases', id: c.id });
          break;
        case 'tagLease':
          deletes.push({ table: 'tagLeases', id: c.id });
          break;
        case 'flight':
          forFlight(c.id).deleted = true;
          break;
        case 'passenger':
          if (c.flightId) forFlight(c.flightId).removed.add(c.id);
          else orphanPassengerDeletes.push(c.id);
          break;
      }
    }
  }

  const prepared = page.docs.length > 0 ? await prepareNewFlights(db, work, receivedAt, checkHeld) : new Map<string, NewFlight>();
  return {
    page,
    receivedAt,
    work,
    stations,
    seatMaps,
    staff,
    leases,
    tagLeases,
    deletes,
    orphanPassengerDeletes,
    passengerCount,
    docPassengers,
    prepared,
  };
}

/** Stores a ready page in one transaction, with the cursor that resumes after it. */
export async function storeReadyPage(db: BackstopDB, ready: ReadyPage, cursor: string, options: StoreOptions = {}): Promise<PageStats> {
  const { page, receivedAt, work, stations, seatMaps, staff, leases, tagLeases, deletes, orphanPassengerDeletes, prepared } = ready;
  const forFlight = (id: string): FlightWork => workOf(work, id);
  // The next page's transaction is opened from here: never as part of this one.
  const started = () => Dexie.ignoreTransaction(() => options.onStarted?.());
  const blind = options.blind === true && prepared.size > 0 && deletes.length === 0 && orphanPassengerDeletes.length === 0;
  if (blind) {
    try {
      return await store(true);
    } catch (error) {
      // A flight added blind was held after all (someone wrote it meanwhile): nothing of the page was
      // stored; it goes the ordinary way, which reads what is held and merges.
      if (!isConstraintError(error)) throw error;
    }
  }
  return store(false);

  async function store(blind: boolean): Promise<PageStats> {
    await db.transaction(
      'rw',
      [db.stations, db.seatMaps, db.staff, db.leases, db.tagLeases, db.flights, db.manifests, db.outbox, db.syncState, db.searchIndex],
      async () => {
        if (blind) {
          // The page's new flights first, added (never put) before anything is read: their records are
          // cloned the moment the transaction opens, and a key that exists fails the add, which aborts
          // the whole transaction rather than overwrite what this desk holds.
          const made = [...prepared.values()];
          const adds = Promise.all([
            db.flights.bulkAdd(made.map((m) => m.flight)),
            db.manifests.bulkAdd(made.map((m) => m.manifest)),
            db.searchIndex.bulkAdd(made.flatMap((m) => (m.search ? [m.search] : []))),
          ]);
          started();
          await adds;
        } else started();
        // Most incremental pages hold passengers only: no request for an empty table.
        if (stations.length > 0) await db.stations.bulkPut(stations);
        if (seatMaps.length > 0) await db.seatMaps.bulkPut(seatMaps);
        if (staff.length > 0) await db.staff.bulkPut(staff);
        if (leases.length > 0) {
          const existing = await db.leases.bulkGet(leases.map((l) => l.id));
          // What this desk knows of its own leases (how far it got, an emergency block opened) stays.
          await db.leases.bulkPut(
            leases.map((l, i) => {
              const had = existing[i];
              return { ...l, next: Math.max(had?.next ?? l.from, l.from), ...(had?.opened ? { opened: had.opened } : {}) };
            }),
          );
        }
        if (tagLeases.length > 0) {
          const existing = await db.tagLeases.bulkGet(tagLeases.map((l) => l.id));
          // How far this desk has printed from a block stays (a block moved to a new enrolment comes again).
          await db.tagLeases.bulkPut(tagLeases.map((l, i) => heldLease(l, existing[i])));
        }
        for (const d of deletes) await db.table(d.table).delete(d.id);
        for (const id of orphanPassengerDeletes) {
          const owner = await findFlightOfPassenger(db, id);
          if (owner) forFlight(owner).removed.add(id);
        }

        const ids = blind ? [...work.keys()].filter((id) => !prepared.has(id)) : [...work.keys()];
        const [flights, manifests] = await Promise.all([db.flights.bulkGet(ids), db.manifests.bulkGet(ids)]);
        const flightPuts: LocalFlight[] = [];
        const manifestPuts: Manifest[] = [];
        const searchPuts: { flightId: string; rev: number; text: string }[] = [];
        // The search text is rebuilt only where the roster changed (a boarding or a seat change does not
        // change it), so only those flights' revisions are read: reading every touched flight's text was
        // a good part of an incremental sync.
        const searchIds = ids.filter((id, i) => {
          const w = work.get(id)!;
          return !w.deleted && (prepared.get(id)?.search || rosterChanged(manifests[i]?.passengers ?? [], w));
        });
        const revOf = new Map((await db.searchIndex.bulkGet(searchIds)).map((d, i) => [searchIds[i]!, d?.rev ?? 0]));

        for (const [i, id] of ids.entries()) {
          const w = work.get(id)!;
          if (w.deleted) {
            await Promise.all([
              db.flights.delete(id),
              db.manifests.delete(id),
              db.searchIndex.delete(id),
              db.leases.where('flightId').equals(id).delete(),
            ]);
            continue;
          }
          const local = flights[i];
          const ready = prepared.get(id);
          if (ready && !local && !manifests[i] && w.removed.size === 0) {
            // Made (and sealed) before the transaction: still new, so still exactly what the lines below would make.
            flightPuts.push(ready.flight);
            manifestPuts.push(ready.manifest);
            if (ready.search) {
              // The same object (its sealed blob is kept by identity); the revision is not sealed.
              ready.search.rev = (revOf.get(id) ?? 0) + 1;
              searchPuts.push(ready.search);
            }
            continue;
          }
          const manifest = manifests[i] ?? emptyManifest(id, receivedAt);
          const nextFlight: Flight | undefined = w.flight?.data ?? (local ? domainFlight(local) : undefined);
          const version = w.flight?.version ?? local?.version ?? 0;
          let shown: Passenger[];
          if (manifest.base && nextFlight && local) {
            // Pending local actions on this flight: move the base, then replay them on top.
            const base: FlightView = {
              flight: w.flight?.data ?? manifest.base.flight,
              passengers: withoutRemoved(mergePassengers(manifest.base.passengers, w.put), w.removed),
            };
            await rebaseFlight(db, { ...local, version, asOf: receivedAt }, { ...manifest, asOf: receivedAt }, base);
            shown = base.passengers;
          } else {
            shown = withoutRemoved(mergePassengers(manifest.passengers, w.put), w.removed);
            manifestPuts.push({ ...manifest, passengers: shown, asOf: receivedAt });
            // Passengers can arrive before their flight (versions interleave); the flight record follows.
            if (nextFlight) flightPuts.push({ ...nextFlight, version, asOf: receivedAt, counts: flightFigures(shown) });
          }
          if (revOf.has(id)) searchPuts.push({ flightId: id, rev: revOf.get(id)! + 1, text: buildSearchText(shown) });
        }
        if (flightPuts.length > 0) await db.flights.bulkPut(flightPuts);
        if (manifestPuts.length > 0) await db.manifests.bulkPut(manifestPuts);
        if (searchPuts.length > 0) await db.searchIndex.bulkPut(searchPuts);
        if (options.after !== undefined) {
          const held = (await db.syncState.get(SYNC_KEYS.cursor))?.value ?? null;
          if (held !== options.after) throw new OutOfTurn(options.after, held);
        }
        await db.syncState.put({ key: SYNC_KEYS.cursor, value: cursor });
        if (page.complete) await db.syncState.put({ key: SYNC_KEYS.lastCompleteSyncAt, value: receivedAt });
      },
    );
    return {
      changes: page.changes.length + page.docs.length + ready.docPassengers,
      flights: [...work.values()].filter((w) => w.flight).length,
      passengers: ready.passengerCount,
    };
  }
}

export interface StoreOptions {
  /** Add the page's new flights before reading anything (a first fill's pages, fill-writer.ts). */
  blind?: boolean;
  /**
   * The cursor the page before this one leaves: the transaction stores nothing unless it finds it
   * (OutOfTurn). With it, the next page's transaction may be opened before this one commits: IndexedDB
   * runs them in the order they were opened, and this check holds the order when two threads open them.
   */
  after?: string | null;
  /** Called once the transaction is open and the page's new flights are on their way into it. */
  onStarted?: () => void;
}

/** A page's transaction found another cursor than the one the page before it leaves: nothing of it was stored. */
export class OutOfTurn extends Error {
  override readonly name = 'OutOfTurn';
  constructor(expected: string | null, found: unknown) {
    super(`stored out of turn: expected cursor ${String(expected)}, found ${String(found)}`);
  }
}

export function isOutOfTurn(error: unknown): boolean {
  return error instanceof Error && error.name === 'OutOfTurn';
}

/** An add refused because the key exists (Dexie reports a bulk add's refusals as a BulkError of them). */
function isConstraintError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ConstraintError') return true;
  const failures = (error as Error & { failures?: unknown }).failures;
  return error.name === 'BulkError' && Array.isArray(failures) && failures.every((f) => f instanceof Error && f.name === 'ConstraintError');
}

interface NewFlight {
  flight: LocalFlight;
  manifest: Manifest;
  /** The manifest's stored form, made ahead (manifest-form.ts). */
  stored: object;
  search: { flightId: string; rev: number; text: string } | null;
}

/**
 * The records of the page's flights this workstation does not hold yet (a first fill's, all of them),
 * made before the transaction as it would make them, with their sealed fields sealed ahead off this
 * thread (at-rest.ts): storing them then costs the transaction only the writes. A flight that turns
 * out to be held by the time the transaction runs goes the ordinary way.
 */
async function prepareNewFlights(
  db: BackstopDB,
  work: ReadonlyMap<string, FlightWork>,
  receivedAt: string,
  checkHeld: boolean,
): Promise<Map<string, NewFlight>> {
  const candidates = [...work].filter(([, w]) => w.flight && !w.deleted && w.removed.size === 0);
  const ids = candidates.map(([id]) => id);
  // Keys only: nothing is opened (decrypted) to learn what is held.
  const [heldFlights, heldManifests] = checkHeld
    ? await Promise.all([db.flights.where(':id').anyOf(ids).primaryKeys(), db.manifests.where(':id').anyOf(ids).primaryKeys()])
    : [[], []];
  const held = new Set<unknown>([...heldFlights, ...heldManifests]);
  const out = new Map<string, NewFlight>();
  for (const [id, w] of candidates) {
    if (held.has(id)) continue;
    const none: Passenger[] = [];
    const shown = mergePassengers(none, w.put);
    const manifest: Manifest = { ...emptyManifest(id, receivedAt), passengers: shown, asOf: receivedAt };
    out.set(id, {
      flight: { ...w.flight!.data, version: w.flight!.version, asOf: receivedAt, counts: flightFigures(shown) },
      manifest,
      stored: precodeManifest(manifest, w.columns),
      search: rosterChanged(none, w) ? { flightId: id, rev: 1, text: buildSearchText(shown) } : null,
    });
  }
  const sealer = sealerOf(db);
  const made = [...out.values()];
  await Promise.all([
    presealRows(
      sealer,
      'manifests',
      made.map((f) => f.stored),
    ),
    presealRows(
      sealer,
      'searchIndex',
      made.flatMap((f) => (f.search ? [f.search] : [])),
    ),
  ]);
  return out;
}

/** Whether the searchable fields of the flight changed: someone added, removed or renamed. */
function rosterChanged(before: readonly Passenger[], w: FlightWork): boolean {
  if (w.removed.size > 0) return true;
  if (w.put.length === 0) return false;
  const byId = new Map(before.map((p) => [p.id, p]));
  return w.put.some((p) => {
    const q = byId.get(p.id);
    return (
      !q ||
      q.lastName !== p.lastName ||
      q.firstName !== p.firstName ||
      q.pnr !== p.pnr ||
      q.eticket !== p.eticket ||
      q.ffNumber !== p.ffNumber
    );
  });
}

function withoutRemoved(list: Passenger[], removed: ReadonlySet<string>): Passenger[] {
  return removed.size === 0 ? list : list.filter((p) => !removed.has(p.id));
}

/** A tombstone without its flight: find the flight through the search index, not by loading manifests. */
async function findFlightOfPassenger(db: BackstopDB, passengerId: string): Promise<string | null> {
  const needle = `\n${passengerId}\t`;
  const doc = await db.searchIndex.filter((d) => d.text.includes(needle)).first();
  return doc?.flightId ?? null;
}

/**
 * Applies one validated pull page to the local database in a single transaction, together with
 * the cursor that page leads to: after a crash the next pull resumes from the last page that was
 * fully stored, and a page is never half-applied. Passenger changes land under pending local
 * actions (rebase), so the screen keeps showing what this workstation did.
 */
import type { FlightView } from '../../shared/domain/replay';
import { mergePassengers } from '../../shared/domain/replay';
import { heldLease } from '../../shared/domain/bag-tags';
import type { Flight, Passenger, SeatMap, SeqLease, Staff, Station, TagLease } from '../../shared/domain/schemas';
import type { PullResponse } from '../../shared/protocol/v1';
import { flightFigures } from '../../shared/domain/headcount';
import { domainFlight, emptyManifest, rebaseFlight } from '../db/flight-store';
import type { BackstopDB, LocalFlight, Manifest } from '../db/schema';
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
}

export async function applyPullPage(db: BackstopDB, page: PullResponse, receivedAt: string): Promise<PageStats> {
  const work = new Map<string, FlightWork>();
  const forFlight = (id: string): FlightWork => {
    let w = work.get(id);
    if (!w) work.set(id, (w = { put: [], removed: new Set() }));
    return w;
  };
  const stations: Station[] = [];
  const seatMaps: SeatMap[] = [];
  const staff: Staff[] = [];
  const leases: SeqLease[] = [];
  const tagLeases: TagLease[] = [];
  const deletes: { table: 'stations' | 'seatMaps' | 'staff' | 'leases' | 'tagLeases'; id: string }[] = [];
  const orphanPassengerDeletes: string[] = [];
  let passengerCount = 0;

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
        case 'passenger':
          forFlight(c.data.flightId).put.push(c.data);
          passengerCount++;
          break;
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

  await db.transaction(
    'rw',
    [db.stations, db.seatMaps, db.staff, db.leases, db.tagLeases, db.flights, db.manifests, db.outbox, db.syncState, db.searchIndex],
    async () => {
      await db.stations.bulkPut(stations);
      await db.seatMaps.bulkPut(seatMaps);
      await db.staff.bulkPut(staff);
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

      const ids = [...work.keys()];
      const [flights, manifests] = await Promise.all([db.flights.bulkGet(ids), db.manifests.bulkGet(ids)]);
      const flightPuts: LocalFlight[] = [];
      const manifestPuts: Manifest[] = [];
      const searchPuts: { flightId: string; rev: number; text: string }[] = [];
      const revs = await db.searchIndex.bulkGet(ids);

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
        if (rosterChanged(manifest.passengers, w)) {
          searchPuts.push({ flightId: id, rev: (revs[i]?.rev ?? 0) + 1, text: buildSearchText(shown) });
        }
      }
      await db.flights.bulkPut(flightPuts);
      await db.manifests.bulkPut(manifestPuts);
      await db.searchIndex.bulkPut(searchPuts);
      await db.syncState.put({ key: SYNC_KEYS.cursor, value: page.cursor });
      if (!page.hasMore) await db.syncState.put({ key: SYNC_KEYS.lastCompleteSyncAt, value: receivedAt });
    },
  );
  return { changes: page.changes.length, flights: [...work.values()].filter((w) => w.flight).length, passengers: passengerCount };
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

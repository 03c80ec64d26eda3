/**
 * Reading and writing one flight's local state (flight record + manifest) consistently: the view
 * the UI shows, the backend base under pending actions, and the counts on the flight record.
 * Every function here expects to run inside a Dexie transaction over the tables it touches.
 */
import type { Actor } from '../../shared/domain/apply';
import type { Mutation } from '../../shared/domain/mutations';
import { replay, type FlightView } from '../../shared/domain/replay';
import type { Flight, StaffRole } from '../../shared/domain/schemas';
import { countPassengers } from './flight-counts';
import type { BackstopDB, LocalFlight, Manifest, OutboxEntry } from './schema';

/** Strips local bookkeeping from a flight record, leaving the domain entity. */
export function domainFlight(f: LocalFlight | Flight): Flight {
  const { version: _v, asOf: _a, counts: _c, ...flight } = f as LocalFlight;
  return flight;
}

export function emptyManifest(flightId: string, asOf: string): Manifest {
  return { flightId, passengers: [], base: null, asOf };
}

/** Outbox entries are stored with bookkeeping fields; the rules want the bare mutation. */
export function toMutation(e: OutboxEntry): Mutation {
  const { flightId: _f, state: _s, attempts: _a, lastError: _l, ...m } = e;
  return m;
}

export async function pendingFor(db: BackstopDB, flightId: string): Promise<OutboxEntry[]> {
  const entries = await db.outbox.where('flightId').equals(flightId).toArray();
  return entries.sort((a, b) => a.seq - b.seq);
}

/** Who performed each pending action, as the rules need to know it (role, and this workstation's leases). */
export async function actorsFor(db: BackstopDB, flightId: string, mutations: readonly Mutation[]): Promise<(m: Mutation) => Actor> {
  const leases = await db.leases.where('flightId').equals(flightId).toArray();
  const ids = [...new Set(mutations.map((m) => m.staffId))];
  const staff = await db.staff.bulkGet(ids);
  const roles = new Map<string, StaffRole>(staff.flatMap((s) => (s ? [[s.id, s.role] as const] : [])));
  return (m) => ({ staffId: m.staffId, role: roles.get(m.staffId) ?? 'agent', leases });
}

/** Writes the view of a flight: the flight record (with fresh counts) and its manifest. */
export async function writeView(db: BackstopDB, flight: LocalFlight, manifest: Manifest): Promise<void> {
  await Promise.all([db.flights.put({ ...flight, counts: countPassengers(manifest.passengers) }), db.manifests.put(manifest)]);
}

/**
 * Recomputes what the UI shows for a flight from the backend base and the pending actions left in
 * the outbox. With nothing pending the base becomes the view and is dropped.
 */
export async function rebaseFlight(db: BackstopDB, flight: LocalFlight, manifest: Manifest, base: FlightView): Promise<void> {
  const pending = (await pendingFor(db, flight.id)).map(toMutation);
  if (pending.length === 0) {
    await writeView(db, { ...flight, ...base.flight }, { ...manifest, passengers: base.passengers, base: null });
    return;
  }
  const seatMap = await db.seatMaps.get(base.flight.seatMapId);
  if (!seatMap) {
    // Without the seat map the rules cannot run; show the backend's state rather than guess.
    await writeView(db, { ...flight, ...base.flight }, { ...manifest, passengers: base.passengers, base });
    return;
  }
  const { view } = replay(base, seatMap, pending, await actorsFor(db, flight.id, pending));
  await writeView(db, { ...flight, ...view.flight }, { ...manifest, passengers: view.passengers, base });
}

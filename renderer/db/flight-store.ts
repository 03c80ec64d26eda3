/**
 * Reading and writing one flight's local state (flight record + manifest) consistently: the view
 * the UI shows, the backend base under pending actions, and the counts on the flight record.
 * Every function here expects to run inside a Dexie transaction over the tables it touches.
 */
import type { Actor } from '../../shared/domain/apply';
import type { Mutation } from '../../shared/domain/mutations';
import { foldLedger } from '../../shared/domain/ledger';
import type { FlightView } from '../../shared/domain/replay';
import type { Flight, SeatMap, StaffRole } from '../../shared/domain/schemas';
import { flightFigures } from '../../shared/domain/headcount';
import type { BackstopDB, LocalFlight, Manifest, OutboxEntry } from './schema';
import { readSyncString, SYNC_KEYS } from './sync-state';

/** Strips local bookkeeping from a flight record, leaving the domain entity. */
export function domainFlight(f: LocalFlight | Flight): Flight {
  const { version: _v, asOf: _a, counts: _c, ...flight } = f as LocalFlight;
  return flight;
}

export function emptyManifest(flightId: string, asOf: string): Manifest {
  return { flightId, passengers: [], base: null, asOf };
}

/**
 * Outbox entries are stored with bookkeeping fields; the rules and the backend want the bare
 * mutation. Picked field by field, so a field older versions stored never travels.
 */
export function toMutation(e: OutboxEntry): Mutation {
  return {
    id: e.id,
    seq: e.seq,
    at: e.at,
    staffId: e.staffId,
    type: e.type,
    args: e.args,
    ...(e.signIn ? { signIn: e.signIn } : {}),
  } as Mutation;
}

/** Actions on the flight no backend has recorded yet (one a station relay holds is in the base already). */
export async function pendingFor(db: BackstopDB, flightId: string): Promise<OutboxEntry[]> {
  const entries = await db.outbox.where('flightId').equals(flightId).toArray();
  return entries.filter((e) => !e.relayed).sort((a, b) => a.seq - b.seq);
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
  await Promise.all([db.flights.put({ ...flight, counts: flightFigures(manifest.passengers) }), db.manifests.put(manifest)]);
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
  const view = await foldPending(db, base, seatMap, pending);
  await writeView(db, { ...flight, ...view.flight }, { ...manifest, passengers: view.passengers, base });
}

/**
 * What the screen shows for a flight: the backend's state with this workstation's unsent actions
 * recorded on top by the ledger's rules (shared/domain/ledger.ts) — the state the backend will reach
 * once they arrive, as far as this workstation can know. A fact is never dropped from the view
 * because a pulled change clashes with it: the clash is resolved and flagged, as the backend will.
 */
export async function foldPending(db: BackstopDB, base: FlightView, seatMap: SeatMap, pending: readonly Mutation[]): Promise<FlightView> {
  if (pending.length === 0) return base;
  const [origin, roleOf] = await Promise.all([readSyncString(db, SYNC_KEYS.deviceId), rolesFor(db, pending)]);
  const facts = pending.map((mutation) => ({ mutation, origin: origin ?? LOCAL_ORIGIN }));
  return foldLedger({ base, seatMap, facts, roleOf }).view;
}

/** The origin of this workstation's facts before it ever enrolled (it has no device id yet). */
const LOCAL_ORIGIN = 'local';

async function rolesFor(db: BackstopDB, mutations: readonly Mutation[]): Promise<(staffId: string) => StaffRole> {
  const ids = [...new Set(mutations.map((m) => m.staffId))];
  const staff = await db.staff.bulkGet(ids);
  const roles = new Map<string, StaffRole>(staff.flatMap((s) => (s ? [[s.id, s.role] as const] : [])));
  return (id) => roles.get(id) ?? 'agent';
}

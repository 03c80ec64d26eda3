/**
 * The local-first write path: the one way a staff action changes data. In ONE Dexie transaction
 * (strict durability) it applies the action to the local view with the same rules the backend
 * uses, appends it to the outbox with the next client sequence number, and writes the audit entry.
 * Either all three happen or none; a refused action changes nothing and says why.
 */
import type { Clock } from '../../shared/clock';
import { applyMutation } from '../../shared/domain/apply';
import { describeMutation, passengerIdOf } from '../../shared/domain/describe';
import { Mutation, type MutationArgs, type MutationInput } from '../../shared/domain/mutations';
import { mergePassengers } from '../../shared/domain/replay';
import { flightLabel } from '../../shared/domain/rules';
import type { Flight, Passenger, StaffRole } from '../../shared/domain/schemas';
import { appendAudit } from './audit';
import { domainFlight, emptyManifest, writeView } from './flight-store';
import type { BackstopDB, LocalLease } from './schema';
import { SYNC_KEYS } from './sync-state';

export interface Session {
  staffId: string;
  role: StaffRole;
}

export type WriteOutcome =
  | { ok: true; mutation: Mutation; passengers: Passenger[]; flight: Flight | null }
  | { ok: false; code: string; message: string; duplicate: boolean };

export type CheckInRequest = Omit<MutationArgs<'passenger.checkIn'>, 'seqNo' | 'infantSeqNo'>;

function refused(code: string, message: string, duplicate = false): WriteOutcome {
  return { ok: false, code, message, duplicate };
}

function tables(db: BackstopDB) {
  return [db.flights, db.manifests, db.seatMaps, db.leases, db.outbox, db.audit, db.syncState, db.staff];
}

export function perform(db: BackstopDB, session: Session, input: MutationInput, now: Clock): Promise<WriteOutcome> {
  return db.transaction('rw', tables(db), () => performInTransaction(db, session, input, now().toISOString()));
}

/**
 * Check-in takes its sequence numbers (and the lap infant's) from this workstation's leased ranges,
 * in the same transaction, so two agents at this desk can never be handed the same number.
 */
export function checkIn(db: BackstopDB, session: Session, request: CheckInRequest, now: Clock): Promise<WriteOutcome> {
  return db.transaction('rw', tables(db), async () => {
    const manifest = await db.manifests.get(request.flightId);
    const pax = manifest?.passengers.find((p) => p.id === request.passengerId);
    if (!manifest || !pax) return refused('PASSENGER_NOT_FOUND', 'That passenger is not in the local copy of this flight.');
    const leases = (await db.leases.where('flightId').equals(request.flightId).toArray()).sort((a, b) => a.from - b.from);
    const used = new Set(manifest.passengers.flatMap((p) => (p.seqNo === null ? [] : [p.seqNo])));
    const seqNo = allocateSeq(leases, used);
    if (seqNo === null) return noSeqLeft(request.flightId);
    used.add(seqNo);
    let infantSeqNo: number | null = null;
    if (pax.infantId !== null) {
      infantSeqNo = allocateSeq(leases, used);
      if (infantSeqNo === null) return noSeqLeft(request.flightId);
    }
    return performInTransaction(db, session, { type: 'passenger.checkIn', args: { ...request, seqNo, infantSeqNo } }, now().toISOString());
  });
}

function noSeqLeft(flightId: string): WriteOutcome {
  return refused(
    'NO_SEQ_AVAILABLE',
    `This workstation has no check-in sequence numbers left for ${flightId}. They are renewed automatically when the network is back; until then check in from another workstation.`,
  );
}

/** The lowest free number in this workstation's ranges, skipping numbers already on the manifest. */
export function allocateSeq(leases: readonly LocalLease[], used: ReadonlySet<number>): number | null {
  for (const lease of leases) {
    for (let n = Math.max(lease.next, lease.from); n <= lease.to; n++) {
      if (!used.has(n)) return n;
    }
  }
  return null;
}

async function performInTransaction(db: BackstopDB, session: Session, input: MutationInput, at: string): Promise<WriteOutcome> {
  const seqRow = await db.syncState.get(SYNC_KEYS.nextSeq);
  const seq = typeof seqRow?.value === 'number' ? seqRow.value : 1;
  const parsed = Mutation.safeParse({ ...input, id: crypto.randomUUID(), seq, at, staffId: session.staffId });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refused('INVALID_ARGUMENTS', `${issue?.path.join('.') ?? 'input'}: ${issue?.message ?? 'invalid'}`);
  }
  const m = parsed.data;
  const flightId = m.args.flightId;
  let changedPassengers: Passenger[] = [];
  let changedFlight: Flight | null = null;
  let label = 'no flight';

  if (flightId !== null) {
    // Read in parallel within the transaction: the gate waits on this.
    const [flight, stored, leases] = await Promise.all([
      db.flights.get(flightId),
      db.manifests.get(flightId),
      db.leases.where('flightId').equals(flightId).toArray(),
    ]);
    if (!flight) return refused('FLIGHT_NOT_FOUND', 'This flight is not in the local copy.');
    label = flightLabel(flight);
    const seatMap = await db.seatMaps.get(flight.seatMapId);
    if (!seatMap) return refused('SEAT_MAP_MISSING', `The seat map of ${label} is not in the local copy yet.`);
    const manifest = stored ?? emptyManifest(flightId, flight.asOf);
    const outcome = applyMutation({ flight: domainFlight(flight), seatMap, passengers: manifest.passengers }, m, {
      staffId: session.staffId,
      role: session.role,
      leases,
    });
    if (outcome.kind === 'duplicate') return refused(outcome.code, outcome.message, true);
    if (outcome.kind !== 'applied') return refused(outcome.code, outcome.message);
    changedPassengers = outcome.passengers;
    changedFlight = outcome.flight;
    // The first pending action on a flight freezes the backend state it was taken against.
    const base = manifest.base ?? { flight: domainFlight(flight), passengers: manifest.passengers };
    await writeView(
      db,
      { ...flight, ...(outcome.flight ?? {}) },
      { ...manifest, passengers: mergePassengers(manifest.passengers, outcome.passengers), base },
    );
    if (m.type === 'passenger.checkIn') await advanceLeases(leases, db, [m.args.seqNo, m.args.infantSeqNo]);
  }

  const passengerId = passengerIdOf(m);
  await Promise.all([
    db.outbox.add({ ...m, flightId, state: 'pending', attempts: 0, lastError: null }),
    db.syncState.put({ key: SYNC_KEYS.nextSeq, value: seq + 1 }),
  ]);
  await appendAudit(db, {
    at,
    staffId: session.staffId,
    action: m.type,
    flightId,
    passengerId,
    mutationId: m.id,
    summary: describeMutation(
      m,
      changedPassengers.find((p) => p.id === passengerId),
      label,
    ),
  });
  return { ok: true, mutation: m, passengers: changedPassengers, flight: changedFlight };
}

async function advanceLeases(leases: readonly LocalLease[], db: BackstopDB, used: readonly (number | null)[]): Promise<void> {
  for (const lease of leases) {
    const inRange = used.filter((n): n is number => n !== null && n >= lease.from && n <= lease.to);
    if (inRange.length > 0) await db.leases.put({ ...lease, next: Math.max(lease.next, ...inRange.map((n) => n + 1)) });
  }
}

/** Audits something that is not a synced action (sign-in, declaring fallback, a drill). */
export function recordEvent(db: BackstopDB, staffId: string, action: string, summary: string, now: Clock) {
  return db.transaction('rw', db.audit, () =>
    appendAudit(db, { at: now().toISOString(), staffId, action, flightId: null, passengerId: null, mutationId: null, summary }),
  );
}

/**
 * The local-first write path: the one way a staff action changes data. In ONE Dexie transaction
 * (strict durability) it applies the action to the local view with the same rules the backend
 * uses, appends it to the outbox with the next client sequence number, and writes the audit entry.
 * Either all three happen or none; a refused action changes nothing and says why.
 */
import type { Clock } from '../../shared/clock';
import { applyMutation } from '../../shared/domain/apply';
import type { RuleCode } from '../../shared/domain/codes';
import { describeMutation, passengerIdOf } from '../../shared/domain/describe';
import { allocatePlates, bagsOfPieces, platesLeft, tagsOnFlight } from '../../shared/domain/bag-tags';
import { Mutation, type MutationArgs, type MutationInput } from '../../shared/domain/mutations';
import { flightLabel } from '../../shared/domain/rules';
import { flightLabelWithDate } from '../../shared/flight-label';
import type { Flight, Passenger, StaffRole } from '../../shared/domain/schemas';
import { appendAudit } from './audit';
import { domainFlight, emptyManifest, foldPending, pendingFor, toMutation, writeView } from './flight-store';
import type { BackstopDB, LocalFlight, LocalLease } from './schema';
import { SYNC_KEYS } from './sync-state';

export interface Session {
  staffId: string;
  role: StaffRole;
  /** The sign-in this action is taken under (its staff.signIn action's id): the backend ties the action to it. */
  signInId?: string;
}

/** Refusals that come from this workstation's own state rather than from a domain rule. */
export const LOCAL_REFUSAL_CODES = [
  /** The flight's seat map has not arrived with a sync yet. */
  'SEAT_MAP_MISSING',
  /** This workstation's sequence-number ranges for the flight are used up. */
  'NO_SEQ_AVAILABLE',
  /** This workstation holds no bag-tag numbers (left) for the flight's carrier. */
  'NO_TAG_AVAILABLE',
] as const;

/** Every code a staff action can be refused with (so the UI's words for them are exhaustive). */
export type WriteCode = RuleCode | (typeof LOCAL_REFUSAL_CODES)[number];

export type WriteOutcome =
  | { ok: true; mutation: Mutation; passengers: Passenger[]; flight: Flight | null }
  | { ok: false; code: WriteCode; message: string; duplicate: boolean };

export type CheckInRequest = Omit<MutationArgs<'passenger.checkIn'>, 'seqNo' | 'infantSeqNo'> & {
  /**
   * The weight of each checked bag, in kg: each gets a fallback tag (licence plate) from this
   * workstation's tag leases, in the same transaction, and replaces `bags`.
   */
  bagWeights?: readonly number[];
};

function refused(code: WriteCode, message: string, duplicate = false): WriteOutcome {
  return { ok: false, code, message, duplicate };
}

function tables(db: BackstopDB) {
  return [db.flights, db.manifests, db.seatMaps, db.leases, db.tagLeases, db.outbox, db.audit, db.syncState, db.staff];
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
    const flight = await db.flights.get(request.flightId);
    const seqNo = allocateSeq(leases, used);
    if (seqNo === null) return noSeqLeft(flight, leases);
    used.add(seqNo);
    let infantSeqNo: number | null = null;
    if (pax.infantId !== null) {
      infantSeqNo = allocateSeq(leases, used);
      if (infantSeqNo === null) return noSeqLeft(flight, leases);
    }
    const { bagWeights, ...args } = request;
    let bags = args.bags;
    let tagged: Map<string, number> | null = null;
    if (bagWeights && bagWeights.length > 0 && flight) {
      const tagLeases = await db.tagLeases.where('carrier').equals(flight.carrier).toArray();
      const got = allocatePlates(tagLeases, flight.carrier, bagWeights.length, tagsOnFlight(manifest.passengers));
      if (!got) return noTagLeft(flight, platesLeft(tagLeases, flight.carrier), bagWeights.length);
      const destination = pax.onward?.[0]?.destination ?? flight.destination;
      bags = bagsOfPieces(got.plates.map((tag, i) => ({ tag, weightKg: bagWeights[i]!, destination })));
      tagged = got.next;
    } else if (bagWeights) {
      bags = { count: 0, weightKg: 0 };
    }
    const out = await performInTransaction(
      db,
      session,
      { type: 'passenger.checkIn', args: { ...args, bags, seqNo, infantSeqNo } },
      now().toISOString(),
    );
    // The plates are printed on tags: the desk moves past them only when the check-in stands.
    if (out.ok && tagged) {
      for (const [id, next] of tagged) await db.tagLeases.update(id, { next });
    }
    return out;
  });
}

function noTagLeft(flight: LocalFlight, left: number, wanted: number): WriteOutcome {
  return refused(
    'NO_TAG_AVAILABLE',
    left === 0
      ? `This workstation has no bag tag numbers for ${flight.carrier} yet. They arrive with the next sync; until then check bags in at another workstation.`
      : `This workstation has ${left} bag tag number${left === 1 ? '' : 's'} left for ${flight.carrier}, not ${wanted}. More arrive with the next sync.`,
  );
}

function noSeqLeft(flight: LocalFlight | undefined, leases: readonly LocalLease[]): WriteOutcome {
  const which = flightLabelWithDate(flight);
  const emergencyClosed = leases.some((l) => l.emergency && !l.opened && l.next <= l.to);
  return refused(
    'NO_SEQ_AVAILABLE',
    `This workstation has no check-in sequence numbers left for ${which}. They are renewed automatically when the network is back.${
      emergencyClosed
        ? ' A supervisor can open this desk’s emergency block now (Check-in, “Open emergency block”).'
        : ' Until then check in from another workstation.'
    }`,
  );
}

/** A lease this desk may draw from now: every regular block, and an emergency block a supervisor opened. */
function usable(lease: LocalLease): boolean {
  return !lease.emergency || lease.opened !== undefined;
}

/** The lowest free number in this workstation's usable ranges, skipping numbers already on the manifest. */
export function allocateSeq(leases: readonly LocalLease[], used: ReadonlySet<number>): number | null {
  for (const lease of leases.filter(usable)) {
    for (let n = Math.max(lease.next, lease.from); n <= lease.to; n++) {
      if (!used.has(n)) return n;
    }
  }
  return null;
}

/** How many sequence numbers this desk has left on a flight, for the "running low" warning. */
export interface SeqStock {
  free: number;
  /** Size of the regular blocks together. */
  total: number;
  /** Numbers in the emergency block, and whether a supervisor opened it. */
  emergency: { free: number; opened: boolean } | null;
}

export function seqStock(leases: readonly LocalLease[]): SeqStock {
  const regular = leases.filter((l) => !l.emergency);
  const spare = leases.find((l) => l.emergency);
  const left = (l: LocalLease) => Math.max(0, l.to - Math.max(l.next, l.from) + 1);
  return {
    free: regular.reduce((n, l) => n + left(l), 0) + (spare?.opened ? left(spare) : 0),
    total: regular.reduce((n, l) => n + (l.to - l.from + 1), 0),
    emergency: spare ? { free: left(spare), opened: spare.opened !== undefined } : null,
  };
}

/** Below this share of its blocks left, a desk warns (and tops up as soon as it is online). */
export const SEQ_LOW_SHARE = 0.2;

/**
 * A supervisor opens this desk's emergency block on a flight, offline if need be: the numbers were
 * leased to this workstation alone, so no other desk can hand them out. Audited, not synced.
 */
export function openEmergencyBlock(
  db: BackstopDB,
  session: Session,
  flightId: string,
  now: Clock,
): Promise<WriteOutcome | { ok: true; from: number; to: number }> {
  return db.transaction('rw', [db.leases, db.audit, db.flights], async () => {
    if (session.role !== 'supervisor') return refused('SUPERVISOR_ONLY', 'Only a supervisor can open the emergency block.');
    const spare = (await db.leases.where('flightId').equals(flightId).toArray()).find((l) => l.emergency);
    if (!spare)
      return refused(
        'NO_SEQ_AVAILABLE',
        'This desk holds no emergency block for this flight (it gets one with its first sync of the flight).',
      );
    const at = now().toISOString();
    if (!spare.opened) await db.leases.put({ ...spare, opened: { by: session.staffId, at } });
    const flight = await db.flights.get(flightId);
    await appendAudit(db, {
      at,
      staffId: session.staffId,
      action: 'lease.openEmergency',
      flightId,
      passengerId: null,
      mutationId: null,
      summary: `Opened the emergency sequence-number block ${spare.from}–${spare.to} for ${flightLabelWithDate(flight)}`,
    });
    return { ok: true as const, from: spare.from, to: spare.to };
  });
}

/** A pass written by hand during the outage, entered afterwards: its number came from paper, not a lease. */
export interface HandwrittenPass extends CheckInRequest {
  seqNo: number;
  infantSeqNo: number | null;
  /** When the pass was written (the check-in happened then, so it sorts there in the ledger). */
  writtenAt: string;
}

/**
 * Enters a pass from the register of handwritten passes: a check-in at the time it was written, with
 * the number written on it. If another desk used that number meanwhile, the reconciliation flags one
 * of the two for a new number (SEQ_REISSUE); nothing is refused for it.
 */
export function recordHandwrittenPass(db: BackstopDB, session: Session, pass: HandwrittenPass, now: Clock): Promise<WriteOutcome> {
  return db.transaction('rw', tables(db), async () => {
    if (Date.parse(pass.writtenAt) > now().getTime())
      return refused('INVALID_ARGUMENTS', 'A pass cannot have been written in the future: check the time.');
    // A handwritten pass's bags were tagged by hand: their count and weight, no plates from a lease.
    const { writtenAt, bagWeights: _weights, ...args } = pass;
    const numbers = [pass.seqNo, pass.infantSeqNo].flatMap((n) => (n === null ? [] : [{ from: n, to: n }]));
    return performInTransaction(db, session, { type: 'passenger.checkIn', args: { ...args, handwritten: true } }, writtenAt, numbers);
  });
}

async function performInTransaction(
  db: BackstopDB,
  session: Session,
  input: MutationInput,
  at: string,
  /** Numbers allowed besides this desk's leases (a handwritten pass's). */
  extraNumbers: readonly { from: number; to: number }[] = [],
): Promise<WriteOutcome> {
  const seqRow = await db.syncState.get(SYNC_KEYS.nextSeq);
  const seq = typeof seqRow?.value === 'number' ? seqRow.value : 1;
  const parsed = Mutation.safeParse({
    ...input,
    id: crypto.randomUUID(),
    seq,
    at,
    staffId: session.staffId,
    ...(session.signInId ? { signIn: session.signInId } : {}),
  });
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
      leases: [...leases, ...extraNumbers],
    });
    if (outcome.kind === 'duplicate') return refused(outcome.code, outcome.message, true);
    if (outcome.kind !== 'applied') return refused(outcome.code, outcome.message);
    changedPassengers = outcome.passengers;
    changedFlight = outcome.flight;
    // The first pending action on a flight freezes the backend state it was taken against; the view
    // is that state with every pending action recorded on top, by the same ledger the backend keeps.
    const base = manifest.base ?? { flight: domainFlight(flight), passengers: manifest.passengers };
    const pending = (await pendingFor(db, flightId)).map(toMutation);
    const view = await foldPending(db, base, seatMap, [...pending, m]);
    await writeView(db, { ...flight, ...view.flight }, { ...manifest, passengers: view.passengers, base });
    if (m.type === 'passenger.checkIn') await advanceLeases(leases, db, [m.args.seqNo, m.args.infantSeqNo]);
  }

  const passengerId = passengerIdOf(m);
  await Promise.all([
    db.outbox.add({ ...m, flightId, attempts: 0, lastError: null }),
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

/**
 * Applies one mutation to the state of one flight. Pure: the backend runs it inside a SQLite
 * transaction, the workstation inside a Dexie transaction, and both write back what it returns.
 *
 * Outcomes:
 * - applied: the changed flight and/or passengers;
 * - duplicate: the effect is already there (boarding someone already boarded); nothing changes;
 * - refused: a rule says no. `conflict` when the refusal rests on state someone else may have
 *   changed (seat taken meanwhile), `rejected` when the action could never have been valid.
 */
import type { RuleCode } from './codes';
import { plateLabel, readPlate } from './bag-tags';
import { acceptedNotBoarded, apisMissing } from './headcount';
import { isRecordOnly, type Mutation, type MutationArgs } from './mutations';
import { canBoard, canCheckIn, checkSeat, displayName, flightLabel, flightOpen, type Refusal } from './rules';
import type { Bags, Flight, Passenger, SeatMap, StaffRole, TravelDocument } from './schemas';

export interface FlightState {
  flight: Flight;
  seatMap: SeatMap;
  /** Every passenger on the flight (rules such as "one passenger per seat" need them all). */
  passengers: readonly Passenger[];
}

export interface Actor {
  staffId: string;
  role: StaffRole;
  /** Sequence-number ranges this workstation holds on the flight. */
  leases: readonly { from: number; to: number }[];
}

export type Outcome =
  | { kind: 'applied'; flight: Flight | null; passengers: Passenger[] }
  | { kind: 'duplicate'; code: RuleCode; message: string }
  | { kind: 'rejected' | 'conflict'; code: RuleCode; message: string };

/** Refusals that depend on state another workstation or the DCS may have changed. */
const CONFLICT_CODES: ReadonlySet<RuleCode> = new Set<RuleCode>([
  'ALREADY_CHECKED_IN',
  'ALREADY_BOARDED',
  'NOT_CHECKED_IN',
  'NOT_BOARDED',
  'OFFLOADED',
  'NO_SHOW',
  'SEAT_TAKEN',
  'SEQ_TAKEN',
  'INFANT_LIMIT',
  'FLIGHT_CLOSED',
  'FLIGHT_CANCELLED',
  'FLIGHT_DEPARTED',
  'STANDBY_NOT_CLEARED',
  'NOT_STANDBY',
  'VETTING_HOLD',
  'NOT_ALL_BOARDED',
  'APIS_MISSING',
]);

function refused(r: Refusal): Outcome {
  return { kind: CONFLICT_CODES.has(r.code) ? 'conflict' : 'rejected', code: r.code, message: r.message };
}

function duplicate(code: RuleCode, message: string): Outcome {
  return { kind: 'duplicate', code, message };
}

function applied(passengers: Passenger[], flight: Flight | null = null): Outcome {
  return { kind: 'applied', flight, passengers };
}

export function applyMutation(state: FlightState, m: Mutation, actor: Actor): Outcome {
  if (m.type === 'print.logged' || isRecordOnly(m)) return applied([]);
  if (state.flight.id !== m.args.flightId) {
    return { kind: 'rejected', code: 'FLIGHT_NOT_FOUND', message: `Flight ${m.args.flightId} is not known.` };
  }
  switch (m.type) {
    case 'flight.close':
      return closeFlight(state, m.args, m.at, m.staffId, actor);
    case 'flight.reopen':
      return reopenFlight(state.flight, actor);
    case 'flight.message':
      return flightMessage(state.flight, m.args.kind);
    default:
      break;
  }
  const pax = state.passengers.find((p) => p.id === m.args.passengerId);
  if (!pax) return { kind: 'rejected', code: 'PASSENGER_NOT_FOUND', message: 'That passenger is not on this flight.' };
  switch (m.type) {
    case 'passenger.checkIn':
      return checkIn(state, pax, m.args, m.at, m.staffId, actor);
    case 'passenger.assignSeat':
      return assignSeat(state, pax, m.args.seat);
    case 'passenger.board':
      return board(state, pax, m.at, m.staffId, m.args.acceptedElsewhere === true);
    case 'passenger.unboard':
      return unboard(state, pax, m.args.reason);
    case 'passenger.offload':
      return offload(state, pax, m.args.reason);
    case 'passenger.noShow':
      return noShow(state, pax);
    case 'passenger.standby':
      return toStandby(state.flight, pax);
    case 'passenger.clearStandby':
      return clearStandby(state, pax, m.args.seat);
    case 'passenger.resolve':
      return resolveFlag(pax, m.args.flag, actor);
    case 'passenger.recordDocument':
      return recordDocument(state, pax, m.args.document, m.at);
  }
}

/** The final figures and the transfer list describe a closed flight; the load message may go before. */
function flightMessage(flight: Flight, kind: MutationArgs<'flight.message'>['kind']): Outcome {
  if (flight.status === 'cancelled') return refused(flightOpen(flight)!);
  if (kind !== 'LDM' && flight.status === 'scheduled') {
    return refused({ code: 'FLIGHT_NOT_CLOSED', message: `Close ${flightLabel(flight)} first: the ${kind} gives its final figures.` });
  }
  return applied([]);
}

/** A document past its expiry on the day it is read does not let the passenger travel. */
function documentIssue(doc: TravelDocument, pax: Passenger, at: string): Refusal | null {
  if (doc.expiryDate < at.slice(0, 10)) {
    return {
      code: 'DOCUMENT_EXPIRED',
      message: `The document of ${displayName(pax)} (${doc.number}) expired on ${doc.expiryDate}. The passenger cannot travel on it.`,
    };
  }
  return null;
}

/** Fallback tags on the bags must be ten-digit plates nobody else on the flight has. */
function bagIssue(state: FlightState, pax: Passenger, bags: Bags): Refusal | null {
  const pieces = bags.pieces ?? [];
  const mine = new Set((pax.bags.pieces ?? []).map((b) => b.tag));
  const others = new Map(
    state.passengers.filter((o) => o.id !== pax.id).flatMap((o) => (o.bags.pieces ?? []).map((b) => [b.tag, o] as const)),
  );
  const seen = new Set<string>();
  for (const piece of pieces) {
    const holder = others.get(piece.tag);
    if (holder)
      return { code: 'BAG_TAG_INVALID', message: `Bag tag ${plateLabel(piece.tag)} is already on a bag of ${displayName(holder)}.` };
    if (seen.has(piece.tag)) return { code: 'BAG_TAG_INVALID', message: `Bag tag ${plateLabel(piece.tag)} is given twice.` };
    seen.add(piece.tag);
    if (!mine.has(piece.tag) && readPlate(piece.tag) === null) {
      return { code: 'BAG_TAG_INVALID', message: `${piece.tag} is not a bag tag number.` };
    }
  }
  return null;
}

/** A travel document read after check-in (often at the gate, for APIS): it replaces the one before. */
function recordDocument(state: FlightState, pax: Passenger, doc: TravelDocument, at: string): Outcome {
  if (state.flight.status === 'cancelled') return refused(flightOpen(state.flight)!);
  const issue = documentIssue(doc, pax, at);
  if (issue) return refused(issue);
  if (pax.document && sameDocument(pax.document, doc)) {
    return duplicate('INVALID_ARGUMENTS', `The document ${doc.number} of ${displayName(pax)} is already recorded.`);
  }
  return applied([{ ...pax, document: doc }]);
}

function sameDocument(a: TravelDocument, b: TravelDocument): boolean {
  return a.number === b.number && a.nationality === b.nationality && a.birthDate === b.birthDate && a.expiryDate === b.expiryDate;
}

/** A person finished what a reconciliation flag asked: the flag goes (the ledger keeps the record). */
function resolveFlag(pax: Passenger, code: MutationArgs<'passenger.resolve'>['flag'], actor: Actor): Outcome {
  if (code === 'VETTING_REVIEW' && actor.role !== 'supervisor') {
    return refused({ code: 'SUPERVISOR_ONLY', message: 'Only a supervisor can clear a vetting review.' });
  }
  const flags = pax.flags ?? [];
  if (!flags.some((f) => f.code === code)) return duplicate('INVALID_ARGUMENTS', `${displayName(pax)} has nothing to settle for this.`);
  const rest = flags.filter((f) => f.code !== code);
  const { flags: _all, ...withoutFlags } = pax;
  return applied([rest.length > 0 ? { ...withoutFlags, flags: rest } : withoutFlags]);
}

function infantOf(state: FlightState, adult: Passenger): Passenger | undefined {
  return adult.infantId === null ? undefined : state.passengers.find((p) => p.id === adult.infantId);
}

/** The same change for a passenger and, when `alongside` says so, the lap infant in their arms. */
function withInfant(
  state: FlightState,
  pax: Passenger,
  change: (p: Passenger) => Passenger,
  alongside: (infant: Passenger) => boolean,
): Outcome {
  const infant = infantOf(state, pax);
  return applied(infant && alongside(infant) ? [change(pax), change(infant)] : [change(pax)]);
}

function checkSeq(state: FlightState, actor: Actor, seqNo: number, except: readonly string[]): Refusal | null {
  if (!actor.leases.some((l) => seqNo >= l.from && seqNo <= l.to)) {
    return { code: 'SEQ_NOT_LEASED', message: `Sequence number ${seqNo} is not in a range reserved for this workstation.` };
  }
  const holder = state.passengers.find((p) => p.seqNo === seqNo && !except.includes(p.id));
  return holder ? { code: 'SEQ_TAKEN', message: `Sequence number ${seqNo} is already used by ${displayName(holder)}.` } : null;
}

function checkIn(
  state: FlightState,
  pax: Passenger,
  args: MutationArgs<'passenger.checkIn'>,
  at: string,
  staffId: string,
  actor: Actor,
): Outcome {
  const sameAgain = pax.status !== 'booked' && pax.seqNo === args.seqNo && pax.seat === args.seat && pax.checkedInAt !== null;
  if (sameAgain && (pax.status === 'checked-in' || pax.status === 'boarded')) {
    return duplicate('ALREADY_CHECKED_IN', `${displayName(pax)} is already checked in with seq ${args.seqNo}.`);
  }
  if (args.vettingOverride !== undefined && actor.role !== 'supervisor') {
    return refused({ code: 'SUPERVISOR_ONLY', message: 'Only a supervisor can accept a passenger whose vetting is pending.' });
  }
  const override =
    args.vettingOverride !== undefined && pax.vetting === 'pending' ? { by: staffId, at, reason: args.vettingOverride } : undefined;
  const base = canCheckIn(state.flight, override ? { ...pax, vettingOverride: override } : pax);
  if (base) return refused(base);
  if (!args.docsChecked)
    return refused({ code: 'DOCS_NOT_CHECKED', message: 'Check the travel documents before accepting the passenger.' });
  if (args.bags.count > 0 && args.bags.weightKg === 0) {
    return refused({ code: 'BAGS_NOT_WEIGHED', message: 'Weigh the checked bags: enter their total weight in kg.' });
  }
  const tagIssue = bagIssue(state, pax, args.bags);
  if (tagIssue) return refused(tagIssue);
  const infant = infantOf(state, pax);
  const docIssue =
    (args.document ? documentIssue(args.document, pax, at) : null) ??
    (args.infantDocument && infant ? documentIssue(args.infantDocument, infant, at) : null);
  if (docIssue) return refused(docIssue);
  if (infant && args.infantSeqNo === null) {
    return refused({ code: 'INVALID_ARGUMENTS', message: `${displayName(pax)} travels with an infant, who needs a sequence number too.` });
  }
  if (infant && args.infantSeqNo === args.seqNo) {
    return refused({ code: 'INVALID_ARGUMENTS', message: 'The infant needs a sequence number of their own.' });
  }
  const touched = infant ? [pax.id, infant.id] : [pax.id];
  const seqIssue =
    checkSeq(state, actor, args.seqNo, touched) ??
    (infant && args.infantSeqNo !== null ? checkSeq(state, actor, args.infantSeqNo, touched) : null);
  if (seqIssue) return refused(seqIssue);
  if (args.standby) {
    if (args.seat !== null) return refused({ code: 'INVALID_ARGUMENTS', message: 'A standby passenger is accepted without a seat.' });
  } else {
    if (args.seat === null) return refused({ code: 'SEAT_REQUIRED', message: 'Choose a seat (or accept as standby).' });
    const seatIssue = checkSeat(state.seatMap, state.passengers, pax, args.seat);
    if (seatIssue) return refused(seatIssue);
  }
  // The adult and their lap infant are accepted together: same time, agent and standby state.
  const accept = (p: Passenger, seat: string | null, seqNo: number | null): Passenger => ({
    ...p,
    status: 'checked-in',
    seat,
    seqNo,
    docsChecked: true,
    standby: args.standby,
    checkedInAt: at,
    checkedInBy: staffId,
    boardedAt: null,
    boardedBy: null,
    remark: null,
  });
  const { acceptedAsStandby: _before, ...adult } = accept(pax, args.seat, args.seqNo);
  const accepted: Passenger = {
    ...adult,
    bags: args.bags,
    ...(override ? { vettingOverride: override } : {}),
    ...(args.document ? { document: args.document } : {}),
    ...(args.standby ? { acceptedAsStandby: true } : {}),
  };
  if (!infant) return applied([accepted]);
  const acceptedInfant = accept(infant, null, args.infantSeqNo);
  return applied([accepted, args.infantDocument ? { ...acceptedInfant, document: args.infantDocument } : acceptedInfant]);
}

function assignSeat(state: FlightState, pax: Passenger, seat: string): Outcome {
  const closed = flightOpen(state.flight);
  if (closed) return refused(closed);
  if (pax.seat === seat && !pax.standby) return duplicate('SEAT_TAKEN', `${displayName(pax)} already sits in ${seat}.`);
  if (pax.status === 'offloaded') return refused({ code: 'OFFLOADED', message: `${displayName(pax)} was offloaded.` });
  if (pax.status === 'no-show') return refused({ code: 'NO_SHOW', message: `${displayName(pax)} was marked no-show.` });
  if (pax.standby) return refused({ code: 'STANDBY_NOT_CLEARED', message: 'Clear the standby passenger with a seat instead.' });
  const seatIssue = checkSeat(state.seatMap, state.passengers, pax, seat);
  if (seatIssue) return refused(seatIssue);
  return applied([{ ...pax, seat }]);
}

/** A lap infant goes through the gate in its adult's arms: they board and un-board together. */
function board(state: FlightState, pax: Passenger, at: string, staffId: string, acceptedElsewhere: boolean): Outcome {
  // A pass from a desk this one cannot see is evidence of an acceptance: judged as if it were known here.
  const judged = acceptedElsewhere && pax.status === 'booked' ? { ...pax, status: 'checked-in' as const } : pax;
  const issue = canBoard(state.flight, judged);
  if (issue?.code === 'ALREADY_BOARDED') return duplicate(issue.code, issue.message);
  if (issue) return refused(issue);
  const boarded = (p: Passenger): Passenger => ({ ...p, status: 'boarded', boardedAt: at, boardedBy: staffId });
  if (pax.infantOf !== null) {
    const adult = state.passengers.find((p) => p.id === pax.infantOf);
    if (adult && adult.status !== 'boarded') {
      return refused({
        code: 'INFANT_TRAVELS_WITH_ADULT',
        message: `${displayName(pax)} boards with ${displayName(adult)}: board the adult.`,
      });
    }
    return applied([boarded(pax)]);
  }
  return withInfant(state, pax, boarded, (infant) => infant.status === 'checked-in' || (acceptedElsewhere && infant.status === 'booked'));
}

function unboard(state: FlightState, pax: Passenger, reason: string): Outcome {
  const closed = flightOpen(state.flight);
  if (closed) return refused(closed);
  if (pax.status === 'checked-in') return duplicate('NOT_BOARDED', `${displayName(pax)} is not boarded.`);
  if (pax.status !== 'boarded') return refused({ code: 'NOT_BOARDED', message: `${displayName(pax)} is not boarded.` });
  const off = (p: Passenger): Passenger => ({ ...p, status: 'checked-in', boardedAt: null, boardedBy: null, remark: reason });
  return withInfant(state, pax, off, (infant) => infant.status === 'boarded');
}

function offload(state: FlightState, pax: Passenger, reason: string): Outcome {
  const closed = flightOpen(state.flight);
  if (closed) return refused(closed);
  if (pax.status === 'offloaded') return duplicate('OFFLOADED', `${displayName(pax)} is already offloaded.`);
  if (pax.status === 'booked')
    return refused({ code: 'NOT_CHECKED_IN', message: `${displayName(pax)} is not checked in; mark a no-show instead.` });
  if (pax.status === 'no-show') return refused({ code: 'NO_SHOW', message: `${displayName(pax)} was marked no-show.` });
  const off = (p: Passenger): Passenger => ({
    ...p,
    status: 'offloaded',
    seat: null,
    standby: false,
    boardedAt: null,
    boardedBy: null,
    remark: reason,
  });
  return withInfant(state, pax, off, (infant) => infant.status !== 'offloaded');
}

function noShow(state: FlightState, pax: Passenger): Outcome {
  if (state.flight.status === 'cancelled' || state.flight.status === 'departed') {
    return refused(flightOpen(state.flight) ?? { code: 'FLIGHT_CLOSED', message: 'The flight is closed.' });
  }
  if (pax.status === 'no-show') return duplicate('NO_SHOW', `${displayName(pax)} is already a no-show.`);
  if (pax.status === 'offloaded') return refused({ code: 'OFFLOADED', message: `${displayName(pax)} was offloaded.` });
  if (pax.status !== 'booked') {
    return refused({ code: 'ALREADY_CHECKED_IN', message: `${displayName(pax)} is checked in; offload instead of a no-show.` });
  }
  const gone = (p: Passenger): Passenger => ({ ...p, status: 'no-show', seat: null });
  return withInfant(state, pax, gone, (infant) => infant.status === 'booked');
}

function toStandby(flight: Flight, pax: Passenger): Outcome {
  const closed = flightOpen(flight);
  if (closed) return refused(closed);
  if (pax.standby) return duplicate('STANDBY_NOT_CLEARED', `${displayName(pax)} is already on standby.`);
  if (pax.status === 'boarded') return refused({ code: 'ALREADY_BOARDED', message: `${displayName(pax)} has boarded; un-board first.` });
  if (pax.status !== 'checked-in') return refused({ code: 'NOT_CHECKED_IN', message: `${displayName(pax)} is not checked in.` });
  return applied([{ ...pax, standby: true, seat: null }]);
}

function clearStandby(state: FlightState, pax: Passenger, seat: string): Outcome {
  const closed = flightOpen(state.flight);
  if (closed) return refused(closed);
  if (!pax.standby) return refused({ code: 'NOT_STANDBY', message: `${displayName(pax)} is not on standby.` });
  if (pax.status !== 'checked-in') return refused({ code: 'NOT_CHECKED_IN', message: `${displayName(pax)} is not checked in.` });
  const seatIssue = checkSeat(state.seatMap, state.passengers, pax, seat);
  if (seatIssue) return refused(seatIssue);
  return applied([{ ...pax, standby: false, seat }]);
}

/**
 * Accepted passengers who have not boarded hold the flight open: each one boards or is offloaded
 * (with their bags), or a supervisor closes with a reason and they stay behind.
 */
function closeFlight(state: FlightState, args: MutationArgs<'flight.close'>, at: string, staffId: string, actor: Actor): Outcome {
  const { flight } = state;
  const { notBoardedReason, apisReason } = args;
  if (flight.status === 'closed') return duplicate('FLIGHT_CLOSED', 'The flight is already closed.');
  const issue = flightOpen(flight);
  if (issue) return refused(issue);
  const withoutDocument = apisMissing(flight, state.passengers).length;
  if (withoutDocument > 0 && (actor.role !== 'supervisor' || apisReason === undefined)) {
    const who = withoutDocument === 1 ? '1 boarded passenger has' : `${withoutDocument} boarded passengers have`;
    return refused({
      code: 'APIS_MISSING',
      message:
        actor.role === 'supervisor'
          ? `${flightLabel(flight)} needs APIS: ${who} no travel document read. Read each one, or give the reason to close without.`
          : `${flightLabel(flight)} needs APIS: ${who} no travel document read. Read each one (Passenger, "Read document"), or a supervisor closes with a reason.`,
    });
  }
  const waiting = acceptedNotBoarded(state.passengers).length;
  if (waiting > 0 && (actor.role !== 'supervisor' || notBoardedReason === undefined)) {
    const who = waiting === 1 ? '1 accepted passenger has' : `${waiting} accepted passengers have`;
    return refused({
      code: 'NOT_ALL_BOARDED',
      message:
        actor.role === 'supervisor'
          ? `${who} not boarded. Give the reason they stay behind, or board or offload each.`
          : `${who} not boarded. Board or offload each (with their bags), or a supervisor closes with a reason.`,
    });
  }
  return applied([], { ...flight, status: 'closed', closedAt: at, closedBy: staffId });
}

function reopenFlight(flight: Flight, actor: Actor): Outcome {
  if (actor.role !== 'supervisor') return refused({ code: 'SUPERVISOR_ONLY', message: 'Only a supervisor can reopen a closed flight.' });
  if (flight.status === 'scheduled') return duplicate('FLIGHT_NOT_CLOSED', 'The flight is open already.');
  if (flight.status !== 'closed') return refused(flightOpen(flight) ?? { code: 'FLIGHT_NOT_CLOSED', message: 'The flight is not closed.' });
  return applied([], { ...flight, status: 'scheduled', closedAt: null, closedBy: null });
}

/**
 * A flight's ledger: the state every desk and the backend end up agreeing on, worked out from the
 * flight as the DCS left it (the base) and everything desks recorded against it (the facts),
 * whatever order the desks reconnect in. The rule is "Facts and claims" (docs/architecture.md):
 *
 * - Facts stand. A passenger accepted at a desk holds a pass; one boarded at a gate is on the
 *   aircraft. A fact is recorded even when it clashes with what another desk did meanwhile (seat
 *   taken, flight closed elsewhere, already checked in at another desk); only input that is invalid
 *   in itself is rejected (unknown passenger, a seat the aircraft does not have, a role that may
 *   never do it).
 * - Claims can clash: a seat, a sequence number, the one valid pass of a passenger. They are resolved
 *   at the end by a fixed rule — boarded beats not boarded, then the earlier claim, then the
 *   workstation — and the loser is flagged for a person to finish (reseat, reprint, collect the void
 *   pass).
 * - The result is a function of the base and the SET of facts: facts apply in canonical order (time,
 *   workstation, its sequence), so every arrival order and every batching gives the same state, and
 *   souls on board is always the number of passengers whose last recorded event put them on board.
 *
 * The desk decides new actions with the strict rules in apply.ts (it refuses what it can see is
 * wrong); this module is what both ends use to work out what recorded actions add up to.
 */
import type { RuleCode } from './codes';
import { isRecordOnly, type Mutation } from './mutations';
import type { FlightView } from './replay';
import { unionBags } from './bag-tags';
import { checkSeat, displayName, holdsSeat, lapInfantNeighbours, vettingAllows } from './rules';
import type {
  Bags,
  Flight,
  FlightFlag,
  Passenger,
  PassengerFlag,
  PassengerFlagCode,
  SeatMap,
  StaffRole,
  TravelDocument,
  VettingOverride,
} from './schemas';
import { seatsOf } from './seatmap';

/** One recorded action and the workstation that recorded it (ties between equal times break on it). */
export interface Fact {
  mutation: Mutation;
  origin: string;
}

export type FactFlagCode = PassengerFlagCode | 'AFTER_CLOSE';

export type FactOutcome =
  | { kind: 'applied'; flags: FactFlagCode[] }
  /** Recorded, but it changed nothing (boarding someone already on board, a no-show for an accepted passenger). */
  | { kind: 'duplicate'; code: RuleCode; message: string }
  /** Invalid in itself: not recorded. */
  | { kind: 'rejected'; code: RuleCode; message: string };

export interface LedgerInput {
  /** The flight and passengers without these facts: the DCS state on the backend, the backend's state at a desk. */
  base: FlightView;
  seatMap: SeatMap;
  /** In any order: they are put in canonical order here. */
  facts: readonly Fact[];
  /** The role of a member of staff (unknown staff count as agents). */
  roleOf: (staffId: string) => StaffRole;
}

export interface LedgerResult {
  view: FlightView;
  /** By mutation id. */
  outcomes: Map<string, FactOutcome>;
}

/** Canonical order of facts: time, then workstation, then that workstation's sequence, then id. */
export function compareFacts(a: Fact, b: Fact): number {
  return compareKeys(keyOf(a), keyOf(b));
}

interface Key {
  t: number;
  origin: string;
  seq: number;
  id: string;
}

function keyOf(f: Fact): Key {
  return { t: Date.parse(f.mutation.at), origin: f.origin, seq: f.mutation.seq, id: f.mutation.id };
}

const BEFORE_EVERYTHING: Key = { t: -Infinity, origin: '', seq: 0, id: '' };

function compareKeys(a: Key, b: Key): number {
  if (a.t !== b.t) return a.t < b.t ? -1 : 1;
  if (a.origin !== b.origin) return a.origin < b.origin ? -1 : 1;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function maxKey(a: Key, b: Key): Key {
  return compareKeys(a, b) >= 0 ? a : b;
}

/** A key for something the base says happened at `iso` (before any fact recorded at the same time). */
function baseKey(iso: string | null): Key {
  return iso === null ? BEFORE_EVERYTHING : { t: Date.parse(iso), origin: '', seq: 0, id: '' };
}

/** One acceptance of a passenger: the base's, or a check-in fact. Each one printed a pass. */
interface Acceptance {
  id: string;
  key: Key;
  seqNo: number | null;
  seat: string | null;
  standby: boolean;
  bags: Bags;
  at: string | null;
  by: string | null;
  /** A supervisor accepted while vetting was pending (only a supervisor's counts). */
  vettingOverride: VettingOverride | null;
}

/** A change of the seat a passenger claims; `acceptance` ties it to one acceptance (its pass). */
interface SeatEvent {
  key: Key;
  seat: string | null;
  standby: boolean;
  acceptance: string | null;
}

interface Track {
  p: Passenger;
  acceptances: Acceptance[];
  seatEvents: SeatEvent[];
  /** Sequence numbers on passes scanned when boarding. */
  boardedWith: Set<number>;
  /** The pass scanned at the latest boarding (by canonical order), if the gate scanned one. */
  lastBoardPass: { seqNo: number; key: Key } | null;
  /** The last change of status, so an older fact cannot override a newer state (last writer wins). */
  statusKey: Key;
  /** The first boarding recorded, and the latest claim-related change (for when a flag is due). */
  boardKey: Key | null;
  acceptKey: Key;
  seatKey: Key;
  /** The last offload or no-show: acceptances before it ended with it (the pass was taken back). */
  endedKey: Key | null;
  /** The last boarding pass printed: seat and seq as printed. */
  printed: { seat: string | null; seqNo: number | null; key: Key } | null;
  /** Flags a person finished, with when: a flag stays cleared unless its cause is newer. */
  resolved: Map<PassengerFlagCode, Key>;
  /** Flags the base already carries (a desk's base is the backend's reconciled state). */
  baseFlags: PassengerFlag[];
  /** When the travel document the passenger now has was read: a later reading replaces it, an older one does not. */
  docKey: Key;
}

interface FlightTrack {
  flight: Flight;
  statusKey: Key;
  /** Passenger facts recorded while the flight was closed, since the last close-out printed. */
  afterClose: number;
  closedAt: string | null;
}

export function foldLedger(input: LedgerInput): LedgerResult {
  const { base, seatMap } = input;
  const facts = [...input.facts].sort(compareFacts);
  const tracks = new Map<string, Track>(base.passengers.map((p) => [p.id, trackOf(p)]));
  const baseFlightFlag = base.flight.flags?.find((f) => f.code === 'CHANGED_AFTER_CLOSE');
  const flight: FlightTrack = {
    flight: { ...base.flight },
    statusKey: baseKey(base.flight.closedAt),
    afterClose: baseFlightFlag?.changes ?? 0,
    closedAt: base.flight.closedAt,
  };
  const outcomes = new Map<string, FactOutcome>();
  const appliedAfterClose = new Set<string>();

  for (const fact of facts) {
    const key = keyOf(fact);
    const m = fact.mutation;
    const role = input.roleOf(m.staffId);
    const invalid = invalidInItself(base, seatMap, tracks, m, role);
    if (invalid) {
      outcomes.set(m.id, { kind: 'rejected', ...invalid });
      continue;
    }
    const closedNow = flight.flight.status !== 'scheduled';
    const outcome = applyFact(flight, tracks, m, key, role);
    if (outcome.kind === 'applied' && closedNow && isPassengerFact(m)) {
      flight.afterClose += 1;
      appliedAfterClose.add(m.id);
    }
    outcomes.set(m.id, outcome);
  }

  const passengers = resolveClaims(base, seatMap, tracks);
  const flags = flightFlags(flight);
  const view: FlightView = {
    flight: withFlags(flight.flight, flags),
    passengers,
  };
  // What each applied fact now needs: its passenger's open flags, and whether it came after a close.
  const flagsById = new Map(passengers.map((p) => [p.id, (p.flags ?? []).map((f) => f.code)]));
  for (const fact of facts) {
    const o = outcomes.get(fact.mutation.id);
    if (o?.kind !== 'applied') continue;
    const pid = 'passengerId' in fact.mutation.args ? fact.mutation.args.passengerId : null;
    const codes: FactFlagCode[] = [...new Set(pid ? (flagsById.get(pid) ?? []) : [])];
    if (appliedAfterClose.has(fact.mutation.id)) codes.push('AFTER_CLOSE');
    outcomes.set(fact.mutation.id, { kind: 'applied', flags: codes });
  }
  return { view, outcomes };
}

function trackOf(p: Passenger): Track {
  const accepted = p.status === 'checked-in' || p.status === 'boarded';
  const acceptances: Acceptance[] = accepted
    ? [
        {
          id: 'base',
          key: baseKey(p.checkedInAt),
          seqNo: p.seqNo,
          seat: p.seat,
          standby: p.standby,
          bags: p.bags,
          at: p.checkedInAt,
          by: p.checkedInBy,
          vettingOverride: p.vettingOverride ?? null,
        },
      ]
    : [];
  const statusKey = baseKey(p.boardedAt ?? p.checkedInAt);
  return {
    p: { ...p },
    acceptances,
    seatEvents: [{ key: BEFORE_EVERYTHING, seat: p.seat, standby: p.standby, acceptance: accepted ? 'base' : null }],
    boardedWith: new Set(),
    lastBoardPass: null,
    statusKey,
    boardKey: p.status === 'boarded' ? baseKey(p.boardedAt) : null,
    acceptKey: baseKey(p.checkedInAt),
    seatKey: BEFORE_EVERYTHING,
    endedKey: null,
    printed: null,
    resolved: new Map(),
    baseFlags: p.flags ?? [],
    docKey: p.document ? baseKey(p.document.recordedAt) : BEFORE_EVERYTHING,
  };
}

/** Facts that change the close-out figures (a document read after close does not). */
function isPassengerFact(m: Mutation): boolean {
  return m.type.startsWith('passenger.') && m.type !== 'passenger.resolve' && m.type !== 'passenger.recordDocument';
}

/** Input that could never have been valid, whatever any other desk did: the only thing rejected. */
function invalidInItself(
  base: FlightView,
  seatMap: SeatMap,
  tracks: Map<string, Track>,
  m: Mutation,
  role: StaffRole,
): { code: RuleCode; message: string } | null {
  if (m.type === 'print.logged' || isRecordOnly(m)) return null;
  if (m.args.flightId !== base.flight.id) return { code: 'FLIGHT_NOT_FOUND', message: `Flight ${m.args.flightId} is not known.` };
  if (m.type === 'flight.close' || m.type === 'flight.message') return null;
  if (m.type === 'flight.reopen') {
    return role === 'supervisor' ? null : { code: 'SUPERVISOR_ONLY', message: 'Only a supervisor can reopen a closed flight.' };
  }
  const t = tracks.get(m.args.passengerId);
  if (!t) return { code: 'PASSENGER_NOT_FOUND', message: 'That passenger is not on this flight.' };
  const pax = t.p;
  const seatProblem = (seat: string | null) => {
    if (seat === null) return null;
    // Judged on the seat and the passenger alone: whether someone else holds it is a claim, resolved later.
    const issue = checkSeat(seatMap, [], pax, seat);
    return issue && issue.code !== 'SEAT_TAKEN' && issue.code !== 'INFANT_LIMIT' ? issue : null;
  };
  switch (m.type) {
    case 'passenger.checkIn': {
      const a = m.args;
      if (pax.paxType === 'INF')
        return { code: 'INFANT_TRAVELS_WITH_ADULT', message: 'A lap infant is checked in together with their adult.' };
      if (!a.docsChecked) return { code: 'DOCS_NOT_CHECKED', message: 'Check the travel documents before accepting the passenger.' };
      if (pax.infantId !== null && (a.infantSeqNo === null || a.infantSeqNo === a.seqNo)) {
        return {
          code: 'INVALID_ARGUMENTS',
          message: `${displayName(pax)} travels with an infant, who needs a sequence number of their own.`,
        };
      }
      if (a.standby ? a.seat !== null : a.seat === null) {
        return { code: 'INVALID_ARGUMENTS', message: 'A passenger is accepted either with a seat or as standby.' };
      }
      return seatProblem(a.seat);
    }
    case 'passenger.assignSeat':
    case 'passenger.clearStandby':
      return seatProblem(m.args.seat);
    case 'passenger.resolve':
      return m.args.flag === 'VETTING_REVIEW' && role !== 'supervisor'
        ? { code: 'SUPERVISOR_ONLY', message: 'Only a supervisor can clear a vetting review.' }
        : null;
    default:
      return null;
  }
}

function applyFact(flight: FlightTrack, tracks: Map<string, Track>, m: Mutation, key: Key, role: StaffRole): FactOutcome {
  const dup = (code: RuleCode, message: string): FactOutcome => ({ kind: 'duplicate', code, message });
  const applied: FactOutcome = { kind: 'applied', flags: [] };
  switch (m.type) {
    case 'flight.close': {
      if (flight.flight.status !== 'scheduled') return dup('FLIGHT_CLOSED', 'The flight is already closed.');
      if (compareKeys(key, flight.statusKey) < 0) return dup('FLIGHT_NOT_CLOSED', 'The flight was reopened after this close.');
      flight.flight = { ...flight.flight, status: 'closed', closedAt: m.at, closedBy: m.staffId };
      flight.statusKey = key;
      flight.closedAt = m.at;
      flight.afterClose = 0;
      return applied;
    }
    case 'flight.reopen': {
      if (flight.flight.status !== 'closed') return dup('FLIGHT_NOT_CLOSED', 'The flight is not closed.');
      flight.flight = { ...flight.flight, status: 'scheduled', closedAt: null, closedBy: null };
      flight.statusKey = key;
      flight.closedAt = null;
      flight.afterClose = 0;
      return applied;
    }
    case 'flight.message':
    case 'staff.signIn':
    case 'fallback.declared':
    case 'print.cancelled':
      // Kept in the ledger (the backend's record of what was sent); it changes no state.
      return applied;
    case 'print.logged': {
      const a = m.args;
      if (a.document === 'closeout') flight.afterClose = 0;
      if (a.document === 'boarding-pass' && a.passengerId) {
        const t = tracks.get(a.passengerId);
        if (t && a.seat !== undefined && a.seqNo !== undefined) t.printed = { seat: a.seat ?? null, seqNo: a.seqNo ?? null, key };
      }
      return applied;
    }
    default:
      break;
  }
  const t = tracks.get(m.args.passengerId)!;
  const infant = t.p.infantId !== null ? tracks.get(t.p.infantId) : undefined;
  const newer = compareKeys(key, t.statusKey) >= 0;
  const setStatus = (track: Track, patch: Partial<Passenger>) => {
    track.p = { ...track.p, ...patch };
    track.statusKey = maxKey(track.statusKey, key);
  };
  switch (m.type) {
    case 'passenger.checkIn': {
      const a = m.args;
      // The acceptance happened either way; an override from anyone but a supervisor just does not count.
      const vettingOverride =
        a.vettingOverride !== undefined && role === 'supervisor' ? { by: m.staffId, at: m.at, reason: a.vettingOverride } : null;
      t.acceptances.push({
        id: m.id,
        key,
        seqNo: a.seqNo,
        seat: a.seat,
        standby: a.standby,
        bags: a.bags,
        at: m.at,
        by: m.staffId,
        vettingOverride,
      });
      t.seatEvents.push({ key, seat: a.seat, standby: a.standby, acceptance: m.id });
      t.acceptKey = maxKey(t.acceptKey, key);
      const accept = (track: Track) => {
        if (track.p.status === 'checked-in' || track.p.status === 'boarded') return;
        if (compareKeys(key, track.statusKey) < 0 && track.p.status !== 'booked') return;
        setStatus(track, { status: 'checked-in', docsChecked: true, boardedAt: null, boardedBy: null, remark: null });
      };
      accept(t);
      if (a.document) setDocument(t, a.document, key);
      if (infant && a.infantDocument) setDocument(infant, a.infantDocument, key);
      if (infant) {
        infant.acceptances.push({
          id: m.id,
          key,
          seqNo: a.infantSeqNo,
          seat: null,
          standby: a.standby,
          bags: infant.p.bags,
          at: m.at,
          by: m.staffId,
          vettingOverride: null,
        });
        infant.acceptKey = maxKey(infant.acceptKey, key);
        accept(infant);
      }
      return applied;
    }
    case 'passenger.board': {
      if (m.args.seqNo !== undefined && m.args.seqNo !== null) {
        t.boardedWith.add(m.args.seqNo);
        t.lastBoardPass = { seqNo: m.args.seqNo, key };
      }
      const board = (track: Track): boolean => {
        if (track.p.status === 'boarded') return false;
        if (compareKeys(key, track.statusKey) < 0) return false;
        setStatus(track, { status: 'boarded', boardedAt: m.at, boardedBy: m.staffId });
        track.boardKey ??= key;
        return true;
      };
      const changed = board(t);
      // A lap infant goes through the gate in its adult's arms, whatever a desk recorded for it alone.
      if (infant) board(infant);
      return changed ? applied : dup('ALREADY_BOARDED', `${displayName(t.p)} is already on board.`);
    }
    case 'passenger.unboard': {
      if (t.p.status !== 'boarded' || !newer) return dup('NOT_BOARDED', `${displayName(t.p)} is not on board.`);
      const off = (track: Track) => setStatus(track, { status: 'checked-in', boardedAt: null, boardedBy: null, remark: m.args.reason });
      off(t);
      if (infant?.p.status === 'boarded') off(infant);
      return applied;
    }
    case 'passenger.offload': {
      if (t.p.status === 'offloaded' || !newer) return dup('OFFLOADED', `${displayName(t.p)} is already offloaded.`);
      const off = (track: Track) => {
        setStatus(track, { status: 'offloaded', standby: false, boardedAt: null, boardedBy: null, remark: m.args.reason });
        track.seatEvents.push({ key, seat: null, standby: false, acceptance: null });
        track.endedKey = key;
      };
      off(t);
      if (infant && infant.p.status !== 'offloaded') off(infant);
      return applied;
    }
    case 'passenger.noShow': {
      // A no-show is a conclusion, not something that happened: an acceptance elsewhere outranks it.
      if (t.p.status !== 'booked' || !newer) return dup('ALREADY_CHECKED_IN', `${displayName(t.p)} was accepted or is already closed off.`);
      const gone = (track: Track) => {
        setStatus(track, { status: 'no-show' });
        track.seatEvents.push({ key, seat: null, standby: false, acceptance: null });
      };
      gone(t);
      if (infant?.p.status === 'booked') gone(infant);
      return applied;
    }
    case 'passenger.standby':
      if (t.p.status !== 'checked-in') return dup('NOT_CHECKED_IN', `${displayName(t.p)} is not waiting at check-in.`);
      t.seatEvents.push({ key, seat: null, standby: true, acceptance: null });
      return applied;
    case 'passenger.assignSeat':
    case 'passenger.clearStandby':
      if (t.p.status === 'offloaded' || t.p.status === 'no-show') return dup('OFFLOADED', `${displayName(t.p)} is not travelling.`);
      t.seatEvents.push({ key, seat: m.args.seat, standby: false, acceptance: null });
      t.seatKey = maxKey(t.seatKey, key);
      return applied;
    case 'passenger.resolve':
      t.resolved.set(m.args.flag, key);
      return applied;
    case 'passenger.recordDocument':
      return setDocument(t, m.args.document, key) ? applied : dup('INVALID_ARGUMENTS', 'A later reading of the document is recorded.');
  }
}

/** The last document read wins (by canonical order); a reading is a fact and never refused. */
function setDocument(t: Track, doc: TravelDocument, key: Key): boolean {
  if (compareKeys(key, t.docKey) < 0) return false;
  t.p = { ...t.p, document: doc };
  t.docKey = key;
  return true;
}

/**
 * Standing acceptance: among those since the passenger was last offloaded (an offload takes the pass
 * back), the one whose pass boarded, else the earliest. The others' passes are void.
 */
function standingOf(t: Track, adultStanding: string | null): Acceptance | null {
  if (t.acceptances.length === 0) return null;
  if (adultStanding !== null) {
    const same = t.acceptances.find((a) => a.id === adultStanding);
    if (same) return same;
  }
  const ended = t.endedKey;
  // The pass the passenger last boarded with is the one they hold (unless an offload took it back since).
  const last = t.lastBoardPass;
  if (last && (!ended || compareKeys(last.key, ended) > 0)) {
    const used = t.acceptances.find((a) => a.seqNo === last.seqNo);
    if (used) return used;
  }
  const live = liveAcceptances(t);
  return [...(live.length > 0 ? live : t.acceptances)].sort((a, b) => {
    const ba = a.seqNo !== null && t.boardedWith.has(a.seqNo) ? 0 : 1;
    const bb = b.seqNo !== null && t.boardedWith.has(b.seqNo) ? 0 : 1;
    return ba - bb || compareKeys(a.key, b.key);
  })[0]!;
}

/** Acceptances since the passenger was last offloaded (an offload takes the pass, and the bags, back). */
function liveAcceptances(t: Track): Acceptance[] {
  const ended = t.endedKey;
  return ended ? t.acceptances.filter((a) => compareKeys(a.key, ended) > 0) : t.acceptances;
}

interface Claim {
  t: Track;
  seat: string;
  key: Key;
}

/** Boarded beats accepted beats booked; then the earlier claim; then the workstation (inside the key). */
function compareClaims(a: Claim, b: Claim): number {
  const rank = (c: Claim) => (c.t.p.status === 'boarded' ? 0 : c.t.p.status === 'checked-in' ? 1 : 2);
  return rank(a) - rank(b) || compareKeys(a.key, b.key) || (a.t.p.id < b.t.p.id ? -1 : 1);
}

function resolveClaims(base: FlightView, seatMap: SeatMap, tracks: Map<string, Track>): Passenger[] {
  const derived = new Map<string, PassengerFlag[]>();
  const flag = (t: Track, f: PassengerFlag) => {
    const list = derived.get(t.p.id) ?? [];
    list.push(f);
    derived.set(t.p.id, list);
  };
  // 1. Acceptances: adults first, so a lap infant's standing acceptance follows its adult's.
  const standingIds = new Map<string, string | null>();
  const ordered = [...tracks.values()].sort((a, b) => Number(a.p.paxType === 'INF') - Number(b.p.paxType === 'INF'));
  const claims: Claim[] = [];
  for (const t of ordered) {
    const adult = t.p.infantOf ? (standingIds.get(t.p.infantOf) ?? null) : null;
    const standing = standingOf(t, adult);
    standingIds.set(t.p.id, standing?.id ?? null);
    const accepted = t.p.status === 'checked-in' || t.p.status === 'boarded';
    const { vettingOverride: _previous, acceptedAsStandby: _wasStandby, ...withoutOverride } = t.p;
    // With no acceptance to decide from (an offloaded passenger of a desk's base, which is the
    // backend's reconciled state), what the base says stands: folding it again must not change it.
    if (t.acceptances.length > 0) t.p = withoutOverride;
    if (standing && (accepted || t.p.status === 'offloaded')) {
      // Tags another live acceptance printed are bags that exist: they stay on the passenger.
      const live = liveAcceptances(t);
      const bags = unionBags(
        standing.bags,
        (live.length > 0 ? live : t.acceptances).filter((a) => a !== standing).map((a) => a.bags),
      );
      t.p = { ...t.p, seqNo: standing.seqNo, checkedInAt: standing.at, checkedInBy: standing.by, bags, docsChecked: true };
      if (standing.standby && t.p.paxType !== 'INF') t.p = { ...t.p, acceptedAsStandby: true };
      if (standing.vettingOverride && t.p.vetting === 'pending') t.p = { ...t.p, vettingOverride: standing.vettingOverride };
      for (const other of t.acceptances) {
        if (other !== standing && other.seqNo !== null && other.seqNo !== standing.seqNo)
          flag(t, { code: 'VOID_PASS', seqNo: other.seqNo, seat: other.seat });
      }
    }
    if (t.p.status === 'boarded' && t.acceptances.length === 0) flag(t, { code: 'NO_CHECK_IN_RECORD' });
    if (accepted && t.acceptances.some((a) => a.id !== 'base') && vettingAllows(t.p) !== null) {
      flag(t, { code: 'VETTING_REVIEW' });
    }
    // 2. The seat each one claims: the last seat change that belongs to the standing pass (or to none).
    if (t.p.paxType === 'INF') {
      // A lap infant has no seat; it is on standby exactly when its adult was accepted as standby.
      t.p = { ...t.p, seat: null, standby: accepted && standing !== null ? standing.standby : false };
      continue;
    }
    const events = t.seatEvents.filter((e) => e.acceptance === null || e.acceptance === (standing?.id ?? null) || e.acceptance === 'base');
    const last = events.sort((a, b) => compareKeys(a.key, b.key)).at(-1);
    const travelling = t.p.status !== 'offloaded' && t.p.status !== 'no-show';
    const seat = travelling ? (last?.seat ?? null) : null;
    t.p = { ...t.p, seat, standby: travelling && accepted ? (last?.standby ?? false) : false };
    if (seat !== null) claims.push({ t, seat, key: last?.key ?? BEFORE_EVERYTHING });
  }

  // 3. Seat clashes, then lap-infant clashes (one spare oxygen mask per block): the loser lets go.
  const losers: { t: Track; lostSeat: string }[] = [];
  const bySeat = new Map<string, Claim[]>();
  for (const c of claims) bySeat.set(c.seat, [...(bySeat.get(c.seat) ?? []), c]);
  const holding: Claim[] = [];
  for (const group of bySeat.values()) {
    const [winner, ...rest] = group.sort(compareClaims);
    holding.push(winner!);
    for (const lost of rest) losers.push({ t: lost.t, lostSeat: lost.seat });
  }
  const infantHolders = holding.filter((c) => c.t.p.infantId !== null).sort(compareClaims);
  const keptInfantSeats: Claim[] = [];
  for (const c of infantHolders) {
    const clash = keptInfantSeats.some((k) => lapInfantNeighbours(seatMap, [{ ...k.t.p, seat: k.seat }], c.t.p, c.seat).length > 0);
    if (clash) losers.push({ t: c.t, lostSeat: c.seat });
    else keptInfantSeats.push(c);
  }
  for (const { t } of losers) t.p = { ...t.p, seat: null };

  // 4. A suggested free seat for each accepted loser, in the order of the rule, so every end suggests the same.
  const passengersNow = () => [...tracks.values()].map((t) => t.p);
  const sortedLosers = losers
    .map((l) => ({ ...l, claim: { t: l.t, seat: l.lostSeat, key: l.t.seatKey } }))
    .sort((a, b) => compareClaims(a.claim, b.claim));
  for (const { t, lostSeat } of sortedLosers) {
    if (t.p.status !== 'checked-in' && t.p.status !== 'boarded') continue;
    const taken = new Set(
      passengersNow()
        .filter((p) => holdsSeat(p))
        .map((p) => p.seat),
    );
    const suggested =
      seatsOf(seatMap).find(
        (s) => s.cabin === t.p.cabin && !s.blocked && !taken.has(s.code) && checkSeat(seatMap, passengersNow(), t.p, s.code) === null,
      )?.code ?? null;
    flag(t, { code: 'RESEAT', lostSeat, suggested });
  }
  // Accepted or boarded, not on standby, and no seat at all (re-boarded after an offload elsewhere): they need one too.
  for (const t of tracks.values()) {
    const accepted = t.p.status === 'checked-in' || t.p.status === 'boarded';
    if (
      t.p.paxType !== 'INF' &&
      accepted &&
      t.p.seat === null &&
      !t.p.standby &&
      !(derived.get(t.p.id) ?? []).some((f) => f.code === 'RESEAT') &&
      // A base that is itself reconciled (a desk's) already says which seat was lost and what to offer:
      // keep that (mergeFlags does, while still due), or folding the backend's state again loses it.
      !t.baseFlags.some((f) => f.code === 'RESEAT')
    ) {
      flag(t, { code: 'RESEAT', lostSeat: null, suggested: null });
    }
  }

  // 5. Sequence numbers: one per passenger per flight; a clash keeps the rule's winner.
  const bySeq = new Map<number, Track[]>();
  for (const t of tracks.values()) {
    if (t.p.seqNo !== null && (t.p.status === 'checked-in' || t.p.status === 'boarded'))
      bySeq.set(t.p.seqNo, [...(bySeq.get(t.p.seqNo) ?? []), t]);
  }
  for (const [seqNo, group] of bySeq) {
    if (group.length < 2) continue;
    const sorted = group.sort((a, b) => compareClaims({ t: a, seat: '', key: a.acceptKey }, { t: b, seat: '', key: b.acceptKey }));
    for (const t of sorted.slice(1)) flag(t, { code: 'SEQ_REISSUE', seqNo });
  }

  // 6. A pass that no longer matches: printed with another seat or seq than the passenger has now.
  for (const t of tracks.values()) {
    const accepted = t.p.status === 'checked-in' || t.p.status === 'boarded';
    if (!accepted || t.p.paxType === 'INF') continue;
    const printed = t.printed ?? printedAtAcceptance(t);
    if (printed && (printed.seat !== t.p.seat || printed.seqNo !== t.p.seqNo) && !(t.p.seat === null && t.p.standby)) {
      flag(t, { code: 'REPRINT', printedSeat: printed.seat, printedSeq: printed.seqNo });
    }
  }

  // 7. Flags: the base's (which these facts may have settled) and the ones worked out here.
  return base.passengers.map((original) => {
    const t = tracks.get(original.id)!;
    const flags = mergeFlags(t, derived.get(t.p.id) ?? []);
    const { flags: _old, ...rest } = t.p;
    return flags.length > 0 ? { ...rest, flags } : rest;
  });
}

/** What the desk printed when it accepted the passenger (a check-in prints the pass). */
function printedAtAcceptance(t: Track): { seat: string | null; seqNo: number | null } | null {
  const standing = t.acceptances.find((a) => a.seqNo === t.p.seqNo);
  return standing && standing.id !== 'base' ? { seat: standing.seat, seqNo: standing.seqNo } : null;
}

function mergeFlags(t: Track, derived: PassengerFlag[]): PassengerFlag[] {
  const out: PassengerFlag[] = [];
  const seen = new Set<string>();
  const add = (f: PassengerFlag) => {
    const id = JSON.stringify(f);
    if (!seen.has(id)) {
      seen.add(id);
      out.push(f);
    }
  };
  for (const f of derived) if (!settled(t, f)) add(f);
  for (const f of t.baseFlags) {
    if (settled(t, f) || derived.some((d) => d.code === f.code)) continue;
    if (stillDue(t, f)) add(f);
  }
  return out;
}

/** A flag a person finished after its cause (a later cause raises it again). */
function settled(t: Track, f: PassengerFlag): boolean {
  const done = t.resolved.get(f.code);
  if (!done) return false;
  const cause =
    f.code === 'NO_CHECK_IN_RECORD'
      ? (t.boardKey ?? BEFORE_EVERYTHING)
      : f.code === 'REPRINT'
        ? maxKey(t.seatKey, t.acceptKey)
        : t.acceptKey;
  return compareKeys(done, cause) > 0;
}

/** Whether a flag the base carries still stands after these facts (a reseat settles RESEAT, a print REPRINT). */
function stillDue(t: Track, f: PassengerFlag): boolean {
  const travelling = t.p.status === 'checked-in' || t.p.status === 'boarded';
  switch (f.code) {
    case 'RESEAT':
      return travelling && t.p.seat === null;
    case 'REPRINT':
      return travelling && !(t.printed && t.printed.seat === t.p.seat && t.printed.seqNo === t.p.seqNo);
    case 'NO_CHECK_IN_RECORD':
      return t.acceptances.length === 0;
    case 'VOID_PASS':
    case 'VETTING_REVIEW':
    case 'SEQ_REISSUE':
      return travelling || t.p.status === 'offloaded';
  }
}

function flightFlags(f: FlightTrack): FlightFlag[] {
  return f.afterClose > 0 && f.closedAt !== null && f.flight.status !== 'scheduled'
    ? [{ code: 'CHANGED_AFTER_CLOSE', closedAt: f.closedAt, changes: f.afterClose }]
    : [];
}

function withFlags(flight: Flight, flags: FlightFlag[]): Flight {
  const { flags: _old, ...rest } = flight;
  return flags.length > 0 ? { ...rest, flags } : rest;
}

/** Souls on board, as the ledger counts them: boarded passengers and boarded lap infants. */
export function soulsOnBoard(view: FlightView): number {
  return view.passengers.filter((p) => p.status === 'boarded').length;
}

/**
 * Applies a workstation's queued mutations, server authoritative (after Replicache and PowerSync):
 * - a client's mutations apply in seq order, each in its own (nested) transaction that also stores
 *   its result and advances the client's lastSeq; groups of them commit durably together, so a crash
 *   leaves every mutation either fully applied and committed, or not applied at all, and nothing is
 *   answered before it is committed;
 * - a mutation seen before (same id) gets its stored result, byte for byte; one first sent under an
 *   earlier enrolment of the workstation gets that result under its new seq, and no second effect;
 * - a seq beyond lastSeq + 1 is a gap: it and everything after it in the batch are deferred;
 * - a seq at or below lastSeq with an unknown id is a client that lost its state (STALE_CLIENT);
 * - a rejected mutation is answered and the queue moves on.
 * What a mutation does is decided by the flight's ledger (shared/domain/ledger.ts, via ledgers.ts):
 * facts are recorded even when they clash with another desk's (the clash on a claim is resolved and
 * flagged), and only input that is invalid in itself is rejected; the flight's rows are then the
 * ledger folded, the same whatever order workstations reconnect in.
 */
import type { FlightState } from '../../shared/domain/apply';
import { isPhysicalFact, type IdentityFlag } from '../../shared/domain/identity';
import { isRecordOnly, Mutation } from '../../shared/domain/mutations';
import type { StaffIdentity } from '../security/staff-identity';
import type { Staff, StaffRole } from '../../shared/domain/schemas';
import type { ConflictState, MutationEnvelope, MutationResult } from '../../shared/protocol/v1';
import type { Device, MutationLogRow, Store, Tx } from '../store/store';
import type { FlightLedgers, LoadedLedger, Recorded } from './ledgers';
import type { Leases } from './leases';

export interface PushOptions {
  /** Ties each action to a sign-in, the roster and its time window (server/security/staff-identity.ts); off when absent. */
  identity?: StaffIdentity;
  /** Fault injection for crash tests: hold each mutation's transaction open this long before commit. */
  slowMutationMs?: number;
  /** Mutations per durable commit (default COMMIT_GROUP). */
  commitGroup?: number;
  /**
   * Also records each newly decided mutation elsewhere, in the same nested transaction as its
   * result (a station relay's queue of actions to forward: relay/forward-queue.ts).
   */
  journal?: (tx: Tx, row: MutationLogRow) => void;
}

export interface PushSummary {
  /** The response's `results` array as JSON text, in request order. */
  resultsJson: string;
  lastSeq: number;
  /** Counts by status and by code, for logs (codes only: messages name passengers). */
  counts: Record<string, number>;
}

interface Processed {
  json: string;
  status: MutationResult['status'];
  code: string | null;
  replayed: boolean;
}

/**
 * What one push batch has already read: a flight's state (reloaded whenever anything else wrote to
 * the flight in between — in this process or, on PostgreSQL, another), seat maps, staff. A batch of
 * 200 boardings on one flight then parses its 300 passengers once, not 200 times.
 */
interface CachedFlight {
  generation: string;
  state: FlightState;
  /** Loaded on the first fact of the batch for this flight. */
  ledger: LoadedLedger | null;
}

interface BatchCache {
  flights: Map<string, CachedFlight>;
  staff: Map<string, Staff | null>;
  /**
   * The workstation takes part in identity (it sends sign-ins): its results carry the identity
   * verdicts. An older workstation's are kept on the backend only (it could not read them).
   */
  reportsIdentity: boolean;
}

/** Mutations per durable commit (see push()). */
export const COMMIT_GROUP = 100;

export class PushProcessor {
  constructor(
    private readonly store: Store,
    private readonly leases: Leases,
    private readonly ledgers: FlightLedgers,
    private readonly clock: () => Date,
    private readonly options: PushOptions = {},
  ) {}

  async push(device: Device, mutations: readonly (Mutation | MutationEnvelope)[]): Promise<PushSummary> {
    const order = mutations.map((m, i) => ({ m, i })).sort((a, b) => a.m.seq - b.m.seq);
    const out: string[] = new Array<string>(mutations.length);
    const counts: Record<string, number> = {};
    let gap = false;
    const cache: BatchCache = {
      flights: new Map(),
      staff: new Map(),
      reportsIdentity:
        mutations.some((m) => m.type === 'staff.signIn' || ('signIn' in m && m.signIn !== undefined)) ||
        ((await this.options.identity?.hasSignedIn(device.id)) ?? false),
    };
    // Each mutation runs in its own nested transaction; a group of them commits durably together,
    // so the disk is flushed once per group instead of once per mutation. Nothing is answered before
    // its group committed: a crash loses only unanswered work, which the workstation sends again.
    // The group is a write transaction of the workstation's station: on PostgreSQL it holds the
    // station's lock, so pushes of one workstation through two backend processes still apply in seq
    // order, exactly once (server/store/postgres.ts).
    const size = this.options.commitGroup ?? COMMIT_GROUP;
    for (let start = 0; start < order.length; start += size) {
      const group = order.slice(start, start + size);
      let processed: Processed[];
      try {
        processed = await this.store.write(device.station, async (tx) => {
          const results: Processed[] = [];
          for (const { m } of group) {
            const r = await tx.nested(() => this.processOne(tx, device, m, gap, cache));
            if (r.status === 'deferred') gap = true;
            results.push(r);
          }
          return results;
        });
      } catch (error) {
        // The transaction rolled back: whatever the cache learnt from it is not true.
        cache.flights.clear();
        throw error;
      }
      processed.forEach((r, k) => {
        out[group[k]!.i] = r.json;
        const key = r.replayed ? 'replayed' : r.status;
        counts[key] = (counts[key] ?? 0) + 1;
        if (r.code && !r.replayed) counts[r.code] = (counts[r.code] ?? 0) + 1;
      });
      // Let health checks and other workstations in between the groups of a long batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { resultsJson: `[${out.join(',')}]`, lastSeq: await this.store.lastSeq(device.id), counts };
  }

  /**
   * A supervisor, signed in online, confirms an action that was held (server/security/staff-identity.ts):
   * it is recorded now, as the workstation that took it sent it, and the hold is marked confirmed.
   */
  async confirmHeld(origin: Device, m: Mutation, confirmedBy: string): Promise<MutationResult> {
    const cache: BatchCache = { flights: new Map(), staff: new Map(), reportsIdentity: false };
    return this.store.write(origin.station, async (tx) => {
      const result = await this.decide(tx, origin, m, cache);
      await tx.sql.run('UPDATE held_action SET confirmed_by = ?, confirmed_at = ? WHERE mutation_id = ?', [
        confirmedBy,
        this.clock().toISOString(),
        m.id,
      ]);
      return result;
    });
  }

  private async processOne(
    tx: Tx,
    device: Device,
    m: Mutation | MutationEnvelope,
    afterGap: boolean,
    cache: BatchCache,
  ): Promise<Processed> {
    const state = await tx.mutationState(device.id, m.id);
    if (state.stored) return { json: state.stored.result, status: state.stored.status, code: state.stored.code, replayed: true };
    if (afterGap) return deferred(m, 'An earlier mutation of this workstation is missing; send it first, then this one again.');
    const lastSeq = state.lastSeq;
    if (m.seq <= lastSeq) {
      return fresh({
        id: m.id,
        seq: m.seq,
        status: 'rejected',
        code: 'STALE_CLIENT',
        message: `This workstation already sent mutation ${m.seq} with another id; its local queue is out of step with the server. Re-enrol or resync it.`,
      });
    }
    if (m.seq > lastSeq + 1) {
      return deferred(m, `Mutation ${lastSeq + 1} has not arrived yet; mutations apply in order. Send it first, then this one again.`);
    }
    // Decided before under another enrolment of the same workstation (it re-enrolled and renumbered
    // its queue; the id, the idempotency key, stays): the same answer, under this seq, and no second effect.
    const result: MutationResult = state.earlier
      ? { ...(JSON.parse(state.earlier) as MutationResult), seq: m.seq }
      : await this.decideParsed(tx, device, m, cache);
    const json = JSON.stringify(result);
    const code = 'code' in result ? result.code : null;
    const row: MutationLogRow = {
      deviceId: device.id,
      id: m.id,
      seq: m.seq,
      type: m.type,
      staffId: m.staffId,
      status: result.status,
      code,
      mutation: storedMutation(m, result.status),
      result: json,
      processedAt: this.clock().toISOString(),
    };
    tx.logResult(row);
    this.options.journal?.(tx, row);
    if (this.options.slowMutationMs) await new Promise((resolve) => setTimeout(resolve, this.options.slowMutationMs));
    return { json, status: result.status, code, replayed: false };
  }

  /** A mutation the backend cannot read is refused on its own, and the queue moves on. */
  private async decideParsed(tx: Tx, device: Device, envelope: Mutation | MutationEnvelope, cache: BatchCache): Promise<MutationResult> {
    const parsed = Mutation.safeParse(envelope);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'mutation';
      return {
        id: envelope.id,
        seq: envelope.seq,
        status: 'rejected',
        code: 'INVALID_ARGUMENTS',
        message: `The backend cannot read this ${envelope.type} action (${where}: ${issue?.message ?? 'invalid'}).`,
      };
    }
    const identity = this.options.identity;
    if (!identity) return this.decide(tx, device, parsed.data, cache);
    return this.decideWithIdentity(tx, device, parsed.data, cache, identity);
  }

  /**
   * Who did it and when, before what it does: a sign-in is recorded; any other action is tied to its
   * sign-in, roster and time window. A physical fact is recorded whatever the doubts (flagged for a
   * person); a supervisor-only decision the backend cannot trust is held for a supervisor online.
   */
  private async decideWithIdentity(
    tx: Tx,
    device: Device,
    m: Mutation,
    cache: BatchCache,
    identity: StaffIdentity,
  ): Promise<MutationResult> {
    const { id, seq } = m;
    const staff = await this.staffOf(tx, device.station, m.staffId, cache);
    const withIdentity = (result: MutationResult, flags: readonly IdentityFlag[]): MutationResult =>
      cache.reportsIdentity && flags.length > 0 && (result.status === 'applied' || result.status === 'rejected')
        ? { ...result, identity: [...new Set(flags)] }
        : result;
    if (m.type === 'staff.signIn') {
      if (!staff || !staff.active) return this.decide(tx, device, m, cache);
      const flags = await identity.recordSignIn(tx, device, m, m.at);
      identity.flag(tx, device, m, flags);
      return withIdentity({ id, seq, status: 'applied' }, flags);
    }
    const verdict = await identity.check(tx, device, m, staff, staff?.role ?? 'agent');
    identity.flag(tx, device, m, verdict.flags);
    if (verdict.hold) {
      identity.hold(tx, device, m);
      return withIdentity(
        {
          id,
          seq,
          status: 'rejected',
          code: 'SUPERVISOR_ONLY',
          message:
            'Held: a supervisor-only action taken under a sign-in the backend could not check (offline). A supervisor signed in online confirms it on the Sync screen.',
          held: true,
        },
        verdict.flags,
      );
    }
    const recorded = verdict.at === m.at ? m : { ...m, at: verdict.at };
    // A fact by someone off the roster still happened: recorded as an agent's, flagged.
    const result =
      (!staff || !staff.active) && isPhysicalFact(m)
        ? await this.decide(tx, device, recorded, cache, true)
        : await this.decide(tx, device, recorded, cache);
    return withIdentity(result, verdict.flags);
  }

  private async flightState(tx: Tx, station: string, flightId: string, cache: BatchCache): Promise<CachedFlight | null> {
    const cached = cache.flights.get(flightId);
    if (cached && cached.generation === tx.generation(flightId)) return cached;
    const flight = await tx.get(station, 'flight', flightId);
    const seatMap = flight && (await tx.get(station, 'seatMap', flight.seatMapId));
    if (!flight || !seatMap) return null;
    const entry: CachedFlight = {
      generation: tx.generation(flightId),
      state: { flight, seatMap, passengers: await tx.passengersOf(flight.id) },
      ledger: null,
    };
    cache.flights.set(flightId, entry);
    return entry;
  }

  private async staffOf(tx: Tx, station: string, staffId: string, cache: BatchCache): Promise<Staff | null> {
    if (!cache.staff.has(staffId)) cache.staff.set(staffId, await tx.get(station, 'staff', staffId));
    return cache.staff.get(staffId) ?? null;
  }

  private async decide(tx: Tx, device: Device, m: Mutation, cache: BatchCache, offRoster = false): Promise<MutationResult> {
    const { id, seq } = m;
    const staff = await this.staffOf(tx, device.station, m.staffId, cache);
    if ((!staff || !staff.active) && !offRoster) {
      return {
        id,
        seq,
        status: 'rejected',
        code: 'UNKNOWN_STAFF',
        message: `Staff ID ${m.staffId} is not an active member of staff at ${device.station}.`,
      };
    }
    // Who signed in, outage declared, a print cancelled: kept in the log, no flight changes.
    if (isRecordOnly(m)) return { id, seq, status: 'applied' };
    if (m.type === 'print.logged') {
      const a = m.args;
      tx.logPrint({
        printJobId: a.printJobId,
        deviceId: device.id,
        mutationId: m.id,
        staffId: m.staffId,
        document: a.document,
        flightId: a.flightId,
        passengerId: a.passengerId,
        copies: a.copies,
        destination: a.destination,
        reprint: a.reprint,
        printedAt: m.at,
      });
      // A printed boarding pass or close-out is part of the flight's ledger (it settles REPRINT and a stale close-out).
      if (a.flightId === null) return { id, seq, status: 'applied' };
    }
    const flightId = m.args.flightId;
    const entry = flightId === null ? null : await this.flightState(tx, device.station, flightId, cache);
    if (!entry) {
      return {
        id,
        seq,
        status: 'rejected',
        code: 'FLIGHT_NOT_FOUND',
        message: `Flight ${m.args.flightId} is not a flight of ${device.station}.`,
      };
    }
    entry.ledger ??= await this.ledgers.load(tx, entry.state);
    // Roles of everyone whose facts the ledger holds (a reopen needs a supervisor), read before the fold.
    const unknown = new Set(entry.ledger.facts.map((f) => f.mutation.staffId).filter((staffId) => !cache.staff.has(staffId)));
    for (const staffId of unknown) await this.staffOf(tx, device.station, staffId, cache);
    const roleOf = (staffId: string): StaffRole => cache.staff.get(staffId)?.role ?? 'agent';
    const recorded = this.ledgers.record(tx, entry.state, entry.ledger, { mutation: m, origin: device.id }, roleOf);
    // Our own write moved the flight's generation; keep the cached state, updated, as current.
    cache.flights.set(entry.state.flight.id, {
      generation: tx.generation(entry.state.flight.id),
      state: recorded.state,
      ledger: recorded.ledger,
    });
    const outcome = recorded.outcome;
    switch (outcome.kind) {
      case 'rejected':
        return { id, seq, status: 'rejected', code: outcome.code, message: outcome.message };
      case 'duplicate':
        return { id, seq, status: 'duplicate', code: outcome.code, message: outcome.message };
      case 'applied':
        if (m.type === 'passenger.checkIn') {
          const used = [m.args.seqNo, m.args.infantSeqNo].filter((n): n is number => n !== null);
          this.leases.markUsed(tx, device.id, entry.state.flight.id, used);
          await this.leases.markTagsUsed(
            tx,
            device.id,
            (m.args.bags.pieces ?? []).map((b) => b.tag),
          );
        }
        if (outcome.flags.length === 0) return { id, seq, status: 'applied' };
        // What needs a person, with the backend's state of whoever it concerns, so the desk can say so at once.
        return {
          id,
          seq,
          status: 'applied',
          flags: outcome.flags,
          server: involved(recorded.state, m, recorded.changed),
        };
    }
  }
}

/** The most of a refused mutation's text the log keeps: enough to see what it was, not a way to fill the disk. */
export const REJECTED_KEPT_BYTES = 2048;

/**
 * The mutation as the log keeps it: its envelope fields only (a loose envelope may carry anything
 * else), and for one that was not applied, its arguments cut to REJECTED_KEPT_BYTES. A token holder
 * sending junk gets it refused without growing the database by megabytes a request.
 */
export function storedMutation(m: Mutation | MutationEnvelope, status: MutationResult['status']): string {
  const { id, seq, type, at, staffId, args } = m;
  // The sign-in an action names stays with it: a station relay forwards this text, and central ties the action by it.
  const signIn = 'signIn' in m && typeof m.signIn === 'string' ? { signIn: m.signIn } : {};
  const whole = JSON.stringify({ id, seq, type, at, staffId, ...signIn, args });
  if (status === 'applied' || status === 'duplicate' || whole.length <= REJECTED_KEPT_BYTES) return whole;
  const argsText = JSON.stringify(args) ?? 'null';
  return JSON.stringify({
    id,
    seq,
    type: String(type).slice(0, 60),
    at: String(at).slice(0, 40),
    staffId: String(staffId).slice(0, 20),
    truncated: { bytes: whole.length, args: argsText.slice(0, REJECTED_KEPT_BYTES - 400) },
  });
}

function fresh(result: MutationResult): Processed {
  return { json: JSON.stringify(result), status: result.status, code: 'code' in result ? result.code : null, replayed: false };
}

function deferred(m: Pick<Mutation, 'id' | 'seq'>, message: string): Processed {
  return fresh({ id: m.id, seq: m.seq, status: 'deferred', code: 'SEQ_GAP', message });
}

/**
 * The backend's state of what a flagged fact concerns: the flight when it came after a close, the
 * passenger acted on (and their lap infant), and everyone else this fact changed (the passenger
 * who kept the seat, say).
 */
function involved(state: FlightState, m: Mutation, changed: Recorded['changed']): ConflictState {
  const pid = 'passengerId' in m.args ? m.args.passengerId : null;
  const acted = state.passengers.find((p) => p.id === pid);
  const ids = new Set(changed.passengers.map((p) => p.id));
  if (acted) {
    ids.add(acted.id);
    if (acted.infantId) ids.add(acted.infantId);
  }
  return { flight: state.flight.flags ? state.flight : changed.flight, passengers: state.passengers.filter((p) => ids.has(p.id)) };
}

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
import type { Statement } from 'better-sqlite3';
import type { FlightState } from '../../shared/domain/apply';
import { Mutation } from '../../shared/domain/mutations';
import type { StaffRole } from '../../shared/domain/schemas';
import type { ConflictState, MutationEnvelope, MutationResult } from '../../shared/protocol/v1';
import type { Db } from '../db/database';
import type { EntityStore, Writer } from '../db/entities';
import type { Device } from '../devices';
import type { FlightLedgers, LoadedLedger, Recorded } from './ledgers';
import type { Leases } from './leases';

export interface PushOptions {
  /** Fault injection for crash tests: hold each mutation's transaction open this long before commit. */
  slowMutationMs?: number;
  /** Mutations per durable commit (default COMMIT_GROUP). */
  commitGroup?: number;
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
 * the flight in between), seat maps, staff and this device's lease ranges. A batch of 200 boardings
 * on one flight then parses its 300 passengers once, not 200 times.
 */
interface CachedFlight {
  generation: number;
  state: FlightState;
  /** Loaded on the first fact of the batch for this flight. */
  ledger: LoadedLedger | null;
}

interface BatchCache {
  flights: Map<string, CachedFlight>;
  staff: Map<string, ReturnType<EntityStore['staff']>>;
}

/** Mutations per durable commit (see push()). */
export const COMMIT_GROUP = 100;

export class PushProcessor {
  private readonly stored: Statement<[string, string], { result: string; status: MutationResult['status']; code: string | null }>;
  private readonly storedAnywhere: Statement<[string], { result: string }>;
  private readonly lastSeqOf: Statement<[string], { last_seq: number }>;
  private readonly logResult: Statement<[string, string, number, string, string, string, string | null, string, string, string]>;
  private readonly advance: Statement<[number, string]>;
  private readonly logPrint: Statement<
    [string, string, string, string, string, string | null, string | null, number, string, number, string]
  >;

  constructor(
    db: Db,
    private readonly store: EntityStore,
    private readonly leases: Leases,
    private readonly ledgers: FlightLedgers,
    private readonly clock: () => Date,
    private readonly options: PushOptions = {},
  ) {
    this.stored = db.prepare('SELECT result, status, code FROM mutation_log WHERE device_id = ? AND id = ?');
    this.storedAnywhere = db.prepare('SELECT result FROM mutation_log WHERE id = ? LIMIT 1');
    this.lastSeqOf = db.prepare('SELECT last_seq FROM device WHERE id = ?');
    this.logResult = db.prepare(
      `INSERT INTO mutation_log (device_id, id, seq, type, staff_id, status, code, mutation, result, processed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.advance = db.prepare('UPDATE device SET last_seq = ? WHERE id = ?');
    this.logPrint = db.prepare(
      `INSERT INTO print_log (print_job_id, device_id, mutation_id, staff_id, document, flight_id, passenger_id, copies, destination, reprint, printed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (print_job_id) DO NOTHING`,
    );
  }

  async push(device: Device, mutations: readonly (Mutation | MutationEnvelope)[]): Promise<PushSummary> {
    const order = mutations.map((m, i) => ({ m, i })).sort((a, b) => a.m.seq - b.m.seq);
    const out: string[] = new Array<string>(mutations.length);
    const counts: Record<string, number> = {};
    let gap = false;
    const cache: BatchCache = { flights: new Map(), staff: new Map() };
    // Each mutation runs in its own (nested) transaction; a group of them commits durably together,
    // so the disk is flushed once per group instead of once per mutation. Nothing is answered before
    // its group committed: a crash loses only unanswered work, which the workstation sends again.
    const size = this.options.commitGroup ?? COMMIT_GROUP;
    for (let start = 0; start < order.length; start += size) {
      const group = order.slice(start, start + size);
      const processed = this.store.db.transaction(() =>
        group.map(({ m }) => {
          const r = this.processOne(device, m, gap, cache);
          if (r.status === 'deferred') gap = true;
          return r;
        }),
      )();
      processed.forEach((r, k) => {
        out[group[k]!.i] = r.json;
        const key = r.replayed ? 'replayed' : r.status;
        counts[key] = (counts[key] ?? 0) + 1;
        if (r.code && !r.replayed) counts[r.code] = (counts[r.code] ?? 0) + 1;
      });
      // Let health checks and other workstations in between the groups of a long batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { resultsJson: `[${out.join(',')}]`, lastSeq: this.lastSeqOf.get(device.id)?.last_seq ?? 0, counts };
  }

  private processOne(device: Device, m: Mutation | MutationEnvelope, afterGap: boolean, cache: BatchCache): Processed {
    const flightId =
      typeof (m.args as { flightId?: unknown } | null)?.flightId === 'string' ? (m.args as { flightId: string }).flightId : null;
    try {
      return this.processInTransaction(device, m, afterGap, cache);
    } catch (error) {
      // The transaction rolled back: whatever the cache learnt from it is not true.
      if (flightId) cache.flights.delete(flightId);
      throw error;
    }
  }

  private processInTransaction(device: Device, m: Mutation | MutationEnvelope, afterGap: boolean, cache: BatchCache): Processed {
    return this.store.write((w) => {
      const stored = this.stored.get(device.id, m.id);
      if (stored) return { json: stored.result, status: stored.status, code: stored.code, replayed: true };
      if (afterGap) return deferred(m, 'An earlier mutation of this workstation is missing; send it first, then this one again.');
      const lastSeq = this.lastSeqOf.get(device.id)?.last_seq ?? 0;
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
      const earlier = this.storedAnywhere.get(m.id);
      const result: MutationResult = earlier
        ? { ...(JSON.parse(earlier.result) as MutationResult), seq: m.seq }
        : this.decideParsed(w, device, m, cache);
      const json = JSON.stringify(result);
      const code = 'code' in result ? result.code : null;
      const now = this.clock().toISOString();
      this.logResult.run(device.id, m.id, m.seq, m.type, m.staffId, result.status, code, JSON.stringify(m), json, now);
      this.advance.run(m.seq, device.id);
      if (this.options.slowMutationMs) sleepSync(this.options.slowMutationMs);
      return { json, status: result.status, code, replayed: false };
    });
  }

  /** A mutation the backend cannot read is refused on its own, and the queue moves on. */
  private decideParsed(w: Writer, device: Device, envelope: Mutation | MutationEnvelope, cache: BatchCache): MutationResult {
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
    return this.decide(w, device, parsed.data, cache);
  }

  private flightState(station: string, flightId: string, cache: BatchCache): CachedFlight | null {
    const cached = cache.flights.get(flightId);
    if (cached && cached.generation === this.store.generation(flightId)) return cached;
    const flight = this.store.flight(station, flightId);
    const seatMap = flight && this.store.seatMap(station, flight.seatMapId);
    if (!flight || !seatMap) return null;
    const entry: CachedFlight = {
      generation: this.store.generation(flightId),
      state: { flight, seatMap, passengers: this.store.passengersOf(flight.id) },
      ledger: null,
    };
    cache.flights.set(flightId, entry);
    return entry;
  }

  private staffOf(station: string, staffId: string, cache: BatchCache) {
    if (!cache.staff.has(staffId)) cache.staff.set(staffId, this.store.staff(station, staffId));
    return cache.staff.get(staffId) ?? null;
  }

  private decide(w: Writer, device: Device, m: Mutation, cache: BatchCache): MutationResult {
    const { id, seq } = m;
    const staff = this.staffOf(device.station, m.staffId, cache);
    if (!staff || !staff.active) {
      return {
        id,
        seq,
        status: 'rejected',
        code: 'UNKNOWN_STAFF',
        message: `Staff ID ${m.staffId} is not an active member of staff at ${device.station}.`,
      };
    }
    if (m.type === 'print.logged') {
      const a = m.args;
      this.logPrint.run(
        a.printJobId,
        device.id,
        m.id,
        m.staffId,
        a.document,
        a.flightId,
        a.passengerId,
        a.copies,
        a.destination,
        a.reprint ? 1 : 0,
        m.at,
      );
      // A printed boarding pass or close-out is part of the flight's ledger (it settles REPRINT and a stale close-out).
      if (a.flightId === null) return { id, seq, status: 'applied' };
    }
    const flightId = m.args.flightId;
    const entry = flightId === null ? null : this.flightState(device.station, flightId, cache);
    if (!entry) {
      return {
        id,
        seq,
        status: 'rejected',
        code: 'FLIGHT_NOT_FOUND',
        message: `Flight ${m.args.flightId} is not a flight of ${device.station}.`,
      };
    }
    entry.ledger ??= this.ledgers.load(entry.state);
    const roleOf = (staffId: string): StaffRole => this.staffOf(device.station, staffId, cache)?.role ?? 'agent';
    const recorded = this.ledgers.record(w, entry.state, entry.ledger, { mutation: m, origin: device.id }, roleOf);
    // Our own write moved the flight's generation; keep the cached state, updated, as current.
    cache.flights.set(entry.state.flight.id, {
      generation: this.store.generation(entry.state.flight.id),
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
          this.leases.markUsed(device.id, entry.state.flight.id, used);
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

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

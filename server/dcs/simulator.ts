/**
 * A stand-in for the airline's departure control system, so an outage can be played through end to
 * end: while "up" it changes the station's data the way a DCS does during a day — passengers check
 * in at kiosks and online, gates are announced and changed, flights are delayed, one is cancelled,
 * flights close and depart on time. "Down" (set through the admin route) stops all of that and is
 * what health reports, which is what tells workstations to switch to fallback.
 *
 * Upstream changes go through the same write path as pushes: check-ins are decided by the shared
 * applyMutation (with a one-number "lease" drawn from the flight's counter) and every change gets a
 * server version, so workstations receive them in their next pull.
 */
import { randomUUID } from 'node:crypto';
import { applyMutation } from '../../shared/domain/apply';
import type { Mutation } from '../../shared/domain/mutations';
import { checkSeat } from '../../shared/domain/rules';
import type { Flight, Passenger, SeatMap, StaffRole } from '../../shared/domain/schemas';
import { seatsOf } from '../../shared/domain/seatmap';
import type { DcsStatus } from '../../shared/protocol/v1';
import type { Db } from '../db/database';
import { getMeta, setMeta } from '../db/database';
import type { EntityStore, Writer } from '../db/entities';
import { Random } from '../demo/random';
import type { FlightLedgers } from '../sync/ledgers';
import type { Leases } from '../sync/leases';

export interface DcsEvent {
  kind: 'checkIn' | 'bookingCancelled' | 'gateChange' | 'delay' | 'cancel' | 'close' | 'depart';
  flightId: string;
  passengerId?: string;
}

/** The DCS acts under this ID; it is no member of staff, so it cannot be used to sign in. */
export const DCS_ACTOR = 'DCS';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export class DcsSimulator {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly store: EntityStore,
    private readonly leases: Leases,
    private readonly ledgers: FlightLedgers,
    private readonly station: string,
    private readonly clock: () => Date,
    private readonly seed: string,
    private readonly onEvents: (events: DcsEvent[]) => void = () => {},
  ) {}

  /** Roles of the staff whose actions a ledger holds (a reopen needs a supervisor). */
  private readonly roleOf = (staffId: string): StaffRole => this.store.staff(this.station, staffId)?.role ?? 'agent';

  status(): DcsStatus {
    return getMeta(this.db, 'dcs') === 'down' ? 'down' : 'up';
  }

  setStatus(status: DcsStatus): void {
    setMeta(this.db, 'dcs', status);
  }

  /** Runs `step()` every `intervalMs` while the DCS is up. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      if (this.status() === 'up') this.onEvents(this.step());
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round of upstream changes, in one transaction. Does nothing while the DCS is down. */
  step(): DcsEvent[] {
    if (this.status() === 'down') return [];
    const n = Number(getMeta(this.db, 'dcs.steps') ?? '0') + 1;
    const rng = new Random(`${this.seed}:dcs:${n}`);
    const nowMs = this.clock().getTime();
    return this.store.write((w) => {
      setMeta(this.db, 'dcs.steps', String(n));
      const events: DcsEvent[] = [];
      const flights = this.store.all(this.station, 'flight').sort((a, b) => a.std.localeCompare(b.std));
      this.closeAndDepart(w, flights, nowMs, events);
      const open = flights.filter((f) => f.status === 'scheduled');
      const checkInOpen = open.filter((f) => Date.parse(f.std) - 24 * HOUR <= nowMs && Date.parse(f.std) - 40 * MINUTE > nowMs);
      for (const f of pickSome(rng, checkInOpen, 3)) this.checkInSome(w, f, rng.int(1, 3), rng, nowMs, events);
      // Someone cancels their booking: the passenger leaves the manifest (a tombstone downstream).
      const withBookings = open.filter((f) => Date.parse(f.std) - nowMs > 2 * HOUR);
      if (withBookings.length > 0 && rng.chance(0.5)) this.cancelBooking(w, rng.pick(withBookings), rng, events);
      const soon = open.filter((f) => Date.parse(f.std) - nowMs < 5 * HOUR);
      if (soon.length > 0 && rng.chance(0.35)) {
        const f = rng.pick(soon);
        const gate = f.aircraftType === 'B789' ? `B${rng.int(32, 48)}` : `A${rng.int(1, 24)}`;
        if (gate !== f.gate) {
          this.ledgers.dcsFlightChange(w, f, { gate }, this.roleOf);
          events.push({ kind: 'gateChange', flightId: f.id });
        }
      }
      const onTime = open.filter((f) => f.etd === null && Date.parse(f.std) - nowMs < 6 * HOUR);
      if (onTime.length > 0 && rng.chance(0.2)) {
        const f = rng.pick(onTime);
        this.ledgers.dcsFlightChange(w, f, { etd: new Date(Date.parse(f.std) + rng.int(3, 18) * 5 * MINUTE).toISOString() }, this.roleOf);
        events.push({ kind: 'delay', flightId: f.id });
      }
      // One cancellation per simulated day is plenty to rehearse re-accommodation.
      const later = open.filter((f) => Date.parse(f.std) - nowMs > 4 * HOUR);
      if (getMeta(this.db, 'dcs.cancelled') === null && later.length > 0 && (n >= 3 || rng.chance(0.1))) {
        const f = rng.pick(later);
        this.ledgers.dcsFlightChange(w, f, { status: 'cancelled' }, this.roleOf);
        this.leases.revokeAll(w, f.id);
        setMeta(this.db, 'dcs.cancelled', f.id);
        events.push({ kind: 'cancel', flightId: f.id });
      }
      return events;
    });
  }

  private closeAndDepart(w: Writer, flights: Flight[], nowMs: number, events: DcsEvent[]): void {
    for (const f of flights) {
      const dep = Date.parse(f.etd ?? f.std);
      if ((f.status === 'scheduled' || f.status === 'closed') && dep < nowMs - 10 * MINUTE) {
        const departed = this.ledgers.dcsFlightChange(
          w,
          f,
          { status: 'departed', closedAt: f.closedAt ?? new Date(nowMs).toISOString(), closedBy: f.closedBy ?? DCS_ACTOR },
          this.roleOf,
        );
        this.leases.revokeAll(w, f.id);
        Object.assign(f, departed);
        events.push({ kind: 'depart', flightId: f.id });
      } else if (f.status === 'scheduled' && dep - 15 * MINUTE <= nowMs) {
        const closed = this.ledgers.dcsFlightChange(
          w,
          f,
          { status: 'closed', closedAt: new Date(nowMs).toISOString(), closedBy: DCS_ACTOR },
          this.roleOf,
        );
        Object.assign(f, closed);
        events.push({ kind: 'close', flightId: f.id });
      }
    }
  }

  private cancelBooking(w: Writer, flight: Flight, rng: Random, events: DcsEvent[]): void {
    const passengers = this.store.passengersOf(flight.id);
    // A lone adult, so no infant or party is left behind half-cancelled.
    const alone = passengers.filter(
      (p) => p.status === 'booked' && p.paxType === 'ADT' && p.infantId === null && passengers.filter((o) => o.pnr === p.pnr).length === 1,
    );
    if (alone.length === 0) return;
    const p = rng.pick(alone);
    this.ledgers.dcsRemovePassenger(w, flight, p.id, this.roleOf);
    events.push({ kind: 'bookingCancelled', flightId: flight.id, passengerId: p.id });
  }

  /** Checks in a few booked passengers as a kiosk would: their booked seat, else the first free one. */
  private checkInSome(w: Writer, flight: Flight, count: number, rng: Random, nowMs: number, events: DcsEvent[]): void {
    const seatMap = this.store.seatMap(this.station, flight.seatMapId);
    if (!seatMap) return;
    let passengers = this.store.passengersOf(flight.id);
    const candidates = passengers.filter(
      (p) => p.status === 'booked' && p.paxType !== 'INF' && (p.vetting === 'cleared' || p.vetting === 'selectee'),
    );
    for (const pax of pickSome(rng, candidates, count)) {
      const current = passengers.find((p) => p.id === pax.id) ?? pax;
      const seat = current.seat ?? firstFreeSeat(seatMap, passengers, current);
      if (!seat) continue;
      const seqNo = this.leases.takeNext(flight.id);
      const infantSeqNo = current.infantId ? this.leases.takeNext(flight.id) : null;
      if (seqNo === null || (current.infantId && infantSeqNo === null)) return;
      const m: Mutation = {
        id: randomUUID(),
        seq: 1,
        at: new Date(nowMs).toISOString(),
        staffId: DCS_ACTOR,
        type: 'passenger.checkIn',
        args: {
          flightId: flight.id,
          passengerId: current.id,
          seat,
          seqNo,
          infantSeqNo,
          bags: current.bags,
          docsChecked: true,
          standby: false,
        },
      };
      const leases = [seqNo, infantSeqNo].filter((x): x is number => x !== null).map((x) => ({ from: x, to: x }));
      const outcome = applyMutation({ flight, seatMap, passengers }, m, { staffId: DCS_ACTOR, role: 'agent', leases });
      if (outcome.kind !== 'applied') continue;
      if (this.ledgers.hasLedger(flight.id)) {
        // Desks acted on this flight: a kiosk check-in is one more fact in its ledger.
        const state = { flight, seatMap, passengers };
        passengers = this.ledgers
          .record(w, state, this.ledgers.load(state), { mutation: m, origin: DCS_ACTOR }, this.roleOf)
          .state.passengers.slice();
      } else {
        for (const p of outcome.passengers) w.put('passenger', flight.origin, p, { flightId: flight.id });
        const changed = new Map(outcome.passengers.map((p) => [p.id, p]));
        passengers = passengers.map((p) => changed.get(p.id) ?? p);
      }
      events.push({ kind: 'checkIn', flightId: flight.id, passengerId: current.id });
    }
  }
}

function firstFreeSeat(seatMap: SeatMap, passengers: readonly Passenger[], pax: Passenger): string | null {
  for (const s of seatsOf(seatMap)) {
    if (s.cabin === pax.cabin && !s.blocked && checkSeat(seatMap, passengers, pax, s.code) === null) return s.code;
  }
  return null;
}

function pickSome<T>(rng: Random, items: readonly T[], n: number): T[] {
  return rng.shuffle([...items]).slice(0, n);
}

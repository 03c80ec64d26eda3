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
 *
 * Its up/down switch lives in the database (`meta.dcs`), so every backend process serving one
 * database reports the same; each process reads it into memory (health and every pull answer from
 * there, never waiting on the database) and, on a shared store, re-reads it every second. Run the
 * timer (`--dcs-sim`) on one process only: each step is one transaction of the station.
 */
import { randomUUID } from 'node:crypto';
import { applyMutation } from '../../shared/domain/apply';
import type { Mutation } from '../../shared/domain/mutations';
import { checkSeat } from '../../shared/domain/rules';
import type { Flight, Passenger, SeatMap, StaffRole } from '../../shared/domain/schemas';
import { seatsOf } from '../../shared/domain/seatmap';
import type { DcsStatus } from '../../shared/protocol/v1';
import { Random } from '../demo/random';
import type { Store, Tx } from '../store/store';
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

/** How often a process re-reads the DCS switch on a store other processes also serve. */
export const DCS_STATUS_REFRESH_MS = 1_000;

export class DcsSimulator {
  private timer: NodeJS.Timeout | null = null;
  private refresher: NodeJS.Timeout | null = null;
  private current: DcsStatus = 'up';

  constructor(
    private readonly store: Store,
    private readonly leases: Leases,
    private readonly ledgers: FlightLedgers,
    private readonly station: string,
    private readonly clock: () => Date,
    private readonly seed: string,
    private readonly onEvents: (events: DcsEvent[]) => void = () => {},
  ) {}

  /** Reads the switch from the database; on a shared store, again every second until stopped. */
  async load(): Promise<void> {
    await this.refresh();
    if (this.store.shared && !this.refresher) {
      this.refresher = setInterval(() => void this.refresh().catch(() => {}), DCS_STATUS_REFRESH_MS);
      this.refresher.unref();
    }
  }

  private async refresh(): Promise<void> {
    this.current = (await this.store.getMeta('dcs')) === 'down' ? 'down' : 'up';
  }

  status(): DcsStatus {
    return this.current;
  }

  /** Switches the DCS up or down: at once in this process, in the database for the others. */
  setStatus(status: DcsStatus): Promise<void> {
    this.current = status;
    return this.store.setMeta('dcs', status);
  }

  /** Runs `step()` every `intervalMs` while the DCS is up. */
  start(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer);
    let running = false;
    this.timer = setInterval(() => {
      if (running || this.status() !== 'up') return;
      running = true;
      this.step().then(
        (events) => {
          running = false;
          this.onEvents(events);
        },
        () => {
          running = false;
        },
      );
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.refresher) clearInterval(this.refresher);
    this.timer = null;
    this.refresher = null;
  }

  /** One round of upstream changes, in one transaction of the station. Does nothing while the DCS is down. */
  async step(): Promise<DcsEvent[]> {
    if (this.status() === 'down') return [];
    const nowMs = this.clock().getTime();
    return this.store.write(this.station, async (tx) => {
      // Inside the station's lock: another process may have switched the DCS or stepped meanwhile.
      if ((await tx.getMeta('dcs')) === 'down') return [];
      const n = Number((await tx.getMeta('dcs.steps')) ?? '0') + 1;
      const rng = new Random(`${this.seed}:dcs:${n}`);
      tx.setMeta('dcs.steps', String(n));
      const staff = new Map((await tx.all(this.station, 'staff')).map((s) => [s.id, s.role]));
      const roleOf = (staffId: string): StaffRole => staff.get(staffId) ?? 'agent';
      const events: DcsEvent[] = [];
      const flights = (await tx.all(this.station, 'flight')).sort((a, b) => a.std.localeCompare(b.std));
      await this.closeAndDepart(tx, flights, nowMs, events, roleOf);
      const open = flights.filter((f) => f.status === 'scheduled');
      const checkInOpen = open.filter((f) => Date.parse(f.std) - 24 * HOUR <= nowMs && Date.parse(f.std) - 40 * MINUTE > nowMs);
      for (const f of pickSome(rng, checkInOpen, 3)) await this.checkInSome(tx, f, rng.int(1, 3), rng, nowMs, events, roleOf);
      // Someone cancels their booking: the passenger leaves the manifest (a tombstone downstream).
      const withBookings = open.filter((f) => Date.parse(f.std) - nowMs > 2 * HOUR);
      if (withBookings.length > 0 && rng.chance(0.5)) await this.cancelBooking(tx, rng.pick(withBookings), rng, events, roleOf);
      const soon = open.filter((f) => Date.parse(f.std) - nowMs < 5 * HOUR);
      if (soon.length > 0 && rng.chance(0.35)) {
        const f = rng.pick(soon);
        const gate = f.aircraftType === 'B789' ? `B${rng.int(32, 48)}` : `A${rng.int(1, 24)}`;
        if (gate !== f.gate) {
          await this.ledgers.dcsFlightChange(tx, f, { gate }, roleOf);
          events.push({ kind: 'gateChange', flightId: f.id });
        }
      }
      const onTime = open.filter((f) => f.etd === null && Date.parse(f.std) - nowMs < 6 * HOUR);
      if (onTime.length > 0 && rng.chance(0.2)) {
        const f = rng.pick(onTime);
        await this.ledgers.dcsFlightChange(tx, f, { etd: new Date(Date.parse(f.std) + rng.int(3, 18) * 5 * MINUTE).toISOString() }, roleOf);
        events.push({ kind: 'delay', flightId: f.id });
      }
      // One cancellation per simulated day is plenty to rehearse re-accommodation.
      const later = open.filter((f) => Date.parse(f.std) - nowMs > 4 * HOUR);
      if ((await tx.getMeta('dcs.cancelled')) === null && later.length > 0 && (n >= 3 || rng.chance(0.1))) {
        const f = rng.pick(later);
        await this.ledgers.dcsFlightChange(tx, f, { status: 'cancelled' }, roleOf);
        await this.leases.revokeAll(tx, f.id);
        tx.setMeta('dcs.cancelled', f.id);
        events.push({ kind: 'cancel', flightId: f.id });
      }
      return events;
    });
  }

  private async closeAndDepart(
    tx: Tx,
    flights: Flight[],
    nowMs: number,
    events: DcsEvent[],
    roleOf: (staffId: string) => StaffRole,
  ): Promise<void> {
    for (const f of flights) {
      const dep = Date.parse(f.etd ?? f.std);
      if ((f.status === 'scheduled' || f.status === 'closed') && dep < nowMs - 10 * MINUTE) {
        const departed = await this.ledgers.dcsFlightChange(
          tx,
          f,
          { status: 'departed', closedAt: f.closedAt ?? new Date(nowMs).toISOString(), closedBy: f.closedBy ?? DCS_ACTOR },
          roleOf,
        );
        await this.leases.revokeAll(tx, f.id);
        Object.assign(f, departed);
        events.push({ kind: 'depart', flightId: f.id });
      } else if (f.status === 'scheduled' && dep - 15 * MINUTE <= nowMs) {
        const closed = await this.ledgers.dcsFlightChange(
          tx,
          f,
          { status: 'closed', closedAt: new Date(nowMs).toISOString(), closedBy: DCS_ACTOR },
          roleOf,
        );
        Object.assign(f, closed);
        events.push({ kind: 'close', flightId: f.id });
      }
    }
  }

  private async cancelBooking(
    tx: Tx,
    flight: Flight,
    rng: Random,
    events: DcsEvent[],
    roleOf: (staffId: string) => StaffRole,
  ): Promise<void> {
    const passengers = await tx.passengersOf(flight.id);
    // A lone adult, so no infant or party is left behind half-cancelled.
    const alone = passengers.filter(
      (p) => p.status === 'booked' && p.paxType === 'ADT' && p.infantId === null && passengers.filter((o) => o.pnr === p.pnr).length === 1,
    );
    if (alone.length === 0) return;
    const p = rng.pick(alone);
    await this.ledgers.dcsRemovePassenger(tx, flight, p.id, roleOf);
    events.push({ kind: 'bookingCancelled', flightId: flight.id, passengerId: p.id });
  }

  /** Checks in a few booked passengers as a kiosk would: their booked seat, else the first free one. */
  private async checkInSome(
    tx: Tx,
    flight: Flight,
    count: number,
    rng: Random,
    nowMs: number,
    events: DcsEvent[],
    roleOf: (staffId: string) => StaffRole,
  ): Promise<void> {
    const seatMap = await tx.get(this.station, 'seatMap', flight.seatMapId);
    if (!seatMap) return;
    let passengers = await tx.passengersOf(flight.id);
    const candidates = passengers.filter(
      (p) => p.status === 'booked' && p.paxType !== 'INF' && (p.vetting === 'cleared' || p.vetting === 'selectee'),
    );
    for (const pax of pickSome(rng, candidates, count)) {
      const current = passengers.find((p) => p.id === pax.id) ?? pax;
      const seat = current.seat ?? firstFreeSeat(seatMap, passengers, current);
      if (!seat) continue;
      const seqNo = await this.leases.takeNext(tx, flight.id);
      const infantSeqNo = current.infantId ? await this.leases.takeNext(tx, flight.id) : null;
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
      if (await this.ledgers.hasLedger(tx, flight.id)) {
        // Desks acted on this flight: a kiosk check-in is one more fact in its ledger.
        const state = { flight, seatMap, passengers };
        passengers = this.ledgers
          .record(tx, state, await this.ledgers.load(tx, state), { mutation: m, origin: DCS_ACTOR }, roleOf)
          .state.passengers.slice();
      } else {
        for (const p of outcome.passengers) tx.put('passenger', flight.origin, p, { flightId: flight.id });
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

/**
 * Recording actions on a flight's ledger and keeping the flight's entity rows equal to the ledger
 * folded (shared/domain/ledger.ts): a fact from a workstation, a kiosk check-in from the DCS, or a
 * change the DCS makes to the flight itself. Only the rows that changed get new versions, so the
 * change feed carries exactly what moved.
 */
import type { FlightState } from '../../shared/domain/apply';
import { foldLedger, type Fact, type FactOutcome } from '../../shared/domain/ledger';
import type { FlightView } from '../../shared/domain/replay';
import type { Flight, Passenger, StaffRole } from '../../shared/domain/schemas';
import type { Tx } from '../store/store';
import type { LedgerStore } from './ledger-store';

/** A flight's ledger as loaded: its base, its facts, and whether the base is stored yet. */
export interface LoadedLedger {
  base: FlightView;
  facts: Fact[];
  stored: boolean;
}

export interface Recorded {
  outcome: FactOutcome;
  /** The flight's state after the fact: what the entity rows now hold. */
  state: FlightState;
  ledger: LoadedLedger;
  /** What this fact changed (its consequences for other passengers included). */
  changed: { flight: Flight | null; passengers: Passenger[] };
}

export class FlightLedgers {
  constructor(private readonly ledgers: LedgerStore) {}

  /** The ledger of a flight; a flight nobody acted on yet gets its current rows as its base. */
  async load(tx: Tx, state: FlightState): Promise<LoadedLedger> {
    const base = await this.ledgers.base(tx, state.flight.id);
    if (base) return { base, facts: await this.ledgers.facts(tx, state.flight.id), stored: true };
    return { base: { flight: state.flight, passengers: [...state.passengers] }, facts: [], stored: false };
  }

  /**
   * Records one fact (unless it is invalid in itself: then nothing is stored and the outcome says
   * why) and writes what changed. `ledger` may come from a cache; it is updated in place.
   */
  record(tx: Tx, state: FlightState, ledger: LoadedLedger, fact: Fact, roleOf: (staffId: string) => StaffRole): Recorded {
    const folded = foldLedger({ base: ledger.base, seatMap: state.seatMap, facts: [...ledger.facts, fact], roleOf });
    const outcome = folded.outcomes.get(fact.mutation.id)!;
    if (outcome.kind === 'rejected') return { outcome, state, ledger, changed: { flight: null, passengers: [] } };
    if (!ledger.stored) {
      this.ledgers.saveBase(tx, state.flight.origin, ledger.base);
      ledger.stored = true;
    }
    this.ledgers.addFact(tx, state.flight.id, fact);
    ledger.facts.push(fact);
    const changed = this.writeChanges(tx, state, folded.view);
    return { outcome, state: { flight: folded.view.flight, seatMap: state.seatMap, passengers: folded.view.passengers }, ledger, changed };
  }

  /**
   * The DCS changed the flight itself (gate, times, status): for a flight with a ledger the change
   * goes into the base and the ledger is folded again, so desks' actions stay on top of it.
   */
  async dcsFlightChange(tx: Tx, flight: Flight, change: Partial<Flight>, roleOf: (staffId: string) => StaffRole): Promise<Flight> {
    const base = await this.ledgers.base(tx, flight.id);
    if (!base) {
      const next = { ...flight, ...change };
      tx.putFlight(next);
      return next;
    }
    await this.refold(tx, flight.origin, { ...base, flight: { ...base.flight, ...change } }, roleOf);
    return (await tx.get(flight.origin, 'flight', flight.id)) ?? flight;
  }

  /** The DCS removed a passenger (booking cancelled): out of the base too, so the ledger agrees. */
  async dcsRemovePassenger(tx: Tx, flight: Flight, passengerId: string, roleOf: (staffId: string) => StaffRole): Promise<void> {
    tx.remove('passenger', flight.origin, passengerId, { flightId: flight.id });
    const base = await this.ledgers.base(tx, flight.id);
    if (base) await this.refold(tx, flight.origin, { ...base, passengers: base.passengers.filter((p) => p.id !== passengerId) }, roleOf);
  }

  /**
   * The flight's base is now `base` (a station relay learnt central's state of the flight): the
   * facts still held are folded over it again and the rows that differ are written.
   */
  rebase(tx: Tx, base: FlightView, roleOf: (staffId: string) => StaffRole): Promise<void> {
    return this.refold(tx, base.flight.origin, base, roleOf);
  }

  async hasLedger(tx: Tx, flightId: string): Promise<boolean> {
    return (await tx.ledgerBase(flightId)) !== null;
  }

  private async refold(tx: Tx, station: string, base: FlightView, roleOf: (staffId: string) => StaffRole): Promise<void> {
    this.ledgers.saveBase(tx, station, base);
    const seatMap = await tx.get(station, 'seatMap', base.flight.seatMapId);
    const flight = await tx.get(station, 'flight', base.flight.id);
    if (!seatMap || !flight) return;
    const folded = foldLedger({ base, seatMap, facts: await this.ledgers.facts(tx, base.flight.id), roleOf });
    this.writeChanges(tx, { flight, seatMap, passengers: await tx.passengersOf(flight.id) }, folded.view);
  }

  /** Writes the rows that differ between the flight's current state and its folded view; returns them. */
  private writeChanges(tx: Tx, state: FlightState, view: FlightView): Recorded['changed'] {
    const flightChanged = JSON.stringify(view.flight) !== JSON.stringify(state.flight);
    if (flightChanged) tx.putFlight(view.flight);
    const current = new Map(state.passengers.map((p) => [p.id, JSON.stringify(p)]));
    const passengers = view.passengers.filter((p) => current.get(p.id) !== JSON.stringify(p));
    for (const p of passengers) tx.put('passenger', view.flight.origin, p, { flightId: view.flight.id });
    return { flight: flightChanged ? view.flight : null, passengers };
  }
}

/**
 * What a supervisor must finish after an outage, in one list: passengers flagged by the
 * reconciliation (shared/domain/ledger.ts) — a seat to give again, a pass to reprint or collect, an
 * acceptance or a vetting to confirm —, flights whose printed close-out is superseded, and actions
 * the backend refused. Pure: built from what the local database holds, so it is the same list on
 * every desk once they have synced.
 */
import type { Flight, FlightFlag, Passenger, PassengerFlag } from '../../../shared/domain/schemas';
import type { SyncOutcome } from '../../db/schema';

export type AttentionItem =
  | { kind: 'passenger'; key: string; flight: Flight; passenger: Passenger; flag: PassengerFlag; keptBy: Passenger | null }
  | { kind: 'flight'; key: string; flight: Flight; flag: FlightFlag }
  | { kind: 'refused'; key: string; outcome: SyncOutcome; flight: Flight | null; passenger: Passenger | null };

export interface AttentionInput {
  flights: readonly Flight[];
  passengersOf: (flightId: string) => readonly Passenger[];
  /** Refused actions not yet marked handled. */
  refused: readonly SyncOutcome[];
}

/** Flights by departure, then passengers by name, then what they need; refusals last, newest first. */
export function attentionItems({ flights, passengersOf, refused }: AttentionInput): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const flight of [...flights].sort((a, b) => a.std.localeCompare(b.std))) {
    for (const flag of flight.flags ?? []) items.push({ kind: 'flight', key: `${flight.id}/${flag.code}`, flight, flag });
    const passengers = passengersOf(flight.id);
    const flagged = passengers
      .filter((p) => (p.flags ?? []).length > 0)
      .sort((a, b) => a.lastName.localeCompare(b.lastName) || a.id.localeCompare(b.id));
    for (const passenger of flagged) {
      for (const [i, flag] of (passenger.flags ?? []).entries()) {
        const keptBy =
          flag.code === 'RESEAT' && flag.lostSeat
            ? (passengers.find((o) => o.id !== passenger.id && o.seat === flag.lostSeat) ?? null)
            : null;
        items.push({ kind: 'passenger', key: `${passenger.id}/${flag.code}/${i}`, flight, passenger, flag, keptBy });
      }
    }
  }
  const byId = new Map(flights.map((f) => [f.id, f]));
  for (const outcome of [...refused].sort((a, b) => b.at.localeCompare(a.at))) {
    const flight = outcome.flightId ? (byId.get(outcome.flightId) ?? null) : null;
    const passenger =
      outcome.passengerId === null
        ? null
        : ((flight ? passengersOf(flight.id).find((p) => p.id === outcome.passengerId) : undefined) ??
          outcome.server?.passengers.find((p) => p.id === outcome.passengerId) ??
          null);
    items.push({ kind: 'refused', key: outcome.id, outcome, flight, passenger });
  }
  return items;
}

/** How many items the status bar counts, from the flight records alone (no manifest is loaded). */
export function attentionCount(flights: readonly (Flight & { counts: { attention?: number } })[], refused: number): number {
  return flights.reduce((n, f) => n + (f.counts.attention ?? 0) + (f.flags?.length ?? 0), 0) + refused;
}

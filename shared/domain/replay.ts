/**
 * Rebase: the state a workstation shows is the backend's state with its own not-yet-synced actions
 * applied on top, in order, by the same rules. When pulled changes or push results move the
 * backend's state, the pending actions are replayed over the new base, so the screen never flickers
 * back to an older state and never shows an action the rules would now refuse.
 */
import { applyMutation, type Actor } from './apply';
import type { Mutation } from './mutations';
import type { Flight, Passenger, SeatMap } from './schemas';

export interface FlightView {
  flight: Flight;
  passengers: Passenger[];
}

/** Replaces passengers by id, appending ones not seen before; keeps the list order stable. */
export function mergePassengers(list: readonly Passenger[], changed: readonly Passenger[]): Passenger[] {
  if (changed.length === 0) return [...list];
  const byId = new Map(changed.map((p) => [p.id, p]));
  const merged = list.map((p) => {
    const next = byId.get(p.id);
    if (next) byId.delete(p.id);
    return next ?? p;
  });
  return byId.size === 0 ? merged : [...merged, ...byId.values()];
}

export function replay(
  base: FlightView,
  seatMap: SeatMap,
  pending: readonly Mutation[],
  actorOf: (m: Mutation) => Actor,
): { view: FlightView; refused: Mutation[] } {
  let view: FlightView = { flight: base.flight, passengers: [...base.passengers] };
  const refused: Mutation[] = [];
  for (const m of pending) {
    const outcome = applyMutation({ flight: view.flight, seatMap, passengers: view.passengers }, m, actorOf(m));
    if (outcome.kind === 'applied') {
      view = { flight: outcome.flight ?? view.flight, passengers: mergePassengers(view.passengers, outcome.passengers) };
    } else if (outcome.kind !== 'duplicate') {
      refused.push(m);
    }
  }
  return { view, refused };
}

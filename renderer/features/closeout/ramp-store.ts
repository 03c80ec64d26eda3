/**
 * The tags the ramp reported loaded, per flight, while the agent runs the ramp check: UI state of
 * the close-out screen (kept while the agent moves between tabs), not data. Whose bag each is and
 * whether it may fly always comes from the passengers in the database (shared/domain/bag-tags.ts rampCheck).
 */
import { create } from 'zustand';

interface RampStore {
  loaded: Readonly<Record<string, readonly string[]>>;
}

export const useRampStore = create<RampStore>(() => ({ loaded: {} }));

export function loadedOn(flightId: string): (s: RampStore) => readonly string[] {
  return (s) => s.loaded[flightId] ?? NONE;
}
const NONE: readonly string[] = [];

/** A tag reported loaded (again: it moves to the end, so the last one scanned shows last). */
export function markLoaded(flightId: string, plate: string): void {
  useRampStore.setState((s) => ({
    loaded: { ...s.loaded, [flightId]: [...(s.loaded[flightId] ?? []).filter((t) => t !== plate), plate] },
  }));
}

/** A tag taken off the aircraft again. */
export function markOff(flightId: string, plate: string): void {
  useRampStore.setState((s) => ({ loaded: { ...s.loaded, [flightId]: (s.loaded[flightId] ?? []).filter((t) => t !== plate) } }));
}

export function clearRamp(flightId: string): void {
  useRampStore.setState((s) => ({ loaded: { ...s.loaded, [flightId]: [] } }));
}

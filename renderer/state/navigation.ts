/** Where the agent is in the app. UI state only; the data itself always comes from the database. Its writers live here. */
import { create } from 'zustand';

export type FlightTab = 'manifest' | 'checkin' | 'boarding' | 'closeout' | 'load';

export type Route =
  | { name: 'departures' }
  | { name: 'flight'; flightId: string; tab: FlightTab }
  | { name: 'search' }
  | { name: 'sync' }
  | { name: 'settings' }
  | { name: 'diagnostics' };

export interface NavigationStore {
  route: Route;
  /** The passenger open in the side panel (manifest and check-in). */
  passengerId: string | null;
}

export const useNavigation = create<NavigationStore>(() => ({ route: { name: 'departures' }, passengerId: null }));

export function go(route: Route, passengerId: string | null = null): void {
  useNavigation.setState({ route, passengerId });
}

export function openFlight(flightId: string, tab: FlightTab = 'manifest', passengerId: string | null = null): void {
  go({ name: 'flight', flightId, tab }, passengerId);
}

/** Esc: closes the open passenger first, then leaves the flight. */
export function back(): void {
  const { route, passengerId } = useNavigation.getState();
  if (route.name === 'flight' && passengerId) useNavigation.setState({ passengerId: null });
  else if (route.name !== 'departures') go({ name: 'departures' });
}

export function selectPassenger(passengerId: string | null): void {
  useNavigation.setState({ passengerId });
}

/** Where the agent is in the app. UI state only; the data itself always comes from the database. */
import { create } from 'zustand';

export type FlightTab = 'manifest' | 'checkin' | 'boarding' | 'closeout';

export type Route =
  | { name: 'departures' }
  | { name: 'flight'; flightId: string; tab: FlightTab }
  | { name: 'search' }
  | { name: 'sync' }
  | { name: 'settings' };

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

export function selectPassenger(passengerId: string | null): void {
  useNavigation.setState({ passengerId });
}

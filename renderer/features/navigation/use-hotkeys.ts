/** Function keys for the screens agents switch between all day; Esc goes back to departures. */
import { useEffect } from 'react';
import { go, openFlight, useNavigation, type FlightTab } from '../../state/navigation';

const FLIGHT_KEYS: Record<string, FlightTab> = { F4: 'manifest', F5: 'checkin', F6: 'boarding', F7: 'closeout' };

export function useHotkeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { route, passengerId } = useNavigation.getState();
      if (e.key === 'F2') go({ name: 'departures' });
      else if (e.key === 'F3') go({ name: 'search' });
      else if (e.key in FLIGHT_KEYS && route.name === 'flight') openFlight(route.flightId, FLIGHT_KEYS[e.key], passengerId);
      else if (e.key === 'Escape' && route.name !== 'departures' && !(e.target instanceof HTMLInputElement && e.target.value !== '')) {
        if (route.name === 'flight' && passengerId) useNavigation.setState({ passengerId: null });
        else go({ name: 'departures' });
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

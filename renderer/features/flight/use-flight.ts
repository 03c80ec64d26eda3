import { useLiveQuery } from 'dexie-react-hooks';
import type { Passenger, SeatMap } from '../../../shared/domain/schemas';
import type { LocalFlight } from '../../db/schema';
import { useServices } from '../../services';

export interface FlightData {
  flight: LocalFlight;
  passengers: Passenger[];
  seatMap: SeatMap | null;
  /** Actions on this flight still waiting to sync. */
  pending: number;
}

/** One flight's live data; undefined while loading, null when the flight is not in the local copy. */
export function useFlight(flightId: string): FlightData | null | undefined {
  const { db } = useServices();
  return useLiveQuery(async () => {
    const flight = await db.flights.get(flightId);
    if (!flight) return null;
    const [manifest, seatMap, pending] = await Promise.all([
      db.manifests.get(flightId),
      db.seatMaps.get(flight.seatMapId),
      db.outbox.where('flightId').equals(flightId).count(),
    ]);
    return { flight, passengers: manifest?.passengers ?? [], seatMap: seatMap ?? null, pending };
  }, [db, flightId]);
}

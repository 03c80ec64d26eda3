import type { Passenger } from '../../shared/domain/schemas';
import type { FlightCounts } from './schema';

/** The counts the departures board shows, kept on each flight record whenever its manifest changes. */
export function countPassengers(passengers: readonly Passenger[]): FlightCounts {
  const c: FlightCounts = { total: 0, booked: 0, checkedIn: 0, boarded: 0, standby: 0, infants: 0, offloaded: 0, noShow: 0 };
  for (const p of passengers) {
    if (p.paxType === 'INF') c.infants += 1;
    if (p.status === 'offloaded') c.offloaded += 1;
    else if (p.status === 'no-show') c.noShow += 1;
    else {
      c.total += 1;
      if (p.status === 'booked') c.booked += 1;
      if (p.status === 'checked-in' || p.status === 'boarded') c.checkedIn += 1;
      if (p.status === 'boarded') c.boarded += 1;
      if (p.standby) c.standby += 1;
    }
  }
  return c;
}

import type { Passenger } from '../../shared/domain/schemas';
import type { FlightCounts } from './schema';

/**
 * The counts the departures board and the flight header show, kept on each flight record whenever
 * its manifest changes. Same conventions as shared/domain/headcount.ts (which the gate, close-out
 * and printed documents use), so no two screens disagree: passengers are counted apart from lap
 * infants, "booked" is everyone on the list, "checked in" includes those who have boarded.
 */
export function countPassengers(passengers: readonly Passenger[]): FlightCounts {
  const c: FlightCounts = { total: 0, booked: 0, checkedIn: 0, boarded: 0, standby: 0, infants: 0, offloaded: 0, noShow: 0 };
  for (const p of passengers) {
    if (p.status === 'offloaded') c.offloaded += 1;
    if (p.status === 'no-show') c.noShow += 1;
    if (p.paxType === 'INF') {
      c.infants += 1;
      continue;
    }
    c.total += 1;
    if (p.status === 'booked') c.booked += 1;
    if (p.status === 'checked-in' || p.status === 'boarded') c.checkedIn += 1;
    if (p.status === 'boarded') c.boarded += 1;
    if (p.status === 'checked-in' && p.standby && p.seat === null) c.standby += 1;
  }
  return c;
}

/**
 * A flight as agents say it in messages: "BQ1840 on 2 Dec", never an internal id such as
 * "BQ1840-2026-12-02". The date is the flight's scheduled (station-local) date.
 */
import { flightLabel } from './domain/rules';
import type { Flight } from './domain/schemas';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "BQ1840 on 2 Dec"; "this flight" when the flight is not known (no record in the local copy). */
export function flightLabelWithDate(flight: Pick<Flight, 'carrier' | 'number' | 'date'> | null | undefined): string {
  if (!flight) return 'this flight';
  const [, month, day] = flight.date.split('-');
  const monthName = MONTHS[Number(month) - 1];
  return monthName && day ? `${flightLabel(flight)} on ${Number(day)} ${monthName}` : flightLabel(flight);
}

/**
 * The order station-wide search lists flights in: the soonest departure first (by its latest
 * estimate), cancelled flights after every flight still to go, and departed flights left out
 * unless asked for (then last, the most recent first).
 */
import type { Flight } from '../../../shared/domain/schemas';

type Orderable = Pick<Flight, 'id' | 'std' | 'etd' | 'status'>;

/** Far enough apart that no departure time (ms since 1970) crosses from one band into the next. */
const BAND = 1e14;

export function searchFlightOrder(flights: readonly Orderable[], includeDeparted: boolean): (flightId: string) => number | null {
  const order = new Map<string, number>();
  for (const f of flights) {
    const at = Date.parse(f.etd ?? f.std);
    if (f.status === 'departed') {
      if (includeDeparted) order.set(f.id, 3 * BAND - at);
    } else if (f.status === 'cancelled') order.set(f.id, BAND + at);
    else order.set(f.id, at);
  }
  return (flightId) => order.get(flightId) ?? null;
}

import { localDate, localDay, zoneLabel } from '../../../shared/time';
import type { LocalFlight } from '../../db/schema';
import type { strings } from '../../strings';

export type DisplayStatus = keyof typeof strings.flightStatus;

/** Scheduled flights with someone on board show as Boarding: what the gate sees. */
export function displayStatus(f: Pick<LocalFlight, 'status' | 'counts'>): DisplayStatus {
  return f.status === 'scheduled' && f.counts.boarded > 0 ? 'boarding' : f.status;
}

/** Matches what agents type to find a flight: "123", "BQ123", "bq 123", or a destination "MAD". */
export function matchesFlight(f: Pick<LocalFlight, 'carrier' | 'number' | 'destination'>, query: string): boolean {
  const q = query.toUpperCase().replace(/\s+/g, '');
  if (q === '') return true;
  const label = `${f.carrier}${f.number}`;
  return label.startsWith(q) || f.number.startsWith(q.replace(/^0+/, '')) || f.destination.startsWith(q);
}

/** One station-local day of a departures list: its flights and the zone name(s) their times are in. */
export interface StationDay<F> {
  /** "2027-03-27" at the station. */
  date: string;
  /** "Sat 27 Mar". */
  label: string;
  /** The zone's names that day, in order: ["GMT"], or ["GMT", "BST"] on the day the clocks change. */
  zones: string[];
  flights: F[];
}

/** Flights (in departure order) grouped by the station-local day of their STD. */
export function byStationDay<F extends Pick<LocalFlight, 'std'>>(flights: readonly F[], zone: string): StationDay<F>[] {
  const days: StationDay<F>[] = [];
  for (const f of flights) {
    const date = localDate(f.std, zone);
    let day = days.at(-1);
    if (!day || day.date !== date) {
      day = { date, label: localDay(f.std, zone), zones: [], flights: [] };
      days.push(day);
    }
    const name = zoneLabel(f.std, zone);
    if (!day.zones.includes(name)) day.zones.push(name);
    day.flights.push(f);
  }
  return days;
}

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

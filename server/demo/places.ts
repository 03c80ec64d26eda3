/** Airports for demo data: the stations a backend can serve, and the routes flown from them. */
import { DEFAULT_PIN_POLICY } from '../../shared/domain/pin-policy';
import type { Station } from '../../shared/domain/schemas';

export type Region = 'uk' | 'europe' | 'americas' | 'gulf' | 'southAsia' | 'eastAsia' | 'oceania' | 'africa';

export interface Airport {
  code: string;
  city: string;
  name: string;
  timeZone: string;
  region: Region;
  /** Long-haul from a European hub: flown with the widebody. */
  longHaul: boolean;
}

export const AIRPORTS: readonly Airport[] = [
  { code: 'LHR', city: 'London', name: 'London Heathrow', timeZone: 'Europe/London', region: 'uk', longHaul: false },
  { code: 'LGW', city: 'London', name: 'London Gatwick', timeZone: 'Europe/London', region: 'uk', longHaul: false },
  { code: 'MAN', city: 'Manchester', name: 'Manchester', timeZone: 'Europe/London', region: 'uk', longHaul: false },
  { code: 'EDI', city: 'Edinburgh', name: 'Edinburgh', timeZone: 'Europe/London', region: 'uk', longHaul: false },
  { code: 'GLA', city: 'Glasgow', name: 'Glasgow', timeZone: 'Europe/London', region: 'uk', longHaul: false },
  { code: 'BHD', city: 'Belfast', name: 'Belfast City', timeZone: 'Europe/London', region: 'uk', longHaul: false },
  { code: 'DUB', city: 'Dublin', name: 'Dublin', timeZone: 'Europe/Dublin', region: 'europe', longHaul: false },
  { code: 'CDG', city: 'Paris', name: 'Paris Charles de Gaulle', timeZone: 'Europe/Paris', region: 'europe', longHaul: false },
  { code: 'AMS', city: 'Amsterdam', name: 'Amsterdam Schiphol', timeZone: 'Europe/Amsterdam', region: 'europe', longHaul: false },
  { code: 'FRA', city: 'Frankfurt', name: 'Frankfurt', timeZone: 'Europe/Berlin', region: 'europe', longHaul: false },
  { code: 'MUC', city: 'Munich', name: 'Munich', timeZone: 'Europe/Berlin', region: 'europe', longHaul: false },
  { code: 'BER', city: 'Berlin', name: 'Berlin Brandenburg', timeZone: 'Europe/Berlin', region: 'europe', longHaul: false },
  { code: 'ZRH', city: 'Zurich', name: 'Zurich', timeZone: 'Europe/Zurich', region: 'europe', longHaul: false },
  { code: 'GVA', city: 'Geneva', name: 'Geneva', timeZone: 'Europe/Zurich', region: 'europe', longHaul: false },
  { code: 'VIE', city: 'Vienna', name: 'Vienna', timeZone: 'Europe/Vienna', region: 'europe', longHaul: false },
  { code: 'MAD', city: 'Madrid', name: 'Madrid Barajas', timeZone: 'Europe/Madrid', region: 'europe', longHaul: false },
  { code: 'BCN', city: 'Barcelona', name: 'Barcelona El Prat', timeZone: 'Europe/Madrid', region: 'europe', longHaul: false },
  { code: 'LIS', city: 'Lisbon', name: 'Lisbon', timeZone: 'Europe/Lisbon', region: 'europe', longHaul: false },
  { code: 'FCO', city: 'Rome', name: 'Rome Fiumicino', timeZone: 'Europe/Rome', region: 'europe', longHaul: false },
  { code: 'MXP', city: 'Milan', name: 'Milan Malpensa', timeZone: 'Europe/Rome', region: 'europe', longHaul: false },
  { code: 'ATH', city: 'Athens', name: 'Athens', timeZone: 'Europe/Athens', region: 'europe', longHaul: false },
  { code: 'CPH', city: 'Copenhagen', name: 'Copenhagen', timeZone: 'Europe/Copenhagen', region: 'europe', longHaul: false },
  { code: 'ARN', city: 'Stockholm', name: 'Stockholm Arlanda', timeZone: 'Europe/Stockholm', region: 'europe', longHaul: false },
  { code: 'OSL', city: 'Oslo', name: 'Oslo Gardermoen', timeZone: 'Europe/Oslo', region: 'europe', longHaul: false },
  { code: 'HEL', city: 'Helsinki', name: 'Helsinki', timeZone: 'Europe/Helsinki', region: 'europe', longHaul: false },
  { code: 'WAW', city: 'Warsaw', name: 'Warsaw Chopin', timeZone: 'Europe/Warsaw', region: 'europe', longHaul: false },
  { code: 'PRG', city: 'Prague', name: 'Prague', timeZone: 'Europe/Prague', region: 'europe', longHaul: false },
  { code: 'BUD', city: 'Budapest', name: 'Budapest', timeZone: 'Europe/Budapest', region: 'europe', longHaul: false },
  { code: 'NCE', city: 'Nice', name: "Nice Côte d'Azur", timeZone: 'Europe/Paris', region: 'europe', longHaul: false },
  { code: 'IST', city: 'Istanbul', name: 'Istanbul', timeZone: 'Europe/Istanbul', region: 'europe', longHaul: false },
  { code: 'JFK', city: 'New York', name: 'New York JFK', timeZone: 'America/New_York', region: 'americas', longHaul: true },
  { code: 'BOS', city: 'Boston', name: 'Boston Logan', timeZone: 'America/New_York', region: 'americas', longHaul: true },
  { code: 'IAD', city: 'Washington', name: 'Washington Dulles', timeZone: 'America/New_York', region: 'americas', longHaul: true },
  { code: 'ORD', city: 'Chicago', name: "Chicago O'Hare", timeZone: 'America/Chicago', region: 'americas', longHaul: true },
  { code: 'MIA', city: 'Miami', name: 'Miami', timeZone: 'America/New_York', region: 'americas', longHaul: true },
  { code: 'LAX', city: 'Los Angeles', name: 'Los Angeles', timeZone: 'America/Los_Angeles', region: 'americas', longHaul: true },
  { code: 'SFO', city: 'San Francisco', name: 'San Francisco', timeZone: 'America/Los_Angeles', region: 'americas', longHaul: true },
  { code: 'YYZ', city: 'Toronto', name: 'Toronto Pearson', timeZone: 'America/Toronto', region: 'americas', longHaul: true },
  { code: 'GRU', city: 'São Paulo', name: 'São Paulo Guarulhos', timeZone: 'America/Sao_Paulo', region: 'americas', longHaul: true },
  { code: 'DXB', city: 'Dubai', name: 'Dubai', timeZone: 'Asia/Dubai', region: 'gulf', longHaul: true },
  { code: 'DOH', city: 'Doha', name: 'Doha Hamad', timeZone: 'Asia/Qatar', region: 'gulf', longHaul: true },
  { code: 'DEL', city: 'Delhi', name: 'Delhi Indira Gandhi', timeZone: 'Asia/Kolkata', region: 'southAsia', longHaul: true },
  { code: 'BOM', city: 'Mumbai', name: 'Mumbai', timeZone: 'Asia/Kolkata', region: 'southAsia', longHaul: true },
  { code: 'SIN', city: 'Singapore', name: 'Singapore Changi', timeZone: 'Asia/Singapore', region: 'eastAsia', longHaul: true },
  { code: 'HKG', city: 'Hong Kong', name: 'Hong Kong', timeZone: 'Asia/Hong_Kong', region: 'eastAsia', longHaul: true },
  { code: 'NRT', city: 'Tokyo', name: 'Tokyo Narita', timeZone: 'Asia/Tokyo', region: 'eastAsia', longHaul: true },
  { code: 'ICN', city: 'Seoul', name: 'Seoul Incheon', timeZone: 'Asia/Seoul', region: 'eastAsia', longHaul: true },
  { code: 'SYD', city: 'Sydney', name: 'Sydney Kingsford Smith', timeZone: 'Australia/Sydney', region: 'oceania', longHaul: true },
  { code: 'MEL', city: 'Melbourne', name: 'Melbourne', timeZone: 'Australia/Melbourne', region: 'oceania', longHaul: true },
  { code: 'BNE', city: 'Brisbane', name: 'Brisbane', timeZone: 'Australia/Brisbane', region: 'oceania', longHaul: true },
  // UTC+12, UTC+13 in the southern summer: "today" there is tomorrow in UTC for half the day.
  { code: 'AKL', city: 'Auckland', name: 'Auckland', timeZone: 'Pacific/Auckland', region: 'oceania', longHaul: true },
  { code: 'CHC', city: 'Christchurch', name: 'Christchurch', timeZone: 'Pacific/Auckland', region: 'oceania', longHaul: true },
  { code: 'NAN', city: 'Nadi', name: 'Nadi', timeZone: 'Pacific/Fiji', region: 'oceania', longHaul: true },
  { code: 'TBU', city: "Nuku'alofa", name: "Nuku'alofa Fua'amotu", timeZone: 'Pacific/Tongatapu', region: 'oceania', longHaul: true },
  // UTC−10 all year: "today" there is yesterday in UTC for ten hours a day.
  { code: 'HNL', city: 'Honolulu', name: 'Honolulu', timeZone: 'Pacific/Honolulu', region: 'oceania', longHaul: true },
  { code: 'JNB', city: 'Johannesburg', name: 'Johannesburg', timeZone: 'Africa/Johannesburg', region: 'africa', longHaul: true },
  { code: 'LOS', city: 'Lagos', name: 'Lagos', timeZone: 'Africa/Lagos', region: 'africa', longHaul: true },
  { code: 'NBO', city: 'Nairobi', name: 'Nairobi', timeZone: 'Africa/Nairobi', region: 'africa', longHaul: true },
];

/** Stations a demo backend can be started for (--station). */
export const DEMO_STATIONS: readonly string[] = ['LHR', 'LGW', 'MAN', 'EDI', 'DUB', 'CDG', 'AMS', 'FRA', 'MAD', 'JFK', 'AKL', 'HNL'];

export function airport(code: string): Airport | undefined {
  return AIRPORTS.find((a) => a.code === code);
}

export function stationRecord(code: string): Station | null {
  const a = airport(code);
  return a && DEMO_STATIONS.includes(code)
    ? { code: a.code, name: a.name, timeZone: a.timeZone, security: { lockAfterMinutes: 5, pinPolicy: DEFAULT_PIN_POLICY } }
    : null;
}

/**
 * Where flights from this station go. From a European station the widebody flies the long-haul
 * list; from JFK (or Auckland, Honolulu) everything outside the home region counts as long-haul
 * and the rest of the region as short-haul.
 */
export function routesFrom(code: string): { short: Airport[]; long: Airport[] } {
  const others = AIRPORTS.filter((a) => a.code !== code);
  const home = airport(code);
  if (home?.region === 'americas' || home?.region === 'oceania') {
    // Far from Europe: short-haul stays in the home region, everything else is long-haul.
    return { short: others.filter((a) => a.region === home.region), long: others.filter((a) => a.region !== home.region) };
  }
  // Domestic hops from a London airport to another London airport are not a thing.
  const short = others.filter((a) => !a.longHaul && !(home?.city === 'London' && a.city === 'London'));
  return { short, long: others.filter((a) => a.longHaul) };
}

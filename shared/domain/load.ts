/**
 * Load figures for the load controller: per destination, passengers by cabin and by category
 * (adult male, adult female, child, infant), checked bags by pieces and weight, and the passenger
 * mass from configurable standard weights; and the IATA load message (LDM, AHM 583) that carries
 * them, as text to send or read out by phone, with a reader for it (so what is sent can be checked
 * against what it was made from).
 *
 * The figures come from the same passengers as the headcount (shared/domain/headcount.ts) and use
 * its conventions: cabin counts are seats, so lap infants are counted apart.
 */
import { z } from 'zod';
import { CABINS, type Cabin, type Flight, type Passenger, type SeatMap } from './schemas';
import { seatCountByCabin } from './seatmap';

/** Standard passenger masses in kg (the airline's, from its weight and balance manual). */
export const StandardWeights = z.object({
  male: z.number().int().min(30).max(200),
  female: z.number().int().min(30).max(200),
  child: z.number().int().min(5).max(100),
  infant: z.number().int().min(0).max(50),
});
export type StandardWeights = z.infer<typeof StandardWeights>;

/** EASA's standard masses for all flights (adults incl. hand baggage); a lap infant's is the airline's choice. */
export const DEFAULT_STANDARD_WEIGHTS: StandardWeights = { male: 88, female: 70, child: 35, infant: 10 };

export const PAX_CATEGORIES = ['male', 'female', 'child', 'infant'] as const;
export type PaxCategory = (typeof PAX_CATEGORIES)[number];

/**
 * The load category of a passenger: infants and children by their type, adults by their title
 * (MR male; MRS, MS, MISS female), else by the sex on their travel document. An adult with neither
 * is counted as male — the heavier standard mass — and reported as such.
 */
export function categoryOf(p: Passenger): { category: PaxCategory; guessed: boolean } {
  if (p.paxType === 'INF') return { category: 'infant', guessed: false };
  if (p.paxType === 'CHD') return { category: 'child', guessed: false };
  if (p.title === 'MR' || p.title === 'MSTR') return { category: 'male', guessed: false };
  if (p.title === 'MRS' || p.title === 'MS' || p.title === 'MISS') return { category: 'female', guessed: false };
  if (p.document?.sex === 'M') return { category: 'male', guessed: false };
  if (p.document?.sex === 'F') return { category: 'female', guessed: false };
  return { category: 'male', guessed: true };
}

export type CategoryCounts = Record<PaxCategory, number>;

function zero(): CategoryCounts {
  return { male: 0, female: 0, child: 0, infant: 0 };
}

export interface CabinLoad extends CategoryCounts {
  cabin: Cabin;
  /** Seated passengers: adults and children (lap infants have no seat). */
  seated: number;
}

export interface DestinationLoad {
  destination: string;
  cabins: CabinLoad[];
  totals: CategoryCounts & { seated: number };
  /** Adults counted as male for want of a title or a document. */
  genderGuessed: number;
  bags: { pieces: number; weightKg: number };
  /** Standard passenger mass (kg). */
  passengerKg: number;
}

/**
 * Which passengers count: those on board (final, after boarding), or every accepted one (planning,
 * while check-in is still open).
 */
export type LoadBasis = 'boarded' | 'accepted';

export interface LoadFigures {
  basis: LoadBasis;
  destinations: DestinationLoad[];
  /** Seats per cabin on the seat map (the LDM's configuration), in F, J, W, Y order. */
  configuration: { cabin: Cabin; seats: number }[];
  weights: StandardWeights;
}

function counts(p: Passenger, basis: LoadBasis): boolean {
  return basis === 'boarded' ? p.status === 'boarded' : p.status === 'boarded' || p.status === 'checked-in';
}

export function loadFigures(
  flight: Pick<Flight, 'destination'>,
  passengers: readonly Passenger[],
  options: { basis: LoadBasis; weights: StandardWeights; seatMap?: SeatMap | null },
): LoadFigures {
  const { basis, weights } = options;
  const byDestination = new Map<string, Passenger[]>();
  for (const p of passengers) {
    if (!counts(p, basis)) continue;
    // Every passenger of a flight leaves it at its destination (a through-checked bag too).
    const dest = flight.destination;
    byDestination.set(dest, [...(byDestination.get(dest) ?? []), p]);
  }
  if (byDestination.size === 0) byDestination.set(flight.destination, []);
  const capacity = options.seatMap ? seatCountByCabin(options.seatMap) : {};
  const configuration = CABINS.filter((c) => (capacity[c] ?? 0) > 0).map((c) => ({ cabin: c, seats: capacity[c] ?? 0 }));
  const destinations = [...byDestination.entries()].map(([destination, list]) =>
    destinationLoad(destination, list, weights, configuration),
  );
  return { basis, destinations, configuration, weights };
}

function destinationLoad(
  destination: string,
  list: readonly Passenger[],
  weights: StandardWeights,
  configuration: readonly { cabin: Cabin }[],
): DestinationLoad {
  const byCabin = new Map<Cabin, CategoryCounts>();
  const totals = zero();
  let guessed = 0;
  const bags = { pieces: 0, weightKg: 0 };
  for (const p of list) {
    const c = categoryOf(p);
    if (c.guessed) guessed++;
    totals[c.category]++;
    let cabin = byCabin.get(p.cabin);
    if (!cabin) byCabin.set(p.cabin, (cabin = zero()));
    cabin[c.category]++;
    bags.pieces += p.bags.count;
    bags.weightKg += p.bags.weightKg;
  }
  const cabins = CABINS.filter((c) => byCabin.has(c) || configuration.some((x) => x.cabin === c)).map((cabin) => {
    const n = byCabin.get(cabin) ?? zero();
    return { cabin, ...n, seated: n.male + n.female + n.child };
  });
  const passengerKg = PAX_CATEGORIES.reduce((kg, c) => kg + totals[c] * weights[c], 0);
  return {
    destination,
    cabins,
    totals: { ...totals, seated: totals.male + totals.female + totals.child },
    genderGuessed: guessed,
    bags,
    passengerKg,
  };
}

/** Cockpit and cabin crew, as the LDM states them. */
export interface Crew {
  cockpit: number;
  cabin: number;
}

/** The usual crew for the demo fleet's types; the load controller corrects it on the load screen. */
export const DEFAULT_CREW: Readonly<Record<Flight['aircraftType'], Crew>> = {
  A320: { cockpit: 2, cabin: 4 },
  B738: { cockpit: 2, cabin: 4 },
  B789: { cockpit: 2, cabin: 9 },
};

/**
 * The LDM (AHM 583) for a flight:
 *
 *     LDM
 *     BQ123/27.GEUAB.J12Y168.2/4
 *     -JFK.80/70/4/2.T1850.PAX/12/142.PAD/0/0
 *     SI BAG 95/1850 STD WT M88 F70 C35 I10 PAX WT 13620
 *
 * line 2: flight/day of month . registration . seats per cabin . cockpit/cabin crew;
 * per destination: adult male/adult female/child/infant . T total deadload (here the checked bags;
 * there is no cargo or mail offline) . PAX/seated passengers per cabin of the configuration .
 * PAD/0/0 (no passengers on duty are known offline); SI: bags in pieces/kg, the standard masses used
 * and the passenger mass.
 */
export function ldmText(flight: Flight, figures: LoadFigures, crew: Crew): string {
  const reg = (flight.registration ?? 'XXXXX').replace(/[^A-Z0-9]/g, '');
  const config = figures.configuration.map((c) => `${c.cabin}${c.seats}`).join('') || 'Y0';
  const lines = ['LDM', `${flight.carrier}${flight.number}/${flight.date.slice(8, 10)}.${reg}.${config}.${crew.cockpit}/${crew.cabin}`];
  const cabinsOf = figures.configuration.length > 0 ? figures.configuration.map((c) => c.cabin) : (['Y'] as Cabin[]);
  for (const d of figures.destinations) {
    const t = d.totals;
    const pax = cabinsOf.map((c) => d.cabins.find((x) => x.cabin === c)?.seated ?? 0).join('/');
    lines.push(`-${d.destination}.${t.male}/${t.female}/${t.child}/${t.infant}.T${d.bags.weightKg}.PAX/${pax}.PAD/0/0`);
  }
  const w = figures.weights;
  for (const d of figures.destinations) {
    lines.push(`SI ${d.destination} BAG ${d.bags.pieces}/${d.bags.weightKg} PAX WT ${d.passengerKg}`);
  }
  lines.push(`SI STD WT M${w.male} F${w.female} C${w.child} I${w.infant}`);
  if (figures.basis === 'accepted') lines.push('SI PRELIMINARY ACCEPTED NOT BOARDED FIGURES');
  const guessed = figures.destinations.reduce((n, d) => n + d.genderGuessed, 0);
  if (guessed > 0) lines.push(`SI ${guessed} ADULTS OF UNKNOWN GENDER COUNTED AS MALE`);
  return lines.join('\n');
}

export interface ParsedLdm {
  flight: string;
  day: string;
  registration: string;
  configuration: { cabin: Cabin; seats: number }[];
  crew: Crew;
  destinations: {
    destination: string;
    male: number;
    female: number;
    child: number;
    infant: number;
    deadloadKg: number;
    seatedByCabin: Partial<Record<Cabin, number>>;
    bags: { pieces: number; weightKg: number } | null;
  }[];
}

/** Reads an LDM as ldmText writes it; null when it is not one. */
export function parseLdm(text: string): ParsedLdm | null {
  const lines = text.trim().split(/\r?\n/);
  if (lines[0] !== 'LDM' || !lines[1]) return null;
  const head = /^([A-Z0-9]{2}\d{1,4}[A-Z]?)\/(\d{2})\.([A-Z0-9]+)\.((?:[FJWY]\d+)+)\.(\d+)\/(\d+)$/.exec(lines[1]);
  if (!head) return null;
  const configuration = [...head[4]!.matchAll(/([FJWY])(\d+)/g)].map((m) => ({ cabin: m[1] as Cabin, seats: Number(m[2]) }));
  const destinations: ParsedLdm['destinations'] = [];
  for (const line of lines.slice(2)) {
    const d = /^-([A-Z]{3})\.(\d+)\/(\d+)\/(\d+)\/(\d+)\.T(\d+)\.PAX\/([\d/]+)\.PAD\/\d+\/\d+$/.exec(line);
    if (d) {
      const seated = d[7]!.split('/').map(Number);
      destinations.push({
        destination: d[1]!,
        male: Number(d[2]),
        female: Number(d[3]),
        child: Number(d[4]),
        infant: Number(d[5]),
        deadloadKg: Number(d[6]),
        seatedByCabin: Object.fromEntries(configuration.map((c, i) => [c.cabin, seated[i] ?? 0])),
        bags: null,
      });
      continue;
    }
    const si = /^SI ([A-Z]{3}) BAG (\d+)\/(\d+) PAX WT \d+$/.exec(line);
    const dest = si && destinations.find((x) => x.destination === si[1]);
    if (si && dest) dest.bags = { pieces: Number(si[2]), weightKg: Number(si[3]) };
  }
  return {
    flight: head[1]!,
    day: head[2]!,
    registration: head[3]!,
    configuration,
    crew: { cockpit: Number(head[5]), cabin: Number(head[6]) },
    destinations,
  };
}

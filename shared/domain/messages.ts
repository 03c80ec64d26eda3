/**
 * Messages a station sends after a flight closes, in IATA type B style (upper case, short lines),
 * from the same passengers as the headcount so they can never disagree with it:
 *
 * - PFS, passenger final sales: booked and boarded figures by class for the destination, then the
 *   lists with names: NOSHO (booked, never came), GOSHO (accepted without a confirmed seat: standby
 *   and go-show passengers who flew), OFFLK (accepted but did not fly: offloaded, or left behind at
 *   close).
 * - PTM, passenger transfer message: boarded passengers with an onward flight, by that flight, with
 *   their checked bags, for the transfer desk at the destination.
 *
 * Each has a reader, so a message can be checked against the figures it was made from.
 */
import { inNameOrder } from './headcount';
import { CABINS, type Cabin, type Flight, type Passenger } from './schemas';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** "2027-03-27" → "27MAR". */
export function messageDate(isoDate: string): string {
  return `${isoDate.slice(8, 10)}${MONTHS[Number(isoDate.slice(5, 7)) - 1] ?? '???'}`;
}

/** "SMITH/JOHNMR": a name as type B messages write it. */
export function messageName(p: Pick<Passenger, 'lastName' | 'firstName' | 'title'>): string {
  return `${p.lastName}/${p.firstName}${p.title ?? ''}`;
}

export const PFS_LISTS = ['NOSHO', 'GOSHO', 'OFFLK'] as const;
export type PfsList = (typeof PFS_LISTS)[number];

/** Which PFS list a passenger belongs on, if any. Lap infants go on their adult's list too, marked INF. */
export function pfsListOf(p: Passenger, flightClosed: boolean): PfsList | null {
  if (p.status === 'no-show') return 'NOSHO';
  if (p.status === 'offloaded') return 'OFFLK';
  // Accepted and left behind when the flight closed (a supervisor closed without them).
  if (p.status === 'checked-in' && flightClosed) return 'OFFLK';
  if (p.status === 'boarded' && p.acceptedAsStandby === true) return 'GOSHO';
  return null;
}

function classFigures(passengers: readonly Passenger[], pick: (p: Passenger) => boolean): string {
  return CABINS.map(
    (c) => `${String(passengers.filter((p) => p.cabin === c && p.paxType !== 'INF' && pick(p)).length).padStart(3, '0')}${c}`,
  ).join(' ');
}

function nameLine(p: Passenger): string {
  return `1${messageName(p)}${p.paxType === 'INF' ? ' INF' : ''} .L/${p.pnr}`;
}

/**
 *     PFS
 *     BQ123/27MAR LHR PART1
 *     -JFK 000F 010J 000W 148Y
 *     BKD 000F 012J 000W 170Y
 *     INF BKD 003 BRD 002
 *     NOSHO 001J
 *     1SMITH/JOHNMR .L/ABC123
 *     …
 *     ENDPFS
 *
 * "-JFK" is the final (boarded) figure per class, lap infants apart; BKD what was booked. Every list
 * names each passenger on it, by class; its header gives how many (lap infants included, marked INF).
 */
export function pfsText(flight: Flight, passengers: readonly Passenger[]): string {
  const closed = flight.status === 'closed' || flight.status === 'departed';
  const lines = ['PFS', `${flight.carrier}${flight.number}/${messageDate(flight.date)} ${flight.origin} PART1`];
  lines.push(`-${flight.destination} ${classFigures(passengers, (p) => p.status === 'boarded')}`);
  lines.push(`BKD ${classFigures(passengers, () => true)}`);
  const infants = passengers.filter((p) => p.paxType === 'INF');
  const pad = (n: number) => String(n).padStart(3, '0');
  lines.push(`INF BKD ${pad(infants.length)} BRD ${pad(infants.filter((p) => p.status === 'boarded').length)}`);
  for (const list of PFS_LISTS) {
    for (const cabin of CABINS) {
      const on = inNameOrder(passengers.filter((p) => p.cabin === cabin && pfsListOf(p, closed) === list));
      if (on.length === 0) continue;
      lines.push(`${list} ${pad(on.length)}${cabin}`);
      for (const p of on) lines.push(nameLine(p));
    }
  }
  lines.push('ENDPFS');
  return lines.join('\n');
}

export interface ParsedPfs {
  flight: string;
  date: string;
  origin: string;
  destination: string;
  boarded: Record<Cabin, number>;
  booked: Record<Cabin, number>;
  infants: { booked: number; boarded: number };
  /** Names on each list (with " INF" for a lap infant), by class. */
  lists: Record<PfsList, { cabin: Cabin; names: string[] }[]>;
}

function classes(text: string): Record<Cabin, number> | null {
  const out: Partial<Record<Cabin, number>> = {};
  for (const part of text.trim().split(/\s+/)) {
    const m = /^(\d{3})([FJWY])$/.exec(part);
    if (!m) return null;
    out[m[2] as Cabin] = Number(m[1]);
  }
  return CABINS.every((c) => out[c] !== undefined) ? (out as Record<Cabin, number>) : null;
}

/** Reads a PFS as pfsText writes it; null when it is not one (or its list headers and names disagree). */
export function parsePfs(text: string): ParsedPfs | null {
  const lines = text.trim().split(/\r?\n/);
  if (lines[0] !== 'PFS' || lines.at(-1) !== 'ENDPFS') return null;
  const head = /^([A-Z0-9]{2}\d{1,4}[A-Z]?)\/(\d{2}[A-Z]{3}) ([A-Z]{3}) PART\d+$/.exec(lines[1] ?? '');
  const fig = /^-([A-Z]{3}) (.+)$/.exec(lines[2] ?? '');
  const bkd = /^BKD (.+)$/.exec(lines[3] ?? '');
  const inf = /^INF BKD (\d{3}) BRD (\d{3})$/.exec(lines[4] ?? '');
  if (!head || !fig || !bkd || !inf) return null;
  const boarded = classes(fig[2]!);
  const booked = classes(bkd[1]!);
  if (!boarded || !booked) return null;
  const lists: ParsedPfs['lists'] = { NOSHO: [], GOSHO: [], OFFLK: [] };
  let open: { expected: number; names: string[] } | null = null;
  for (const line of lines.slice(5, -1)) {
    const header = /^(NOSHO|GOSHO|OFFLK) (\d{3})([FJWY])$/.exec(line);
    if (header) {
      if (open && open.names.length !== open.expected) return null;
      const entry = { cabin: header[3] as Cabin, names: [] as string[] };
      lists[header[1] as PfsList].push(entry);
      open = { expected: Number(header[2]), names: entry.names };
      continue;
    }
    const name = /^1(.+?) \.L\/[A-Z0-9]{6}$/.exec(line);
    if (!name || !open) return null;
    open.names.push(name[1]!);
  }
  if (open && open.names.length !== open.expected) return null;
  return {
    flight: head[1]!,
    date: head[2]!,
    origin: head[3]!,
    destination: fig[1]!,
    boarded,
    booked,
    infants: { booked: Number(inf[1]), boarded: Number(inf[2]) },
    lists,
  };
}

/** Passengers on board with an onward flight: who the transfer desk at the destination expects. */
export function transferPassengers(passengers: readonly Passenger[]): Passenger[] {
  return inNameOrder(passengers.filter((p) => p.status === 'boarded' && (p.onward?.length ?? 0) > 0));
}

/**
 *     PTM
 *     BQ123/27MAR LHR PART1
 *     JFK
 *     AA100/28 LAX 1Y 2B SMITH/JOHNMR
 *     ENDPTM
 *
 * One line per transfer passenger: their onward flight and day, its destination, 1 and the booking
 * class, their checked bags (pieces) and their name. Lap infants travel on their adult's line count.
 */
export function ptmText(flight: Flight, passengers: readonly Passenger[]): string {
  const lines = ['PTM', `${flight.carrier}${flight.number}/${messageDate(flight.date)} ${flight.origin} PART1`, flight.destination];
  const list = transferPassengers(passengers);
  const sorted = [...list].sort((a, b) => onwardKey(a).localeCompare(onwardKey(b)));
  for (const p of sorted) {
    const leg = p.onward![0]!;
    lines.push(
      `${leg.carrier}${leg.number}/${leg.date.slice(8, 10)} ${leg.destination} 1${leg.bookingClass} ${p.bags.count}B ${messageName(p)}${p.paxType === 'INF' ? ' INF' : ''}`,
    );
  }
  if (sorted.length === 0) lines.push('NIL');
  lines.push('ENDPTM');
  return lines.join('\n');
}

function onwardKey(p: Passenger): string {
  const leg = p.onward![0]!;
  return `${leg.carrier}${leg.number.padStart(4, '0')}${leg.date}${p.lastName}/${p.firstName}`;
}

export interface ParsedPtm {
  flight: string;
  destination: string;
  transfers: { flight: string; day: string; destination: string; bookingClass: string; bags: number; name: string; infant: boolean }[];
}

export function parsePtm(text: string): ParsedPtm | null {
  const lines = text.trim().split(/\r?\n/);
  if (lines[0] !== 'PTM' || lines.at(-1) !== 'ENDPTM') return null;
  const head = /^([A-Z0-9]{2}\d{1,4}[A-Z]?)\/\d{2}[A-Z]{3} [A-Z]{3} PART\d+$/.exec(lines[1] ?? '');
  const dest = /^([A-Z]{3})$/.exec(lines[2] ?? '');
  if (!head || !dest) return null;
  const transfers: ParsedPtm['transfers'] = [];
  for (const line of lines.slice(3, -1)) {
    if (line === 'NIL') continue;
    const m = /^([A-Z0-9]{2}\d{1,4}[A-Z]?)\/(\d{2}) ([A-Z]{3}) 1([A-Z]) (\d+)B (.+?)( INF)?$/.exec(line);
    if (!m) return null;
    transfers.push({
      flight: m[1]!,
      day: m[2]!,
      destination: m[3]!,
      bookingClass: m[4]!,
      bags: Number(m[5]),
      name: m[6]!,
      infant: m[7] !== undefined,
    });
  }
  return { flight: head[1]!, destination: dest[1]!, transfers };
}

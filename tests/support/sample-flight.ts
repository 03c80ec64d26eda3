/**
 * A deterministic, realistic flight of any size (seat map, passengers in every status, infants,
 * SSRs, selectees, standby), for template previews, print tests and the print benchmarks.
 * Not used by product code paths.
 */
import type { Flight, Passenger, SeatMap, SeatMapRow } from '../../shared/domain/schemas';
import { seatsOf } from '../../shared/domain/seatmap';
import type { Provenance } from '../../shared/documents/types';

const LAST = [
  'SMITH',
  'JONES',
  'GARCIA',
  'MUELLER',
  'ROSSI',
  'NOWAK',
  'DUBOIS',
  'OKAFOR',
  'TANAKA',
  'SILVA',
  'VAN DER BERG',
  "O'BRIEN",
  'KOWALSKI',
  'HANSEN',
  'PETROV',
  'NGUYEN',
  'MARTIN',
  'LOPEZ',
  'KIM',
  'ANDERSSON',
  'MURPHY',
  'FISCHER',
  'ROMANO',
  'ALI',
  'SINGH',
  'COHEN',
  'YILMAZ',
  'SATO',
  'EVANS',
  'WALSH-BROWN',
];
const FIRST = [
  'ANNA',
  'JAMES',
  'MARIA',
  'LUCA',
  'SOFIA',
  'OLIVER',
  'AMELIA',
  'NOAH',
  'EMMA',
  'LIAM',
  'MIA',
  'ELIAS',
  'ZOE',
  'HUGO',
  'IVY',
  'OMAR',
  'LEA',
  'FELIX',
  'NORA',
  'ARJUN',
];
const SSRS = ['WCHR', 'WCHS', 'VGML', 'UMNR', 'BLND', 'DEAF', 'MAAS', 'KSML', 'WCHC', 'SVAN', 'MOML', 'DBML'];

/** A 2-cabin-plus wide-body map large enough for ~400 passengers. */
export function sampleSeatMap(): SeatMap {
  const rows: SeatMapRow[] = [];
  for (let r = 1; r <= 7; r++) rows.push({ row: r, cabin: 'J', layout: 'A-DG-K', exit: false });
  for (let r = 10; r <= 14; r++) rows.push({ row: r, cabin: 'W', layout: 'AC-DEF-HK', exit: r === 10 });
  for (let r = 20; r <= 58; r++) if (r !== 23) rows.push({ row: r, cabin: 'Y', layout: 'ABC-DEF-HJK', exit: r === 20 || r === 40 });
  return { id: 'SAMPLE-B789', aircraftType: 'B789', name: 'B787-9 sample', rows, blocked: ['58K'] };
}

export function sampleFlight(overrides: Partial<Flight> = {}): Flight {
  return {
    id: 'BQ123-2026-11-26-LHR',
    carrier: 'BQ',
    number: '123',
    date: '2026-11-26',
    origin: 'LHR',
    destination: 'JFK',
    std: '2026-11-26T14:30:00.000Z',
    etd: null,
    gate: 'B32',
    aircraftType: 'B789',
    registration: 'G-BQAB',
    seatMapId: 'SAMPLE-B789',
    status: 'scheduled',
    boardingMinutes: 40,
    closedAt: null,
    closedBy: null,
    ...overrides,
  };
}

export const SAMPLE_PROVENANCE: Provenance = {
  dataAsOf: '2026-11-26T12:55:00.000Z',
  printedAt: '2026-11-26T13:10:00.000Z',
  timeZone: 'Europe/London',
  station: 'LHR',
  workstation: 'GATE-B32-1',
  agent: { id: 'AG1001', name: 'Ola Nordmann' },
};

/** Park–Miller: the same "random" flight every run, on every machine. */
function prng(seed: number): () => number {
  let s = seed % 2147483647;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
}

/**
 * `count` passengers (lap infants included) on `flight`: about 70 % boarded, 15 % checked in,
 * 10 % booked, the rest offloaded or no-show; lap infants, SSRs, selectees and (on a full
 * flight) standby passengers.
 */
export function samplePassengers(count: number, flight: Flight = sampleFlight(), seatMap: SeatMap = sampleSeatMap()): Passenger[] {
  const rnd = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const blocked = new Set(seatMap.blocked);
  const seats = seatsOf(seatMap).filter((s) => !blocked.has(s.code));
  const out: Passenger[] = [];
  let seq = 0;
  let seatIndex = 0;
  while (out.length < count) {
    const n = out.length + 1;
    const roll = rnd();
    const status: Passenger['status'] =
      roll < 0.7 ? 'boarded' : roll < 0.85 ? 'checked-in' : roll < 0.95 ? 'booked' : roll < 0.98 ? 'offloaded' : 'no-show';
    const accepted = status === 'boarded' || status === 'checked-in';
    const seat = seatIndex < seats.length ? seats[seatIndex++]! : null;
    const standby = accepted && seat === null;
    const lastName = pick(LAST);
    const paxType = rnd() < 0.06 ? 'CHD' : 'ADT';
    // About one passenger in 40 holds a lap infant, at fixed places so every sample has some.
    const withInfant = paxType === 'ADT' && n % 40 === 7 && out.length + 2 <= count && seat !== null && seat.cabin !== 'J';
    const id = `SP${String(n).padStart(4, '0')}`;
    const adult: Passenger = {
      id,
      flightId: flight.id,
      pnr: `Q${String(100000 + n * 7).slice(-5)}`.replace(/0/g, 'X'),
      lastName,
      firstName: pick(FIRST),
      title: pick(['MR', 'MRS', 'MS', null] as const),
      paxType,
      infantOf: null,
      infantId: withInfant ? `${id}I` : null,
      cabin: seat?.cabin ?? 'Y',
      bookingClass: seat?.cabin === 'J' ? 'C' : seat?.cabin === 'W' ? 'W' : pick(['Y', 'M', 'K', 'L']),
      seat: status === 'offloaded' || status === 'no-show' || standby ? null : (seat?.code ?? null),
      seqNo: accepted || status === 'offloaded' ? ++seq : null,
      status,
      standby,
      ssrs: rnd() < 0.08 ? [pick(SSRS)] : [],
      bags: accepted ? { count: Math.floor(rnd() * 3), weightKg: 0 } : { count: 0, weightKg: 0 },
      eticket: `176${String(2_000_000_000 + n).padStart(10, '0')}`,
      ffNumber: rnd() < 0.2 ? `BQ${String(10_000_000 + n)}` : null,
      vetting: rnd() < 0.01 ? 'selectee' : 'cleared',
      docsChecked: accepted,
      checkedInAt: accepted ? '2026-11-26T11:30:00.000Z' : null,
      checkedInBy: accepted ? 'AG1001' : null,
      boardedAt: status === 'boarded' ? '2026-11-26T13:55:00.000Z' : null,
      boardedBy: status === 'boarded' ? 'AG1002' : null,
      remark: status === 'offloaded' ? 'Offloaded at gate: missing visa' : null,
    };
    adult.bags.weightKg = adult.bags.count * 21;
    if (adult.paxType === 'CHD' && adult.ssrs.includes('UMNR') === false && rnd() < 0.3) adult.ssrs = ['UMNR'];
    out.push(adult);
    if (withInfant) {
      out.push({
        ...adult,
        id: `${id}I`,
        firstName: pick(FIRST),
        title: null,
        paxType: 'INF',
        infantOf: id,
        infantId: null,
        seat: null,
        seqNo: adult.seqNo === null ? null : ++seq,
        standby: false,
        ssrs: [],
        bags: { count: 0, weightKg: 0 },
        eticket: `176${String(3_000_000_000 + n).padStart(10, '0')}`,
        ffNumber: null,
        vetting: 'cleared',
        remark: null,
      });
    }
  }
  return out;
}

/** Small, readable domain fixtures for tests on every layer. Not used by product code. */
import { fixedClock } from '../../shared/clock';
import type { Flight, Passenger, SeatMap } from '../../shared/domain/schemas';

/** The instant the fixtures live at: the morning of their flight's day. */
export const FIXTURE_NOW = '2026-11-26T12:00:00.000Z';
export const fixtureClock = fixedClock(FIXTURE_NOW);

export const A320: SeatMap = {
  id: 'A320-TEST',
  aircraftType: 'A320',
  name: 'A320 test map',
  rows: [
    { row: 1, cabin: 'J', layout: 'AC-DF', exit: false },
    { row: 2, cabin: 'J', layout: 'AC-DF', exit: false },
    { row: 10, cabin: 'Y', layout: 'ABC-DEF', exit: false },
    { row: 11, cabin: 'Y', layout: 'ABC-DEF', exit: false },
    { row: 12, cabin: 'Y', layout: 'ABC-DEF', exit: true },
    { row: 14, cabin: 'Y', layout: 'ABC-DEF', exit: false },
  ],
  blocked: ['14F'],
};

export function flight(overrides: Partial<Flight> = {}): Flight {
  return {
    id: 'BQ123-2026-11-26-LHR',
    carrier: 'BQ',
    number: '123',
    date: '2026-11-26',
    origin: 'LHR',
    destination: 'MAD',
    std: '2026-11-26T14:30:00.000Z',
    etd: null,
    gate: 'B32',
    aircraftType: 'A320',
    registration: 'G-BQAA',
    seatMapId: A320.id,
    status: 'scheduled',
    boardingMinutes: 40,
    closedAt: null,
    closedBy: null,
    ...overrides,
  };
}

let counter = 0;

export function passenger(overrides: Partial<Passenger> = {}): Passenger {
  counter += 1;
  return {
    id: `P${counter}`,
    flightId: 'BQ123-2026-11-26-LHR',
    pnr: 'ABC123',
    lastName: 'SMITH',
    firstName: 'ANNA',
    title: 'MS',
    paxType: 'ADT',
    infantOf: null,
    infantId: null,
    cabin: 'Y',
    bookingClass: 'Y',
    seat: null,
    seqNo: null,
    status: 'booked',
    standby: false,
    ssrs: [],
    bags: { count: 0, weightKg: 0 },
    eticket: `176${String(1_000_000_000 + counter).padStart(10, '0')}`,
    ffNumber: null,
    vetting: 'cleared',
    docsChecked: false,
    checkedInAt: null,
    checkedInBy: null,
    boardedAt: null,
    boardedBy: null,
    remark: null,
    ...overrides,
  };
}

export function checkedIn(overrides: Partial<Passenger> = {}): Passenger {
  return passenger({
    status: 'checked-in',
    seat: '10A',
    seqNo: 1,
    docsChecked: true,
    checkedInAt: '2026-11-26T12:00:00.000Z',
    checkedInBy: 'AG1001',
    ...overrides,
  });
}

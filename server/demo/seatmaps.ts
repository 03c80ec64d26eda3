/**
 * Demo cabin configurations, shaped like real ones:
 * - A320, 180Y: rows 1–30 of 3-3, overwing exits at rows 11 and 12 (as on many 180-seat A320s);
 * - B738, 12J/150Y: three rows of 2-2 business, then 3-3 economy with row 13 skipped (a common
 *   superstition) and the two overwing exit rows 15–16;
 * - B789, 28J/35W/216Y: 1-2-1 business (rows 1–7), 2-3-2 premium economy (rows 20–24), 3-3-3
 *   economy (rows 30–53) with exit rows at doors 3 (row 30) and 4 (row 44).
 * A few seats are blocked, as a real map always has some (broken recline, crew rest, W&B).
 */
import type { AircraftType, Cabin, SeatMap, SeatMapRow } from '../../shared/domain/schemas';

function rows(
  from: number,
  to: number,
  cabin: Cabin,
  layout: string,
  exits: readonly number[] = [],
  skip: readonly number[] = [],
): SeatMapRow[] {
  const out: SeatMapRow[] = [];
  for (let row = from; row <= to; row++) {
    if (!skip.includes(row)) out.push({ row, cabin, layout, exit: exits.includes(row) });
  }
  return out;
}

export const SEAT_MAPS: Readonly<Record<AircraftType, SeatMap>> = {
  A320: {
    id: 'A320-180Y',
    aircraftType: 'A320',
    name: 'Airbus A320 · 180 economy',
    rows: rows(1, 30, 'Y', 'ABC-DEF', [11, 12]),
    blocked: ['30C', '30D'],
  },
  B738: {
    id: 'B738-12J150Y',
    aircraftType: 'B738',
    name: 'Boeing 737-800 · 12 business, 150 economy',
    rows: [...rows(1, 3, 'J', 'AC-DF'), ...rows(4, 29, 'Y', 'ABC-DEF', [15, 16], [13])],
    blocked: ['29A'],
  },
  B789: {
    id: 'B789-28J35W216Y',
    aircraftType: 'B789',
    name: 'Boeing 787-9 · 28 business, 35 premium economy, 216 economy',
    rows: [...rows(1, 7, 'J', 'A-EF-K'), ...rows(20, 24, 'W', 'AC-DEF-HK'), ...rows(30, 53, 'Y', 'ABC-DEF-HJK', [30, 44])],
    blocked: ['53E', '41K'],
  },
};

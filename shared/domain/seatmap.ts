/** Pure helpers that read a seat map: which seats exist, where they are, what kind they are. */
import type { Cabin, SeatMap } from './schemas';

export type SeatKind = 'window' | 'middle' | 'aisle';

export interface SeatInfo {
  code: string;
  row: number;
  letter: string;
  cabin: Cabin;
  exit: boolean;
  blocked: boolean;
  kind: SeatKind;
  /** Index of the group of seats between aisles (0 = left); one oxygen-mask block. */
  block: number;
}

export function seatsOf(map: SeatMap): SeatInfo[] {
  const blocked = new Set(map.blocked);
  const seats: SeatInfo[] = [];
  for (const row of map.rows) {
    const groups = row.layout.split('-');
    groups.forEach((group, block) => {
      [...group].forEach((letter, i) => {
        const code = `${row.row}${letter}`;
        const firstOfRow = block === 0 && i === 0;
        const lastOfRow = block === groups.length - 1 && i === group.length - 1;
        const byAisle = (i === 0 && block > 0) || (i === group.length - 1 && block < groups.length - 1);
        const kind: SeatKind = firstOfRow || lastOfRow ? 'window' : byAisle ? 'aisle' : 'middle';
        seats.push({ code, row: row.row, letter, cabin: row.cabin, exit: row.exit, blocked: blocked.has(code), kind, block });
      });
    });
  }
  return seats;
}

/** Seat lookup by code; cached per seat map object because rules call it on every action. */
const indexCache = new WeakMap<SeatMap, Map<string, SeatInfo>>();

export function seatIndex(map: SeatMap): Map<string, SeatInfo> {
  let index = indexCache.get(map);
  if (!index) {
    index = new Map(seatsOf(map).map((s) => [s.code, s]));
    indexCache.set(map, index);
  }
  return index;
}

export function findSeat(map: SeatMap, code: string): SeatInfo | undefined {
  return seatIndex(map).get(code);
}

export function seatCountByCabin(map: SeatMap): Partial<Record<Cabin, number>> {
  const counts: Partial<Record<Cabin, number>> = {};
  for (const s of seatIndex(map).values()) counts[s.cabin] = (counts[s.cabin] ?? 0) + 1;
  return counts;
}

/** Sorts seat codes the way a cabin is walked: by row, then letter. */
export function compareSeats(a: string, b: string): number {
  const ra = parseInt(a, 10);
  const rb = parseInt(b, 10);
  return ra !== rb ? ra - rb : a.localeCompare(b);
}

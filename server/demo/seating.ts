/** Seats demo passengers the way the shared rules allow: exit rows, lap infants per row side, one per seat. */
import { EXIT_ROW_RESTRICTED_SSRS } from '../../shared/domain/rules';
import type { Cabin, Passenger, SeatMap } from '../../shared/domain/schemas';
import { seatsOf } from '../../shared/domain/seatmap';
import type { Random } from './random';

interface Seat {
  code: string;
  row: number;
  block: number;
  exit: boolean;
}

interface Cabins {
  byCabin: Map<Cabin, Seat[]>;
  infantBlocksByCabin: Map<Cabin, number>;
}

/** Per seat map, computed once: a hub-scale seed builds a thousand flights on three maps. */
const cabinsCache = new WeakMap<SeatMap, Cabins>();

function cabinsOf(seatMap: SeatMap): Cabins {
  let cached = cabinsCache.get(seatMap);
  if (cached) return cached;
  const byCabin = new Map<Cabin, Seat[]>();
  const blocks = new Map<Cabin, Set<string>>();
  for (const s of seatsOf(seatMap)) {
    if (s.blocked) continue;
    const list = byCabin.get(s.cabin) ?? [];
    list.push({ code: s.code, row: s.row, block: s.block, exit: s.exit });
    byCabin.set(s.cabin, list);
    if (!s.exit) blocks.set(s.cabin, (blocks.get(s.cabin) ?? new Set()).add(`${s.row}:${s.block}`));
  }
  cached = { byCabin, infantBlocksByCabin: new Map([...blocks].map(([c, set]) => [c, set.size])) };
  cabinsCache.set(seatMap, cached);
  return cached;
}

/** Seats passengers in walk order from a random start, so a party ends up side by side. */
export class SeatAssigner {
  private readonly byCabin: Map<Cabin, Seat[]>;
  private readonly infantBlocksByCabin: Map<Cabin, number>;
  private readonly taken = new Set<string>();
  private readonly infantBlocks = new Set<string>();

  constructor(seatMap: SeatMap) {
    ({ byCabin: this.byCabin, infantBlocksByCabin: this.infantBlocksByCabin } = cabinsOf(seatMap));
  }

  capacity(cabin: Cabin): number {
    return this.byCabin.get(cabin)?.length ?? 0;
  }

  /** Row sides (oxygen-mask blocks) outside exit rows: at most one lap infant each. */
  infantCapacity(cabin: Cabin): number {
    return this.infantBlocksByCabin.get(cabin) ?? 0;
  }

  cabins(): Cabin[] {
    return [...this.byCabin.keys()];
  }

  /** A seat for the passenger at or after `from`, or null when the cabin has none left for them. */
  assign(p: Passenger, from: number): { seat: string; at: number } | null {
    const seats = this.byCabin.get(p.cabin) ?? [];
    const barred = p.paxType === 'CHD' || p.infantId !== null || p.ssrs.some((s) => EXIT_ROW_RESTRICTED_SSRS.has(s));
    for (let i = 0; i < seats.length; i++) {
      const at = (from + i) % seats.length;
      const s = seats[at];
      if (!s || this.taken.has(s.code)) continue;
      if (s.exit && barred) continue;
      const block = `${s.row}:${s.block}`;
      if (p.infantId !== null && this.infantBlocks.has(block)) continue;
      this.taken.add(s.code);
      if (p.infantId !== null) this.infantBlocks.add(block);
      return { seat: s.code, at };
    }
    return null;
  }

  start(cabin: Cabin, rng: Random): number {
    return rng.int(0, Math.max(0, this.capacity(cabin) - 1));
  }
}

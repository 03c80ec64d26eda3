/**
 * Station-wide passenger search. Built once from every flight's compact search text (see
 * db/search-text.ts) into four long strings, one per field (names, PNRs, e-tickets, frequent-flyer
 * numbers), each value on its own line. A query becomes one or two indexOf calls over the field it
 * can be, and a binary search turns a hit's offset back into its passenger. At hub scale (300,000
 * passengers) the strings total ~12 MB and a miss scans one of them, not all 20 MB of text.
 *
 * Names are indexed folded (shared/names.ts): no apostrophes, hyphens, spaces or accents, and once
 * more from each later word, so "OBRIEN", "O BRIEN" and "O'BRIEN" find the same passenger, "JONES"
 * finds HARRIS-JONES, and a boarding pass's name cut at 20 characters still matches. The stored
 * search text is unchanged: the folding happens here, when the index is built in memory.
 *
 * Every hit is collected before any is dropped, then ordered by the caller's flight order (the
 * soonest departure first; departed flights left out) and by how well it matched, so a common name
 * cannot push tonight's passengers past the limit.
 */
import { foldName, nameIndexEntry } from '../../../shared/names';
import type { SearchDoc } from '../../db/schema';
import { normalizeQuery } from '../../db/search-text';

export interface StationHit {
  flightId: string;
  passengerId: string;
  /** 0 = the whole field matches, 1 = the field starts with the query, 2 = a later word of the name does. */
  rank: 0 | 1 | 2;
}

export interface StationSearchOptions {
  /** How many hits to return (50 by default); `more` says whether there were others. */
  limit?: number;
  /**
   * Where a flight's passengers go: a smaller number first (e.g. its departure time), null to leave
   * the flight out (departed). Without it, hits are ordered by how well they matched.
   */
  flightOrder?: (flightId: string) => number | null;
}

/** Hits collected at most before ordering: beyond this a query is too vague to be worth ranking in full. */
const MAX_CANDIDATES = 20_000;

type FieldName = 'name' | 'pnr' | 'eticket' | 'ff';
const FIELD_COLUMN: Record<FieldName, number> = { name: 1, pnr: 2, eticket: 3, ff: 4 };

interface Field {
  /** "\n" + one value per line + "\n". */
  text: string;
  /** Offset of each line's first character, ascending; line i belongs to owner i. */
  starts: Int32Array;
}

export class StationIndex {
  private constructor(
    private readonly fields: Record<FieldName, Field>,
    private readonly owners: readonly { flightId: string; passengerId: string }[],
  ) {}

  static build(docs: readonly Pick<SearchDoc, 'flightId' | 'text'>[]): StationIndex {
    const owners: { flightId: string; passengerId: string }[] = [];
    const parts: Record<FieldName, string[]> = { name: [], pnr: [], eticket: [], ff: [] };
    for (const doc of docs) {
      for (const line of doc.text.split('\n')) {
        if (line === '') continue;
        const cols = line.split('\t');
        owners.push({ flightId: doc.flightId, passengerId: cols[0]! });
        for (const f of Object.keys(FIELD_COLUMN) as FieldName[]) {
          const value = cols[FIELD_COLUMN[f]] ?? '';
          parts[f].push(f === 'name' ? nameIndexEntry(value) : value);
        }
      }
    }
    const field = (values: string[]): Field => {
      const starts = new Int32Array(values.length);
      let at = 1;
      values.forEach((v, i) => {
        starts[i] = at;
        at += v.length + 1;
      });
      return { text: `\n${values.join('\n')}\n`, starts };
    };
    return new StationIndex({ name: field(parts.name), pnr: field(parts.pnr), eticket: field(parts.eticket), ff: field(parts.ff) }, owners);
  }

  get size(): number {
    return this.owners.length;
  }

  search(rawQuery: string, options: StationSearchOptions | number = {}): { hits: StationHit[]; more: boolean } {
    const { limit = 50, flightOrder } = typeof options === 'number' ? { limit: options } : options;
    const q = normalizeQuery(rawQuery);
    const name = foldName(rawQuery, true);
    const nameNeedle = name.replace(/[ /]/g, '');
    if (q.length < 2 && nameNeedle.length < 2) return { hits: [], more: false };
    const found = new Map<number, StationHit['rank']>();
    let capped = false;
    const look = (field: FieldName, needleText: string, wordStart: boolean) => {
      const { text, starts } = this.fields[field];
      const needle = `${wordStart ? ' ' : '\n'}${needleText}`;
      for (let from = 0; ;) {
        if (found.size >= MAX_CANDIDATES) {
          capped = true;
          return;
        }
        const at = text.indexOf(needle, from);
        if (at < 0) return;
        from = at + needle.length;
        const line = lineOf(starts, wordStart ? at : at + 1);
        const next = text.charCodeAt(at + needle.length);
        // A name entry goes on after a space with its later words; either end means the whole value.
        const whole = next === 10 || (field === 'name' && next === 32);
        const rank: StationHit['rank'] = wordStart ? 2 : whole ? 0 : 1;
        if ((found.get(line) ?? 3) > rank) found.set(line, rank);
      }
    };
    if (/^\d+$/.test(q)) {
      look('eticket', q, false);
      look('ff', q, false);
    } else {
      if (/^[A-Z0-9]{6}$/.test(q)) look('pnr', q, false);
      if (/^[A-Z0-9]+$/.test(q) && /\d/.test(q)) look('ff', q, false);
      if (nameNeedle.length >= 2 && /^[A-Z][A-Z /]*$/.test(name)) {
        look('name', nameNeedle, false);
        look('name', nameNeedle, true);
      }
    }
    const hits: (StationHit & { order: number })[] = [];
    for (const [line, rank] of found) {
      const owner = this.owners[line]!;
      const order = flightOrder ? flightOrder(owner.flightId) : 0;
      if (order !== null) hits.push({ ...owner, rank, order });
    }
    hits.sort((a, b) => a.order - b.order || a.rank - b.rank);
    return {
      hits: hits.slice(0, limit).map(({ flightId, passengerId, rank }) => ({ flightId, passengerId, rank })),
      more: capped || hits.length > limit,
    };
  }
}

/** The line (owner index) an offset falls on: the last start ≤ offset. */
function lineOf(starts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

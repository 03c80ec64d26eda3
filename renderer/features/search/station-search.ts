/**
 * Station-wide passenger search. Built once from every flight's compact search text (see
 * db/search-text.ts) into four long strings, one per field (names, PNRs, e-tickets, frequent-flyer
 * numbers), each value on its own line. A query becomes one or two indexOf calls over the field it
 * can be, and a binary search turns a hit's offset back into its passenger. At hub scale (300,000
 * passengers) the strings total ~12 MB and a miss scans one of them, not all 20 MB of text.
 */
import type { SearchDoc } from '../../db/schema';
import { normalizeQuery } from '../../db/search-text';

export interface StationHit {
  flightId: string;
  passengerId: string;
  /** 0 = the whole field matches, 1 = the field starts with the query, 2 = a later word of the name does. */
  rank: 0 | 1 | 2;
}

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
        for (const f of Object.keys(FIELD_COLUMN) as FieldName[]) parts[f].push(cols[FIELD_COLUMN[f]] ?? '');
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

  search(rawQuery: string, limit = 50): { hits: StationHit[]; more: boolean } {
    const q = normalizeQuery(rawQuery);
    if (q.length < 2) return { hits: [], more: false };
    const found = new Map<number, StationHit['rank']>();
    const want = limit + 1;
    const look = (field: FieldName, wordStart: boolean) => {
      if (found.size >= want) return;
      const { text, starts } = this.fields[field];
      const needle = `${wordStart ? ' ' : '\n'}${q}`;
      for (let from = 0; found.size < want;) {
        const at = text.indexOf(needle, from);
        if (at < 0) return;
        from = at + needle.length;
        const line = lineOf(starts, wordStart ? at : at + 1);
        const rank: StationHit['rank'] = wordStart ? 2 : text.charCodeAt(at + needle.length) === 10 ? 0 : 1;
        if ((found.get(line) ?? 3) > rank) found.set(line, rank);
      }
    };
    if (/^\d+$/.test(q)) {
      look('eticket', false);
      look('ff', false);
    } else {
      if (/^[A-Z0-9]{6}$/.test(q)) look('pnr', false);
      if (/^[A-Z0-9]+$/.test(q) && /\d/.test(q)) look('ff', false);
      if (/^[A-Z][A-Z '-]*$/.test(q)) {
        look('name', false);
        look('name', true);
      }
    }
    const hits = [...found].map(([line, rank]) => ({ ...this.owners[line]!, rank })).sort((a, b) => a.rank - b.rank);
    return { hits: hits.slice(0, limit), more: hits.length > limit };
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

/**
 * Station-wide passenger search over every flight's compact search text (see db/search-text.ts):
 * a few indexOf calls per flight, no per-passenger objects in memory.
 */
import type { SearchDoc } from '../../db/schema';
import { normalizeQuery, searchText } from '../../db/search-text';

export interface StationHit {
  flightId: string;
  passengerId: string;
  rank: 0 | 1 | 2;
}

export function searchStation(docs: readonly Pick<SearchDoc, 'flightId' | 'text'>[], rawQuery: string, limit = 50): { hits: StationHit[]; more: boolean } {
  const query = normalizeQuery(rawQuery);
  if (query.length < 2) return { hits: [], more: false };
  const hits: StationHit[] = [];
  for (const doc of docs) {
    for (const h of searchText(doc.text, query, limit + 1 - hits.length)) hits.push({ flightId: doc.flightId, ...h });
    if (hits.length > limit) break;
  }
  hits.sort((a, b) => a.rank - b.rank);
  return { hits: hits.slice(0, limit), more: hits.length > limit };
}

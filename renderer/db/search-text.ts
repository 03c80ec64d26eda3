/**
 * The compact search text of one flight: a line per passenger, tab-separated fields, so that a
 * station-wide search is a handful of indexOf calls over ~1,000 strings instead of a walk over
 * 300,000 objects. Only fields that identify a passenger go in (they rarely change).
 *
 *   <passengerId>\t<LAST FIRST>\t<PNR>\t<e-ticket>\t<frequent-flyer number>\n
 */
import type { Passenger } from '../../shared/domain/schemas';

export function buildSearchText(passengers: readonly Passenger[]): string {
  let text = '\n';
  for (const p of passengers) {
    text += `${p.id}\t${p.lastName} ${p.firstName}\t${p.pnr}\t${p.eticket}\t${p.ffNumber ?? ''}\n`;
  }
  return text;
}

/** Upper-case, `/` as a space (agents type SMITH/ANNA), single spaces, no tabs or newlines. */
export function normalizeQuery(query: string): string {
  return query.toUpperCase().replace(/[/\t\n]+/g, ' ').replace(/\s+/g, ' ').trim();
}

export interface TextHit {
  passengerId: string;
  /** 0 = a field equals the query, 1 = a field starts with it, 2 = a later word of the name does. */
  rank: 0 | 1 | 2;
}

/**
 * Passengers in one flight's search text with a field (or a word of the name) starting with the
 * query. Stops after `limit` hits.
 */
export function searchText(text: string, query: string, limit: number): TextHit[] {
  if (query.length === 0) return [];
  const hits = new Map<string, TextHit>();
  for (const [needle, wordStart] of [[`\t${query}`, false], [` ${query}`, true]] as const) {
    let from = 0;
    while (hits.size < limit) {
      const at = text.indexOf(needle, from);
      if (at < 0) break;
      from = at + needle.length;
      const lineStart = text.lastIndexOf('\n', at) + 1;
      const idEnd = text.indexOf('\t', lineStart);
      if (idEnd < 0 || (!wordStart && at < idEnd) || (wordStart && !inNameField(text, lineStart, at))) continue;
      const passengerId = text.slice(lineStart, idEnd);
      const after = text.charAt(at + needle.length);
      const rank: TextHit['rank'] = wordStart ? 2 : after === '\t' || after === '\n' ? 0 : 1;
      const seen = hits.get(passengerId);
      if (!seen || seen.rank > rank) hits.set(passengerId, { passengerId, rank });
    }
  }
  return [...hits.values()];
}

function inNameField(text: string, lineStart: number, at: number): boolean {
  const nameStart = text.indexOf('\t', lineStart) + 1;
  const nameEnd = text.indexOf('\t', nameStart);
  return at > nameStart && at < nameEnd;
}

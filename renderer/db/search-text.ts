/**
 * The compact search text of one flight: a line per passenger, tab-separated fields, stored next
 * to the manifest so that station-wide search (features/search/station-search.ts) never has to
 * load 300,000 passenger objects. Only fields that identify a passenger go in (they rarely change).
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
  return query
    .toUpperCase()
    .replace(/[/\t\n]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

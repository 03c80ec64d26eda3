/** Filtering, sorting and instant search over one flight's passengers. Pure, so it is tested directly. */
import { parseBoardingPassScan, scannedNameMatches } from '../../../shared/bcbp/scan';
import { compareByName, compareBySeat } from '../../../shared/domain/headcount';
import type { Cabin, Passenger, PassengerStatus } from '../../../shared/domain/schemas';
import { nameMatches } from '../../../shared/names';

export type SortKey = 'name' | 'seat' | 'seq' | 'status';

export interface ManifestQuery {
  text: string;
  status: PassengerStatus | 'all';
  cabin: Cabin | 'all';
  /** An SSR code, or 'all'. */
  ssr: string;
  sort: SortKey;
}

export const DEFAULT_QUERY: ManifestQuery = { text: '', status: 'all', cabin: 'all', ssr: 'all', sort: 'name' };

const STATUS_ORDER: Record<PassengerStatus, number> = { booked: 0, 'checked-in': 1, boarded: 2, offloaded: 3, 'no-show': 4 };

/**
 * What the agent typed decides what it searches: a number is a sequence number, "14C" a seat, 6
 * letters/digits a PNR (or a name), 13 digits an e-ticket; anything else a name, an e-ticket or
 * frequent-flyer prefix. "SMITH/AN" works like "SMITH AN"; names match however apostrophes,
 * hyphens, spaces and accents are typed, and a boarding pass's 20-character name matches too
 * (shared/names.ts).
 */
export function matchesText(p: Passenger, raw: string): boolean {
  const q = raw.trim().toUpperCase();
  if (q === '') return true;
  if (/^\d{1,4}$/.test(q)) return p.seqNo === Number(q) || p.eticket.startsWith(q);
  if (/^\d{1,3}[A-K]$/.test(q)) return p.seat === q;
  if (/^\d{5,}$/.test(q)) return p.eticket.startsWith(q) || (p.ffNumber?.includes(q) ?? false);
  if (p.pnr === q) return true;
  if (nameMatches(q, p)) return true;
  return !/\s/.test(q) && (p.pnr.startsWith(q) || (p.ffNumber?.toUpperCase().includes(q) ?? false));
}

export function queryManifest(passengers: readonly Passenger[], q: ManifestQuery): Passenger[] {
  const rows = passengers.filter(
    (p) =>
      (q.status === 'all' || p.status === q.status) &&
      (q.cabin === 'all' || p.cabin === q.cabin) &&
      (q.ssr === 'all' || p.ssrs.includes(q.ssr)) &&
      matchesText(p, q.text),
  );
  switch (q.sort) {
    case 'name':
      return rows.sort(compareByName);
    case 'seat':
      return rows.sort(compareBySeat);
    case 'seq':
      return rows.sort((a, b) => (a.seqNo ?? 1e9) - (b.seqNo ?? 1e9) || compareByName(a, b));
    case 'status':
      return rows.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || compareByName(a, b));
  }
}

export function ssrCodesOf(passengers: readonly Passenger[]): string[] {
  return [...new Set(passengers.flatMap((p) => p.ssrs))].sort();
}

/** The passenger a scanned boarding pass belongs to, among these, by sequence number or PNR and name. */
export function passengerOfScan(text: string, passengers: readonly Passenger[], today: string): Passenger | null {
  const parsed = parseBoardingPassScan(text, { today });
  if (!parsed.ok) return null;
  const scan = parsed.value;
  const leg = scan.legs[0];
  if (!leg) return null;
  return (
    passengers.find((p) => leg.seqNo !== null && p.seqNo === leg.seqNo && scannedNameMatches(scan, p)) ??
    passengers.find((p) => p.pnr === leg.pnr && scannedNameMatches(scan, p)) ??
    null
  );
}

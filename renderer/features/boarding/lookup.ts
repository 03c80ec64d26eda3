/**
 * Turns what arrived at the gate (a scanned boarding pass, or what the agent typed: seq, seat or
 * name) into the passenger to board, or a plain reason why not. Pure, so every case is tested.
 */
import { legFrom, parseBoardingPassScan, scannedNameMatches, type ScannedLeg } from '../../../shared/bcbp/scan';
import { compareByName } from '../../../shared/domain/headcount';
import type { Flight, Passenger } from '../../../shared/domain/schemas';

export type Lookup =
  | { kind: 'found'; passenger: Passenger; via: 'scan' | 'manual' }
  | { kind: 'many'; passengers: Passenger[] }
  | { kind: 'none'; message: string }
  | { kind: 'wrong-flight'; leg: ScannedLeg; message: string }
  | { kind: 'unreadable'; message: string };

/** BCBP strings start with the format code M (or S) and the number of legs, and are long. */
export function looksLikeBoardingPass(text: string): boolean {
  return /^(\]L[0-2])?[MS][1-4]/.test(text) && text.length >= 40;
}

export function lookupScan(raw: string, flight: Flight, passengers: readonly Passenger[], today: string): Lookup {
  const parsed = parseBoardingPassScan(raw, { today });
  if (!parsed.ok) return { kind: 'unreadable', message: parsed.message };
  const scan = parsed.value;
  const leg = legFrom(scan, flight.origin) ?? scan.legs[0];
  if (!leg) return { kind: 'unreadable', message: 'The pass holds no flight.' };
  const sameFlight =
    leg.carrier === flight.carrier && leg.flightNumber === flight.number && leg.from === flight.origin && leg.flightDate === flight.date;
  if (!sameFlight) {
    return {
      kind: 'wrong-flight',
      leg,
      message: `This pass is for ${leg.carrier}${leg.flightNumber} ${leg.from}–${leg.to} on ${leg.flightDate}, not ${flight.carrier}${flight.number} on ${flight.date}.`,
    };
  }
  const bySeq = leg.seqNo === null ? undefined : passengers.find((p) => p.seqNo === leg.seqNo && scannedNameMatches(scan, p));
  const match =
    bySeq ?? passengers.find((p) => p.pnr === leg.pnr && scannedNameMatches(scan, p) && (leg.seat === 'INF') === (p.paxType === 'INF'));
  if (!match) return { kind: 'none', message: `${scan.name} (PNR ${leg.pnr}, seq ${leg.seqNo ?? '—'}) is not on this flight's manifest.` };
  return { kind: 'found', passenger: match, via: 'scan' };
}

/** Seq number, seat or (part of a) name, as an agent types them from a handwritten or damaged pass. */
export function lookupManual(text: string, passengers: readonly Passenger[]): Lookup {
  const q = text.trim().toUpperCase();
  if (q === '') return { kind: 'none', message: 'Type a sequence number, a seat or a name.' };
  let found: Passenger[];
  if (/^\d{1,4}$/.test(q)) found = passengers.filter((p) => p.seqNo === Number(q));
  else if (/^\d{1,3}[A-K]$/.test(q)) found = passengers.filter((p) => p.seat === q && p.status !== 'offloaded' && p.status !== 'no-show');
  else {
    const [last, first = ''] = q.replace(/\//g, ' ').split(/\s+/);
    found = passengers.filter((p) => p.lastName.startsWith(last!) && p.firstName.startsWith(first)).sort(compareByName);
  }
  if (found.length === 1) return { kind: 'found', passenger: found[0]!, via: 'manual' };
  if (found.length > 1) return { kind: 'many', passengers: found.slice(0, 12) };
  return { kind: 'none', message: `No passenger on this flight matches “${q}”.` };
}

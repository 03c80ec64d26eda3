/**
 * Turns what arrived at the gate (a scanned boarding pass, or what the agent typed: seq, seat or
 * name) into the passenger to board, or a plain reason why not. Pure, so every case is tested.
 */
import { legFrom, parseBoardingPassScan, scannedNameMatches, type ScannedLeg } from '../../../shared/bcbp/scan';
import { compareByName } from '../../../shared/domain/headcount';
import type { Flight, Passenger } from '../../../shared/domain/schemas';
import { nameMatches } from '../../../shared/names';

/**
 * How the pass scanned relates to the passenger's acceptance as it stands after a reconciliation:
 * the current pass; an outdated one (their seat or sequence number changed since it was printed);
 * or a void one (they were accepted at two desks and the other acceptance stands).
 */
export type PassCheck =
  | { kind: 'current' }
  /** A pass this desk has no check-in for: issued at a desk it cannot see during an outage. */
  | { kind: 'elsewhere'; seqNo: number }
  | { kind: 'outdated'; printedSeat: string | null; printedSeq: number | null }
  | { kind: 'void'; voidSeq: number };

export type Lookup =
  | { kind: 'found'; passenger: Passenger; via: 'scan' | 'manual'; pass?: PassCheck; scannedSeq?: number | null }
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
  const byVoidPass =
    leg.seqNo === null ? undefined : passengers.find((p) => voidSeqs(p).includes(leg.seqNo!) && scannedNameMatches(scan, p));
  const match =
    bySeq ??
    byVoidPass ??
    passengers.find((p) => p.pnr === leg.pnr && scannedNameMatches(scan, p) && (leg.seat === 'INF') === (p.paxType === 'INF'));
  if (!match) return { kind: 'none', message: `${scan.name} (PNR ${leg.pnr}, seq ${leg.seqNo ?? '—'}) is not on this flight's manifest.` };
  return { kind: 'found', passenger: match, via: 'scan', pass: passCheck(match, leg), scannedSeq: leg.seqNo };
}

function voidSeqs(p: Passenger): number[] {
  return (p.flags ?? []).flatMap((f) => (f.code === 'VOID_PASS' ? [f.seqNo] : []));
}

/** Whether the scanned pass is the one the passenger should hold now (the person is right either way). */
export function passCheck(p: Passenger, leg: Pick<ScannedLeg, 'seqNo' | 'seat'>): PassCheck {
  if (leg.seqNo !== null && voidSeqs(p).includes(leg.seqNo)) return { kind: 'void', voidSeq: leg.seqNo };
  if (leg.seqNo !== null && p.status === 'booked') return { kind: 'elsewhere', seqNo: leg.seqNo };
  // A lap infant's pass says INF where an adult's holds a seat.
  const seatOnPass = leg.seat === 'INF' ? null : leg.seat;
  const seatNow = p.paxType === 'INF' ? null : p.seat;
  const seqDiffers = leg.seqNo !== null && p.seqNo !== null && leg.seqNo !== p.seqNo;
  const seatDiffers = seatOnPass !== seatNow && !(seatNow === null && p.standby);
  return seqDiffers || seatDiffers ? { kind: 'outdated', printedSeat: seatOnPass, printedSeq: leg.seqNo } : { kind: 'current' };
}

/**
 * Seq number, seat or (part of a) name, as an agent types them from a handwritten or damaged pass
 * or a passport: "OBRIEN", "O BRIEN" and "O'BRIEN/PAT" all find O'BRIEN (shared/names.ts).
 */
export function lookupManual(text: string, passengers: readonly Passenger[]): Lookup {
  const q = text.trim().toUpperCase();
  if (q === '') return { kind: 'none', message: 'Type a sequence number, a seat or a name.' };
  let found: Passenger[];
  if (/^\d{1,4}$/.test(q)) found = passengers.filter((p) => p.seqNo === Number(q));
  else if (/^\d{1,3}[A-K]$/.test(q)) found = passengers.filter((p) => p.seat === q && p.status !== 'offloaded' && p.status !== 'no-show');
  else found = passengers.filter((p) => nameMatches(q, p)).sort(compareByName);
  if (found.length === 1) return { kind: 'found', passenger: found[0]!, via: 'manual' };
  if (found.length > 1) return { kind: 'many', passengers: found.slice(0, 12) };
  return { kind: 'none', message: `No passenger on this flight matches “${q}”.` };
}

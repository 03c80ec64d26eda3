/**
 * Reading a scanned boarding pass: the gate scanner hands over whatever text the barcode held and
 * gets back the fields that find the passenger (PNR, name, flight, date, sequence, seat, origin), or
 * a plain-words reason why the scan cannot be used. Passes from any airline's DCS are accepted, not
 * only Backstop's own, since during an outage passengers arrive with passes printed before it began.
 */
import { decode, type Leg } from 'bcbp';
import { z } from 'zod';
import { fail, ok, type Result } from '../result';
import { BCBP_NAME_LENGTH, bcbpName, dateOfJulianDay, normaliseFlightNumber, normaliseSeat } from './fields';
import type { Passenger } from '../domain/schemas';
import { squashName } from '../names';

export type ScanErrorCode = 'SCAN_EMPTY' | 'NOT_A_BOARDING_PASS' | 'BOARDING_PASS_UNREADABLE';

export interface ScannedLeg {
  pnr: string;
  from: string;
  to: string;
  carrier: string;
  /** As Backstop stores it: "123", not "0123". */
  flightNumber: string;
  /** Day of the year as printed in the barcode (1–366). */
  julianDay: number;
  /** The flight date the Julian day stands for, "YYYY-MM-DD" (year resolved, see below). */
  flightDate: string;
  compartment: string;
  /** "10A", "INF" for a lap infant's pass, or null when the pass holds no seat (standby). */
  seat: string | null;
  seqNo: number | null;
  passengerStatus: string | null;
  selectee: boolean;
}

export interface ScannedBoardingPass {
  /** Exactly what the barcode held (after a scanner's symbology prefix was removed). */
  raw: string;
  /** "LAST/FIRST" as encoded, possibly cut to 20 characters. */
  name: string;
  lastName: string;
  firstName: string;
  /** 0 adult, 3 child, 4 infant, … or null when the pass does not say. */
  passengerDescription: string | null;
  /** Station-local issue date, when the pass carries it. */
  issuedOn: string | null;
  /** One or more legs (a through pass); `legFrom` picks the one departing here. */
  legs: ScannedLeg[];
}

export interface ParseOptions {
  /**
   * Today at the station ("YYYY-MM-DD"), from the caller's clock. The barcode holds only a day of
   * the year; when it has no issue date either, the year is the one that puts the flight nearest to
   * today.
   */
  today: string;
}

const MANDATORY_LENGTH = 60;
/** Scanners configured to send the AIM symbology identifier prefix PDF417 with "]L0".."]L2". */
const SYMBOLOGY_PREFIX = /^\]L[0-2]/;

const Field = (re: RegExp, what: string) => z.string({ error: `${what} is missing` }).regex(re, `${what} is not valid`);

const LegFields = z.object({
  operatingCarrierPNR: Field(/^[A-Z0-9]{5,7}$/, 'the booking reference (PNR)'),
  departureAirport: Field(/^[A-Z]{3}$/, 'the departure airport'),
  arrivalAirport: Field(/^[A-Z]{3}$/, 'the arrival airport'),
  operatingCarrierDesignator: Field(/^[A-Z0-9]{2}[A-Z]?$/, 'the airline'),
  flightNumber: Field(/^\d{1,4}[A-Z]?$/, 'the flight number'),
  compartmentCode: Field(/^[A-Z]$/, 'the class'),
  checkInSequenceNumber: Field(/^\d{1,4}[A-Z]?$/, 'the check-in sequence number').optional(),
});

/**
 * The Julian day of each leg, read straight from the text: the package turns it into a Date in
 * some year, which loses day 366 and depends on the machine's time zone.
 */
function julianDays(raw: string, legs: number): (number | null)[] {
  const days: (number | null)[] = [];
  let start = 23; // format code, leg count, name, e-ticket indicator
  for (let i = 0; i < legs; i++) {
    const field = raw.slice(start + 21, start + 24);
    days.push(/^\d{3}$/.test(field) ? parseInt(field, 10) : null);
    const size = parseInt(raw.slice(start + 35, start + 37), 16);
    start += 37 + (Number.isNaN(size) ? 0 : size);
  }
  return days;
}

/** The year for a day-of-year: after the issue date if there is one, else nearest to today. */
function resolveFlightDate(day: number, issuedOn: string | null, today: string): string {
  if (issuedOn !== null) {
    const year = Number(issuedOn.slice(0, 4));
    const sameYear = dateOfJulianDay(year, day);
    return sameYear >= issuedOn ? sameYear : dateOfJulianDay(year + 1, day);
  }
  const ref = Date.parse(`${today}T00:00:00Z`);
  const year = Number(today.slice(0, 4));
  const candidates = [year - 1, year, year + 1].map((y) => dateOfJulianDay(y, day));
  candidates.sort((a, b) => Math.abs(Date.parse(`${a}T00:00:00Z`) - ref) - Math.abs(Date.parse(`${b}T00:00:00Z`) - ref));
  return candidates[0]!;
}

/** Parses the text of a scanned boarding-pass barcode. Never throws: garbage gives a Failure. */
export function parseBoardingPassScan(text: string, options: ParseOptions): Result<ScannedBoardingPass, ScanErrorCode> {
  // Scanners end a read with CR/LF; trailing spaces are data (blank fields), so only line ends go.
  const raw = text.replace(/[\r\n]+$/, '').replace(SYMBOLOGY_PREFIX, '');
  if (raw.trim() === '') return fail('SCAN_EMPTY', 'The scan was empty. Scan the barcode again.');
  if (!/^M[1-4]/.test(raw)) {
    return fail('NOT_A_BOARDING_PASS', 'This barcode is not an IATA boarding pass. Find the passenger by name or PNR instead.');
  }
  if (raw.length < MANDATORY_LENGTH) {
    return fail(
      'BOARDING_PASS_UNREADABLE',
      `This boarding pass barcode is incomplete (${raw.length} of at least ${MANDATORY_LENGTH} characters). Find the passenger by name or PNR instead.`,
    );
  }
  const today = options.today;
  let decoded: ReturnType<typeof decode>;
  try {
    decoded = decode(raw, Number(today.slice(0, 4)));
  } catch {
    return fail('BOARDING_PASS_UNREADABLE', 'This boarding pass barcode could not be read. Find the passenger by name or PNR instead.');
  }
  const data = decoded.data ?? {};
  const name = data.passengerName ?? '';
  const slash = name.indexOf('/');
  // A last name of 20 characters or more fills the whole field: cut, with no "/" and no first name.
  const cutInLastName = slash < 0 && name.trim().length >= BCBP_NAME_LENGTH;
  if (slash < 1 && !cutInLastName)
    return fail('BOARDING_PASS_UNREADABLE', 'The passenger name in this boarding pass barcode is not readable.');
  const issuedOn = data.issuanceDate && !Number.isNaN(data.issuanceDate.getTime()) ? data.issuanceDate.toISOString().slice(0, 10) : null;

  const legs: ScannedLeg[] = [];
  const days = julianDays(raw, data.legs?.length ?? 0);
  for (const [i, leg] of (data.legs ?? []).entries()) {
    const parsed = parseLeg(leg, days[i] ?? null, issuedOn, today);
    if (!parsed.ok) {
      const which = (data.legs?.length ?? 0) > 1 ? ` (flight ${i + 1})` : '';
      return fail('BOARDING_PASS_UNREADABLE', `This boarding pass barcode is damaged${which}: ${parsed.message}.`);
    }
    legs.push(parsed.value);
  }
  if (legs.length === 0) return fail('BOARDING_PASS_UNREADABLE', 'This boarding pass barcode holds no flight.');
  return ok({
    raw,
    name,
    lastName: (cutInLastName ? name : name.slice(0, slash)).trim(),
    firstName: cutInLastName ? '' : name.slice(slash + 1).trim(),
    passengerDescription: data.passengerDescription ?? null,
    issuedOn,
    legs,
  });
}

function parseLeg(leg: Leg, day: number | null, issuedOn: string | null, today: string): Result<ScannedLeg, 'INVALID'> {
  const checked = LegFields.safeParse(leg);
  if (!checked.success) return fail('INVALID', checked.error.issues[0]?.message ?? 'a field is not valid');
  if (day === null || day < 1 || day > 366) return fail('INVALID', 'the flight date is not valid');
  const f = checked.data;
  const seq = f.checkInSequenceNumber;
  return ok({
    pnr: f.operatingCarrierPNR,
    from: f.departureAirport,
    to: f.arrivalAirport,
    carrier: f.operatingCarrierDesignator,
    flightNumber: normaliseFlightNumber(f.flightNumber)!,
    julianDay: day,
    flightDate: resolveFlightDate(day, issuedOn, today),
    compartment: f.compartmentCode,
    seat: normaliseSeat(leg.seatNumber),
    seqNo: seq === undefined ? null : parseInt(seq, 10),
    passengerStatus: leg.passengerStatus ?? null,
    selectee: leg.selecteeIndicator === '1',
  });
}

/** The leg of a (possibly multi-leg) pass that departs from `station`, if any. */
export function legFrom(scan: ScannedBoardingPass, station: string): ScannedLeg | undefined {
  return scan.legs.find((l) => l.from === station);
}

/**
 * Whether a scanned name is this passenger's, allowing for the barcode's 20-character cut, for
 * other airlines appending a title to the first name ("SMITH/ANNA MS", "SMITH/ANNAMS") and for
 * other systems spelling the same name with other spaces or accents ("VANDERBERG", "MULLER").
 */
export function scannedNameMatches(scan: Pick<ScannedBoardingPass, 'name'>, p: Pick<Passenger, 'lastName' | 'firstName'>): boolean {
  const ours = bcbpName(p);
  const theirs = scan.name.replace(/\s+/g, ' ').trim();
  if (theirs === ours || theirs.startsWith(ours) || (theirs.length >= 20 && ours.startsWith(theirs))) return true;
  const key = (last: string, first: string) => `${squashName(last)}/${squashName(first)}`;
  const slash = theirs.indexOf('/');
  const oursKey = key(p.lastName, p.firstName);
  const theirsKey = slash < 0 ? squashName(theirs) : key(theirs.slice(0, slash), theirs.slice(slash + 1));
  return theirsKey.startsWith(oursKey) || (theirs.length >= 20 && oursKey.startsWith(theirsKey));
}

/**
 * Travel documents from their machine-readable zone (ICAO 9303): a passport's two lines of 44
 * characters (TD3) or an identity card's three lines of 30 (TD1), from a keyboard-wedge document
 * reader or typed by the agent. The `mrz` package parses and checks every check digit; this module
 * is the trust boundary around it (whatever a reader sends is text until it parses here) and turns
 * its answer into Backstop's TravelDocument, with four-digit years from the injected date.
 *
 * Then the checks an agent makes against the booking: is the document still valid, and is it the
 * booked passenger's (names on documents are transliterated and cut at the zone's width, so the
 * comparison allows for both).
 */
import { parse, type Details, type ParseResult } from 'mrz';
import type { Passenger, TravelDocument } from './schemas';

/** ICAO's specimen state ("Utopia"): the sample documents of Doc 9303 carry it; the parser's state list does not. */
export const SPECIMEN_STATE = 'UTO';

export type MrzData = Omit<TravelDocument, 'source' | 'nameMismatch' | 'recordedAt' | 'recordedBy'>;

export type MrzProblemCode =
  /** Not two lines of 44 or three of 30 characters of A–Z, 0–9 and `<`. */
  | 'MRZ_UNREADABLE'
  /** A zone of another kind (visa, driving licence): not a passport or identity card. */
  | 'MRZ_NOT_A_TRAVEL_DOCUMENT'
  /** A check digit does not match: misread or mistyped. */
  | 'MRZ_CHECK_DIGIT'
  /** A field holds something impossible (a month 13, an unknown state). */
  | 'MRZ_INVALID_FIELD';

export type MrzReading = { ok: true; document: MrzData } | { ok: false; code: MrzProblemCode; message: string; fields: string[] };

const LINE = /^[A-Z0-9<]+$/;

/**
 * The lines of a zone from what a reader or a person typed: upper case, spaces and blank lines
 * dropped, and one unbroken run of 88 or 90 characters split into its lines (some readers send no
 * line ends).
 */
export function mrzLines(text: string): string[] {
  const lines = text
    .toUpperCase()
    .replace(/[ \t]/g, '')
    .split(/\r\n|\r|\n/)
    .filter((l) => l.length > 0);
  if (lines.length === 1) {
    const [only] = lines as [string];
    if (only.length === 88) return [only.slice(0, 44), only.slice(44)];
    if (only.length === 90) return [only.slice(0, 30), only.slice(30, 60), only.slice(60)];
  }
  return lines;
}

/** One line of a passport (44) or identity card (30) zone, by shape: what a document reader types per line. */
export function isMrzLine(text: string): boolean {
  return (text.length === 44 || text.length === 30) && LINE.test(text);
}

/** TD3 (2 × 44) or TD1 (3 × 30) by shape alone, before any check digit. */
export function mrzShape(lines: readonly string[]): 'TD3' | 'TD1' | null {
  if (!lines.every((l) => LINE.test(l))) return null;
  if (lines.length === 2 && lines.every((l) => l.length === 44)) return 'TD3';
  if (lines.length === 3 && lines.every((l) => l.length === 30)) return 'TD1';
  return null;
}

const FIELD_WORDS: Record<string, string> = {
  documentNumber: 'document number',
  documentNumberCheckDigit: 'document number check digit',
  birthDate: 'date of birth',
  birthDateCheckDigit: 'date of birth check digit',
  expirationDate: 'expiry date',
  expirationDateCheckDigit: 'expiry date check digit',
  compositeCheckDigit: 'overall check digit',
  personalNumberCheckDigit: 'personal number check digit',
  issuingState: 'issuing state',
  nationality: 'nationality',
  sex: 'sex',
  lastName: 'surname',
  firstName: 'given names',
  documentCode: 'document type',
};

function raw(lines: readonly string[], d: Details): string {
  return (lines[d.line] ?? '').slice(d.start, d.end);
}

/** A detail the parser refused that is in fact ICAO's specimen state, which Doc 9303's samples use. */
function specimenState(lines: readonly string[], d: Details): boolean {
  return (d.field === 'issuingState' || d.field === 'nationality') && raw(lines, d) === SPECIMEN_STATE;
}

/** "740812" → "1974-08-12": a birth year is never in the future. */
function birthDate(yymmdd: string, today: string): string {
  const yy = Number(yymmdd.slice(0, 2));
  const thisYear = Number(today.slice(0, 4));
  const century = 2000 + yy > thisYear ? 1900 : 2000;
  return `${century + yy}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}

/** "120415" → "2012-04-15": documents are valid for at most ten years, so an expiry is this century. */
function expiryDate(yymmdd: string): string {
  return `${2000 + Number(yymmdd.slice(0, 2))}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}

function sexOf(v: string | null | undefined): 'M' | 'F' | 'X' {
  return v === 'male' ? 'M' : v === 'female' ? 'F' : 'X';
}

/**
 * Reads a zone. `today` (YYYY-MM-DD, from the app's clock) decides the century of the birth date.
 * Never throws: whatever is wrong comes back with a code and the fields concerned.
 */
export function readMrz(text: string, today: string): MrzReading {
  const lines = mrzLines(text);
  const shape = mrzShape(lines);
  if (!shape) {
    return {
      ok: false,
      code: 'MRZ_UNREADABLE',
      message: 'Not a passport or identity card zone: expected 2 lines of 44 characters (passport) or 3 lines of 30 (identity card).',
      fields: [],
    };
  }
  let result: ParseResult;
  try {
    result = parse(lines);
  } catch (error) {
    return { ok: false, code: 'MRZ_UNREADABLE', message: error instanceof Error ? error.message : String(error), fields: [] };
  }
  if (result.format !== shape) {
    return {
      ok: false,
      code: 'MRZ_NOT_A_TRAVEL_DOCUMENT',
      message: `A ${result.format} zone is not a passport or identity card.`,
      fields: [],
    };
  }
  const bad = result.details.filter((d) => !d.valid && !specimenState(lines, d));
  if (bad.length > 0) {
    const checkDigits = bad.filter((d) => d.field?.endsWith('CheckDigit'));
    const fields = bad.map((d) => FIELD_WORDS[d.field ?? ''] ?? d.label);
    return checkDigits.length > 0
      ? {
          ok: false,
          code: 'MRZ_CHECK_DIGIT',
          message: `Check digits do not match (${checkDigits.map((d) => FIELD_WORDS[d.field ?? ''] ?? d.label).join(', ')}): read the document again or correct the typing.`,
          fields,
        }
      : { ok: false, code: 'MRZ_INVALID_FIELD', message: `Not a valid ${fields.join(', ')}.`, fields };
  }
  const field = (name: string): string => {
    const d = result.details.find((x) => x.field === name);
    return d ? (d.valid ? (d.value ?? '') : raw(lines, d)) : '';
  };
  const documentType = field('documentCode').charAt(0);
  if (shape === 'TD3' && documentType !== 'P') {
    return { ok: false, code: 'MRZ_NOT_A_TRAVEL_DOCUMENT', message: 'A two-line zone of 44 that is not a passport (a visa?).', fields: [] };
  }
  const number = (result.documentNumber ?? field('documentNumber')).replace(/</g, '');
  return {
    ok: true,
    document: {
      type: documentType,
      format: shape,
      number,
      issuingState: field('issuingState'),
      nationality: field('nationality'),
      lastName: field('lastName'),
      firstName: field('firstName'),
      birthDate: birthDate(field('birthDate'), today),
      expiryDate: expiryDate(field('expirationDate')),
      sex: sexOf(result.fields.sex),
    },
  };
}

/** Letters only: names on documents and bookings differ in spaces, hyphens and apostrophes. */
function letters(name: string): string {
  return name.toUpperCase().replace(/[^A-Z]/g, '');
}

/** Width of the name field: 39 on a passport's first line, 30 on an identity card's third. */
const NAME_WIDTH = { TD3: 39, TD1: 30 } as const;

/** The zone ran out of room for the names: the end of them is cut off. */
function cutShort(doc: Pick<TravelDocument, 'lastName' | 'firstName' | 'format'>): boolean {
  const written = `${doc.lastName}<<${doc.firstName}`.replace(/[ -]/g, '<');
  return written.length >= NAME_WIDTH[doc.format];
}

/** Whether two surnames agree, allowing for a zone that cut the longer one short. */
function sameSurname(onDocument: string, booked: string, cut: boolean): boolean {
  const a = letters(onDocument);
  const b = letters(booked);
  return a === b || (cut && a.length > 0 && b.startsWith(a));
}

/** The booked first name is one of the given names on the document (or all of them run together). */
function sameGivenName(onDocument: string, booked: string, cut: boolean): boolean {
  const b = letters(booked);
  if (b === '') return true;
  const all = letters(onDocument);
  const given = onDocument
    .toUpperCase()
    .split(/[\s<]+/)
    .map(letters)
    .filter(Boolean);
  // A cut zone may keep only the first letters of the given names.
  return given.includes(b) || all.startsWith(b) || (cut && b.startsWith(all));
}

export interface DocumentCheck {
  /** Past its expiry date today. */
  expired: boolean;
  /** Expires before the flight's date (valid today, not for travel). */
  expiresBeforeTravel: boolean;
  /** The names agree with the booking. */
  nameMatches: boolean;
}

/** The checks an agent makes: `today` and `travelDate` are YYYY-MM-DD at the station. */
export function checkDocument(
  doc: Pick<TravelDocument, 'expiryDate' | 'lastName' | 'firstName' | 'format'>,
  passenger: Pick<Passenger, 'lastName' | 'firstName'>,
  today: string,
  travelDate: string,
): DocumentCheck {
  return {
    expired: doc.expiryDate < today,
    expiresBeforeTravel: doc.expiryDate < travelDate,
    nameMatches:
      sameSurname(doc.lastName, passenger.lastName, cutShort(doc)) && sameGivenName(doc.firstName, passenger.firstName, cutShort(doc)),
  };
}

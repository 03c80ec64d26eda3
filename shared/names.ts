/**
 * Passenger names the way agents type them and barcodes hold them. Passports print "MÜLLER" and
 * "O'BRIEN"; a reservation may hold "OBRIEN" or "O BRIEN"; an IATA boarding pass drops the
 * apostrophes and hyphens and cuts "LAST/FIRST" at 20 characters. Every name search in Backstop
 * (station-wide search, the manifest filter, the gate's typed lookup, a scanned pass) compares
 * names through the one folding here, so all of these find the same passenger.
 */

/** Letters that do not decompose into a base letter and a mark under Unicode normalisation. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ẞ: 'SS',
  Æ: 'AE',
  Œ: 'OE',
  Ø: 'O',
  Ł: 'L',
  Đ: 'D',
  Ð: 'D',
  Þ: 'TH',
  Ħ: 'H',
};

const PLAIN = /^[A-Z0-9]+(?: [A-Z0-9]+)*$/;

/** Apostrophes as typed, pasted from documents or sent by other systems: removed, never a word break. */
const APOSTROPHES = /['\u2018\u2019\u201B\u02BC\u02BB\u0060\u00B4\u2032]/g;

/**
 * Upper case, diacritics removed (MÜLLER → MULLER, ÇELİK → CELIK), apostrophes removed
 * (O'BRIEN → OBRIEN), hyphens and any other punctuation a word break (HARRIS-JONES → HARRIS JONES),
 * single spaces. `keepSlash` keeps "/", the LAST/FIRST separator of a typed or scanned name.
 */
export function foldName(text: string, keepSlash = false): string {
  // Most stored names are already plain: upper-case letters and single spaces (and the index folds 300,000 of them).
  if (PLAIN.test(text)) return text;
  const upper = text
    .toUpperCase()
    .replace(/[ẞÆŒØŁĐÐÞĦ]/g, (c) => SPECIAL_LETTERS[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(APOSTROPHES, '');
  const broken = keepSlash ? upper.replace(/[^A-Z0-9/]+/g, ' ').replace(/\s*\/\s*/g, '/') : upper.replace(/[^A-Z0-9]+/g, ' ');
  return broken.replace(/\s+/g, ' ').trim();
}

/** A folded name with no word breaks at all: O'BRIEN, OBRIEN and O BRIEN all become "OBRIEN". */
export function squashName(text: string): string {
  return foldName(text).replace(/ /g, '');
}

/** The words of a name after folding: "HARRIS-JONES ANNA MARIE" → ["HARRIS", "JONES", "ANNA", "MARIE"]. */
export function nameWords(text: string): string[] {
  const folded = foldName(text);
  return folded === '' ? [] : folded.split(' ');
}

export interface PersonName {
  lastName: string;
  firstName: string;
}

/** How well a query matches a name: 0 the whole name, 1 from its start, 2 from a later word; null no match. */
export type NameMatch = 0 | 1 | 2;

/**
 * Whether what the agent typed (or a scanned pass held) names this person, and how well.
 *
 * - "LAST/FIRST" (a pass, or an agent typing like one): the last name starts with LAST and the first
 *   name with FIRST, spaces and punctuation ignored, so a 20-character cut still matches.
 * - Words without a slash: the name read from its start with every space and punctuation mark
 *   ignored ("OBRIEN", "O BRIEN", "SMITH ANNA", "HARRISJONES"), or from a later word of it ("JONES"
 *   finds HARRIS-JONES, "ANNA" a first name), or the first word starting the last name and the rest
 *   starting the first name ("SMI AN").
 */
export function matchName(query: string, person: PersonName): NameMatch | null {
  const q = foldName(query, true);
  if (q === '' || q === '/') return null;
  const last = squashName(person.lastName);
  const first = squashName(person.firstName);
  const slash = q.indexOf('/');
  if (slash >= 0) {
    const ql = q.slice(0, slash).replace(/ /g, '');
    const qf = q.slice(slash + 1).replace(/[ /]/g, '');
    if (ql === '' || !last.startsWith(ql) || !first.startsWith(qf)) return null;
    return ql === last && qf === first ? 0 : 1;
  }
  const squashed = q.replace(/ /g, '');
  const whole = last + first;
  if (whole === squashed) return 0;
  if (whole.startsWith(squashed)) return 1;
  const words = q.split(' ');
  if (words.length > 1 && last.startsWith(words[0]!) && first.startsWith(words.slice(1).join(''))) return 1;
  const all = [...nameWords(person.lastName), ...nameWords(person.firstName)];
  for (let i = 1; i < all.length; i++) {
    if (all.slice(i).join('').startsWith(squashed)) return 2;
  }
  return null;
}

/** True when the query names this person at all (see matchName). */
export function nameMatches(query: string, person: PersonName): boolean {
  return matchName(query, person) !== null;
}

/**
 * The searchable form of a name for an index: the squashed whole name, then the squashed name from
 * each later word, space-separated ("HARRIS-JONES ANNA" → "HARRISJONESANNA JONESANNA ANNA"). A
 * query squashed the same way matches at the start of the entry (from the start of the name) or
 * after a space (from a later word).
 */
export function nameIndexEntry(fullName: string): string {
  const words = nameWords(fullName);
  let entry = '';
  let tail = '';
  for (let i = words.length - 1; i >= 0; i--) {
    tail = words[i]! + tail;
    entry = i === words.length - 1 ? tail : `${tail} ${entry}`;
  }
  return entry;
}

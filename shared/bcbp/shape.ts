/**
 * Whether a text is shaped like one whole IATA BCBP message, judged by its structure alone: format
 * code, number of legs, and the size fields that say how long each leg's variable part is. No item
 * is decoded, so it is cheap enough to try at every position of a keyboard buffer, and a message
 * cut short, or with text after it, does not pass (its size fields no longer add up to its length).
 * Whether the items make sense is `parseBoardingPassScan`'s job.
 */

/** Scanners configured to send the AIM symbology identifier prefix PDF417 with "]L0".."]L2". */
const SYMBOLOGY_PREFIX = /^\]L[0-2]/;

/** Format code, number of legs, passenger name (20), electronic ticket indicator. */
const HEADER_LENGTH = 23;
/** PNR (7), from (3), to (3), carrier (3), flight (5), date (3), class (1), seat (4), seq (5), status (1). */
const LEG_ITEMS_LENGTH = 35;
/** Two hex digits giving the size of what follows. */
const SIZE_LENGTH = 2;
/** "^", security data type, size. */
const SECURITY_HEADER_LENGTH = 1 + 1 + SIZE_LENGTH;

/** The mandatory section of a one-leg pass, up to and including its size field. */
export const BCBP_MANDATORY_LENGTH = HEADER_LENGTH + LEG_ITEMS_LENGTH + SIZE_LENGTH;

function hexSize(text: string, at: number): number | null {
  const field = text.slice(at, at + SIZE_LENGTH);
  return /^[0-9A-F]{2}$/i.test(field) ? parseInt(field, 16) : null;
}

/**
 * The length of the BCBP message that starts `text`, as its own size fields tell it (every leg, and
 * the security data if there is any), or null when the text does not start like one or stops first.
 */
export function bcbpMessageLength(text: string): number | null {
  const format = /^M([1-4])/.exec(text);
  if (!format) return null;
  const legs = Number(format[1]);
  let at = HEADER_LENGTH;
  for (let leg = 0; leg < legs; leg++) {
    // Airports are the one item every airline writes the same way; it keeps random text out.
    if (!/^[A-Z]{6}$/.test(text.slice(at + 7, at + 13))) return null;
    const size = hexSize(text, at + LEG_ITEMS_LENGTH);
    if (size === null) return null;
    at += LEG_ITEMS_LENGTH + SIZE_LENGTH + size;
    if (at > text.length) return null;
  }
  if (text[at] === '^') {
    const size = hexSize(text, at + 2);
    if (size === null) return null;
    at += SECURITY_HEADER_LENGTH + size;
    if (at > text.length) return null;
  }
  return at;
}

/** True when `text` is exactly one BCBP message, optionally after a scanner's symbology prefix. */
export function isBcbpShaped(text: string): boolean {
  const message = text.replace(SYMBOLOGY_PREFIX, '');
  return bcbpMessageLength(message) === message.length;
}

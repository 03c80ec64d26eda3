/**
 * Adler-32, the checksum that ends a zlib stream (RFC 1950), and zlib's adler32_combine: the checksum
 * of A followed by B from the checksums of A and B and the length of B. Node's zlib exposes neither,
 * and a bulk page served as one zlib stream of stored pieces (deflate-pieces.ts) needs the checksum of
 * the whole without reading the pieces' text again.
 */

const BASE = 65521;
/** The most bytes summed before reducing (zlib's NMAX): both sums stay within 32 bits, which V8 keeps as plain integers. */
const NMAX = 5552;

/** The Adler-32 of `bytes`, continuing from `start` (1, the checksum of nothing, to begin). */
export function adler32(bytes: Uint8Array, start = 1): number {
  let a = start & 0xffff;
  let b = (start >>> 16) & 0xffff;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const end = Math.min(i + NMAX, n);
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= BASE;
    b %= BASE;
  }
  return (b * 65536 + a) >>> 0;
}

/** The Adler-32 of A then B, from A's checksum, B's checksum and B's length in bytes (zlib's adler32_combine). */
export function adler32Combine(adler1: number, adler2: number, length2: number): number {
  if (!Number.isSafeInteger(length2) || length2 < 0) throw new RangeError(`adler32Combine: length ${length2} is not a byte count`);
  const rem = length2 % BASE;
  let sum1 = adler1 & 0xffff;
  let sum2 = (rem * sum1) % BASE;
  sum1 += (adler2 & 0xffff) + BASE - 1;
  sum2 += ((adler1 >>> 16) & 0xffff) + ((adler2 >>> 16) & 0xffff) + BASE - rem;
  if (sum1 >= BASE) sum1 -= BASE;
  if (sum1 >= BASE) sum1 -= BASE;
  if (sum2 >= BASE * 2) sum2 -= BASE * 2;
  if (sum2 >= BASE) sum2 -= BASE;
  return (sum2 * 65536 + sum1) >>> 0;
}

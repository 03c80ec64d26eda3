import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../tests/support/random';
import { adler32, adler32Combine } from './adler32';

/** The Adler-32 zlib itself writes at the end of a zlib stream of `bytes`. */
const zlibAdler = (bytes: Uint8Array): number => {
  const stream = zlib.deflateSync(bytes, { level: 1 });
  return stream.readUInt32BE(stream.length - 4);
};

function randomBytes(random: SeededRandom, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = random.int(0, 255);
  return out;
}

// Around zlib's reduction interval (5552), its modulus (65521) and a few sizes past both.
const LENGTHS = [0, 1, 2, 15, 5551, 5552, 5553, 11104, 65520, 65521, 65522, 65536, 131042, 200_003];

describe('adler32', () => {
  it('is 1 for nothing, as zlib says', () => {
    expect(adler32(Buffer.alloc(0))).toBe(1);
    expect(zlibAdler(Buffer.alloc(0))).toBe(1);
  });

  it('agrees with zlib on random data of every awkward length', () => {
    const random = new SeededRandom(17);
    for (const length of LENGTHS) {
      const bytes = randomBytes(random, length);
      expect(adler32(bytes), `length ${length}`).toBe(zlibAdler(bytes));
    }
  });

  it('agrees with zlib where both sums grow fastest (every byte 0xff) and on text', () => {
    for (const length of [5552, 65521, 300_000]) {
      const bytes = Buffer.alloc(length, 0xff);
      expect(adler32(bytes), `length ${length}`).toBe(zlibAdler(bytes));
    }
    const text = Buffer.from('{"flight":{"id":"BA0117-2026-11-26"},"pax":{"n":3}}'.repeat(4_000));
    expect(adler32(text)).toBe(zlibAdler(text));
  });

  it('continues from a checksum as if the bytes were one run', () => {
    const random = new SeededRandom(3);
    const bytes = randomBytes(random, 70_000);
    expect(adler32(bytes.subarray(40_000), adler32(bytes.subarray(0, 40_000)))).toBe(zlibAdler(bytes));
  });
});

describe('adler32Combine', () => {
  it('gives the checksum of A then B from theirs, for empty pieces and pieces of 65521 bytes and more', () => {
    const random = new SeededRandom(99);
    for (const a of LENGTHS) {
      for (const b of [0, 1, 5553, 65521, 65522, 140_000]) {
        const first = randomBytes(random, a);
        const second = randomBytes(random, b);
        const combined = adler32Combine(zlibAdler(first), zlibAdler(second), b);
        expect(combined, `${a} + ${b}`).toBe(zlibAdler(Buffer.concat([first, second])));
      }
    }
  });

  it('folds many pieces of random lengths into the checksum of the whole', () => {
    const random = new SeededRandom(5);
    const pieces = Array.from({ length: 60 }, () => randomBytes(random, random.chance(0.2) ? 0 : random.int(1, 70_000)));
    let adler = 1;
    for (const p of pieces) adler = adler32Combine(adler, zlibAdler(p), p.length);
    expect(adler).toBe(zlibAdler(Buffer.concat(pieces)));
  });

  it('refuses a length that is not a byte count', () => {
    expect(() => adler32Combine(1, 1, -1)).toThrow(RangeError);
    expect(() => adler32Combine(1, 1, 1.5)).toThrow(RangeError);
  });
});

import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../tests/support/random';
import { deflatePiece, deflatePieceSync, inflatePiece, zlibStream } from './deflate-pieces';

/** Text that compresses as a flight document does: keys and ids repeated, values varying. */
function documentLike(random: SeededRandom, passengers: number): Buffer {
  const names = ['SMITH/ANNA', 'NGUYEN/MINH', 'OKAFOR/CHIDI', 'GARCIA/LUCIA', 'MÜLLER/JÜRGEN'];
  const pax = Array.from({ length: passengers }, (_, i) => ({
    id: `pax-${random.int(0, 1e9)}`,
    name: random.pick(names),
    seat: `${random.int(1, 40)}${'ABCDEF'[i % 6]}`,
  }));
  return Buffer.from(JSON.stringify({ flight: { id: `BA${random.int(100, 999)}` }, pax }), 'utf8');
}

describe('a zlib stream of pieces compressed apart', () => {
  it('inflates, header, checksum and all, to the pieces’ texts in order, empty pieces included', async () => {
    const random = new SeededRandom(11);
    const texts = [Buffer.from('{"flights":['), documentLike(random, 300), Buffer.alloc(0), Buffer.from(','), documentLike(random, 1)];
    texts.push(documentLike(random, 2_000), Buffer.from(']}'));
    const pieces = await Promise.all(texts.map(deflatePiece));
    const stream = zlibStream(pieces);
    // inflateSync checks the Adler-32 at the end: a wrong one throws.
    expect(zlib.inflateSync(stream).equals(Buffer.concat(texts))).toBe(true);
    expect(stream.length * 3).toBeLessThan(Buffer.concat(texts).length);
  });

  it('holds nothing when there are no pieces, and refuses to inflate when a checksum is wrong', () => {
    expect(zlib.inflateSync(zlibStream([])).length).toBe(0);
    const piece = deflatePieceSync(Buffer.from('{"a":1}'));
    expect(zlib.inflateSync(zlibStream([piece])).toString()).toBe('{"a":1}');
    expect(() => zlib.inflateSync(zlibStream([{ ...piece, adler: piece.adler ^ 1 }]))).toThrow(/incorrect data check/);
  });

  it('gives each piece’s text back on its own', async () => {
    const text = documentLike(new SeededRandom(2), 400);
    const piece = await deflatePiece(text);
    expect(piece.size).toBe(text.length);
    expect((await inflatePiece(piece)).equals(text)).toBe(true);
    expect((await inflatePiece(deflatePieceSync(Buffer.alloc(0)))).length).toBe(0);
  });
});

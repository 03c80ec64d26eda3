/**
 * Just enough of a WOFF2 reader (W3C WOFF2, §4–5) to learn two facts about a font file: its
 * PostScript name (what a PDF calls the font, so the print tests can tell ours from a system
 * font) and the characters it has glyphs for (so a template character the font lacks, which would
 * make Chromium fall back to a system font, is caught before printing). Node's zlib does the Brotli.
 */
import { brotliDecompressSync } from 'node:zlib';

/** Tags of the table directory's "known table" indices that this reader cares about. */
const KNOWN_TAGS: Record<number, string> = { 0: 'cmap', 5: 'name', 10: 'glyf', 11: 'loca' };
const ARBITRARY_TAG = 0x3f;
const HEADER_BYTES = 48;

export interface Woff2Facts {
  postscriptName: string;
  codePoints: ReadonlySet<number>;
}

export function readWoff2(file: Uint8Array): Woff2Facts {
  const tables = woff2Tables(file);
  const name = tables.get('name');
  const cmap = tables.get('cmap');
  if (!name || !cmap) throw new Error('WOFF2 file without name or cmap table');
  return { postscriptName: postscriptName(name), codePoints: cmapCodePoints(cmap) };
}

/** The untransformed tables, by tag. (glyf and loca come transformed, and are skipped.) */
function woff2Tables(file: Uint8Array): Map<string, DataView> {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(0) !== 0x774f4632) throw new Error('not a WOFF2 file');
  if (view.getUint32(4) === 0x74746366) throw new Error('WOFF2 font collections are not supported');
  const numTables = view.getUint16(12);
  const compressedLength = view.getUint32(20);
  let at = HEADER_BYTES;
  const base128 = (): number => {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = view.getUint8(at++);
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) return value;
    }
    throw new Error('bad UIntBase128 in WOFF2 table directory');
  };
  const entries: { tag: string; length: number; transformed: boolean }[] = [];
  for (let i = 0; i < numTables; i++) {
    const flags = view.getUint8(at++);
    const index = flags & ARBITRARY_TAG;
    let tag = KNOWN_TAGS[index] ?? `#${index}`;
    if (index === ARBITRARY_TAG) {
      tag = String.fromCharCode(...file.subarray(at, at + 4));
      at += 4;
    }
    const version = flags >> 6;
    const origLength = base128();
    // glyf and loca are transformed unless version 3; every other table unless version 0.
    const transformed = tag === 'glyf' || tag === 'loca' ? version !== 3 : version !== 0;
    const length = transformed ? base128() : origLength;
    entries.push({ tag, length, transformed });
  }
  const data = brotliDecompressSync(file.subarray(at, at + compressedLength));
  const tables = new Map<string, DataView>();
  let offset = 0;
  for (const e of entries) {
    if (!e.transformed) tables.set(e.tag, new DataView(data.buffer, data.byteOffset + offset, e.length));
    offset += e.length;
  }
  return tables;
}

/** Name ID 6, from the Windows (UTF-16BE) or Macintosh (Roman) record. */
function postscriptName(name: DataView): string {
  const count = name.getUint16(2);
  const strings = name.getUint16(4);
  for (let i = 0; i < count; i++) {
    const r = 6 + i * 12;
    if (name.getUint16(r + 6) !== 6) continue;
    const platform = name.getUint16(r);
    const length = name.getUint16(r + 8);
    const start = strings + name.getUint16(r + 10);
    const units: number[] = [];
    if (platform === 3 || platform === 0) for (let j = 0; j < length; j += 2) units.push(name.getUint16(start + j));
    else for (let j = 0; j < length; j++) units.push(name.getUint8(start + j));
    return String.fromCharCode(...units);
  }
  throw new Error('font has no PostScript name');
}

/** Every code point the Unicode cmap subtable (format 12, else format 4) maps to a real glyph. */
function cmapCodePoints(cmap: DataView): Set<number> {
  const subtables = new Map<number, number>();
  for (let i = 0; i < cmap.getUint16(2); i++) {
    const r = 4 + i * 8;
    const offset = cmap.getUint32(r + 4);
    subtables.set(cmap.getUint16(offset), offset);
  }
  const format12 = subtables.get(12);
  if (format12 !== undefined) return format12CodePoints(cmap, format12);
  const format4 = subtables.get(4);
  if (format4 !== undefined) return format4CodePoints(cmap, format4);
  throw new Error('font has no format 4 or 12 cmap subtable');
}

function format12CodePoints(cmap: DataView, at: number): Set<number> {
  const out = new Set<number>();
  const groups = cmap.getUint32(at + 12);
  for (let g = 0; g < groups; g++) {
    const r = at + 16 + g * 12;
    for (let c = cmap.getUint32(r); c <= cmap.getUint32(r + 4); c++) out.add(c);
  }
  return out;
}

function format4CodePoints(cmap: DataView, at: number): Set<number> {
  const out = new Set<number>();
  const segments = cmap.getUint16(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const start = cmap.getUint16(starts + s * 2);
    const end = cmap.getUint16(ends + s * 2);
    const delta = cmap.getUint16(deltas + s * 2);
    const rangeOffset = cmap.getUint16(rangeOffsets + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        glyph = cmap.getUint16(rangeOffsets + s * 2 + rangeOffset + (c - start) * 2);
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) out.add(c);
    }
  }
  return out;
}

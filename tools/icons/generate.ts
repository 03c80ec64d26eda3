/**
 * `npm run icons`: draws Backstop's icon at every size the installers and the tray need and writes
 * them to build/ — no image tools, no downloads. The icon is drawn from its geometry at each size
 * (4×4 supersampled), not scaled down from one bitmap, so the small sizes stay crisp.
 *
 *   build/icon.png            512×512, the master (electron-builder's default)
 *   build/icons/NxN.png       16 … 1024, the Linux icon set (AppImage, deb: hicolor theme)
 *   build/icon.ico            Windows (NSIS, the executable): 16 … 256, PNG-compressed entries
 *   build/icon.icns           macOS (dmg, the app bundle): 16 … 1024, PNG entries
 *   tray: build/icons/32x32.png and 64x64.png go into the package as tray.png and tray@2x.png
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** ICNS entry types holding PNG data, by pixel size (Retina variants share a size with a 1× type). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
] as const;

type Rgba = readonly [number, number, number, number];
const NAVY: Rgba = [0x0b, 0x3d, 0x5c, 255];
const AMBER: Rgba = [0xff, 0xbf, 0x00, 255];

/** The design, on a 512-unit square: a navy rounded square, an amber cup, an amber bar under it. */
function colourAt(x: number, y: number): Rgba | null {
  const r = 96;
  const cx = Math.min(Math.max(x, r), 512 - r);
  const cy = Math.min(Math.max(y, r), 512 - r);
  if (x < 0 || y < 0 || x > 512 || y > 512 || (x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  if (y >= 112 && y <= 304) {
    const t = (y - 112) / 192;
    if (x >= 160 + 32 * t && x <= 352 - 32 * t) return AMBER;
  }
  if (y >= 352 && y <= 400 && x >= 112 && x <= 400) return AMBER;
  return NAVY;
}

/** The icon as straight RGBA pixels, `size`×`size`. */
export function renderIcon(size: number): Buffer {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = colourAt(((px + (sx + 0.5) / n) * 512) / size, ((py + (sy + 0.5) / n) * 512) / size);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((a / (n * n)) * 255);
      }
    }
  }
  return out;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An 8-bit RGBA PNG, every row unfiltered (filter 0). */
export function encodePng(size: number, rgba: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A Windows .ico whose entries are PNGs (Vista and later; 256 px must be PNG anyway). */
export function encodeIco(pngs: readonly { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, png }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.png)]);
}

/** A macOS .icns of PNG entries. */
export function encodeIcns(entries: readonly { type: string; png: Buffer }[]): Buffer {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** Every file `npm run icons` writes, relative to the repository. */
export function iconFiles(): Map<string, Buffer> {
  const png = new Map<number, Buffer>(LINUX_SIZES.map((size) => [size, encodePng(size, renderIcon(size))]));
  const files = new Map<string, Buffer>();
  files.set('build/icon.png', png.get(512)!);
  for (const size of LINUX_SIZES) files.set(`build/icons/${size}x${size}.png`, png.get(size)!);
  files.set('build/icon.ico', encodeIco(ICO_SIZES.map((size) => ({ size, png: png.get(size)! }))));
  files.set('build/icon.icns', encodeIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: png.get(size)! }))));
  return files;
}

function main(): void {
  for (const [file, bytes] of iconFiles()) {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, bytes);
    console.log(`${file} ${bytes.length} bytes`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();

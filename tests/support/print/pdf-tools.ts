/**
 * Reading printed PDFs back, for tests: text (pdftotext), page size (pdfinfo), fonts (pdffonts),
 * pages as PNG (pdftoppm) and PDF417 barcodes decoded from those pixels with zxing-wasm, the way a
 * gate scanner reads paper. Never imported by the app.
 */
import { execFile as execFileCb } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

const execFile = promisify(execFileCb);

export async function pdfText(file: string): Promise<string> {
  return (await execFile('pdftotext', ['-layout', file, '-'], { maxBuffer: 16 * 1024 * 1024 })).stdout;
}

export async function pdfInfo(file: string): Promise<{ pages: number; widthPt: number; heightPt: number }> {
  const out = (await execFile('pdfinfo', [file])).stdout;
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(out);
  return { pages: Number(/Pages:\s+(\d+)/.exec(out)?.[1]), widthPt: Number(size?.[1]), heightPt: Number(size?.[2]) };
}

export interface PdfFont {
  /** As the PDF names it: a subset has a six-letter tag first, e.g. "BAAAAA+AtkinsonHyperlegibleNext-Bold". */
  name: string;
  type: string;
  embedded: boolean;
}

/** The fonts of a PDF, from pdffonts. */
export async function pdfFonts(file: string): Promise<PdfFont[]> {
  const lines = (await execFile('pdffonts', [file])).stdout.trimEnd().split('\n');
  // A header line and a dashed rule, then one font a line. The name is the first column and has no
  // spaces; the type may have some ("CID TrueType"), so the columns after it are taken from the end:
  // encoding, emb, sub, uni, object id, generation.
  return lines.slice(2).map((line) => {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 8) throw new Error(`unexpected pdffonts line: ${line}`);
    return { name: cols[0]!, type: cols.slice(1, -6).join(' '), embedded: cols.at(-5) === 'yes' };
  });
}

export const mmToPt = (mm: number) => (mm / 25.4) * 72;

/** Page `page` of a PDF as PNG bytes at `dpi`. */
export async function pdfPagePng(file: string, page = 1, dpi = 200): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'backstop-png-'));
  try {
    const out = path.join(dir, 'page');
    // pdftoppm warns on stderr about cups-pdf's Type 3 fonts; the picture is fine.
    await execFile('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, out], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return await readFile(`${out}.png`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let zxingReady: Promise<unknown> | null = null;

/** zxing-wasm would fetch its wasm from a CDN; these machines are offline, so load it from disk. */
function prepareZxing(): Promise<unknown> {
  zxingReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasm = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    return prepareZXingModule({
      overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) },
      fireImmediately: true,
    });
  })();
  return zxingReady;
}

/** The text of every PDF417 symbol on a PNG. */
export async function readPdf417(png: Uint8Array): Promise<string[]> {
  await prepareZxing();
  const results = await readBarcodes(png, { formats: ['PDF417'], tryHarder: true });
  return results.filter((r) => r.isValid).map((r) => r.text);
}

/** The PDF417 texts on page `page` of a PDF, read from a 200 dpi rendering. */
export async function readPdf417FromPdf(file: string, page = 1): Promise<string[]> {
  return readPdf417(await pdfPagePng(file, page));
}

/** The digits of every Interleaved 2 of 5 symbol (bag-tag licence plates) on a PNG, either way up. */
export async function readItf(png: Uint8Array): Promise<string[]> {
  await prepareZxing();
  const results = await readBarcodes(png, { formats: ['ITF'], tryHarder: true, tryRotate: true, maxNumberOfSymbols: 8 });
  return results.filter((r) => r.isValid).map((r) => r.text);
}

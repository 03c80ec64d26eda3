import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dayFolder, PrintArchive } from './archive';

vi.mock('electron', () => ({}));

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'backstop-archive-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('print archive', () => {
  it('keeps a job as <yyyy-mm-dd>/<jobId>-<document>.pdf and .html, readable only by the user', async () => {
    const archive = new PrintArchive(dir);
    const at = new Date('2026-11-26T09:30:00Z');
    const files = await archive.storeHtml('job-1234', 'manifest', at, '<!doctype html><p>x</p>');
    await archive.storePdf(files, new TextEncoder().encode('%PDF-1.4'));
    expect(files).toEqual({
      pdfFile: path.join('2026-11-26', 'job-1234-manifest.pdf'),
      htmlFile: path.join('2026-11-26', 'job-1234-manifest.html'),
    });
    expect((await archive.readPdf(files.pdfFile)).toString()).toBe('%PDF-1.4');
    expect((await stat(archive.resolve(files.pdfFile))).mode & 0o077).toBe(0);
    expect((await stat(path.join(dir, '2026-11-26'))).mode & 0o077).toBe(0);
  });

  it('copies a job for a reprint under the new job id', async () => {
    const archive = new PrintArchive(dir);
    const first = await archive.storeHtml('job-1', 'closeout', new Date('2026-11-25T12:00:00Z'), '<p>1</p>');
    await archive.storePdf(first, new Uint8Array([1, 2, 3]));
    const copy = await archive.copyFor('job-2', 'closeout', new Date('2026-11-26T12:00:00Z'), first);
    expect(copy.pdfFile).toBe(path.join('2026-11-26', 'job-2-closeout.pdf'));
    expect([...(await readFile(archive.resolve(copy.pdfFile)))]).toEqual([1, 2, 3]);
  });

  it('refuses paths that leave the archive', () => {
    const archive = new PrintArchive(dir);
    expect(() => archive.resolve('../secrets.json')).toThrow(/not an archive path/);
    expect(() => archive.resolve('/etc/passwd')).toThrow(/not an archive path/);
  });

  it('purges day folders older than the retention period and nothing else', async () => {
    const archive = new PrintArchive(dir);
    for (const d of ['2026-11-01', '2026-11-11', '2026-11-12', '2026-11-26', 'not-a-day']) await mkdir(path.join(dir, d));
    const removed = await archive.purge(14, new Date('2026-11-26T12:00:00Z'));
    expect(removed).toEqual(['2026-11-01', '2026-11-11']);
    expect((await readdir(dir)).sort()).toEqual(['2026-11-12', '2026-11-26', 'not-a-day']);
  });

  it('names day folders by the UTC date, whatever the machine’s time zone says', () => {
    expect(dayFolder(new Date('2026-01-05T23:59:00Z'))).toBe('2026-01-05');
    expect(dayFolder(new Date('2026-01-05T23:59:00-10:00'))).toBe('2026-01-06');
  });
});

describe('the sealed print archive', () => {
  it('keeps documents encrypted on disk, opens a plain copy only while printing, and deletes it after', async () => {
    const { aesGcmSealer } = await import('../vault');
    const { readdir: list, readFile: read } = await import('node:fs/promises');
    const { mkdtempSync } = await import('node:fs');
    const os = await import('node:os');
    const pathMod = await import('node:path');
    const root = mkdtempSync(pathMod.join(os.tmpdir(), 'backstop-sealed-'));
    const key = Buffer.alloc(32, 7);
    const archive = new PrintArchive(
      root,
      aesGcmSealer(() => key),
    );
    const at = new Date('2026-11-26T12:00:00Z');
    const files = await archive.storeHtml('job-sealed-1', 'boarding-pass', at, '<title>Boarding pass OKONKWO/ADAEZE</title>');
    await archive.storePdf(files, new TextEncoder().encode('%PDF-1.7 OKONKWO'));
    const onDisk =
      (await read(archive.resolve(files.htmlFile))).toString('latin1') + (await read(archive.resolve(files.pdfFile))).toString('latin1');
    expect(onDisk).not.toContain('OKONKWO');
    let seen = '';
    let plainPath = '';
    await archive.withPlainFile(files.htmlFile, async (file) => {
      plainPath = file;
      seen = (await read(file)).toString();
    });
    expect(seen).toContain('OKONKWO');
    await expect(read(plainPath)).rejects.toThrow();
    expect((await archive.readPdf(files.pdfFile)).toString()).toContain('OKONKWO');
    expect(await list(pathMod.join(root, '.work'))).toEqual([]);
  });
});

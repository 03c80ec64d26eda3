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
    const at = new Date(2026, 10, 26, 9, 30);
    const files = await archive.storeHtml('job-1234', 'manifest', at, '<!doctype html><p>x</p>');
    await archive.storePdf(files, new TextEncoder().encode('%PDF-1.4'));
    expect(files).toEqual({ pdfFile: path.join('2026-11-26', 'job-1234-manifest.pdf'), htmlFile: path.join('2026-11-26', 'job-1234-manifest.html') });
    expect((await archive.readPdf(files.pdfFile)).toString()).toBe('%PDF-1.4');
    expect((await stat(archive.resolve(files.pdfFile))).mode & 0o077).toBe(0);
    expect((await stat(path.join(dir, '2026-11-26'))).mode & 0o077).toBe(0);
  });

  it('copies a job for a reprint under the new job id', async () => {
    const archive = new PrintArchive(dir);
    const first = await archive.storeHtml('job-1', 'closeout', new Date(2026, 10, 25), '<p>1</p>');
    await archive.storePdf(first, new Uint8Array([1, 2, 3]));
    const copy = await archive.copyFor('job-2', 'closeout', new Date(2026, 10, 26), first);
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
    const removed = await archive.purge(14, new Date(2026, 10, 26, 12));
    expect(removed).toEqual(['2026-11-01', '2026-11-11']);
    expect((await readdir(dir)).sort()).toEqual(['2026-11-12', '2026-11-26', 'not-a-day']);
  });

  it('names day folders by the local calendar date', () => {
    expect(dayFolder(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

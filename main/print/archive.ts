/**
 * The print archive: every document printed is kept as the PDF that went to the printer (and the
 * HTML it came from, which silent printing renders again) under
 * `userData/prints/<yyyy-mm-dd>/<jobId>-<document>.pdf`, for audit and for reprints that are exactly
 * what was printed before. The files hold passenger data: private to the user, purged with age.
 */
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentKind } from '../../shared/documents/types';

const DAY_FOLDER = /^\d{4}-\d{2}-\d{2}$/;

export interface ArchivedFiles {
  /** Relative to the archive root. */
  pdfFile: string;
  htmlFile: string;
}

/**
 * The UTC calendar date. Not the machine's local date: a workstation whose zone setting is wrong (or
 * changes) must file and purge prints the same way as every other; agents find prints through the
 * app, which shows station time.
 */
export function dayFolder(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export class PrintArchive {
  constructor(readonly root: string) {}

  /** An absolute path for a relative archive path; refuses anything that would leave the archive. */
  resolve(relative: string): string {
    const full = path.resolve(this.root, relative);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`not an archive path: ${relative}`);
    return full;
  }

  private names(jobId: string, kind: DocumentKind, at: Date): ArchivedFiles {
    const base = path.join(dayFolder(at), `${jobId}-${kind}`);
    return { pdfFile: `${base}.pdf`, htmlFile: `${base}.html` };
  }

  private async ensureFolder(file: string): Promise<void> {
    await mkdir(path.dirname(this.resolve(file)), { recursive: true, mode: 0o700 });
  }

  /** Keeps the HTML first: the PDF is rendered from this file. */
  async storeHtml(jobId: string, kind: DocumentKind, at: Date, html: string): Promise<ArchivedFiles> {
    const files = this.names(jobId, kind, at);
    await this.ensureFolder(files.htmlFile);
    await writeFile(this.resolve(files.htmlFile), html, { encoding: 'utf8', mode: 0o600 });
    return files;
  }

  async storePdf(files: ArchivedFiles, pdf: Uint8Array): Promise<void> {
    await writeFile(this.resolve(files.pdfFile), pdf, { mode: 0o600 });
  }

  /** A reprint gets its own copy under its own job id, so purging the old day never breaks it. */
  async copyFor(jobId: string, kind: DocumentKind, at: Date, from: ArchivedFiles): Promise<ArchivedFiles> {
    const files = this.names(jobId, kind, at);
    await this.ensureFolder(files.pdfFile);
    await copyFile(this.resolve(from.pdfFile), this.resolve(files.pdfFile));
    await copyFile(this.resolve(from.htmlFile), this.resolve(files.htmlFile));
    return files;
  }

  readPdf(relative: string): Promise<Buffer> {
    return readFile(this.resolve(relative));
  }

  async remove(files: ArchivedFiles): Promise<void> {
    await rm(this.resolve(files.pdfFile), { force: true });
    await rm(this.resolve(files.htmlFile), { force: true });
  }

  /** Deletes day folders older than `days` days; returns the folders removed. */
  async purge(days: number, now: Date): Promise<string[]> {
    const cutoff = dayFolder(new Date(now.getTime() - days * 86_400_000));
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch {
      return [];
    }
    const old = entries.filter((e) => DAY_FOLDER.test(e) && e < cutoff);
    for (const folder of old) await rm(path.join(this.root, folder), { recursive: true, force: true });
    return old;
  }
}

/**
 * The print archive: every document printed is kept as the PDF that went to the printer (and the
 * HTML it came from, which silent printing renders again) under
 * `userData/prints/<yyyy-mm-dd>/<jobId>-<document>.pdf`, for audit and for reprints that are exactly
 * what was printed before. The files hold passenger data: private to the user, encrypted with the
 * data key (main/vault.ts) when a sealer is given, purged with age.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentKind } from '../../shared/documents/types';
import type { FileSealer } from '../vault';

/** Where a sealed document is opened for the few seconds Chromium or CUPS needs it as a file. */
const WORK_FOLDER = '.work';

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
  constructor(
    readonly root: string,
    /** Encrypts every file written and decrypts every file read; null keeps them as they are (tests). */
    private readonly sealer: FileSealer | null = null,
  ) {}

  private sealed(data: Uint8Array): Uint8Array {
    return this.sealer ? this.sealer.seal(data) : data;
  }

  /**
   * Runs `use` with a plain copy of an archived file (private, in the archive's work folder) and
   * deletes the copy afterwards, whatever happens; without a sealer, with the archived file itself.
   */
  async withPlainFile<T>(relative: string, use: (file: string) => Promise<T>): Promise<T> {
    if (!this.sealer) return use(this.resolve(relative));
    const work = path.join(this.root, WORK_FOLDER);
    await mkdir(work, { recursive: true, mode: 0o700 });
    const plain = path.join(work, `${randomUUID()}${path.extname(relative)}`);
    await writeFile(plain, this.sealer.open(await readFile(this.resolve(relative))), { mode: 0o600 });
    try {
      return await use(plain);
    } finally {
      await rm(plain, { force: true });
    }
  }

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
    await writeFile(this.resolve(files.htmlFile), this.sealed(Buffer.from(html, 'utf8')), { mode: 0o600 });
    return files;
  }

  async storePdf(files: ArchivedFiles, pdf: Uint8Array): Promise<void> {
    await writeFile(this.resolve(files.pdfFile), this.sealed(pdf), { mode: 0o600 });
  }

  /** A reprint gets its own copy under its own job id, so purging the old day never breaks it. */
  async copyFor(jobId: string, kind: DocumentKind, at: Date, from: ArchivedFiles): Promise<ArchivedFiles> {
    const files = this.names(jobId, kind, at);
    await this.ensureFolder(files.pdfFile);
    await copyFile(this.resolve(from.pdfFile), this.resolve(files.pdfFile));
    await copyFile(this.resolve(from.htmlFile), this.resolve(files.htmlFile));
    return files;
  }

  async readPdf(relative: string): Promise<Buffer> {
    const bytes = await readFile(this.resolve(relative));
    return this.sealer ? this.sealer.open(bytes) : bytes;
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
    // Plain copies left by a crash mid-print do not outlive the next purge.
    await rm(path.join(this.root, WORK_FOLDER), { recursive: true, force: true });
    return old;
  }
}

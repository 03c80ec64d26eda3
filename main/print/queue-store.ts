/**
 * The print queue on disk: one JSON file in userData, written atomically (temp file + rename) and
 * validated with zod when read. A file that cannot be read or does not match the schema is set
 * aside next to it (for support to look at) and the queue starts empty: a broken file must never
 * stop the gate from printing.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../shared/clock';
import type { FileSealer } from '../vault';
import { PrintJobRecord } from './job-record';

const QueueFile = z.object({ version: z.literal(1), jobs: z.array(PrintJobRecord) });

export class PrintQueueStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly log: (message: string) => void,
    private readonly now: Clock,
    /** Job titles name passengers: the file is encrypted with the data key when a sealer is given. */
    private readonly sealer: FileSealer | null = null,
  ) {}

  async load(): Promise<PrintJobRecord[]> {
    let text: string;
    try {
      const bytes = await readFile(this.file);
      text = '';
      try {
        text = this.sealer ? this.sealer.open(bytes).toString('utf8') : bytes.toString('utf8');
      } catch {
        text = bytes.toString('utf8');
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let problem: string;
    try {
      const parsed = QueueFile.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data.jobs;
      const issue = parsed.error.issues[0];
      problem = `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    const aside = `${this.file}.corrupt-${this.now().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.file, aside);
    this.log(`print queue file was unreadable (${problem}); set aside as ${path.basename(aside)}, starting with an empty queue`);
    return [];
  }

  /** Writes are queued behind each other, so an older list never overwrites a newer one. */
  save(jobs: readonly PrintJobRecord[]): Promise<void> {
    const body = JSON.stringify({ version: 1, jobs }, null, 1);
    const next = this.writing.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, this.sealer ? this.sealer.seal(Buffer.from(body, 'utf8')) : body, { mode: 0o600 });
      await rename(tmp, this.file);
    });
    this.writing = next.catch(() => {});
    return next;
  }
}

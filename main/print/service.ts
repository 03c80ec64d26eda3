/**
 * The print pipeline: HTML → PDF (hidden window) → print archive → delivery (silent system printer,
 * CUPS `lp`, or PDF only) → and, when the printer is offline or missing, a persistent queue that
 * retries with capped backoff until the printer is back, the agent cancels or retries elsewhere,
 * or the job is too old to be useful. Reprints come from the archive, identical to the first print.
 *
 * All state changes run one at a time (a single lane), so a timer retry and an agent's "retry now"
 * can never deliver the same job twice.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock';
import type { PrintErrorCode, PrinterEntry, PrintJobInfo, PrintOutcome } from '../../shared/documents/print-job';
import { PrinterEntry as PrinterEntrySchema, targetLabel } from '../../shared/documents/print-job';
import type { PrintDocumentRequest, ReprintRequest } from '../../shared/ipc/contract';
import { fail, ok, type Result } from '../../shared/result';
import { RunScheduler, type Timers } from '../../shared/sync/scheduler';
import type { PrintArchive } from './archive';
import { cupsPrint, listCupsQueues, type CommandRunner } from './cups';
import { withNeutralTitle } from '../../shared/documents/neutral-title';
import { withPrintCsp } from './document-csp';
import type { PrintBackend } from './electron-backend';
import { JOB_DEADLINE_MS, retryDelayMs, toJobInfo, type PrintJobRecord } from './job-record';
import { cupsMedia } from './paper';
import type { PrintQueueStore } from './queue-store';

/** Failures that may clear up by themselves: the job stays queued. */
const TRANSIENT: ReadonlySet<PrintErrorCode> = new Set(['PRINTER_OFFLINE', 'PRINTER_NOT_FOUND', 'PRINT_FAILED']);
/** How many finished jobs the queue file remembers for the job list (the archive keeps the PDFs). */
const FINISHED_JOBS_KEPT = 500;
const JOBS_LISTED = 200;

export type { Timers };

export const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PrintServiceOptions {
  archive: PrintArchive;
  store: PrintQueueStore;
  backend: PrintBackend;
  /** Runs CUPS tools; null where there is no CUPS (Windows). */
  cups: CommandRunner | null;
  log: (message: string) => void;
  now: Clock;
  newId?: () => string;
  /** Retry timers; null leaves retries to explicit retryDue() calls (tests). */
  timers?: Timers | null;
}

type Delivery = Result<{ cupsRequestId: string | null }, PrintErrorCode>;

export class PrintService {
  private readonly jobs = new Map<string, PrintJobRecord>();
  private lane: Promise<unknown> = Promise.resolve();
  /** The retry lane: one timer, due at the earliest queued job's next attempt. */
  private readonly retries: RunScheduler<void> | null;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly timers: Timers | null;

  private constructor(private readonly o: PrintServiceOptions) {
    this.now = o.now;
    this.newId = o.newId ?? randomUUID;
    this.timers = o.timers === undefined ? realTimers : o.timers;
    this.retries = this.timers
      ? new RunScheduler(
          () => this.retryDue(),
          this.timers,
          () => this.now().getTime(),
        )
      : null;
  }

  /** Loads the persisted queue and schedules the retries it holds. */
  static async open(o: PrintServiceOptions): Promise<PrintService> {
    const service = new PrintService(o);
    for (const job of await o.store.load()) service.jobs.set(job.id, job);
    service.schedule();
    return service;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lane.then(fn, fn);
    this.lane = run.catch(() => {});
    return run;
  }

  submit(req: PrintDocumentRequest): Promise<PrintOutcome> {
    return this.exclusive(async () => {
      const id = this.newId();
      const at = this.now();
      const { document } = req;
      let files;
      try {
        // The spooler, the PDF's metadata and the print server's log see a neutral title, never a name.
        files = await this.o.archive.storeHtml(id, document.kind, at, withPrintCsp(withNeutralTitle(document.html, document.kind)));
      } catch (error) {
        return this.refuse('ARCHIVE_FAILED', `The document could not be saved in the print archive: ${message(error)}`);
      }
      let pdf: Uint8Array;
      try {
        pdf = await this.o.archive.withPlainFile(files.htmlFile, (html) => this.o.backend.renderPdf(html, document.pageSize));
      } catch (error) {
        await this.o.archive.remove(files).catch(() => {});
        this.o.log(`print: rendering ${document.kind} failed: ${message(error)}`);
        return this.refuse('RENDER_FAILED', `The document could not be prepared for printing: ${message(error)}`);
      }
      try {
        await this.o.archive.storePdf(files, pdf);
      } catch (error) {
        await this.o.archive.remove(files).catch(() => {});
        return this.refuse('ARCHIVE_FAILED', `The PDF could not be saved in the print archive: ${message(error)}`);
      }
      const job: PrintJobRecord = {
        kind: document.kind,
        title: document.title,
        pageSize: document.pageSize,
        target: req.target,
        copies: req.copies,
        context: req.context,
        ...this.freshJob(id, at, files, null),
      };
      this.jobs.set(id, job);
      return this.attemptAndSave(job);
    });
  }

  /** Prints an archived job again (to its first target or another) as a new job. */
  reprint(req: ReprintRequest): Promise<PrintOutcome> {
    return this.exclusive(async () => {
      const original = this.jobs.get(req.jobId);
      if (!original) return this.refuse('JOB_NOT_FOUND', 'That print job is not in the print archive any more.');
      const id = this.newId();
      const at = this.now();
      let files;
      try {
        files = await this.o.archive.copyFor(id, original.kind, at, original);
      } catch (error) {
        return this.refuse('JOB_NOT_FOUND', `The archived document could not be read: ${message(error)}`);
      }
      const job: PrintJobRecord = {
        ...original,
        target: req.target ?? original.target,
        copies: req.copies ?? original.copies,
        context: { ...original.context, staffId: req.staffId },
        ...this.freshJob(id, at, files, original.id),
      };
      this.jobs.set(id, job);
      return this.attemptAndSave(job);
    });
  }

  /** The state every new job starts in, first print or reprint: queued, untried, its own archive files. */
  private freshJob(id: string, at: Date, files: { pdfFile: string; htmlFile: string }, reprintOf: string | null) {
    return {
      id,
      createdAt: at.toISOString(),
      status: 'queued' as const,
      attempts: 0,
      nextAttemptAt: null,
      lastError: null,
      finishedAt: null,
      archiveRef: this.o.archive.resolve(files.pdfFile),
      reprintOf,
      pdfFile: files.pdfFile,
      htmlFile: files.htmlFile,
      cupsRequestId: null,
      expiresAt: new Date(at.getTime() + JOB_DEADLINE_MS).toISOString(),
    };
  }

  cancel(jobId: string): Promise<PrintOutcome> {
    return this.exclusive(async () => {
      const job = this.jobs.get(jobId);
      if (!job) return this.refuse('JOB_NOT_FOUND', 'No such print job.');
      if (job.status !== 'queued')
        return { ok: false, code: 'JOB_FINISHED', message: `This job is already ${job.status}.`, job: toJobInfo(job) };
      job.status = 'cancelled';
      job.nextAttemptAt = null;
      job.finishedAt = this.now().toISOString();
      await this.persist();
      this.schedule();
      return { ok: true, job: toJobInfo(job) };
    });
  }

  /** "Retry now": also revives a job that expired or failed, with a fresh deadline. */
  retry(jobId: string): Promise<PrintOutcome> {
    return this.exclusive(async () => {
      const job = this.jobs.get(jobId);
      if (!job) return this.refuse('JOB_NOT_FOUND', 'No such print job.');
      if (job.status !== 'queued' && job.status !== 'failed') {
        return {
          ok: false,
          code: 'JOB_FINISHED',
          message: `This job is already ${job.status}. Use reprint for another copy.`,
          job: toJobInfo(job),
        };
      }
      job.expiresAt = new Date(this.now().getTime() + JOB_DEADLINE_MS).toISOString();
      return this.attemptAndSave(job);
    });
  }

  /** Tries every queued job whose time has come; expires the ones too old to print. */
  retryDue(): Promise<void> {
    return this.exclusive(async () => {
      const now = this.now();
      const due = [...this.jobs.values()]
        .filter((j) => j.status === 'queued' && j.nextAttemptAt !== null && Date.parse(j.nextAttemptAt) <= now.getTime())
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      for (const job of due) {
        if (Date.parse(job.expiresAt) <= now.getTime()) {
          job.status = 'failed';
          job.nextAttemptAt = null;
          job.finishedAt = now.toISOString();
          job.lastError = {
            code: 'JOB_EXPIRED',
            message:
              `Not printed: ${targetLabel(job.target)} was unavailable for too long (${job.lastError?.message ?? 'offline'}). Retry or reprint it if it is still needed.`.slice(
                0,
                500,
              ),
          };
          this.o.log(`print: job ${job.id} expired after ${job.attempts} attempts`);
          continue;
        }
        this.settle(job, await this.deliver(job));
      }
      await this.persist();
      this.schedule();
    });
  }

  jobList(): PrintJobInfo[] {
    return [...this.jobs.values()]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, JOBS_LISTED)
      .map(toJobInfo);
  }

  /** System printers, CUPS queues (where there is CUPS) and "Save as PDF". */
  async printers(): Promise<PrinterEntry[]> {
    const entries: PrinterEntry[] = [];
    try {
      for (const p of await this.o.backend.listPrinters()) {
        entries.push({
          target: { kind: 'system', printer: p.name },
          name: p.displayName,
          description: p.description || 'System printer',
          isDefault: p.isDefault,
          status: p.state,
        });
      }
    } catch (error) {
      this.o.log(`print: listing system printers failed: ${message(error)}`);
    }
    if (this.o.cups) {
      for (const q of await listCupsQueues(this.o.cups)) {
        entries.push({
          target: { kind: 'cups', queue: q.name },
          name: `${q.name} (CUPS)`,
          description: 'Printed through CUPS lp with the exact page size',
          isDefault: q.isDefault,
          status: q.enabled && q.accepting ? 'ready' : 'offline',
        });
      }
    }
    entries.push({
      target: { kind: 'pdf' },
      name: 'Save as PDF',
      description: 'No paper: the PDF is kept in the print archive',
      isDefault: false,
      status: 'ready',
    });
    // A name the contract would refuse (control characters, odd CUPS names) is left out, not fatal.
    return entries.filter((e) => {
      const valid = PrinterEntrySchema.safeParse(e).success;
      if (!valid) this.o.log(`print: ignoring printer with an unusable name: ${JSON.stringify(e.name).slice(0, 100)}`);
      return valid;
    });
  }

  /** Stops the retry timer and waits for the job in hand. */
  async close(): Promise<void> {
    await this.retries?.dispose();
    await this.lane;
  }

  private async attemptAndSave(job: PrintJobRecord): Promise<PrintOutcome> {
    const outcome = this.settle(job, await this.deliver(job));
    await this.persist();
    this.schedule();
    return outcome;
  }

  private async deliver(job: PrintJobRecord): Promise<Delivery> {
    const t = job.target;
    try {
      switch (t.kind) {
        case 'pdf':
          return ok({ cupsRequestId: null });
        case 'cups': {
          if (!this.o.cups) return fail('UNSUPPORTED_TARGET', 'CUPS printing is not available on this computer. Choose a system printer.');
          const cups = this.o.cups;
          const r = await this.o.archive.withPlainFile(job.pdfFile, (file) =>
            cupsPrint(cups, { queue: t.queue, file, media: cupsMedia(job.pageSize), copies: job.copies, title: spoolerTitle(job) }),
          );
          return r.ok ? ok({ cupsRequestId: r.value.requestId }) : r;
        }
        case 'system': {
          const printers = await this.o.backend.listPrinters();
          const printer = printers.find((p) => p.name === t.printer);
          if (!printer) return fail('PRINTER_NOT_FOUND', `The printer ${t.printer} is not connected.`);
          if (printer.state === 'offline') return fail('PRINTER_OFFLINE', `The printer ${t.printer} is offline or paused.`);
          const r = await this.o.archive.withPlainFile(job.htmlFile, (html) =>
            this.o.backend.printSilently(html, { printer: t.printer, pageSize: job.pageSize, copies: job.copies }),
          );
          return r.ok ? ok({ cupsRequestId: null }) : r;
        }
        case 'dialog':
        case 'download':
          return fail('UNSUPPORTED_TARGET', 'This target is only available in the browser.');
      }
    } catch (error) {
      this.o.log(`print: delivering job ${job.id} failed: ${message(error)}`);
      return fail('PRINT_FAILED', `Printing failed: ${message(error)}`);
    }
  }

  private settle(job: PrintJobRecord, result: Delivery): PrintOutcome {
    const now = this.now();
    job.attempts += 1;
    if (result.ok) {
      job.status = job.target.kind === 'pdf' ? 'saved' : 'printed';
      job.finishedAt = now.toISOString();
      job.nextAttemptAt = null;
      job.lastError = null;
      job.cupsRequestId = result.value.cupsRequestId;
      if (job.attempts > 1) this.o.log(`print: job ${job.id} printed on attempt ${job.attempts}`);
      return { ok: true, job: toJobInfo(job) };
    }
    if (TRANSIENT.has(result.code) && Date.parse(job.expiresAt) > now.getTime()) {
      const delay = retryDelayMs(job.attempts);
      job.status = 'queued';
      job.nextAttemptAt = new Date(now.getTime() + delay).toISOString();
      job.lastError = { code: result.code, message: result.message.slice(0, 500) };
      const message = `${result.message} The job is queued and prints by itself when the printer is back (next try in ${Math.round(delay / 1000)} s); cancel it or choose another printer if it is needed now.`;
      return { ok: false, code: result.code, message, job: toJobInfo(job) };
    }
    job.status = 'failed';
    job.nextAttemptAt = null;
    job.finishedAt = now.toISOString();
    job.lastError = { code: result.code, message: result.message.slice(0, 500) };
    return { ok: false, code: result.code, message: result.message, job: toJobInfo(job) };
  }

  private refuse(code: PrintErrorCode, msg: string): PrintOutcome {
    return { ok: false, code, message: msg, job: null };
  }

  private async persist(): Promise<void> {
    const all = [...this.jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const keep = [...all.filter((j) => j.status === 'queued'), ...all.filter((j) => j.status !== 'queued').slice(0, FINISHED_JOBS_KEPT)];
    if (keep.length !== all.length) {
      const kept = new Set(keep.map((j) => j.id));
      for (const j of all) if (!kept.has(j.id)) this.jobs.delete(j.id);
    }
    await this.o.store.save(keep);
  }

  /** Forgets jobs whose archive day was purged (their PDFs are gone). */
  async forgetBefore(cutoff: Date): Promise<void> {
    await this.exclusive(async () => {
      for (const j of [...this.jobs.values()]) {
        if (j.status !== 'queued' && Date.parse(j.createdAt) < cutoff.getTime()) this.jobs.delete(j.id);
      }
      await this.persist();
    });
  }

  private schedule(): void {
    if (!this.retries) return;
    const next = [...this.jobs.values()]
      .filter((j) => j.status === 'queued' && j.nextAttemptAt !== null)
      .map((j) => Date.parse(j.nextAttemptAt!))
      .sort((a, b) => a - b)[0];
    if (next === undefined) this.retries.cancel();
    else this.retries.schedule(next - this.now().getTime());
  }
}

/**
 * The job's name in the operating system's print queue, which anyone at the desk can list (and the
 * print server logs): the kind of document and a job number, never a passenger's name.
 */
export function spoolerTitle(job: Pick<PrintJobRecord, 'kind' | 'id'>): string {
  return `Backstop ${job.kind} ${job.id.slice(0, 8)}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

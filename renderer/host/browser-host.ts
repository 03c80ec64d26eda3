import { offsetClock } from '../../shared/clock';
import { targetLabel, type PrinterEntry, type PrintJobInfo, type PrintOutcome, type PrintTarget } from '../../shared/documents/print-job';
import { PrintDocument } from '../../shared/documents/types';
import { AppInfo } from '../../shared/ipc/contract';
import { downloadFile, fileNameFor, printInHiddenFrame, type PrintFrame } from './browser-print';
import type { Host, PrintOptions, ReprintOptions } from './host';

/** Used when no config.json is served next to the page: the reference backend on loopback. */
const DEFAULT_INFO: AppInfo = {
  version: 'browser',
  platform: 'browser',
  workstation: 'BROWSER',
  backendUrl: 'http://127.0.0.1:8787',
  station: 'LHR',
  enrolmentKey: 'backstop-demo',
  notice: null,
  clockOffsetMs: 0,
};

/** Documents kept in memory for reprints in this browser session (the browser has no archive). */
const DOCUMENTS_KEPT = 50;

export interface BrowserHostOptions {
  configUrl?: string;
  /** Replaces window.print() on the print frame (tests observe the frame through it). */
  printFrame?: PrintFrame;
}

export class BrowserHost implements Host {
  readonly kind = 'browser';
  private infoPromise: Promise<AppInfo> | null = null;
  private readonly configUrl: string;
  private readonly printFrame: PrintFrame | undefined;
  private readonly printed: { job: PrintJobInfo; document: PrintDocument }[] = [];

  constructor(options: BrowserHostOptions | string = {}) {
    const o = typeof options === 'string' ? { configUrl: options } : options;
    this.configUrl = o.configUrl ?? './config.json';
    this.printFrame = o.printFrame;
  }

  info(): Promise<AppInfo> {
    this.infoPromise ??= this.loadInfo();
    return this.infoPromise;
  }

  private async loadInfo(): Promise<AppInfo> {
    let response: Response;
    try {
      response = await fetch(this.configUrl, { cache: 'no-store' });
    } catch {
      return DEFAULT_INFO;
    }
    if (response.status === 404) return DEFAULT_INFO;
    if (!response.ok) throw new Error(`Could not read ${this.configUrl}: HTTP ${response.status}`);
    const parsed = AppInfo.partial().safeParse(await response.json());
    if (!parsed.success) throw new Error(`${this.configUrl} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return { ...DEFAULT_INFO, ...parsed.data };
  }

  print(document: PrintDocument, target: PrintTarget, options: PrintOptions): Promise<PrintOutcome> {
    return this.printJob(document, target, options, null);
  }

  private async printJob(
    document: PrintDocument,
    target: PrintTarget,
    options: PrintOptions,
    reprintOf: string | null,
  ): Promise<PrintOutcome> {
    const parsed = PrintDocument.safeParse(document);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        ok: false,
        code: 'INVALID_REQUEST',
        message: `The document cannot be printed: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`.trim(),
        job: null,
      };
    }
    if (target.kind !== 'dialog' && target.kind !== 'download') {
      return {
        ok: false,
        code: 'UNSUPPORTED_TARGET',
        message: `In the browser, ${targetLabel(target)} is not reachable: use the print dialog (it can also save a PDF) or download the document.`,
        job: null,
      };
    }
    const now = offsetClock((await this.info()).clockOffsetMs);
    const job: PrintJobInfo = {
      id: crypto.randomUUID(),
      kind: document.kind,
      title: document.title,
      pageSize: document.pageSize,
      target,
      copies: options.copies ?? 1,
      context: options.context,
      createdAt: now().toISOString(),
      status: 'queued',
      attempts: 1,
      nextAttemptAt: null,
      lastError: null,
      finishedAt: null,
      archiveRef: null,
      reprintOf,
    };
    try {
      if (target.kind === 'dialog') {
        await printInHiddenFrame(document.html, document.title, this.printFrame);
        // The browser does not say whether the agent printed or cancelled: "printed" means the
        // dialog was shown with the document.
        job.status = 'printed';
      } else {
        downloadFile(document.html, fileNameFor(document.title, 'html'), 'text/html;charset=utf-8');
        job.status = 'saved';
      }
    } catch (error) {
      job.status = 'failed';
      job.lastError = { code: 'PRINT_FAILED', message: error instanceof Error ? error.message : 'Printing failed.' };
    }
    job.finishedAt = now().toISOString();
    this.printed.unshift({ job, document });
    this.printed.splice(DOCUMENTS_KEPT);
    return job.lastError ? { ok: false, code: job.lastError.code, message: job.lastError.message, job } : { ok: true, job };
  }

  async printers(): Promise<PrinterEntry[]> {
    return [
      {
        target: { kind: 'dialog' },
        name: 'Print dialog',
        description: 'Any printer of this computer, or Save as PDF',
        isDefault: true,
        status: 'ready',
      },
      {
        target: { kind: 'download' },
        name: 'Download document',
        description: 'Save the document as an HTML file to print later',
        isDefault: false,
        status: 'ready',
      },
    ];
  }

  async jobs(): Promise<PrintJobInfo[]> {
    return this.printed.map((p) => p.job);
  }

  async reprint(jobId: string, options: ReprintOptions): Promise<PrintOutcome> {
    const earlier = this.printed.find((p) => p.job.id === jobId);
    if (!earlier)
      return {
        ok: false,
        code: 'JOB_NOT_FOUND',
        message: 'That document is no longer kept in this browser; print it again from its screen.',
        job: null,
      };
    return this.printJob(
      earlier.document,
      options.target ?? earlier.job.target,
      { copies: options.copies ?? earlier.job.copies, context: { ...earlier.job.context, staffId: options.staffId } },
      jobId,
    );
  }

  async cancelPrint(jobId: string): Promise<PrintOutcome> {
    return this.finished(jobId);
  }

  async retryPrint(jobId: string): Promise<PrintOutcome> {
    return this.finished(jobId);
  }

  /** Browser jobs never wait in a queue: there is nothing to cancel or retry. */
  private finished(jobId: string): PrintOutcome {
    const p = this.printed.find((x) => x.job.id === jobId);
    if (!p) return { ok: false, code: 'JOB_NOT_FOUND', message: 'No such print job.', job: null };
    return {
      ok: false,
      code: 'JOB_FINISHED',
      message: 'This job went straight to the print dialog; use reprint for another copy.',
      job: p.job,
    };
  }
}

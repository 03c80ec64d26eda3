/**
 * The host of Backstop in a plain browser. Besides printing through the browser's own dialog it
 * gives each browser profile a workstation name of its own (unless config.json pins one), keeps the
 * last config.json it read so a page served by the service worker still starts with the UI server
 * down, and keeps its print history across restarts (browser-print-history.ts). Every call answers
 * with a value; none throws to the UI for a printing problem.
 */
import { offsetClock } from '../../shared/clock';
import { targetLabel, type PrinterEntry, type PrintJobInfo, type PrintOutcome, type PrintTarget } from '../../shared/documents/print-job';
import { neutralTitle, withNeutralTitle } from '../../shared/documents/neutral-title';
import { PrintDocument } from '../../shared/documents/types';
import { AppInfo } from '../../shared/ipc/contract';
import { fail, ok } from '../../shared/result';
import { IndexedDbPrintHistory, JOBS_KEPT, PRINT_HISTORY_DB, type PrintHistory } from './browser-print-history';
import { downloadFile, fileNameFor, printInHiddenFrame, type PrintFrame } from './browser-print';
import { DeviceEnrolOutcome, type DeviceEnrolRequest } from '../../shared/ipc/contract';
import { browserKeys, deleteBrowserKeys } from '../db/keys';
import { DB_NAME } from '../db/schema';
import type { Host, HostResult, KeysAnswer, PrintOptions, ReprintOptions, WorkstationName } from './host';

/** Used when no config.json is served next to the page: the reference backend on loopback. */
const DEFAULT_INFO: AppInfo = {
  version: 'browser',
  platform: 'browser',
  workstation: 'BROWSER',
  backendUrl: 'http://127.0.0.1:8787',
  station: 'LHR',
  demoEnrolment: false,
  notice: null,
  clockOffsetMs: 0,
};

/** localStorage keys: this profile's own workstation name, and the last config.json read. */
export const WORKSTATION_KEY = 'backstop.workstation';
export const CONFIG_KEY = 'backstop.config';

/** A workstation name as printed on documents and listed by the backend: "BROWSER-7KQ2MX", "GATE-B12". */
export const WORKSTATION_NAME = /^[A-Z0-9][A-Z0-9-]{1,31}$/;

/** No 0/O or 1/I: the name is read aloud over the phone and copied from paper. */
const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A new workstation name for a browser profile, "BROWSER-" and six random letters and digits. */
export function newWorkstationId(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(6));
  // 256 is a multiple of 32: every letter is equally likely.
  return `BROWSER-${[...bytes].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;
}

export interface BrowserHostOptions {
  configUrl?: string;
  /** Replaces window.print() on the print frame (tests observe the frame through it). */
  printFrame?: PrintFrame;
  /** Where the workstation name and the last config live; localStorage by default, null for none. */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** Where print jobs and their documents are kept; IndexedDB by default. */
  history?: PrintHistory;
}

export class BrowserHost implements Host {
  readonly kind = 'browser';
  private infoPromise: Promise<AppInfo> | null = null;
  private readonly configUrl: string;
  private readonly printFrame: PrintFrame | undefined;
  private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  private historyStore: PrintHistory | null;
  /** True when config.json names the workstation: then this profile cannot rename it. */
  private pinned = false;
  /** Print jobs run one after another: one print dialog at a time, each document in its own frame. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: BrowserHostOptions | string = {}) {
    const o = typeof options === 'string' ? { configUrl: options } : options;
    this.configUrl = o.configUrl ?? './config.json';
    this.printFrame = o.printFrame;
    this.storage = o.storage === undefined ? defaultStorage() : o.storage;
    this.historyStore = o.history ?? null;
  }

  private get history(): PrintHistory {
    this.historyStore ??= new IndexedDbPrintHistory();
    return this.historyStore;
  }

  info(): Promise<AppInfo> {
    this.infoPromise ??= this.loadInfo();
    return this.infoPromise;
  }

  /**
   * Enrolment goes through the browser host's own server (POST ./enrol), which holds the enrolment
   * code or demo key: the page never sees it.
   */
  async enrol(request: DeviceEnrolRequest): Promise<DeviceEnrolOutcome> {
    try {
      const response = await fetch(new URL('./enrol', new URL(this.configUrl, location.href)).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        cache: 'no-store',
      });
      const parsed = DeviceEnrolOutcome.safeParse(await response.json());
      if (parsed.success) return parsed.data;
      return { ok: false, code: 'BACKEND_ERROR', message: 'The browser host answered the enrolment with something unreadable.' };
    } catch (error) {
      return { ok: false, code: 'BACKEND_UNREACHABLE', message: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The profile's own non-extractable keys (renderer/db/keys.ts): no OS key store to ask here. */
  async keys(): Promise<KeysAnswer> {
    try {
      return { status: 'ready', keys: await browserKeys(undefined, [DB_NAME, PRINT_HISTORY_DB]), riskAcceptedBy: null, backend: 'browser' };
    } catch (error) {
      return { status: 'unavailable', message: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Forgets the keys, the print history and this profile's saved settings. */
  async wipe(): Promise<HostResult<boolean>> {
    try {
      await deleteBrowserKeys();
      await this.history.clear();
      const storage = this.storage;
      if (storage && 'removeItem' in storage) for (const key of [WORKSTATION_KEY, CONFIG_KEY]) (storage as Storage).removeItem(key);
      return ok(true);
    } catch (error) {
      return fail('WIPE_FAILED', error instanceof Error ? error.message : String(error));
    }
  }

  private async loadInfo(): Promise<AppInfo> {
    const config = await this.readConfig();
    const pinned = config.workstation?.trim() ?? '';
    this.pinned = pinned !== '';
    return { ...DEFAULT_INFO, ...config, workstation: this.pinned ? pinned : this.profileWorkstation() };
  }

  private async readConfig(): Promise<Partial<AppInfo>> {
    let response: Response;
    try {
      response = await fetch(this.configUrl, { cache: 'no-store' });
    } catch {
      // No answer at all: the page came from the service worker while its server is down. The last
      // config read still says which backend, station and clock to use.
      return this.savedConfig() ?? {};
    }
    if (response.status === 404) return {};
    if (!response.ok) {
      const saved = this.savedConfig();
      if (saved) return saved;
      throw new Error(`Could not read ${this.configUrl}: HTTP ${response.status}`);
    }
    const parsed = AppInfo.partial().safeParse(await response.json());
    if (!parsed.success) throw new Error(`${this.configUrl} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    this.write(CONFIG_KEY, JSON.stringify(parsed.data));
    return parsed.data;
  }

  private savedConfig(): Partial<AppInfo> | null {
    const text = this.read(CONFIG_KEY);
    if (!text) return null;
    try {
      const parsed = AppInfo.partial().safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** This profile's own name, made once and kept: two browsers on one desk are two workstations. */
  private profileWorkstation(): string {
    const saved = this.read(WORKSTATION_KEY);
    if (saved && WORKSTATION_NAME.test(saved)) return saved;
    const id = newWorkstationId();
    this.write(WORKSTATION_KEY, id);
    return id;
  }

  async workstation(): Promise<HostResult<WorkstationName>> {
    try {
      const info = await this.info();
      return ok({ name: info.workstation, source: this.pinned ? 'config' : 'profile', editable: !this.pinned });
    } catch (error) {
      return fail('CONFIG_UNREADABLE', error instanceof Error ? error.message : String(error));
    }
  }

  async renameWorkstation(name: string): Promise<HostResult<WorkstationName>> {
    const current = await this.workstation();
    if (!current.ok) return current;
    if (!current.value.editable) {
      return fail('NOT_EDITABLE', "This workstation is named by the browser host's configuration (--workstation); change it there.");
    }
    const wanted = name.trim().toUpperCase();
    if (!WORKSTATION_NAME.test(wanted)) {
      return fail('INVALID_NAME', 'Use 2 to 32 letters, digits and dashes, starting with a letter or digit (e.g. GATE-B12).');
    }
    if (!this.write(WORKSTATION_KEY, wanted)) return fail('NOT_SAVED', 'This browser did not let Backstop keep the name.');
    return ok({ name: wanted, source: 'profile', editable: true });
  }

  private read(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  private write(key: string, value: string): boolean {
    try {
      if (!this.storage) return false;
      this.storage.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  }

  /** Runs print work after the jobs before it; whatever goes wrong comes back as an outcome. */
  private enqueue(work: () => Promise<PrintOutcome>): Promise<PrintOutcome> {
    const run = this.queue.then(work).catch((error: unknown): PrintOutcome => ({
      ok: false,
      code: 'PRINT_FAILED',
      message: error instanceof Error ? error.message : 'Printing failed.',
      job: null,
    }));
    this.queue = run;
    return run;
  }

  print(document: PrintDocument, target: PrintTarget, options: PrintOptions): Promise<PrintOutcome> {
    return this.enqueue(() => this.printJob(document, target, options, null));
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
        // The print dialog names the job after the page's title, and the spooler shows it: no passenger names there.
        await printInHiddenFrame(withNeutralTitle(document.html, document.kind), neutralTitle(document.kind), this.printFrame);
        // The browser does not say whether the agent printed or cancelled: "printed" here means
        // the document went to the print dialog, and the screens say it in those words.
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
    await this.history.put({ id: job.id, createdAt: job.createdAt, job, document });
    return job.lastError ? { ok: false, code: job.lastError.code, message: job.lastError.message, job } : { ok: true, job };
  }

  async printers(): Promise<HostResult<PrinterEntry[]>> {
    return ok([
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
    ]);
  }

  async jobs(): Promise<HostResult<PrintJobInfo[]>> {
    try {
      return ok((await this.history.list(JOBS_KEPT)).map((e) => e.job));
    } catch (error) {
      return fail('HISTORY_UNAVAILABLE', error instanceof Error ? error.message : String(error));
    }
  }

  reprint(jobId: string, options: ReprintOptions): Promise<PrintOutcome> {
    return this.enqueue(async () => {
      const earlier = await this.history.get(jobId);
      if (!earlier?.document)
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
    });
  }

  async cancelPrint(jobId: string): Promise<PrintOutcome> {
    return this.finished(jobId);
  }

  async retryPrint(jobId: string): Promise<PrintOutcome> {
    return this.finished(jobId);
  }

  /** Browser jobs never wait for a printer: there is nothing to cancel or retry. */
  private async finished(jobId: string): Promise<PrintOutcome> {
    const p = await this.history.get(jobId).catch(() => undefined);
    if (!p) return { ok: false, code: 'JOB_NOT_FOUND', message: 'No such print job.', job: null };
    return {
      ok: false,
      code: 'JOB_FINISHED',
      message: 'This job went straight to the print dialog or to a file; use reprint for another copy.',
      job: p.job,
    };
  }
}

function defaultStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

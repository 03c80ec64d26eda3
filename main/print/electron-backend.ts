/**
 * The thin Electron part of printing: a hidden, sandboxed window with JavaScript off renders an
 * archived HTML file to PDF (printToPDF) or prints it silently (webContents.print), and lists the
 * OS printers. Everything else (archive, queue, retries, CUPS) lives in plain modules.
 *
 * The print window runs in its own in-memory session that refuses every request except the one
 * file being printed and data: URLs, so a document can never fetch or leak anything.
 */
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, PrinterInfo, Session } from 'electron';
import { pathToFileURL } from 'node:url';
import type { PageSize } from '../../shared/documents/page';
import { fail, ok, type Result } from '../../shared/result';
import { denyAllPermissions, secureWebPreferences } from '../security';
import { pdfPageSize, printPageSize } from './paper';

export const PRINT_PARTITION = 'backstop-print';
const LOAD_TIMEOUT_MS = 30_000;
/** A print window is kept warm this long after a job: opening one costs more than printing a pass. */
export const PRINT_WINDOW_IDLE_MS = 60_000;

export interface SystemPrinter {
  name: string;
  displayName: string;
  description: string;
  isDefault: boolean;
  state: 'ready' | 'offline' | 'unknown';
}

export interface SilentPrintOptions {
  printer: string;
  pageSize: PageSize;
  copies: number;
}

/** What the print service needs from Electron (and what tests replace with real Chromium). */
export interface PrintBackend {
  renderPdf(htmlFile: string, pageSize: PageSize): Promise<Uint8Array>;
  printSilently(htmlFile: string, options: SilentPrintOptions): Promise<Result<null, 'PRINT_FAILED'>>;
  listPrinters(): Promise<SystemPrinter[]>;
}

export function printWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 900,
    height: 1200,
    paintWhenInitiallyHidden: true,
    webPreferences: {
      ...secureWebPreferences(null),
      javascript: false,
      partition: PRINT_PARTITION,
      backgroundThrottling: false,
      devTools: false,
    },
  };
}

/** Which URLs a print window may load: the file being printed, and inline data: resources. */
export class PrintRequestPolicy {
  private readonly allowed = new Set<string>();
  allow(url: string): void {
    this.allowed.add(url);
  }
  revoke(url: string): void {
    this.allowed.delete(url);
  }
  isAllowed(url: string): boolean {
    return url.startsWith('data:') || this.allowed.has(url);
  }
}

/** CUPS state in PrinterInfo.options (Linux, macOS): 3 idle, 4 printing, 5 stopped. */
export function printerState(info: Pick<PrinterInfo, 'options'>): SystemPrinter['state'] {
  const options = info.options as Record<string, string | undefined>;
  if (options['printer-is-accepting-jobs'] === 'false' || options['printer-state'] === '5') return 'offline';
  if (options['printer-state'] === '3' || options['printer-state'] === '4') return 'ready';
  return 'unknown';
}

export function toSystemPrinter(info: PrinterInfo): SystemPrinter {
  const options = info.options as Record<string, string | undefined>;
  return {
    name: info.name,
    displayName: info.displayName || info.name,
    description: info.description ?? '',
    isDefault: options['is-default'] === 'true' || options['printer-is-default'] === 'true',
    state: printerState(info),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface ElectronDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowType;
  session: { fromPartition(partition: string): Session };
  log: (message: string) => void;
}

export function createElectronPrintBackend(deps: ElectronDeps): PrintBackend {
  const policy = new PrintRequestPolicy();
  let sessionReady = false;

  function prepareSession(): void {
    if (sessionReady) return;
    const ses = deps.session.fromPartition(PRINT_PARTITION);
    denyAllPermissions(ses);
    ses.webRequest.onBeforeRequest((details, callback) => {
      const allowed = policy.isAllowed(details.url);
      if (!allowed) deps.log(`print window: blocked request to ${details.url.slice(0, 200)}`);
      callback({ cancel: !allowed });
    });
    sessionReady = true;
  }

  // One hidden window, reused job after job (one job at a time) and destroyed once idle or after
  // any failure. Between jobs it shows about:blank, so no document outlives its print.
  let warm: BrowserWindowType | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  function discard(): void {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (warm && !warm.isDestroyed()) warm.destroy();
    warm = null;
  }

  /** Loads the file into the print window, runs `use`, then blanks the window (or destroys it on failure). */
  function withDocument<T>(htmlFile: string, use: (win: BrowserWindowType) => Promise<T>): Promise<T> {
    const job = queue.then(async () => {
      prepareSession();
      if (idleTimer) clearTimeout(idleTimer);
      if (!warm || warm.isDestroyed()) warm = new deps.BrowserWindow(printWindowOptions());
      const win = warm;
      const url = pathToFileURL(htmlFile).href;
      policy.allow(url);
      try {
        await withTimeout(win.loadURL(url), LOAD_TIMEOUT_MS, 'Loading the document');
        const result = await use(win);
        policy.revoke(url);
        await win.loadURL('about:blank');
        idleTimer = setTimeout(discard, PRINT_WINDOW_IDLE_MS);
        return result;
      } catch (error) {
        discard();
        throw error;
      } finally {
        policy.revoke(url);
      }
    });
    queue = job.catch(() => undefined);
    return job;
  }

  return {
    renderPdf(htmlFile, pageSize) {
      return withDocument(htmlFile, async (win) => {
        const pdf = await win.webContents.printToPDF({
          pageSize: pdfPageSize(pageSize),
          preferCSSPageSize: true,
          printBackground: true,
          landscape: false,
          margins: { top: 0, bottom: 0, left: 0, right: 0 },
        });
        return new Uint8Array(pdf);
      });
    },

    printSilently(htmlFile, o) {
      return withDocument(
        htmlFile,
        (win) =>
          new Promise<Result<null, 'PRINT_FAILED'>>((resolve) => {
            win.webContents.print(
              {
                silent: true,
                deviceName: o.printer,
                pageSize: printPageSize(o.pageSize),
                copies: o.copies,
                printBackground: true,
                landscape: false,
                margins: { marginType: 'none' },
              },
              (success, failureReason) => {
                resolve(
                  success
                    ? ok(null)
                    : fail('PRINT_FAILED', `The printer ${o.printer} did not print: ${failureReason || 'unknown reason'}.`),
                );
              },
            );
          }),
      );
    },

    async listPrinters() {
      prepareSession();
      const win = new deps.BrowserWindow(printWindowOptions());
      try {
        return (await win.webContents.getPrintersAsync()).map(toSystemPrinter);
      } finally {
        if (!win.isDestroyed()) win.destroy();
      }
    },
  };
}

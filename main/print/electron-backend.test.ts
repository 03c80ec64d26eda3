import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { PAGE_SIZES } from '../../shared/documents/page';
import { createElectronPrintBackend, PRINT_PARTITION, PRINT_WINDOW_IDLE_MS, printerState, type ElectronDeps } from './electron-backend';

vi.mock('electron', () => ({}));

type RequestListener = (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void;

/** Stands in for Electron's BrowserWindow and the print session; records what the backend asks. */
function fakeElectron(behaviour: { pdfError?: Error; printResult?: [boolean, string]; printers?: unknown[] } = {}) {
  const windows: FakeWindow[] = [];
  const session = {
    requestListener: null as RequestListener | null,
    permissionRequest: null as null | ((...a: unknown[]) => void),
    webRequest: { onBeforeRequest: (fn: RequestListener) => (session.requestListener = fn) },
    setPermissionRequestHandler: (fn: (...a: unknown[]) => void) => (session.permissionRequest = fn),
    setPermissionCheckHandler: () => {},
  };
  class FakeWindow extends EventEmitter {
    url: string | null = null;
    urls: string[] = [];
    destroyed = false;
    urlAllowedWhileLoading: boolean | null = null;
    pdfOptions: unknown = null;
    printOptions: unknown = null;
    webContents = {
      printToPDF: async (options: unknown) => {
        this.pdfOptions = options;
        if (behaviour.pdfError) throw behaviour.pdfError;
        return Buffer.from('%PDF-1.4 fake');
      },
      print: (options: unknown, cb: (ok: boolean, reason: string) => void) => {
        this.printOptions = options;
        const [ok, reason] = behaviour.printResult ?? [true, ''];
        setTimeout(() => cb(ok, reason), 0);
      },
      getPrintersAsync: async () => behaviour.printers ?? [],
    };
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
    async loadURL(url: string) {
      this.url = url;
      this.urls.push(url);
      // about:blank never reaches the network layer, so webRequest does not see it either.
      if (!url.startsWith('about:')) session.requestListener!({ url }, (r) => (this.urlAllowedWhileLoading = !r.cancel));
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
    }
  }
  const partitions: string[] = [];
  const deps = {
    BrowserWindow: FakeWindow,
    session: { fromPartition: (p: string) => (partitions.push(p), session) },
    log: vi.fn(),
  } as unknown as ElectronDeps;
  return { deps, windows, session, partitions };
}

function requestAllowed(listener: RequestListener, url: string): boolean {
  let allowed = false;
  listener({ url }, (r) => (allowed = !r.cancel));
  return allowed;
}

describe('Electron print backend', () => {
  it('renders in a hidden, sandboxed window with JavaScript off, no preload and its own session', async () => {
    const e = fakeElectron();
    await createElectronPrintBackend(e.deps).renderPdf('/data/prints/2026-11-26/j1-manifest.html', PAGE_SIZES.A4);
    const w = e.windows[0]!;
    expect(w.options).toMatchObject({ show: false });
    expect(w.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      partition: PRINT_PARTITION,
    });
    expect(w.options.webPreferences).not.toHaveProperty('preload');
    expect(e.partitions).toEqual([PRINT_PARTITION]);
    const deny = vi.fn();
    e.session.permissionRequest!({}, 'media', deny);
    expect(deny).toHaveBeenCalledWith(false);
  });

  it('loads the archived HTML file and asks printToPDF for the exact page size', async () => {
    const e = fakeElectron();
    const backend = createElectronPrintBackend(e.deps);
    const pdf = await backend.renderPdf('/data/prints/2026-11-26/j1-boarding-pass.html', PAGE_SIZES['roll-80']);
    const w = e.windows[0]!;
    expect(Buffer.from(pdf).toString()).toBe('%PDF-1.4 fake');
    expect(w.urls[0]).toBe(pathToFileURL('/data/prints/2026-11-26/j1-boarding-pass.html').href);
    expect(w.pdfOptions).toMatchObject({
      pageSize: { width: 80 / 25.4, height: 180 / 25.4 },
      preferCSSPageSize: true,
      printBackground: true,
      margins: { top: 0, bottom: 0, left: 0, right: 0 },
    });
    await backend.renderPdf('/data/x.html', PAGE_SIZES.Letter);
    expect(e.windows[0]!.pdfOptions).toMatchObject({ pageSize: 'Letter' });
  });

  it('keeps one warm window for job after job, blank between jobs, and destroys it once idle', async () => {
    vi.useFakeTimers();
    try {
      const e = fakeElectron();
      const backend = createElectronPrintBackend(e.deps);
      await Promise.all([backend.renderPdf('/data/a.html', PAGE_SIZES.A4), backend.renderPdf('/data/b.html', PAGE_SIZES.A4)]);
      expect(e.windows).toHaveLength(1);
      // No document stays loaded after its job.
      expect(e.windows[0]!.url).toBe('about:blank');
      expect(e.windows[0]!.destroyed).toBe(false);
      await vi.advanceTimersByTimeAsync(PRINT_WINDOW_IDLE_MS);
      expect(e.windows[0]!.destroyed).toBe(true);
      await backend.renderPdf('/data/c.html', PAGE_SIZES.A4);
      expect(e.windows).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets a print window load only the file it prints and data: URLs, nothing from the network', async () => {
    const e = fakeElectron();
    await createElectronPrintBackend(e.deps).renderPdf('/data/a.html', PAGE_SIZES.A4);
    const listener = e.session.requestListener!;
    expect(e.windows[0]!.urlAllowedWhileLoading).toBe(true);
    // Once printed, even that file is refused again.
    expect(requestAllowed(listener, pathToFileURL('/data/a.html').href)).toBe(false);
    expect(requestAllowed(listener, 'https://tracker.example/pixel.png')).toBe(false);
    expect(requestAllowed(listener, 'file:///etc/passwd')).toBe(false);
    expect(requestAllowed(listener, 'http://127.0.0.1:8787/v1/health')).toBe(false);
    expect(requestAllowed(listener, 'data:image/png;base64,AAAA')).toBe(true);
  });

  it('destroys the window when rendering fails', async () => {
    const e = fakeElectron({ pdfError: new Error('GPU process gone') });
    await expect(createElectronPrintBackend(e.deps).renderPdf('/data/a.html', PAGE_SIZES.A4)).rejects.toThrow('GPU process gone');
    expect(e.windows[0]!.destroyed).toBe(true);
  });

  it('prints silently to the named printer with the page size in microns and the copies', async () => {
    const e = fakeElectron();
    const r = await createElectronPrintBackend(e.deps).printSilently('/data/a.html', {
      printer: 'Gate B32 thermal',
      pageSize: PAGE_SIZES.atb,
      copies: 2,
    });
    expect(r).toEqual({ ok: true, value: null });
    expect(e.windows[0]!.printOptions).toMatchObject({
      silent: true,
      deviceName: 'Gate B32 thermal',
      pageSize: { width: 203_000, height: 82_000 },
      copies: 2,
      margins: { marginType: 'none' },
    });
  });

  it('turns a failed silent print into a PRINT_FAILED value with the reason', async () => {
    const e = fakeElectron({ printResult: [false, 'Print job failed'] });
    const r = await createElectronPrintBackend(e.deps).printSilently('/data/a.html', { printer: 'P', pageSize: PAGE_SIZES.A4, copies: 1 });
    expect(r).toMatchObject({ ok: false, code: 'PRINT_FAILED' });
    expect(r.ok ? '' : r.message).toContain('Print job failed');
  });

  it('lists OS printers with their state', async () => {
    const e = fakeElectron({
      printers: [
        { name: 'PDF', displayName: 'PDF', description: 'cups-pdf', options: { 'printer-state': '3' } },
        { name: 'Laser', displayName: 'Gate laser', description: '', options: { 'printer-state': '5' } },
        { name: 'Win', displayName: 'Win', description: '', options: {} },
      ],
    });
    const printers = await createElectronPrintBackend(e.deps).listPrinters();
    expect(printers.map((p) => [p.name, p.displayName, p.state])).toEqual([
      ['PDF', 'PDF', 'ready'],
      ['Laser', 'Gate laser', 'offline'],
      ['Win', 'Win', 'unknown'],
    ]);
    expect(printerState({ options: { 'printer-state': '4', 'printer-is-accepting-jobs': 'false' } })).toBe('offline');
  });
});

import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../shared/ipc/channels';

// The whole Electron runtime cannot run here; this stands in for the parts index.ts touches.
const h = vi.hoisted(() => {
  const windows: { options: Record<string, unknown>; url: string | null }[] = [];
  let readyResolve: () => void = () => {};
  const ready = new Promise<void>((r) => (readyResolve = r));
  return {
    windows,
    ready,
    readyResolve,
    appEvents: new Map<string, (...args: unknown[]) => void>(),
    ipcChannels: [] as string[],
    /** Channels registered with ipcMain.on / once (by us or by any library main loads). */
    ipcListeners: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    menus: [] as unknown[],
    logInitialized: 0,
    power: new Map<string, () => void>(),
    ipcHandlers: new Map<string, (event: unknown, payload: unknown) => unknown>(),
    trays: [] as { tooltip: string; menu: { id?: string; label?: string; enabled?: boolean; click?: () => void }[] }[],
    sent: [] as [string, unknown][],
    winEvents: new Map<string, (...args: unknown[]) => void>(),
    hidden: 0,
    ask: vi.fn(),
    quit: vi.fn(),
    schemes: [] as unknown[],
    handled: new Map<string, (r: Request) => Promise<Response>>(),
    permissionRequestHandler: null as null | ((...a: unknown[]) => void),
    userData: '',
  };
});
h.userData = mkdtempSync(path.join(os.tmpdir(), 'backstop-index-'));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  class BrowserWindow extends Emitter {
    webContents = Object.assign(new Emitter(), {
      send: (channel: string, payload: unknown) => h.sent.push([channel, payload]),
      isDestroyed: () => false,
    });
    record: { options: Record<string, unknown>; url: string | null };
    constructor(options: Record<string, unknown>) {
      super();
      this.record = { options, url: null };
      h.windows.push(this.record);
    }
    loadURL(url: string) {
      this.record.url = url;
      return Promise.resolve();
    }
    override on(event: string, fn: (...args: unknown[]) => void) {
      h.winEvents.set(event, fn);
      return super.on(event, fn);
    }
    show() {}
    hide() {
      h.hidden++;
    }
    focus() {}
    restore() {}
    isVisible() {
      return true;
    }
    isMinimized() {
      return false;
    }
  }
  class Tray {
    record = { tooltip: '', menu: [] as never[] };
    constructor() {
      h.trays.push(this.record);
    }
    setToolTip(t: string) {
      this.record.tooltip = t;
    }
    setContextMenu(menu: never[]) {
      this.record.menu = menu;
    }
    on() {}
    destroy() {}
  }
  return {
    app: {
      requestSingleInstanceLock: () => true,
      on: (event: string, fn: (...args: unknown[]) => void) => h.appEvents.set(event, fn),
      whenReady: () => h.ready,
      getVersion: () => '0.1.0',
      getPath: () => h.userData,
      isPackaged: false,
      setLoginItemSettings: vi.fn(),
      quit: h.quit,
    },
    BrowserWindow,
    Tray,
    Menu: { buildFromTemplate: (template: unknown[]) => template, setApplicationMenu: (menu: unknown) => h.menus.push(menu) },
    nativeImage: { createFromPath: (p: string) => p },
    dialog: { showMessageBox: h.ask, showSaveDialog: vi.fn() },
    powerMonitor: { on: (event: string, fn: () => void) => h.power.set(event, fn) },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (plain: string) => Buffer.from(`wrapped:${plain}`),
      decryptString: (wrapped: Buffer) => wrapped.toString().replace(/^wrapped:/, ''),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, payload: unknown) => unknown) => {
        h.ipcChannels.push(channel);
        h.ipcHandlers.set(channel, fn);
      },
      on: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => h.ipcListeners.set(channel, fn),
      once: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => h.ipcListeners.set(channel, fn),
      eventNames: () => [...h.ipcListeners.keys()],
      removeAllListeners: (channel: string) => h.ipcListeners.delete(channel),
      removeHandler: (channel: string) => {
        h.ipcHandlers.delete(channel);
        h.ipcChannels.splice(0, h.ipcChannels.length, ...h.ipcChannels.filter((c) => c !== channel));
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => h.schemes.push(...s),
      handle: (scheme: string, fn: (r: Request) => Promise<Response>) => h.handled.set(scheme, fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: (...a: unknown[]) => void) => (h.permissionRequestHandler = fn),
        setPermissionCheckHandler: () => {},
      },
    },
  };
});
// Like the real electron-log/main (lockdown.test.ts loads the real one to show it), importing it
// registers its own IPC listener and handler, which check no sender.
vi.mock('electron-log/main', async () => {
  const { ipcMain } = await import('electron');
  ipcMain.on('__ELECTRON_LOG__', () => {});
  ipcMain.handle('__ELECTRON_LOG__', () => ({}));
  return {
    default: {
      initialize: () => void h.logInitialized++,
      transports: { file: { maxSize: 0 } },
      errorHandler: { startCatching: () => {} },
      hooks: [],
      info: () => {},
      warn: () => {},
      error: () => {},
    },
  };
});

describe('main entry point', () => {
  beforeAll(async () => {
    await import('./index');
    h.readyResolve();
    await new Promise((r) => setTimeout(r, 10));
  });

  it('registers app:// as a privileged, secure, standard scheme before the app is ready', () => {
    expect(h.schemes).toHaveLength(1);
    expect(h.schemes[0]).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
  });

  it('takes the single-instance lock and hardens every web contents', () => {
    expect(h.appEvents.has('second-instance')).toBe(true);
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    h.appEvents.get('web-contents-created')!({}, contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });

  it('opens one hardened window on app://backstop and serves it through the protocol handler', async () => {
    expect(h.windows).toHaveLength(1);
    const win = h.windows[0]!;
    expect(win.url).toBe('app://backstop/index.html');
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    const handler = h.handled.get('app')!;
    expect((await handler(new Request('app://backstop/%2e%2e/%2e%2e/etc/passwd'))).status).toBe(404);
  });

  it('wires the IPC contract and denies permission requests', () => {
    expect(h.ipcChannels).toEqual([...CHANNELS]);
    const answer = vi.fn();
    h.permissionRequestHandler!({}, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
  });

  const fromApp = { senderFrame: { url: 'app://backstop/index.html', parent: null } };
  const report = {
    link: 'online',
    dcs: 'up',
    fallback: false,
    drill: false,
    pending: 2,
    lastSyncAt: '2026-11-26T09:58:00.000Z',
    lastAttemptAt: '2026-11-26T09:58:00.000Z',
  };

  it('puts Backstop in the tray and hides the window on close instead of quitting, until the app quits', () => {
    expect(h.trays).toHaveLength(1);
    const close = h.winEvents.get('close')!;
    const event = { preventDefault: vi.fn() };
    close(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(h.hidden).toBe(1);
    h.appEvents.get('before-quit')!();
    const later = { preventDefault: vi.fn() };
    close(later);
    expect(later.preventDefault).not.toHaveBeenCalled();
  });

  it('shows what the page reports in the tray tooltip, and "Sync now" asks the page to sync', async () => {
    const tray = h.trays[0]!;
    expect(tray.tooltip).toContain('Starting');
    await expect(h.ipcHandlers.get('app:status')!(fromApp, report)).resolves.toEqual({ ok: true, value: null });
    expect(tray.tooltip).toContain('2 actions not sent yet');
    expect(tray.tooltip).toMatch(/Data from \d\d:\d\d/);
    const sync = tray.menu.find((i) => i.id === 'sync')!;
    expect(sync.enabled).toBe(true);
    sync.click!();
    expect(h.sent).toEqual([['sync:now', null]]);
  });

  it('answers app:diagnostics with versions, the update state and no crash yet', async () => {
    const answer = (await h.ipcHandlers.get('app:diagnostics')!(fromApp, null)) as { ok: boolean; value: Record<string, unknown> };
    expect(answer.ok).toBe(true);
    expect(answer.value).toMatchObject({
      versions: { app: '0.1.0' },
      packaged: false,
      tray: true,
      lastCrash: null,
      update: { phase: 'disabled', action: 'hold', reason: 'disabled' },
    });
  });

  it('refuses to install an update when updates are off', async () => {
    await expect(h.ipcHandlers.get('app:install-update')!(fromApp, null)).resolves.toEqual({
      ok: true,
      value: { started: false, reason: 'disabled' },
    });
  });

  it('asks before quitting from the tray while actions are unsent, and quits only when the agent says so', async () => {
    const { ask, quit } = h;
    quit.mockClear();
    const quitItem = h.trays[0]!.menu.find((i) => i.id === 'quit')!;
    ask.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    quitItem.click!();
    await new Promise((r) => setTimeout(r, 0));
    expect(ask.mock.lastCall?.at(-1)).toMatchObject({ message: '2 actions taken here have not reached the backend yet.' });
    expect(quit).not.toHaveBeenCalled();
    ask.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    quitItem.click!();
    await new Promise((r) => setTimeout(r, 0));
    expect(quit).toHaveBeenCalledTimes(1);
  });
});

describe('no back doors in the main process', () => {
  it('has no application menu (no Reload, no Toggle Developer Tools) on Windows and Linux', () => {
    expect(h.menus).toEqual([null]);
  });

  it('never initialises electron-log: no renderer bridge, no preload, no IPC channel of its own', () => {
    expect(h.logInitialized).toBe(0);
    expect([...h.ipcListeners.keys()]).toEqual([]);
  });

  it('blocks reload and DevTools shortcuts on every web contents', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn(), closeDevTools: vi.fn() });
    h.appEvents.get('web-contents-created')!({}, contents);
    const event = { preventDefault: vi.fn() };
    contents.emit('before-input-event', event, {
      type: 'keyDown',
      key: 'I',
      code: 'KeyI',
      control: true,
      shift: true,
      meta: false,
      alt: false,
    });
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('tells the page to lock when the machine locks its screen or goes to sleep', () => {
    h.sent.length = 0;
    h.power.get('lock-screen')!();
    h.power.get('suspend')!();
    expect(h.sent).toEqual([
      ['session:lock', { reason: 'lock-screen' }],
      ['session:lock', { reason: 'suspend' }],
    ]);
  });
});

/**
 * Every IPC channel main listens on — the contract's and any a library added — with hostile
 * callers: a foreign page, a sub-frame, a destroyed frame, and the app page itself sending
 * malformed payloads. Every call gets a typed refusal, no handler runs on bad input, and main goes
 * on answering.
 */
describe('IPC fuzz over every channel main listens on', () => {
  const senders = [
    { senderFrame: { url: 'https://evil.example/', parent: null } },
    { senderFrame: { url: 'app://backstop/index.html', parent: {} } },
    { senderFrame: null },
    { senderFrame: { url: 'file:///etc/passwd', parent: null } },
    { senderFrame: { url: 'app://backstop.evil/index.html', parent: null } },
  ];
  const payloads: unknown[] = [
    undefined,
    0,
    -1,
    'x'.repeat(100_000),
    [],
    [null],
    { __proto__: { polluted: true } },
    JSON.parse('{"__proto__":{"polluted":true}}'),
    { jobId: '../../../etc/passwd' },
    { document: { kind: 'boarding-pass', html: '<script>alert(1)</script>' } },
    { fileName: '../../.bashrc', content: '{}' },
    { link: 'online', pending: -5 },
    Number.NaN,
    true,
    Symbol.for('x').toString(),
  ];

  it('listens only on the contract channels: no library added one', () => {
    expect([...h.ipcHandlers.keys()].sort()).toEqual([...CHANNELS].sort());
    expect(h.ipcListeners.size).toBe(0);
  });

  it('refuses every channel from every wrong sender', async () => {
    for (const [channel, handler] of h.ipcHandlers) {
      for (const sender of senders) {
        for (const payload of [null, ...payloads]) {
          const answer = (await handler(sender, payload)) as { ok: boolean; code?: string };
          expect(answer, `${channel} from ${JSON.stringify(sender)}`).toMatchObject({ ok: false, code: 'BAD_SENDER' });
        }
      }
    }
  });

  it('refuses malformed payloads from the app page itself with BAD_PAYLOAD, and stays up', async () => {
    for (const [channel, handler] of h.ipcHandlers) {
      for (const payload of payloads) {
        const answer = (await handler(fromAppPage, payload)) as { ok: boolean; code?: string; message?: string };
        expect(answer.ok, `${channel} with ${String(JSON.stringify(payload)).slice(0, 60)}`).toBe(false);
        expect(answer.code).toBe('BAD_PAYLOAD');
        expect(answer.message).not.toMatch(/\n\s+at /);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expect(h.ipcHandlers.get('app:install-update')!(fromAppPage, null)).resolves.toMatchObject({ ok: true });
    expect(h.quit).not.toHaveBeenCalledWith(expect.anything());
  });
});

const fromAppPage = { senderFrame: { url: 'app://backstop/index.html', parent: null } };

describe('enrolment stays in main', () => {
  it('never hands the enrolment key to the page; it only says this is a demo enrolment', async () => {
    const answer = (await h.ipcHandlers.get('app:info')!(fromAppPage, null)) as { ok: boolean; value: Record<string, unknown> };
    expect(answer.ok).toBe(true);
    expect(JSON.stringify(answer.value)).not.toContain('backstop-demo');
    expect(answer.value).toMatchObject({ demoEnrolment: true });
    expect(answer.value).not.toHaveProperty('enrolmentKey');
  });
});

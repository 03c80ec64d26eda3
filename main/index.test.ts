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
    webContents = new Emitter();
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
    show() {}
    focus() {}
    isMinimized() {
      return false;
    }
  }
  return {
    app: {
      requestSingleInstanceLock: () => true,
      on: (event: string, fn: (...args: unknown[]) => void) => h.appEvents.set(event, fn),
      whenReady: () => h.ready,
      getVersion: () => '0.1.0',
      getPath: () => h.userData,
      quit: vi.fn(),
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string) => h.ipcChannels.push(channel) },
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
vi.mock('electron-log/main', () => ({
  default: {
    initialize: () => {},
    transports: { file: { maxSize: 0 } },
    errorHandler: { startCatching: () => {} },
    info: () => {},
    warn: () => {},
    error: () => {},
  },
}));

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
});

import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { denyAllPermissions, hardenWebContents } from './security';
import { mainWindowOptions, watchRenderProcess } from './window';

vi.mock('electron', () => ({}));

describe('main window options', () => {
  it('isolates the page: context isolation, sandbox, no Node, web security on', () => {
    const prefs = mainWindowOptions('/app/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  reload = vi.fn();
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
}

function navigationEvent() {
  return { preventDefault: vi.fn() };
}

describe('web contents hardening', () => {
  it('blocks navigation and redirects away from app://, allows in-app navigation', () => {
    const contents = new FakeContents();
    const blocked = vi.fn();
    hardenWebContents(contents as never, blocked);
    const away = navigationEvent();
    contents.emit('will-navigate', away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const redirect = navigationEvent();
    contents.emit('will-redirect', redirect, 'http://127.0.0.1:9/');
    expect(redirect.preventDefault).toHaveBeenCalled();
    const inside = navigationEvent();
    contents.emit('will-navigate', inside, 'app://backstop/index.html');
    expect(inside.preventDefault).not.toHaveBeenCalled();
    expect(blocked).toHaveBeenCalledTimes(2);
  });

  it('denies every new window and every webview', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never, () => {});
    expect(contents.openHandler!({ url: 'app://backstop/index.html' })).toEqual({ action: 'deny' });
    const webview = navigationEvent();
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('refuses every permission request and check', () => {
    let request: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
    let check: (() => boolean) | null = null;
    denyAllPermissions({
      setPermissionRequestHandler: (h: never) => (request = h),
      setPermissionCheckHandler: (h: never) => (check = h),
    });
    const answer = vi.fn();
    request!({}, 'media', answer);
    request!({}, 'geolocation', answer);
    expect(answer.mock.calls).toEqual([[false], [false]]);
    expect(check!()).toBe(false);
  });
});

describe('renderer crash recovery', () => {
  it('reloads the window with a notice after a crash, but not after a clean exit', () => {
    const contents = new FakeContents();
    const onNotice = vi.fn();
    watchRenderProcess({ webContents: contents } as never, { onNotice, log: () => {}, now: () => 0 });
    contents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(contents.reload).not.toHaveBeenCalled();
    contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(contents.reload).toHaveBeenCalledTimes(1);
    expect(onNotice).toHaveBeenCalledWith(expect.stringContaining('No data was lost'));
  });

  it('stops reloading a window that keeps crashing', () => {
    const contents = new FakeContents();
    let t = 0;
    watchRenderProcess({ webContents: contents } as never, { onNotice: () => {}, log: () => {}, now: () => (t += 1000) });
    for (let i = 0; i < 6; i++) contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(contents.reload).toHaveBeenCalledTimes(3);
  });
});

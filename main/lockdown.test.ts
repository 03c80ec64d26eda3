import Module, { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { applicationMenu, dropForeignIpc, isBlockedShortcut, LIBRARY_IPC_CHANNELS, lockDownContents } from './lockdown';
import { mainWindowOptions } from './window';

vi.mock('electron', () => ({}));

const key = (k: string, mods: Partial<Record<'control' | 'meta' | 'shift' | 'alt', boolean>> = {}, code = '') => ({
  type: 'keyDown' as const,
  key: k,
  code,
  control: false,
  meta: false,
  shift: false,
  alt: false,
  ...mods,
});

describe('production lockdown', () => {
  it.each([
    ['F5', key('F5', {}, 'F5')],
    ['Ctrl+R', key('r', { control: true }, 'KeyR')],
    ['Ctrl+Shift+R', key('R', { control: true, shift: true }, 'KeyR')],
    ['Cmd+R', key('r', { meta: true }, 'KeyR')],
    ['F12', key('F12', {}, 'F12')],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true }, 'KeyI')],
    ['Ctrl+Shift+J', key('J', { control: true, shift: true }, 'KeyJ')],
    ['Ctrl+Shift+C', key('C', { control: true, shift: true }, 'KeyC')],
    ['Cmd+Alt+I', key('i', { meta: true, alt: true }, 'KeyI')],
    ['Ctrl+Shift+I on an AZERTY layout (physical key)', key('é', { control: true, shift: true }, 'KeyI')],
  ])('blocks %s', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(true);
  });

  it.each([
    ['F2 (departures)', key('F2', {}, 'F2')],
    ['F4 (search)', key('F4', {}, 'F4')],
    ['typing an R', key('r', {}, 'KeyR')],
    ['Ctrl+C (copy)', key('c', { control: true }, 'KeyC')],
    ['Escape', key('Escape', {}, 'Escape')],
  ])('leaves %s alone', (_name, input) => {
    expect(isBlockedShortcut(input)).toBe(false);
  });

  it('stops a blocked key from reaching the page and closes DevTools that open in a packaged build', () => {
    const contents = Object.assign(new EventEmitter(), { closeDevTools: vi.fn() });
    const log = vi.fn();
    lockDownContents(contents as never, true, log);
    const reload = { preventDefault: vi.fn() };
    contents.emit('before-input-event', reload, key('r', { control: true }, 'KeyR'));
    expect(reload.preventDefault).toHaveBeenCalled();
    const typing = { preventDefault: vi.fn() };
    contents.emit('before-input-event', typing, key('a', {}, 'KeyA'));
    expect(typing.preventDefault).not.toHaveBeenCalled();
    contents.emit('devtools-opened');
    expect(contents.closeDevTools).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith('DevTools opened in a packaged build and were closed');
  });

  it('has no DevTools in the window of a packaged build', () => {
    expect(mainWindowOptions('/p.cjs', true).webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions('/p.cjs').webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions('/p.cjs', false).webPreferences?.devTools).toBe(true);
  });

  it('has no menu on Windows and Linux, and on macOS no View menu (no Reload, no DevTools)', () => {
    expect(applicationMenu('win32')).toBeNull();
    expect(applicationMenu('linux')).toBeNull();
    const mac = JSON.stringify(applicationMenu('darwin'));
    expect(mac).not.toMatch(/reload|toggleDevTools|viewMenu/i);
  });
});

describe('IPC channels that libraries add', () => {
  it('electron-log/main registers an unchecked channel just by being imported; dropForeignIpc takes every foreign one off', () => {
    // The real library, loaded against a recording ipcMain in place of Electron's (which cannot run here).
    const load = createRequire(import.meta.url);
    const electronPath = load.resolve('electron');
    const listeners = new Map<string, unknown>();
    const handlers = new Map<string, unknown>();
    const ipcMain = {
      on: (channel: string, fn: unknown) => listeners.set(channel, fn),
      handle: (channel: string, fn: unknown) => handlers.set(channel, fn),
      eventNames: () => [...listeners.keys()],
      removeAllListeners: (channel: string) => listeners.delete(channel),
      removeHandler: (channel: string) => handlers.delete(channel),
    };
    const saved = load.cache[electronPath];
    const logPath = load.resolve('electron-log/main');
    const fake = new Module(electronPath);
    fake.exports = { ipcMain };
    fake.loaded = true;
    load.cache[electronPath] = fake;
    try {
      delete load.cache[logPath];
      load('electron-log/main');
    } finally {
      if (saved) load.cache[electronPath] = saved;
      else delete load.cache[electronPath];
      delete load.cache[logPath];
    }
    expect([...listeners.keys()]).toEqual([...LIBRARY_IPC_CHANNELS]);
    expect([...handlers.keys()]).toEqual([...LIBRARY_IPC_CHANNELS]);

    listeners.set('app:info', () => {}); // a contract channel stays
    listeners.set('some-other-library', () => {});
    expect(dropForeignIpc(ipcMain as never).sort()).toEqual(['__ELECTRON_LOG__', 'some-other-library']);
    expect([...listeners.keys()]).toEqual(['app:info']);
    expect(handlers.size).toBe(0);
  });
});

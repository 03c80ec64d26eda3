/**
 * No back doors for a curious agent: an installed Backstop has no application menu (Electron's
 * default one carries Reload and Toggle Developer Tools), no DevTools, and the keyboard shortcuts
 * that reload the page or open DevTools do nothing. A reload would also drop the sign-in lock's
 * state on screen, and DevTools would show every passenger record and let anyone edit the outbox.
 */
import type { Input, IpcMain, MenuItemConstructorOptions, WebContents } from 'electron';
import { isChannel } from '../shared/ipc/channels';

type KeyInput = Pick<Input, 'type' | 'key' | 'code' | 'control' | 'meta' | 'shift' | 'alt'>;

/**
 * Reload (F5, Ctrl/Cmd+R, with Shift: ignoring the cache) and DevTools (F12, Ctrl+Shift+I/J/C,
 * Cmd+Alt+I/J/C). Matched on the physical key too, so another keyboard layout does not slip past.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  const code = input.code ?? '';
  const mod = input.control || input.meta;
  if (key === 'f5' || code === 'F5' || key === 'f12' || code === 'F12') return true;
  if (key === 'browserrefresh') return true;
  if (mod && (key === 'r' || code === 'KeyR')) return true;
  const devtoolsKey = ['i', 'j', 'c'].includes(key) || ['KeyI', 'KeyJ', 'KeyC'].includes(code);
  if (devtoolsKey && input.control && input.shift) return true;
  if (devtoolsKey && input.meta && input.alt) return true;
  return false;
}

type Lockable = Pick<WebContents, 'on' | 'closeDevTools'>;

/**
 * Applied to every web contents: blocked shortcuts never reach the page or Chromium, and DevTools
 * that open anyway (a packaged build never should) are closed at once and logged.
 */
export function lockDownContents(contents: Lockable, packaged: boolean, log: (message: string) => void): void {
  contents.on('before-input-event', (event, input) => {
    if (isBlockedShortcut(input)) {
      event.preventDefault();
      log(`blocked shortcut: ${input.control ? 'Ctrl+' : ''}${input.meta ? 'Cmd+' : ''}${input.shift ? 'Shift+' : ''}${input.key}`);
    }
  });
  contents.on('devtools-opened', () => {
    if (!packaged) return;
    contents.closeDevTools();
    log('DevTools opened in a packaged build and were closed');
  });
}

/**
 * The application menu: none at all on Windows and Linux. macOS always shows one, so it gets the
 * bare minimum (quit, and the edit commands that make copy and paste work), without View.
 */
export function applicationMenu(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [
    { role: 'appMenu', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'quit' }] },
    {
      role: 'editMenu',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
  ];
}

/**
 * IPC channels libraries register on their own. electron-log/main does it when it is imported, not
 * only through initialize(): a listener and a handler on `__ELECTRON_LOG__` that check no sender and
 * write whatever they get into main's log. Backstop's page never needs them.
 */
export const LIBRARY_IPC_CHANNELS = ['__ELECTRON_LOG__'] as const;

type IpcRemover = Pick<IpcMain, 'removeAllListeners' | 'removeHandler' | 'eventNames'>;

/**
 * Takes every IPC listener and handler off main that is not one of the contract's channels: the
 * known library ones by name (handlers cannot be listed), any other `ipcMain.on` listener by sweep.
 * Returns the channels it took off, for the log.
 */
export function dropForeignIpc(ipcMain: IpcRemover): string[] {
  const dropped = new Set<string>();
  for (const channel of LIBRARY_IPC_CHANNELS) {
    if (ipcMain.eventNames().includes(channel)) dropped.add(channel);
    ipcMain.removeAllListeners(channel);
    ipcMain.removeHandler(channel);
  }
  for (const name of ipcMain.eventNames()) {
    if (typeof name !== 'string' || isChannel(name)) continue;
    ipcMain.removeAllListeners(name);
    dropped.add(name);
  }
  return [...dropped];
}

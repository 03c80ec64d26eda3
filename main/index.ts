/**
 * Electron entry point: single instance, privileged app:// protocol, hardened window, typed IPC.
 * Kept thin; each concern lives in its own module and is unit-tested with `electron` mocked.
 */
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import log from 'electron-log/main';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { offsetClock, systemClock } from '../shared/clock';
import { readConfig } from './config';
import { registerIpc } from './ipc';
import { printIpcHandlers, startPrintService } from './print';
import { APP_SCHEME, APP_URL, SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol';
import { denyAllPermissions, hardenWebContents } from './security';
import { mainWindowOptions, watchRenderProcess } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/preload.cjs');

log.initialize();
log.transports.file.maxSize = 5 * 1024 * 1024; // then rotates to main.old.log
log.errorHandler.startCatching();

const config = readConfig(process.argv, process.env);
const clockOffsetMs = config.now ? Date.parse(config.now) - systemClock().getTime() : 0;
const clock = offsetClock(clockOffsetMs);
let notice: string | null = null;
let mainWindow: BrowserWindow | null = null;

protocol.registerSchemesAsPrivileged([SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, (what, url) => log.warn(`blocked ${what}: ${url}`));
  });
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(start);
}

function start(): void {
  denyAllPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererRoot, config.backendUrl));
  const printing = startPrintService(app.getPath('userData'), { BrowserWindow, session, log: (m) => log.warn(m) }, clock);
  printing.catch((error: unknown) =>
    log.error(`print service did not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  registerIpc(
    ipcMain,
    {
      'app:info': () => {
        const info = {
          version: app.getVersion(),
          platform: process.platform,
          workstation: config.workstation,
          backendUrl: config.backendUrl,
          station: config.station,
          enrolmentKey: config.enrolmentKey,
          notice,
          clockOffsetMs,
        };
        notice = null;
        return info;
      },
      ...printIpcHandlers(printing),
    },
    (message) => log.warn(message),
  );
  mainWindow = new BrowserWindow(mainWindowOptions(preloadPath));
  watchRenderProcess(mainWindow, { onNotice: (n) => (notice = n), log: (m) => log.error(m) });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  log.info(`Backstop ${app.getVersion()} starting; backend ${config.backendUrl}, station ${config.station}`);
  void mainWindow.loadURL(APP_URL);
}

/**
 * Electron entry point: single instance, privileged app:// protocol, hardened window, typed IPC,
 * tray with background sync, staged updates, crash record for diagnostics.
 * Kept thin; each concern lives in its own module and is unit-tested with `electron` mocked.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, powerMonitor, protocol, safeStorage, session, Tray } from 'electron';
import log from 'electron-log/main';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { offsetClock, systemClock } from '../shared/clock';
import type { DeviceEnrolRequest } from '../shared/ipc/contract';
import { fail } from '../shared/result';
import { readConfig } from './config';
import { RELAY_OFF, RelayHost, utilityProcessFork } from './relay-host';
import { CrashLog, crashOf, ErrorRing, textOf } from './diagnostics';
import { registerIpc, sendEvent } from './ipc';
import { createEnroller } from './enrolment';
import { applicationMenu, dropForeignIpc, lockDownContents } from './lockdown';
import { supervisorBehind } from './staff-session-check';
import { aesGcmSealer, Vault } from './vault';
import { applyLaunchAtLogin } from './login-item';
import { printIpcHandlers, startPrintService } from './print';
import { APP_SCHEME, APP_URL, SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol';
import { denyAllPermissions, hardenWebContents } from './security';
import { StatusBoard } from './status';
import { HOLD_REASONS, mainStrings } from './strings';
import { createTray, keepInTray, showWindow, trayView, type TrayHandle } from './tray';
import { electronUpdaterPort } from './updates/electron-updater';
import type { HoldReason } from './updates/policy';
import { UpdateController, type UpdateControllerOptions } from './updates/updater';
import { mainWindowOptions, watchRenderProcess } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererRoot = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/preload.cjs');

const config = readConfig(process.argv, process.env);
const clockOffsetMs = config.now ? Date.parse(config.now) - systemClock().getTime() : 0;
const clock = offsetClock(clockOffsetMs);
const startedAt = clock().toISOString();
const errors = new ErrorRing(clock);
const crashes = new CrashLog(app.getPath('userData'), clock, (m) => log.warn(m));
const status = new StatusBoard(clock);
const vault = new Vault(app.getPath('userData'), safeStorage, process.platform, clock, (m) => log.warn(m));
// One enroller per backend: a station relay knows this workstation under an enrolment of its own, so
// `--enrolment-code=<relay's code>,<central's code>` gives each backend the code it issued.
const codes = config.enrolmentCode?.split(',').map((c) => c.trim()) ?? [];
const enrollers = new Map(
  config.backendUrls.map((backendUrl, i) => [
    backendUrl,
    createEnroller({
      backendUrl,
      enrolmentKey: config.enrolmentKey,
      enrolmentCode: (codes.length > 1 ? codes[i] : codes[0]) || null,
      userData: app.getPath('userData'),
      log: (m) => log.warn(m),
    }),
  ]),
);
const enrol = (request: DeviceEnrolRequest) => {
  const relayUrl = config.relay?.url;
  if (relayUrl && (request.backendUrl ?? config.backendUrl) === relayUrl) return enrolAtOwnRelay(request, relayUrl);
  const enroller = enrollers.get(request.backendUrl ?? config.backendUrl);
  return enroller ? enroller(request) : Promise.resolve(fail('BACKEND_ERROR' as const, 'That backend is not one of this workstation’s.'));
};
// "This workstation is the station relay" (--host-relay): the relay runs in a utility process beside the
// app, and this workstation enrols there with a code main has it issue (the page never sees one).
const relayHost = config.relay
  ? new RelayHost({
      config: config.relay,
      station: config.station,
      name: `RELAY-${config.station} ${config.workstation}`.slice(0, 60),
      dataDir: path.join(app.getPath('userData'), 'relay'),
      modulePath: path.join(here, '../relay/index.cjs'),
      fork: utilityProcessFork((m) => log.warn(m)),
      clock,
      pinnedClock: clockOffsetMs !== 0,
      version: app.getVersion(),
      log: { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
    })
  : null;
async function enrolAtOwnRelay(request: DeviceEnrolRequest, relayUrl: string) {
  const issued = await relayHost?.issueCode(config.workstation, 1);
  if (!issued?.ok) return fail('BACKEND_UNREACHABLE' as const, issued?.message ?? 'The station relay is not running.');
  return createEnroller({
    backendUrl: relayUrl,
    enrolmentKey: null,
    enrolmentCode: issued.value.code,
    userData: null,
    log: (m) => log.warn(m),
  })(request);
}
let notice: string | null = null;
let mainWindow: BrowserWindow | null = null;
let tray: TrayHandle | null = null;
/** Set once the app is really quitting: the window may close instead of going to the tray. */
let quitting = false;

// Deliberately no log.initialize(): it adds a preload (window.__electronLog) to every session.
// Importing electron-log/main already registered its IPC channel, which checks no sender: off it goes.
// The page reports what main needs through the contract.
for (const channel of dropForeignIpc(ipcMain)) log.info(`ipc: took off the library channel ${channel}`);
log.transports.file.maxSize = 5 * 1024 * 1024; // then rotates to main.old.log
log.hooks.push((message, _transport, transportName) => {
  if (message.level === 'error' && transportName === 'file') errors.add('main', textOf(message.data));
  return message;
});
log.errorHandler.startCatching({
  onError: ({ error, errorName }) => crashes.record({ kind: 'main', reason: errorName, exitCode: null, detail: textOf([error]) }),
});

const updateOptions: Omit<UpdateControllerOptions, 'port'> = {
  feedUrl: config.updateFeed ?? null,
  checkIntervalMs: config.updateCheckMinutes * 60_000,
  clock,
  status: () => status.current(),
  log: (m) => log.info(m),
  beforeInstall: () => (quitting = true),
  onChange: () => tray?.refresh(),
};
let updates = new UpdateController({ ...updateOptions, port: null });

protocol.registerSchemesAsPrivileged([SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow(mainWindow));
  app.on('activate', () => showWindow(mainWindow));
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, (what, url) => log.warn(`blocked ${what}: ${url}`));
    lockDownContents(contents, app.isPackaged, (m) => log.warn(m));
  });
  app.on('before-quit', () => (quitting = true));
  // The relay stops cleanly before the app goes: its open requests finish and its database closes.
  app.on('will-quit', (event) => {
    if (!relayHost?.running) return;
    event.preventDefault();
    void relayHost.stop().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());
  app.on('child-process-gone', (_event, details) => {
    const crash = crashOf('child', details);
    if (!crash) return;
    log.warn(`${details.type} process gone: ${details.reason} (exit ${details.exitCode})`);
    crashes.record(crash);
  });
  void app.whenReady().then(start);
}

/** Updates run only from an installed build with a feed; electron-updater loads only then. */
async function startUpdates(): Promise<void> {
  if (!config.updateFeed) return;
  if (!app.isPackaged) {
    log.info('updates: off in an unpacked build');
    return;
  }
  const module = await import('electron-updater');
  const { autoUpdater, CancellationToken } = module.autoUpdater ? module : module.default;
  const port = electronUpdaterPort(autoUpdater, () => new CancellationToken(), config.updateFeed, log);
  updates = new UpdateController({ ...updateOptions, port });
  updates.start();
  log.info(`updates: from ${config.updateFeed}, checked every ${config.updateCheckMinutes} min when it is safe`);
}

/** A native dialog, attached to the window only when it is on screen (hidden in the tray, a sheet would not show). */
function ask(options: Electron.MessageBoxOptions): Promise<Electron.MessageBoxReturnValue> {
  return mainWindow?.isVisible() ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options);
}

async function confirmInstall(): Promise<void> {
  const version = updates.summary().version ?? '';
  const s = mainStrings.install;
  const options = {
    type: 'question' as const,
    title: s.title,
    message: s.message(version),
    detail: s.detail,
    buttons: [s.restart, s.later],
    defaultId: 1,
    cancelId: 1,
  };
  const answer = await ask(options);
  if (answer.response !== 0) return;
  const result = updates.requestInstall();
  if (!result.started)
    await ask({ type: 'info', title: s.title, message: s.refused(HOLD_REASONS[result.reason as HoldReason] ?? result.reason) });
}

async function quitFromTray(): Promise<void> {
  const pending = status.last()?.status.pending ?? 0;
  if (pending > 0) {
    const s = mainStrings.quit;
    const options = {
      type: 'warning' as const,
      title: s.title,
      message: s.message(pending),
      detail: s.detail,
      buttons: [s.keep, s.quit],
      defaultId: 0,
      cancelId: 0,
    };
    const answer = await ask(options);
    if (answer.response !== 1) return;
  }
  quitting = true;
  app.quit();
}

function startTray(): TrayHandle | null {
  if (!config.tray) return null;
  const icon = app.isPackaged ? path.join(process.resourcesPath, 'tray.png') : path.join(here, '../../build/icons/32x32.png');
  try {
    return createTray({
      Tray,
      Menu,
      icon: nativeImage.createFromPath(icon),
      view: () => trayView({ report: status.last(), update: updates.summary(), installAllowed: updates.installAllowed(), now: clock() }),
      actions: {
        open: () => showWindow(mainWindow),
        sync: () => void sendEvent(mainWindow?.webContents, 'sync:now', null),
        update: () => void confirmInstall(),
        quit: () => void quitFromTray(),
      },
    });
  } catch (error) {
    // A desktop without a tray: closing the window quits, as before.
    log.warn(`no tray: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

function start(): void {
  const menu = applicationMenu(process.platform);
  Menu.setApplicationMenu(menu ? Menu.buildFromTemplate(menu) : null);
  denyAllPermissions(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererRoot, config.backendUrls));
  // The print archive and queue are sealed with the data key: no key (basic_text, not accepted) means no archive.
  const printing = startPrintService(
    app.getPath('userData'),
    { BrowserWindow, session, log: (m) => log.warn(m) },
    clock,
    process.platform,
    aesGcmSealer(() => vault.keyIfOpen()),
  );
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
          ...(config.backendUrls.length > 1 ? { backendUrls: config.backendUrls } : {}),
          station: config.station,
          demoEnrolment: config.enrolmentKey !== null && config.enrolmentCode === null,
          notice,
          clockOffsetMs,
        };
        notice = null;
        return info;
      },
      ...printIpcHandlers(printing),
      'app:status': (report) => {
        status.report(report);
        return null;
      },
      'app:diagnostics': () => ({
        versions: {
          app: app.getVersion(),
          electron: process.versions.electron ?? '',
          chrome: process.versions.chrome ?? '',
          node: process.versions.node,
        },
        platform: process.platform,
        arch: process.arch,
        osRelease: os.release(),
        startedAt,
        packaged: app.isPackaged,
        tray: tray !== null,
        launchAtLogin: config.launchAtLogin,
        update: updates.summary(),
        lastCrash: crashes.last(),
        recentErrors: errors.list(),
      }),
      'app:export-diagnostics': async ({ fileName, content }) => {
        const options = {
          title: mainStrings.export.title,
          defaultPath: path.join(app.getPath('documents'), fileName),
          filters: [{ name: 'JSON', extensions: ['json'] }],
        };
        const choice = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
        if (choice.canceled || !choice.filePath) return { saved: false };
        await writeFile(choice.filePath, content, 'utf8');
        log.info('diagnostics bundle saved');
        return { saved: true };
      },
      'app:install-update': () => updates.requestInstall(),
      'device:enrol': async (request) => {
        const result = await enrol(request);
        return result.ok ? { ok: true, value: result.value } : { ok: false, code: result.code, message: result.message.slice(0, 500) };
      },
      'vault:open': () => vault.open(),
      'vault:accept-risk': async (request) => {
        // Main asks the backend itself whose session this is: the page's word is not enough.
        const checked = await supervisorBehind(config.backendUrl, request);
        if (!checked.ok) return { status: 'needs-acceptance', backend: vault.backend() };
        return vault.acceptRisk(checked.value.staffId);
      },
      'relay:status': () => relayHost?.status() ?? RELAY_OFF,
      'relay:issue-code': async ({ deskName, backendUrl, ...session }) => {
        if (!relayHost) return { ok: false, code: 'NOT_RUNNING', message: 'This workstation is not the station relay.' };
        if (!config.backendUrls.includes(backendUrl)) return { ok: false, code: 'NOT_A_SUPERVISOR', message: 'Unknown backend.' };
        // Main asks the backend whose session this is: the page's word is not enough to hand out a credential.
        const checked = await supervisorBehind(backendUrl, session);
        if (!checked.ok) return { ok: false, code: 'NOT_A_SUPERVISOR', message: checked.message };
        const issued = await relayHost.issueCode(deskName);
        if (!issued.ok) return { ok: false, code: issued.code, message: issued.message };
        log.warn(`relay: enrolment code for desk ${deskName} issued by ${checked.value.staffId}`);
        return { ok: true, enrolmentCode: issued.value.code, expiresAt: issued.value.expiresAt, url: config.relay?.url ?? '' };
      },
      'app:wipe': async ({ staffId }) => {
        log.warn(`workstation wiped by ${staffId}`);
        const printService = await printing.catch(() => null);
        await printService?.close();
        const userData = app.getPath('userData');
        await Promise.all(
          ['prints', 'print-queue.json', 'enrolment-code'].map((f) => rm(path.join(userData, f), { recursive: true, force: true })),
        );
        vault.wipe();
        return { wiped: true };
      },
    },
    (message) => log.warn(message),
  );
  // Again once everything is loaded: a library loaded since start-up may have added a channel of its own.
  for (const channel of dropForeignIpc(ipcMain)) log.warn(`ipc: took off the library channel ${channel}`);
  if (config.launchAtLogin !== null) {
    if (!app.isPackaged) {
      log.info('launch at login: left alone in an unpacked build');
    } else {
      try {
        const where = applyLaunchAtLogin(config.launchAtLogin, {
          platform: process.platform,
          setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
          executable: process.env.APPIMAGE ?? process.execPath,
          configHome: process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'),
        });
        log.info(`launch at login ${config.launchAtLogin ? 'on' : 'off'} (${where})`);
      } catch (error) {
        log.warn(`launch at login not set: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  tray = startTray();
  status.onChange(() => {
    updates.tick();
    tray?.refresh();
  });
  mainWindow = new BrowserWindow(mainWindowOptions(preloadPath, app.isPackaged));
  // The screen locks with the machine: an agent who locks Windows or closes the lid comes back to the PIN.
  powerMonitor.on('lock-screen', () => void sendEvent(mainWindow?.webContents, 'session:lock', { reason: 'lock-screen' }));
  powerMonitor.on('suspend', () => void sendEvent(mainWindow?.webContents, 'session:lock', { reason: 'suspend' }));
  watchRenderProcess(mainWindow, {
    onNotice: (n) => (notice = n),
    log: (m) => log.error(m),
    now: () => clock().getTime(),
    onCrash: (details) => {
      const crash = crashOf('renderer', details);
      if (crash) crashes.record(crash);
    },
  });
  if (tray) {
    keepInTray(mainWindow, () => quitting);
    // The machine shutting down must not wait for a window that hides instead of closing.
    mainWindow.on('session-end', () => (quitting = true));
    powerMonitor.on('shutdown', () => {
      quitting = true;
      app.quit();
    });
  }
  relayHost?.start();
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  log.info(`Backstop ${app.getVersion()} starting; backend ${config.backendUrl}, station ${config.station}`);
  void mainWindow.loadURL(APP_URL);
  startUpdates().catch((error: unknown) => log.error(`updates did not start: ${textOf([error])}`));
}

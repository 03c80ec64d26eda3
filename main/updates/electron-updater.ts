/**
 * electron-updater behind UpdaterPort: a generic feed (a folder of latest*.yml files and
 * installers on any web server), nothing automatic — the controller decides every step — and
 * downgrades allowed, so that publishing the previous version as latest rolls a bad release back
 * (docs/operations.md). Staged rollout needs nothing here: electron-updater compares the feed's
 * `stagingPercentage` with this machine's stable random id (`.updaterId` in userData).
 */
import type { AppUpdater, CancellationToken } from 'electron-updater';
import type { UpdaterPort } from './updater';

type Updater = Pick<
  AppUpdater,
  | 'autoDownload'
  | 'autoInstallOnAppQuit'
  | 'allowDowngrade'
  | 'logger'
  | 'setFeedURL'
  | 'checkForUpdates'
  | 'downloadUpdate'
  | 'quitAndInstall'
  | 'on'
>;

export interface UpdaterLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function electronUpdaterPort(
  updater: Updater,
  newCancellationToken: () => CancellationToken,
  feedUrl: string,
  log: UpdaterLog,
): UpdaterPort {
  updater.autoDownload = false;
  // Never on quit: an agent quitting in an outage must get the same version back.
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = true;
  updater.logger = {
    info: (m?: unknown) => log.info(`updater: ${String(m)}`),
    warn: (m?: unknown) => log.warn(`updater: ${String(m)}`),
    error: (m?: unknown) => log.error(`updater: ${String(m)}`),
  };
  updater.setFeedURL({ provider: 'generic', url: feedUrl });
  return {
    check: () => updater.checkForUpdates(),
    download: () => {
      const token = newCancellationToken();
      return { done: updater.downloadUpdate(token), cancel: () => token.cancel() };
    },
    // Not silent: on Windows the installer shows its progress; then Backstop starts again.
    quitAndInstall: () => updater.quitAndInstall(false, true),
    subscribe: (listener) => {
      updater.on('checking-for-update', () => listener({ type: 'checking' }));
      updater.on('update-available', (info) => listener({ type: 'available', version: info.version }));
      updater.on('update-not-available', () => listener({ type: 'not-available' }));
      updater.on('download-progress', (p) => listener({ type: 'progress', percent: p.percent }));
      updater.on('update-downloaded', (info) => listener({ type: 'downloaded', version: info.version }));
      updater.on('error', (error) => listener({ type: 'error', message: error.message }));
    },
  };
}

/**
 * Printing in the main process, assembled: the print archive and queue file under userData, the
 * Electron backend (hidden print windows), and CUPS where the platform has it.
 */
import path from 'node:path';
import type { Clock } from '../../shared/clock';
import { PrintArchive } from './archive';
import { runCommand } from './cups';
import { createElectronPrintBackend, type ElectronDeps } from './electron-backend';
import { PrintQueueStore } from './queue-store';
import { PrintService } from './service';

/** Printed documents hold passenger data; like departed flights, they are not kept for long. */
export const ARCHIVE_RETENTION_DAYS = 14;

export { printIpcHandlers } from './ipc-handlers';
export type { PrintService } from './service';

export async function startPrintService(
  userData: string,
  electron: ElectronDeps,
  clock: Clock,
  platform: NodeJS.Platform = process.platform,
): Promise<PrintService> {
  const archive = new PrintArchive(path.join(userData, 'prints'));
  const service = await PrintService.open({
    archive,
    store: new PrintQueueStore(path.join(userData, 'print-queue.json'), electron.log, clock),
    backend: createElectronPrintBackend(electron),
    // Windows has no CUPS; Linux and macOS do (lp and lpstat ship with macOS).
    cups: platform === 'win32' ? null : runCommand,
    log: electron.log,
    now: clock,
  });
  const now = clock();
  const purged = await archive.purge(ARCHIVE_RETENTION_DAYS, now);
  if (purged.length > 0) electron.log(`print archive: removed ${purged.length} day folders older than ${ARCHIVE_RETENTION_DAYS} days`);
  await service.forgetBefore(new Date(now.getTime() - ARCHIVE_RETENTION_DAYS * 86_400_000));
  return service;
}

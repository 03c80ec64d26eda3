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
import type { FileSealer } from '../vault';

/** Printed documents hold passenger data and valid barcodes: kept 3 days (reprints, audit), then purged. */
export const ARCHIVE_RETENTION_DAYS = 3;

export { printIpcHandlers } from './ipc-handlers';
export type { PrintService } from './service';

export async function startPrintService(
  userData: string,
  electron: ElectronDeps,
  clock: Clock,
  platform: NodeJS.Platform = process.platform,
  sealer: FileSealer | null = null,
): Promise<PrintService> {
  const archive = new PrintArchive(path.join(userData, 'prints'), sealer);
  const service = await PrintService.open({
    archive,
    store: new PrintQueueStore(path.join(userData, 'print-queue.json'), electron.log, clock, sealer),
    backend: createElectronPrintBackend(electron),
    // Windows has no CUPS; Linux and macOS do (lp and lpstat ship with macOS).
    cups: platform === 'win32' ? null : runCommand,
    log: electron.log,
    now: clock,
  });
  const purge = () => purgeArchive(archive, service, clock, electron.log);
  await purge();
  // Not only at start-up: a workstation left running for weeks purges as it goes.
  setInterval(
    () => void purge().catch((error: unknown) => electron.log(`print archive purge failed: ${String(error)}`)),
    PURGE_EVERY_MS,
  ).unref();
  return service;
}

/** The print archive is purged this often while Backstop runs. */
export const PURGE_EVERY_MS = 60 * 60_000;

/** Removes archive days older than the retention and forgets their jobs. */
export async function purgeArchive(archive: PrintArchive, service: PrintService, clock: Clock, log: (m: string) => void): Promise<void> {
  const now = clock();
  const purged = await archive.purge(ARCHIVE_RETENTION_DAYS, now);
  if (purged.length > 0) log(`print archive: removed ${purged.length} day folders older than ${ARCHIVE_RETENTION_DAYS} days`);
  await service.forgetBefore(new Date(now.getTime() - ARCHIVE_RETENTION_DAYS * 86_400_000));
}

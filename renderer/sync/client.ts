/** The UI side of the sync worker: starts it, forwards commands, feeds its reports into the sync store. */
import type { AppInfo } from '../../shared/ipc/contract';
import type { AtRestKeys } from '../db/keys';
import type { Host } from '../host/host';
import type { Settings } from '../settings';
import { connectivityReported, statusReported, workerFailed } from '../state/sync-store';
import { strings } from '../strings';
import type { WorkerCommand, WorkerEvent } from './messages';

export interface SyncController {
  syncNow(): void;
  localWrite(): void;
  declareFallback(on: boolean): void;
  stop(): void;
}

export function startSyncWorker(info: AppInfo, settings: Settings, host: Pick<Host, 'enrol'>, keys: AtRestKeys | null): SyncController {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'backstop-sync' });
  const send = (command: WorkerCommand) => worker.postMessage(command);
  worker.onmessage = (message: MessageEvent<WorkerEvent>) => {
    const event = message.data;
    switch (event.type) {
      case 'connectivity':
        connectivityReported(event.state);
        return;
      case 'status':
        statusReported(event.status);
        return;
      case 'error':
        console.error(event.message);
        workerFailed(event.message);
        return;
      case 'enrol-request':
        // The host enrols (it holds the code); the worker gets the device id and token.
        void host.enrol(event.request).then((outcome) => send({ type: 'enrol-result', id: event.id, outcome }));
        return;
    }
  };
  worker.onerror = (event) => {
    console.error(`sync worker failed: ${event.message}`);
    workerFailed(event.message || strings.status.workerStopped);
  };
  send({
    type: 'start',
    backendUrl: info.backendUrl,
    ...(info.backendUrls ? { backendUrls: info.backendUrls } : {}),
    station: info.station,
    workstation: info.workstation,
    // The legacy audit key only verifies the chain, which the page does.
    keys: keys && { data: keys.data, audit: keys.audit },
    intervalMs: settings.syncIntervalMinutes * 60_000,
    retentionHours: settings.retentionHours,
    clockOffsetMs: info.clockOffsetMs,
    appVersion: info.version,
  });
  return {
    syncNow: () => send({ type: 'sync-now' }),
    localWrite: () => send({ type: 'local-write' }),
    declareFallback: (on) => send({ type: 'declare-fallback', on }),
    stop: () => {
      send({ type: 'stop' });
      worker.terminate();
    },
  };
}

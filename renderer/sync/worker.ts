/// <reference lib="webworker" />
/**
 * The sync worker: runs the sync engine off the UI thread, with its own connection to the local
 * database (relaxed durability: everything it writes can be pulled again). Dexie tells the UI's
 * live queries about its writes.
 */
import { offsetClock } from '../../shared/clock';
import { DB_NAME, openDatabase } from '../db/schema';
import { DEFAULT_ENGINE_CONFIG, SyncEngine } from './engine';
import { SyncHttpClient } from './http';
import { platformTimers } from './timers';
import { WorkerCommand, type WorkerEvent } from './messages';

declare const self: DedicatedWorkerGlobalScope;

let engine: SyncEngine | null = null;
const post = (event: WorkerEvent) => self.postMessage(event);

function withWebLock<T>(fn: () => Promise<T>): Promise<T | 'busy'> {
  if (!('locks' in navigator)) return fn();
  return navigator.locks.request('backstop-sync', { ifAvailable: true }, (lock) => (lock ? fn() : Promise.resolve('busy' as const)));
}

self.onmessage = (message: MessageEvent<unknown>) => {
  const parsed = WorkerCommand.safeParse(message.data);
  if (!parsed.success) {
    post({ type: 'error', message: `sync worker: unknown command (${parsed.error.issues[0]?.message ?? 'invalid'})` });
    return;
  }
  const command = parsed.data;
  switch (command.type) {
    case 'start': {
      if (engine) return;
      const db = openDatabase(DB_NAME, { durability: 'relaxed' });
      engine = new SyncEngine({
        db,
        transport: new SyncHttpClient({ baseUrl: command.backendUrl, appVersion: command.appVersion }),
        config: {
          ...DEFAULT_ENGINE_CONFIG,
          station: command.station,
          workstation: command.workstation,
          enrolmentKey: command.enrolmentKey,
          intervalMs: command.intervalMs,
          retentionHours: command.retentionHours,
        },
        emit: post,
        clock: offsetClock(command.clockOffsetMs),
        random: Math.random,
        timers: platformTimers,
        withLock: withWebLock,
        estimateStorage: () => navigator.storage.estimate(),
      });
      engine.start().catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
      return;
    }
    case 'sync-now':
      // The agent asked: check the backend now, and sync whatever the answer.
      void engine?.probe();
      void engine?.syncNow(true);
      return;
    case 'local-write':
      engine?.localWrite();
      return;
    case 'declare-fallback':
      engine?.declareFallback(command.on);
      return;
    case 'stop':
      void engine?.stop();
      engine = null;
      return;
  }
};

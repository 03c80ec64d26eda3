/// <reference lib="webworker" />
/**
 * The sync worker: runs the sync engine off the UI thread, with its own connection to the local
 * database (relaxed durability: everything it writes can be pulled again). Dexie tells the UI's
 * live queries about its writes.
 */
import { offsetClock } from '../../shared/clock';
import type { DeviceEnrolOutcome, DeviceEnrolRequest } from '../../shared/ipc/contract';
import type { EnrolResponse } from '../../shared/protocol/v1';
import { aesGcmSealer } from '../db/at-rest';
import { installAuditKey } from '../db/audit';
import { DB_NAME, openDatabase, installSealer } from '../db/schema';
import { enrolmentResult } from './enrol-result';
import type { HttpResult } from './http';
import { DEFAULT_ENGINE_CONFIG, SyncEngine } from './engine';
import { SyncHttpClient } from './http';
import type { FillWriter } from './fill-writer';
import { WorkerFillWriter } from './fill-worker-client';
import { platformTimers } from './timers';
import { WorkerCommand, type WorkerEvent } from './messages';

declare const self: DedicatedWorkerGlobalScope;

let engine: SyncEngine | null = null;

/** Enrolments asked of the host through the UI thread, by request number. */
const enrolments = new Map<number, (outcome: DeviceEnrolOutcome) => void>();
let nextEnrolment = 1;

/** Asks the host (through the UI thread) to enrol; the answer as the transport would give it. */
function enrolThroughHost(request: DeviceEnrolRequest): Promise<HttpResult<EnrolResponse>> {
  const id = nextEnrolment++;
  return new Promise((resolve) => {
    enrolments.set(id, (outcome) => resolve(enrolmentResult(outcome)));
    post({ type: 'enrol-request', id, request });
  });
}
const post = (event: WorkerEvent) => self.postMessage(event);

/** A second thread for a first fill (fill-worker.ts); none where this worker cannot start one. */
function fillHelper(init: ConstructorParameters<typeof WorkerFillWriter>[1]): FillWriter[] {
  if (typeof Worker === 'undefined') return [];
  const worker = new Worker(new URL('./fill-worker.ts', import.meta.url), { type: 'module', name: 'backstop-fill' });
  return [
    new WorkerFillWriter(worker, init, (message) =>
      post({ type: 'error', message: `${message} (the first fill goes on without the fill helper)` }),
    ),
  ];
}

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
      // The same keys as the page: the worker reads and writes the sealed records too.
      installSealer(command.keys ? aesGcmSealer(command.keys.data) : null);
      installAuditKey(command.keys?.audit ?? null);
      const db = openDatabase(DB_NAME, { durability: 'relaxed' });
      const sources = (command.backendUrls ?? [command.backendUrl]).map((url) => ({
        url,
        transport: new SyncHttpClient({ baseUrl: url, appVersion: command.appVersion }),
      }));
      engine = new SyncEngine({
        db,
        transport: sources[0]!.transport,
        sources,
        config: {
          ...DEFAULT_ENGINE_CONFIG,
          station: command.station,
          workstation: command.workstation,
          intervalMs: command.intervalMs,
          retentionHours: command.retentionHours,
        },
        emit: post,
        clock: offsetClock(command.clockOffsetMs),
        random: Math.random,
        timers: platformTimers,
        withLock: withWebLock,
        estimateStorage: () => navigator.storage.estimate(),
        enrol: enrolThroughHost,
        fillHelpers: ({ url, token }) =>
          fillHelper({ dbName: DB_NAME, keys: command.keys, baseUrl: url, token, appVersion: command.appVersion }),
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
      void engine?.declareFallback(command.on);
      return;
    case 'stop':
      void engine?.stop();
      engine = null;
      return;
    case 'enrol-result':
      enrolments.get(command.id)?.(command.outcome);
      enrolments.delete(command.id);
      return;
  }
};

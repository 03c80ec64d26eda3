/**
 * Gathers what the diagnostics bundle is built from: the host (and main, in Electron), the sync
 * store, counts from the local database and the browser's storage estimate. Only counts, times and
 * codes are read from the database — no passenger record leaves this function. Error texts go
 * into the bundle builder, which scrubs them (shared/diagnostics/bundle.ts).
 */
import type { DiagnosticsInput } from '../../../shared/diagnostics/bundle';
import type { MainDiagnostics } from '../../../shared/ipc/contract';
import { readSyncString, SYNC_KEYS } from '../../db/sync-state';
import type { Services } from '../../services';
import type { SyncStore } from '../../state/sync-store';
import { inFallback } from '../../sync/connectivity';
import { recentErrors, type RecentError } from './error-log';

/** Outbox entries whose last error text is kept (the newest distinct ones). */
const OUTBOX_ERRORS = 10;

async function storageOf(): Promise<DiagnosticsInput['storage']> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  const [persisted, estimate] = await Promise.all([
    storage?.persisted?.().catch(() => null) ?? Promise.resolve(null),
    storage?.estimate?.().catch(() => null) ?? Promise.resolve(null),
  ]);
  return { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}

export async function collectDiagnostics(
  { host, db, info, settings, clock }: Pick<Services, 'host' | 'db' | 'info' | 'settings' | 'clock'>,
  store: SyncStore,
  drill = false,
): Promise<{ input: DiagnosticsInput; mainError: string | null }> {
  let main: MainDiagnostics | null = null;
  let mainError: string | null = null;
  if (host.mainDiagnostics) {
    const answer = await host.mainDiagnostics();
    if (answer.ok) main = answer.value;
    else mainError = answer.message;
  }

  const [tables, flights, outboxCount, oldest, outcomes, deviceId, storage, outboxErrors] = await Promise.all([
    Promise.all(db.tables.map(async (t) => [t.name, await t.count()] as const)),
    db.flights.toArray(),
    db.outbox.count(),
    db.outbox.orderBy('seq').first(),
    db.outcomes.filter((o) => o.acknowledged === 0 && (o.status === 'rejected' || o.status === 'conflict')).toArray(),
    readSyncString(db, SYNC_KEYS.deviceId),
    storageOf(),
    db.outbox
      .orderBy('seq')
      .reverse()
      .filter((e) => e.lastError !== null)
      .limit(50)
      .toArray(),
  ]);

  const unresolvedByCode: Record<string, number> = {};
  for (const o of outcomes) unresolvedByCode[o.code ?? o.status] = (unresolvedByCode[o.code ?? o.status] ?? 0) + 1;

  const errors: RecentError[] = [...recentErrors()];
  const now = clock().toISOString();
  if (store.workerError) errors.push({ at: now, source: 'worker', message: store.workerError });
  const seen = new Set<string>();
  for (const e of outboxErrors) {
    if (!e.lastError || seen.has(e.lastError) || seen.size >= OUTBOX_ERRORS) continue;
    seen.add(e.lastError);
    errors.push({ at: e.at, source: 'outbox', message: e.lastError });
  }

  const asOf = flights.map((f) => f.asOf).sort();
  const status = store.status;
  const input: DiagnosticsInput = {
    generatedAt: now,
    app: {
      version: main?.versions.app ?? info.version,
      host: host.kind,
      userAgent: typeof navigator === 'undefined' ? null : navigator.userAgent,
    },
    main,
    workstation: { name: info.workstation, station: info.station, deviceId },
    backends: [info.backendUrl],
    sync: {
      link: store.connectivity.link,
      dcs: store.connectivity.dcs,
      fallback: inFallback(store.connectivity),
      fallbackDeclared: store.connectivity.fallbackDeclared,
      drill,
      phase: status?.phase ?? null,
      lastCompleteSyncAt: status?.lastCompleteSyncAt ?? null,
      lastAttemptAt: status?.lastAttemptAt ?? null,
      nextAttemptAt: status?.nextAttemptAt ?? null,
      lastFailure: status?.lastError ?? null,
    },
    pending: { actions: outboxCount, oldestAt: oldest?.at ?? null, unresolvedByCode },
    cache: {
      tables: Object.fromEntries(tables),
      flights: flights.length,
      // On the list (infants apart) plus lap infants: every passenger record the cache holds.
      passengers: flights.reduce((n, f) => n + f.counts.booked + f.counts.infants, 0),
      oldestFlightDataAt: asOf[0] ?? null,
    },
    storage,
    settings: { ...settings },
    errors: errors.sort((a, b) => a.at.localeCompare(b.at)),
  };
  return { input, mainError };
}

/**
 * Keeps the machine told how this workstation is doing, for the tray (last sync, data age, unsent
 * actions) and the update policy (never update offline, in fallback, in a drill or with unsent
 * actions; main/updates/policy.ts). Reports on every change and every 30 s: main treats a silent
 * page as "not known" and then holds updates. Also wires the tray's "Sync now" to the sync worker
 * and starts capturing the page's errors for diagnostics. Mount once, in App.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo } from 'react';
import type { WorkstationStatus } from '../../../shared/ipc/contract';
import { useServices } from '../../services';
import { useSyncStore } from '../../state/sync-store';
import { inFallback } from '../../sync/connectivity';
import { installErrorCapture } from './error-log';

export const REPORT_EVERY_MS = 30_000;

export function useReportStatus({ drill = false }: { drill?: boolean } = {}): void {
  const { host, db, sync, clock } = useServices();
  const connectivity = useSyncStore((s) => s.connectivity);
  const lastSyncAt = useSyncStore((s) => s.status?.lastCompleteSyncAt ?? null);
  const lastAttemptAt = useSyncStore((s) => s.status?.lastAttemptAt ?? null);
  const pending = useLiveQuery(() => db.outbox.count(), [db]);

  useEffect(() => installErrorCapture(window, clock), [clock]);
  useEffect(() => host.onSyncRequest?.(() => sync.syncNow()), [host, sync]);

  const { link, dcs } = connectivity;
  const fallback = inFallback(connectivity);
  const report = useMemo<WorkstationStatus | null>(
    // Until the outbox has been counted, say nothing rather than "0 unsent".
    () => (pending === undefined ? null : { link, dcs, fallback, drill, pending, lastSyncAt, lastAttemptAt }),
    [link, dcs, fallback, drill, pending, lastSyncAt, lastAttemptAt],
  );

  useEffect(() => {
    const send = host.reportStatus?.bind(host);
    if (!send || !report) return;
    void send(report);
    const timer = setInterval(() => void send(report), REPORT_EVERY_MS);
    return () => clearInterval(timer);
  }, [host, report]);
}

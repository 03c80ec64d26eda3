/**
 * What the app does for trust once the database is open: checks the audit chain (a break is
 * recorded for the supervisor screen and reported with the next push), locks with the machine,
 * and runs the retention timer.
 */
import type { Clock } from '../../../shared/clock';
import { recordAuditBreak, verifyAuditChain } from '../../db/audit';
import type { BackstopDB } from '../../db/schema';
import type { Host } from '../../host/host';
import { lockNow } from '../../state/session';
import { startRetention } from './retention';

export async function checkAuditAtStart(db: BackstopDB, clock: Clock): Promise<void> {
  const check = await verifyAuditChain(db);
  if (!check.ok) await recordAuditBreak(db, { at: clock().toISOString(), brokenAt: check.brokenAt, reason: check.reason });
}

export function startTrust(db: BackstopDB, clock: Clock, host: Pick<Host, 'onLockRequest'>): () => void {
  void checkAuditAtStart(db, clock).catch((error: unknown) => console.error('audit check failed', error));
  const stopLock = host.onLockRequest?.(() => lockNow()) ?? (() => {});
  const stopRetention = startRetention(db, clock);
  return () => {
    stopLock();
    stopRetention();
  };
}

/**
 * Retention on a timer, not only after a sync: a workstation cut off for days still forgets what it
 * no longer needs. By age (the workstation's retention setting, which only a supervisor changes):
 * departed flights with nothing unsent, outcomes a person has acknowledged, the local print index;
 * and audit entries only once the backend anchored them (they are on record there).
 */
import type { Clock } from '../../../shared/clock';
import { purgeAnchoredAudit } from '../../db/audit';
import { purgeDepartedFlights } from '../../db/purge';
import type { BackstopDB } from '../../db/schema';
import { loadSettings } from '../../settings';

/** How often the timer runs. */
export const RETENTION_EVERY_MS = 15 * 60_000;
/** Audit entries stay at least this long on the workstation, anchored or not. */
export const AUDIT_KEPT_MS = 7 * 86_400_000;

export interface Purged {
  flights: number;
  outcomes: number;
  prints: number;
  audit: number;
}

export async function purgeByAge(db: BackstopDB, now: Date): Promise<Purged> {
  const { retentionHours } = await loadSettings(db);
  const cutoff = new Date(now.getTime() - retentionHours * 3_600_000).toISOString();
  const flights = (await purgeDepartedFlights(db, now, retentionHours)).length;
  const outcomes = await db.outcomes
    .where('acknowledged')
    .equals(1)
    .and((o) => o.decidedAt < cutoff)
    .delete();
  const prints = await db.prints.where('at').below(cutoff).delete();
  const audit = await purgeAnchoredAudit(db, new Date(now.getTime() - Math.max(AUDIT_KEPT_MS, retentionHours * 3_600_000)).toISOString());
  return { flights, outcomes, prints, audit };
}

/** Runs purgeByAge now and every RETENTION_EVERY_MS; returns the stop function. */
export function startRetention(db: BackstopDB, clock: Clock): () => void {
  const run = () => void purgeByAge(db, clock()).catch((error: unknown) => console.error('retention purge failed', error));
  run();
  const timer = setInterval(run, RETENTION_EVERY_MS);
  return () => clearInterval(timer);
}

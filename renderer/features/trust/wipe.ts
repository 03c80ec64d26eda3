/**
 * A supervisor's "wipe this workstation": everything Backstop keeps here goes — the local database
 * (passenger data, unsent actions, audit log), the keys that sealed it, the host's print archive and
 * history, the session — before a laptop goes for repair or to another station. Actions not yet sent
 * would be lost with it: the wipe refuses while there are any, unless the supervisor says to discard
 * them, in so many words.
 */
import { fail, ok, type Result } from '../../../shared/result';
import type { BackstopDB } from '../../db/schema';
import type { Host } from '../../host/host';
import type { SignedIn } from '../../state/session';

export type WipeRefusal = 'SUPERVISOR_ONLY' | 'UNSENT_ACTIONS' | 'HOST_REFUSED';

export async function wipeWorkstation(
  deps: { db: BackstopDB; host: Pick<Host, 'wipe'>; stopSync: () => void; storage: Pick<Storage, 'clear'> | null },
  staff: SignedIn | null,
  discardUnsent: boolean,
): Promise<Result<{ discarded: number }, WipeRefusal>> {
  if (staff?.role !== 'supervisor') return fail('SUPERVISOR_ONLY', 'Only a supervisor can wipe this workstation.');
  const unsent = await deps.db.outbox.count();
  if (unsent > 0 && !discardUnsent) {
    return fail('UNSENT_ACTIONS', `${unsent} action(s) taken here have not reached the backend. Sync first, or say they may be discarded.`);
  }
  deps.stopSync();
  const hosted = await deps.host.wipe(staff.id);
  if (!hosted.ok) return fail('HOST_REFUSED', hosted.message);
  await deps.db.delete();
  deps.storage?.clear();
  return ok({ discarded: unsent });
}

/**
 * Staff actions as the screens call them: the one entry point to the local-first write path. Each
 * runs as the signed-in agent, and a successful one nudges the sync worker to push it. Screens use
 * the hook; non-React code that acts for an agent (printing) uses `staffActions`.
 */
import { useMemo } from 'react';
import type { Clock } from '../../shared/clock';
import type { MutationInput } from '../../shared/domain/mutations';
import type { BackstopDB } from '../db/schema';
import { checkIn, perform, type CheckInRequest, type WriteOutcome } from '../db/write-path';
import { useServices } from '../services';
import { useSession, type SignedIn } from '../state/session';
import type { SyncController } from '../sync/client';

export interface Actions {
  perform(input: MutationInput): Promise<WriteOutcome>;
  checkIn(request: CheckInRequest): Promise<WriteOutcome>;
}

export function staffActions(
  services: { db: BackstopDB; sync: Pick<SyncController, 'localWrite'>; clock: Clock; drill?: { refused(code: string): void } },
  staff: SignedIn | null,
): Actions {
  const { db, sync, clock, drill } = services;
  const session = () => {
    if (!staff) throw new Error('No one is signed in');
    return { staffId: staff.id, role: staff.role, ...(staff.signInId ? { signInId: staff.signInId } : {}) };
  };
  const after = (out: WriteOutcome) => {
    if (out.ok) sync.localWrite();
    else drill?.refused(out.code);
    return out;
  };
  return {
    perform: async (input) => after(await perform(db, session(), input, clock)),
    checkIn: async (request) => after(await checkIn(db, session(), request, clock)),
  };
}

export function useActions(): Actions {
  const { db, sync, clock, drill } = useServices();
  const staff = useSession((s) => s.staff);
  return useMemo(() => staffActions({ db, sync, clock, ...(drill ? { drill } : {}) }, staff), [db, sync, clock, drill, staff]);
}

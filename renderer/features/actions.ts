/**
 * Staff actions as the screens call them: each goes through the local-first write path as the
 * signed-in agent, and a successful one nudges the sync worker to push it.
 */
import { useMemo } from 'react';
import type { MutationInput } from '../../shared/domain/mutations';
import { checkIn, perform, type CheckInRequest, type WriteOutcome } from '../db/write-path';
import { useServices } from '../services';
import { useSession } from '../state/session';

export interface Actions {
  perform(input: MutationInput): Promise<WriteOutcome>;
  checkIn(request: CheckInRequest): Promise<WriteOutcome>;
}

export function useActions(): Actions {
  const { db, sync, clock } = useServices();
  const staff = useSession((s) => s.staff);
  return useMemo(() => {
    const session = () => {
      if (!staff) throw new Error('No one is signed in');
      return { staffId: staff.id, role: staff.role };
    };
    const after = (out: WriteOutcome) => {
      if (out.ok) sync.localWrite();
      return out;
    };
    return {
      perform: async (input) => after(await perform(db, session(), input, clock)),
      checkIn: async (request) => after(await checkIn(db, session(), request, clock)),
    };
  }, [db, sync, clock, staff]);
}

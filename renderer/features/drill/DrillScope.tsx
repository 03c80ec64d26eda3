/**
 * Puts the app on the drill's sandbox while a drill runs: every screen below reads and writes the
 * sandbox database, with a sync controller that sends nothing and the drill in the services (the
 * status bar, the outage banner and every printout show it). Outside a drill it is invisible.
 * A sandbox left by a drill that never ended (the page was reloaded) is deleted when the app starts.
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import { recordEvent } from '../../db/write-path';
import { ServicesContext, useServices, type Services } from '../../services';
import type { SyncController } from '../../sync/client';
import { drillStrings } from './drill-strings';
import { drillRefusal, useDrill } from './drill-store';
import { discardLeftoverSandboxes } from './sandbox';
import './drill.css';

/** During a drill nothing syncs: the sandbox has no worker, and these commands go nowhere. */
const NO_SYNC: SyncController = {
  syncNow: () => undefined,
  localWrite: () => undefined,
  declareFallback: () => undefined,
  stop: () => undefined,
};

export function DrillScope({ children }: { children: ReactNode }) {
  const live = useServices();
  const active = useDrill((s) => s.active);

  useEffect(() => {
    if (useDrill.getState().active) return;
    void discardLeftoverSandboxes()
      .then((n) => (n > 0 ? recordEvent(live.db, 'SYSTEM', 'drill.discarded', drillStrings.audit.discarded(n), live.clock) : undefined))
      .catch(() => undefined);
  }, [live.db, live.clock]);

  const services = useMemo<Services | null>(
    () =>
      active && {
        ...live,
        db: active.sandbox,
        sync: NO_SYNC,
        drill: { id: active.id, startedAt: active.startedAt, startedBy: active.startedBy, refused: drillRefusal },
      },
    // The sandbox stays the same for the whole drill; refusals counted meanwhile do not change the services.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [active?.id, live],
  );

  if (!services) return children;
  return (
    <ServicesContext.Provider key={services.drill?.id} value={services}>
      {children}
    </ServicesContext.Provider>
  );
}

/** The long-lived services every screen uses, handed down once through React context. */
import { createContext, useContext } from 'react';
import type { Clock } from '../shared/clock';
import type { AppInfo } from '../shared/ipc/contract';
import type { BackstopDB } from './db/schema';
import type { Host } from './host';
import type { Settings } from './settings';
import type { SyncController } from './sync/client';

export interface Services {
  host: Host;
  /** The app's clock (see AppInfo.clockOffsetMs): every "now" on screen, in actions and in printouts. */
  clock: Clock;
  db: BackstopDB;
  info: AppInfo;
  sync: SyncController;
  settings: Settings;
  /**
   * Set while a drill runs (renderer/features/drill): then `db` is the drill's sandbox and `sync`
   * sends nothing. Screens and printouts mark everything DRILL.
   */
  drill?: {
    id: string;
    startedAt: string;
    startedBy: { id: string; name: string };
    /** A staff action refused during the drill (it counts in the drill report's errors). */
    refused(code: string): void;
  };
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesContext');
  return services;
}

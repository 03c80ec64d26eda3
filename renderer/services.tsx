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
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside ServicesContext');
  return services;
}

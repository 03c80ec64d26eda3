/** The backend's parts, wired once per server and handed to the routes. */
import type { DcsSimulator } from './dcs/simulator';
import type { Devices } from './devices';
import type { Fleet } from './fleet';
import type { Metrics } from './metrics';
import type { Leases } from './sync/leases';
import type { PageReader } from './sync/pull';
import type { Store } from './store/store';
import type { PushProcessor } from './sync/push';

export interface Services {
  /** SQLite or PostgreSQL (server/store/store.ts). */
  store: Store;
  devices: Devices;
  leases: Leases;
  pages: PageReader;
  push: PushProcessor;
  dcs: DcsSimulator;
  clock: () => Date;
  /** Random per database; part of every cursor. */
  epoch: string;
  enrolmentKey: string;
  /** null: admin routes are switched off. */
  adminToken: string | null;
  /** Bearer token for GET /metrics (the admin token works too); null: only the admin token. */
  metricsToken: string | null;
  /** Workstation telemetry: last seen, last complete pull, version, unsent backlog. */
  fleet: Fleet;
  metrics: Metrics;
}

/** The backend's parts, wired once per server and handed to the routes. */
import type { DcsSimulator } from './dcs/simulator';
import type { Devices } from './devices';
import type { AuditAnchors } from './security/audit-anchor';
import type { StaffIdentity } from './security/staff-identity';
import type { Fleet } from './fleet';
import type { RateLimits } from './http/rate-limits';
import type { Metrics } from './metrics';
import type { Leases } from './sync/leases';
import type { PageReader } from './sync/pull';
import type { RelayUpstream } from '../shared/protocol/v1';
import type { MutationLogRow, Store, Tx } from './store/store';
import type { FeedWatch } from './sync/feed-watch';
import type { SeqSource } from './sync/leases';
import type { TagSerialSource } from './sync/tag-leases';
import type { PushProcessor } from './sync/push';

export interface Services {
  /** SQLite or PostgreSQL (server/store/store.ts). */
  store: Store;
  devices: Devices;
  /** Online staff sign-in and the checks of who did what (server/security/staff-identity.ts). */
  identity: StaffIdentity;
  /** The head of each workstation's audit chain (server/security/audit-anchor.ts). */
  anchors: AuditAnchors;
  leases: Leases;
  pages: PageReader;
  push: PushProcessor;
  dcs: DcsSimulator;
  clock: () => Date;
  /** Random per database; part of every cursor. */
  epoch: string;
  /** The shared demo enrolment key (accepted from loopback only), or null: one-time codes only. */
  enrolmentKey: string | null;
  rateLimits: RateLimits;
  /** null: admin routes are switched off. */
  adminToken: string | null;
  /** Bearer token for GET /metrics (the admin token works too); null: only the admin token. */
  metricsToken: string | null;
  /** Workstation telemetry: last seen, last complete pull, version, unsent backlog. */
  fleet: Fleet;
  metrics: Metrics;
  /** Wakes long polls (POST /v1/sync/wait) when a station's feed moves. */
  feed: FeedWatch;
  /** Set when this backend is a station relay (relay/): what it says in health and pull answers. */
  relay?: RelayView;
}

/** A station relay's account of itself, for its desks. */
export interface RelayView {
  /** Its copy of central's data: reachable, how old, stale or not. */
  upstream(): RelayUpstream;
  /** The highest seq of this workstation up to which central has answered every action. */
  confirmedSeq(deviceId: string): Promise<number>;
}

/**
 * What turns a backend into a station relay (relay/relay.ts), given the store it opened: where new
 * lease blocks take their numbers, a journal of every decided action (its forward queue, written in
 * the action's own transaction), and its upstream loop, started once the services exist.
 */
export interface RelayPlugin {
  seqSource: SeqSource;
  /** Where its desks' bag-tag blocks come from: the blocks central granted the relay. */
  tagSource: TagSerialSource;
  journal: (tx: Tx, row: MutationLogRow) => void;
  attach(services: Services, log: RelayLog): Promise<{ view: RelayView; close(): Promise<void> }>;
}

/** Where the relay's loop logs (the backend's own pino logger). */
export interface RelayLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

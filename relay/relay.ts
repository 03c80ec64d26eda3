/**
 * A station relay as a library: the reference backend's own code (server/app.ts: enrolment, push,
 * pull, leases, the ledgers, the long poll) over a SQLite copy of one station, turned into a relay
 * by three things — its desks' actions are queued for central in the transaction that decides them
 * (forward-queue.ts), the sequence numbers and bag-tag serials it leases to desks come from blocks
 * central leased to it (pool.ts, tag-pool.ts), and a loop keeps it in step with central (upstream-loop.ts, mirror.ts). Desks speak
 * protocol v1 to it exactly as to central; central sees it as one more workstation of the station.
 *
 * `npm run relay` (relay/cli.ts), the demo's `npm start -- --relay` (scripts/start.ts), the tests and
 * the benchmark (bench/relay.ts) all start it through here.
 */
import { startServer, type LogLevel, type RunningServer } from '../server/app';
import { SqliteStore } from '../server/store/sqlite';
import { FlightLedgers } from '../server/sync/ledgers';
import { LedgerStore } from '../server/sync/ledger-store';
import { systemClock, type Clock } from '../shared/clock';
import type { RelayUpstream } from '../shared/protocol/v1';
import { ForwardQueue } from './forward-queue';
import { Mirror } from './mirror';
import { LeasePool } from './pool';
import { createRelayTables } from './schema';
import { TagPool } from './tag-pool';
import { UpstreamClient } from './upstream-client';
import { UpstreamLoop } from './upstream-loop';

export interface RelayOptions {
  /** The central backend's URL. */
  upstream: string;
  station: string;
  /** Where the relay's SQLite file lives (one station, one central, for ever). */
  dataDir: string;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** The relay's name in central's fleet view (default RELAY-<station>). */
  name?: string;
  /** The one-time enrolment code the relay enrols with at central (on loopback, the demo key will do). */
  upstreamEnrolmentKey: string;
  /** What desks enrol with at the relay: see ServerOptions.enrolmentKey (the demo key on loopback only). */
  enrolmentKey?: string | null;
  /** Admin token of the relay itself (issuing its desks' enrolment codes); off when omitted. */
  adminToken?: string | null;
  tls?: { cert: string | Buffer; key: string | Buffer } | null;
  /** A copy older than this is stale, and the relay says so (default 10 minutes). */
  staleAfterMinutes?: number;
  now?: Clock;
  /** Jitter of retries towards central. */
  random: () => number;
  logLevel?: LogLevel;
  logStream?: { write(line: string): void };
  /** Sent to central as the relay's app version (its fleet view lists it). */
  version?: string;
  fetch?: typeof fetch;
}

export interface RunningRelay {
  url: string;
  port: number;
  station: string;
  dataDir: string;
  /** The backend under the relay (its Fastify app, its store's file). */
  server: RunningServer;
  /** What the relay tells its desks about its copy of central. */
  upstream(): RelayUpstream;
  close(): Promise<void>;
}

export const RELAY_DEFAULTS = {
  port: 8788,
  staleAfterMinutes: 10,
} as const;

export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const clock = options.now ?? systemClock;
  const station = options.station;
  let loop: UpstreamLoop | null = null;
  const server = await startServer({
    dataDir: options.dataDir,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? RELAY_DEFAULTS.port,
    station,
    // A relay holds central's data only, never demo data of its own.
    demo: false,
    now: clock,
    ...(options.enrolmentKey === undefined ? {} : { enrolmentKey: options.enrolmentKey }),
    adminToken: options.adminToken ?? null,
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
    relay: (store) => {
      if (!(store instanceof SqliteStore)) throw new Error('A station relay keeps its copy of the station in SQLite.');
      createRelayTables(store.db);
      const queue = new ForwardQueue(store.db);
      const pool = new LeasePool(store.db, station, () => loop?.wake());
      const tagPool = new TagPool(store.db, () => loop?.wake());
      return {
        seqSource: pool,
        tagSource: tagPool,
        journal: (_tx, row) => {
          if (queue.journal(row)) loop?.queued();
        },
        attach: async (services, log) => {
          const ledgerStore = new LedgerStore();
          const running = new UpstreamLoop({
            store,
            station,
            name: options.name ?? `RELAY-${station}`,
            enrolmentKey: options.upstreamEnrolmentKey,
            client: new UpstreamClient({
              baseUrl: options.upstream,
              version: options.version ?? 'relay',
              ...(options.fetch ? { fetch: options.fetch } : {}),
            }),
            queue,
            pool,
            tagPool,
            mirror: new Mirror({
              station,
              ledgers: new FlightLedgers(ledgerStore),
              ledgerStore,
              leases: services.leases,
              pool,
              tagPool,
              queue,
            }),
            feed: services.feed,
            dcs: services.dcs,
            clock,
            random: options.random,
            staleAfterMs: (options.staleAfterMinutes ?? RELAY_DEFAULTS.staleAfterMinutes) * 60_000,
            log: (level, details, message) => log[level](details, message),
          });
          await running.start();
          loop = running;
          return { view: running, close: () => running.stop() };
        },
      };
    },
  });
  const attached = loop as UpstreamLoop | null;
  if (!attached) throw new Error('the relay did not start');
  return {
    url: server.url,
    port: server.port,
    station,
    dataDir: server.dataDir,
    server,
    upstream: () => attached.upstream(),
    close: () => server.close(),
  };
}

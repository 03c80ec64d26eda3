/**
 * The reference operations backend as a library: `startServer()` opens (or creates and seeds) its
 * database — the SQLite file in a data dir by default, or a PostgreSQL database (`databaseUrl`) that
 * several backend processes may serve at once — and serves sync protocol v1 over Fastify.
 * `npm run server` (server/cli.ts), the end-to-end tests and the benchmarks all start it through here.
 */
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { systemClock, type Clock } from '../shared/clock';
import { DcsSimulator, type DcsEvent } from './dcs/simulator';
import { DEMO_STAFF, type DemoLogin } from './demo/generate';
import { isEmpty, seedDemo, type SeedSummary } from './demo/seed';
import { Devices } from './devices';
import { AuditAnchors } from './security/audit-anchor';
import { StaffIdentity } from './security/staff-identity';
import { DEFAULT_STALE_AFTER_MINUTES, Fleet } from './fleet';
import { installErrorHandlers, requireProtocolVersion, CORS_HEADERS, corsOriginsFor } from './http/protocol';
import { DEFAULT_RATE_LIMITS, installRateLimits, type RateLimits } from './http/rate-limits';
import { isLoopbackHost } from '../shared/protocol/transport';
import { BULK_NEXT_HEADER } from '../shared/protocol/bulk';
import { registerAdmin } from './http/routes/admin';
import { registerDevices } from './http/routes/devices';
import { registerHealth } from './http/routes/health';
import { registerOps } from './http/routes/ops';
import { registerStaff } from './http/routes/staff';
import { registerSync } from './http/routes/sync';
import { registerWait } from './http/routes/wait';
import { FeedLineage } from './sync/lineage';
import { REQUEST_ID_HEADER, requestIdFrom } from './http/telemetry';
import { Metrics } from './metrics';
import type { RelayPlugin, Services } from './services';
import { FeedWatch } from './sync/feed-watch';
import { Leases } from './sync/leases';
import { DEFAULT_TAG_ISSUERS, TAG_COUNTER, TagLeases } from './sync/tag-leases';
import { PageReader } from './sync/pull';
import { LedgerStore } from './sync/ledger-store';
import { FlightLedgers } from './sync/ledgers';
import { PushProcessor } from './sync/push';
import { openStore } from './store/open';
import type { Store, StoreKind } from './store/store';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ServerOptions {
  /** Where the SQLite file lives; created if missing. Unused with `databaseUrl`. */
  dataDir: string;
  /**
   * A PostgreSQL database (`postgres://user:password@host:port/db`) instead of the SQLite file: the
   * production store, which several backend processes may serve at once. Migrated on start.
   */
  databaseUrl?: string | null;
  /** Connections of this process's PostgreSQL pool (default 10). */
  databasePoolSize?: number;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Station the demo data is generated for. */
  station?: string;
  /** Seed of the demo data and the DCS simulator. */
  seed?: number | string;
  flights?: number;
  /** Passengers per flight; omitted gives each flight a realistic load for its aircraft. */
  paxPerFlight?: number | null;
  /** Seed demo data when the database is empty (default true). */
  demo?: boolean;
  /** Delete the database first. */
  reset?: boolean;
  /** The server's clock: demo schedule, serverTime, DCS simulator, leases. Tests pin it. */
  now?: Clock;
  /**
   * The shared demo enrolment key, for a backend on loopback only (startServer refuses it on any
   * other address); omitted: the demo key on loopback, none elsewhere; null: one-time codes only.
   */
  enrolmentKey?: string | null;
  /** Bearer token for /v1/admin/* (at least ADMIN_TOKEN_MIN_LENGTH characters); null or omitted switches admin routes off. */
  adminToken?: string | null;
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP without (then only on loopback or behind a TLS proxy). */
  tls?: { cert: string | Buffer; key: string | Buffer } | null;
  /** Requests per minute on enrolment, online sign-in and push (DEFAULT_RATE_LIMITS). */
  rateLimits?: Partial<RateLimits>;
  /** Bearer token for GET /metrics (Prometheus); the admin token is accepted too. */
  metricsToken?: string | null;
  /** A workstation whose last complete pull is older than this is "blind" in the fleet view (default 30). */
  staleAfterMinutes?: number;
  /** prom-client's process metrics (event loop, heap, GC); on from the CLI, off by default for embedders and tests. */
  processMetrics?: boolean;
  /**
   * Behind a reverse proxy: trust its X-Forwarded-* headers (true, or the proxy's addresses, e.g.
   * "loopback" or "10.0.0.5"), so logs name the client, not the proxy. Off by default: a backend on
   * loopback has no proxy.
   */
  trustProxy?: boolean | string;
  /** Run the DCS simulator on a timer. Off by default; /v1/admin/dcs/step works either way. */
  dcsSimulator?: boolean;
  dcsIntervalMs?: number;
  /** Browser origins allowed to call the backend besides the Electron app's (app://backstop); see corsOriginsFor. */
  corsOrigins?: readonly (string | RegExp)[];
  logLevel?: LogLevel;
  /** Where structured (pino JSON) logs go; stdout by default. */
  logStream?: { write(line: string): void };
  /** PBKDF2 iterations of demo staff credentials (tests lower it to save CPU; min 10,000). */
  pbkdf2Iterations?: number;
  /** Fault injection: hold each mutation's transaction open this long (crash tests). */
  slowMutationMs?: number;
  /** Mutations per durable commit in a push (COMMIT_GROUP by default). */
  commitGroup?: number;
  /** Makes this backend a station relay (relay/relay.ts), given the store it opened. */
  relay?: (store: Store) => RelayPlugin;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  dataDir: string;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  dbFile: string;
  /** Which store serves the data, and where it is. */
  database: { kind: StoreKind; location: string };
  station: string;
  /** Set when this start seeded an empty database. */
  seeded: SeedSummary | null;
  /** How workstations enrol, in words for the start banner (never the key itself). */
  enrolment: string;
  /** Demo sign-in IDs and PINs, when the database holds demo data. */
  logins: DemoLogin[];
  dcs: DcsSimulator;
  app: FastifyInstance;
  close(): Promise<void>;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  station: 'LHR',
  flights: 40,
  seed: 1,
  enrolmentKey: 'backstop-demo',
  dcsIntervalMs: 20_000,
} as const;

/** Admin tokens shorter than this are refused: the admin routes issue enrolment codes and revoke devices. */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const clock = options.now ?? systemClock;
  const listenHost = options.host ?? DEFAULTS.host;
  if (options.adminToken && options.adminToken.length < ADMIN_TOKEN_MIN_LENGTH) {
    throw new Error(`The admin token must have at least ${ADMIN_TOKEN_MIN_LENGTH} characters.`);
  }
  // Behind a reverse proxy every request arrives from loopback, whoever sent it: no shared key there either.
  const behindProxy = Boolean(options.trustProxy);
  const demoHost = isLoopbackHost(listenHost) && !behindProxy;
  const enrolmentKey = options.enrolmentKey === undefined ? (demoHost ? DEFAULTS.enrolmentKey : null) : options.enrolmentKey;
  if (enrolmentKey !== null && !demoHost) {
    throw new Error(
      behindProxy
        ? 'A shared enrolment key is for a demo on one machine, not behind a proxy: enrol workstations with one-time codes.'
        : 'A shared enrolment key is for a demo on one machine: listen on 127.0.0.1, or enrol workstations with one-time codes.',
    );
  }
  const dataDir = path.resolve(options.dataDir);
  const store = await openStore({
    dataDir,
    databaseUrl: options.databaseUrl ?? null,
    reset: options.reset ?? false,
    ...(options.databasePoolSize ? { poolSize: options.databasePoolSize } : {}),
  });
  // A relay's upstream loop, once started: stopped before the store closes, whatever happens.
  let detach: (() => Promise<void>) | null = null;
  let lineage: FeedLineage | null = null;
  try {
    let seeded: SeedSummary | null = null;
    if ((options.demo ?? true) && (await isEmpty(store))) {
      seeded = await seedDemo(store, {
        station: options.station ?? DEFAULTS.station,
        flights: options.flights ?? DEFAULTS.flights,
        paxPerFlight: options.paxPerFlight ?? null,
        seed: options.seed ?? DEFAULTS.seed,
        now: clock(),
        ...(options.pbkdf2Iterations === undefined ? {} : { pbkdf2Iterations: options.pbkdf2Iterations }),
      });
    }
    // Before this process writes anything: where the database's history stood when it was opened (sync/lineage.ts).
    lineage = await FeedLineage.start(store, clock, randomUUID().replaceAll('-', '').slice(0, 16));
    const station = (await store.liveStation()) ?? options.station ?? DEFAULTS.station;
    const plugin = options.relay?.(store) ?? null;
    // Numbers and bag-tag serials come from this backend's counters, or at a relay from the blocks central granted it.
    const leases = new Leases(store, plugin?.seqSource, new TagLeases(store, DEFAULT_TAG_ISSUERS, plugin?.tagSource ?? TAG_COUNTER));
    const feed = new FeedWatch();
    const app = Fastify({
      ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' as const } } : {}),
      logger: { level: options.logLevel ?? 'info', ...(options.logStream ? { stream: options.logStream } : {}) },
      bodyLimit: 64 * 1024,
      trustProxy: options.trustProxy ?? false,
      // Every log line of a request carries its id (reqId): the caller's X-Request-Id when it is a
      // sane one (a proxy's, a workstation's), else a new one; answers echo it.
      genReqId: (req) => requestIdFrom(req.headers[REQUEST_ID_HEADER]) ?? randomUUID(),
    });
    const ledgers = new FlightLedgers(new LedgerStore());
    const dcs = new DcsSimulator(store, leases, ledgers, station, clock, String(options.seed ?? DEFAULTS.seed), (events) => {
      logEvents(app, events);
      if (events.length > 0) feed.changed(station);
    });
    await dcs.load();
    const fleet = new Fleet(store, clock, options.staleAfterMinutes ?? DEFAULT_STALE_AFTER_MINUTES);
    const identity = new StaffIdentity(store, clock);
    const services: Services = {
      store,
      devices: new Devices(store, clock),
      identity,
      anchors: new AuditAnchors(store.sql, clock),
      leases,
      pages: new PageReader(store, lineage),
      push: new PushProcessor(store, leases, ledgers, clock, {
        identity,
        ...(options.slowMutationMs ? { slowMutationMs: options.slowMutationMs } : {}),
        ...(options.commitGroup ? { commitGroup: options.commitGroup } : {}),
        ...(plugin ? { journal: plugin.journal } : {}),
      }),
      dcs,
      clock,
      epoch: store.epoch,
      enrolmentKey,
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
      adminToken: options.adminToken ?? null,
      metricsToken: options.metricsToken ?? null,
      fleet,
      metrics: new Metrics({ fleet, dcsUp: () => dcs.status() === 'up', processMetrics: options.processMetrics ?? false }),
      feed,
    };
    const relay = plugin ? await plugin.attach(services, app.log) : null;
    if (relay) {
      services.relay = relay.view;
      detach = () => relay.close();
    }
    fleet.start();
    app.addHook('onSend', async (request, reply, payload) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      return payload;
    });
    app.addHook('onResponse', async (request, reply) => {
      services.metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime);
    });
    await installRateLimits(app);
    await app.register(cors, {
      origin: corsOriginsFor(listenHost, options.corsOrigins ?? []),
      methods: ['GET', 'POST'],
      allowedHeaders: CORS_HEADERS,
      exposedHeaders: ['server-timing', REQUEST_ID_HEADER, BULK_NEXT_HEADER],
      maxAge: 600,
    });
    requireProtocolVersion(app);
    installErrorHandlers(app);
    registerHealth(app, services);
    registerDevices(app, services);
    registerSync(app, services);
    registerStaff(app, services);
    registerWait(app, services);
    registerAdmin(app, services);
    registerOps(app, services);

    const host = listenHost;
    await app.listen({ host, port: options.port ?? DEFAULTS.port });
    if (enrolmentKey !== null) {
      app.log.warn(
        '*** DEMO MODE: workstations on this machine may enrol with the shared demo key. Never run a station like this: issue one-time enrolment codes (docs/operations.md). ***',
      );
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULTS.port);
    if (options.dcsSimulator) dcs.start(options.dcsIntervalMs ?? DEFAULTS.dcsIntervalMs);
    app.log.info(
      {
        station,
        database: store.kind,
        location: store.location,
        seeded: seeded && { flights: seeded.flights, passengers: seeded.passengers, ms: Math.round(seeded.ms) },
      },
      'backstop server ready',
    );

    let closed = false;
    const demo = await store.getMeta('demo');
    return {
      url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
      host,
      port,
      dataDir,
      dbFile: store.location,
      database: { kind: store.kind, location: store.location },
      station,
      seeded,
      enrolment: enrolmentKey === null ? 'enrolment by one-time codes only' : 'DEMO: shared enrolment key accepted from this machine',
      logins: demo ? DEMO_STAFF.filter((s) => s.active).map(({ staffId, pin, role, name }) => ({ staffId, pin, role, name })) : [],
      dcs,
      app,
      close: async () => {
        if (closed) return;
        closed = true;
        await detach?.();
        lineage?.close();
        dcs.stop();
        feed.close();
        await app.close();
        await fleet.stop();
        await store.close();
      },
    };
  } catch (error) {
    await detach?.();
    lineage?.close();
    await store.close();
    throw error;
  }
}

function logEvents(app: FastifyInstance, events: DcsEvent[]): void {
  if (events.length === 0) return;
  const byKind: Record<string, number> = {};
  for (const e of events) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
  app.log.info({ dcs: byKind }, 'DCS changes applied');
}

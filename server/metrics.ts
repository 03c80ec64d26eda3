/**
 * Prometheus metrics (prom-client), one registry per server so several servers in one process
 * (tests, benchmarks) never mix their numbers. Served on GET /metrics behind a bearer token
 * (server/http/routes/ops.ts).
 *
 *   backstop_http_requests_total{method,route,status}          requests by route and status
 *   backstop_http_request_duration_seconds{method,route}       latency of every route
 *   backstop_sync_pull_duration_seconds / _push_duration_seconds  sync latency (server side)
 *   backstop_sync_pull_changes_total, backstop_sync_push_mutations_total{outcome}
 *   backstop_devices_enrolled{station}                         workstations (newest enrolment per name)
 *   backstop_devices_blind{station}                            of those, blind if the DCS went down now
 *   backstop_devices_last_seen_max_age_seconds{station}        the longest-silent workstation
 *   backstop_devices_data_max_age_seconds{station}             the oldest data a workstation works from
 *   backstop_devices_unsent_actions{station}                   unsent actions the workstations reported
 *   backstop_dcs_up                                            1 while the (simulated) DCS is up
 *   backstop_process_* / backstop_nodejs_*                     prom-client's process metrics
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Fleet, FleetReport } from './fleet';

const SYNC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Outcomes a push result can have (shared/protocol/v1 MutationStatus) plus re-sent ones. */
const OUTCOMES = new Set(['applied', 'duplicate', 'rejected', 'conflict', 'deferred', 'replayed']);

export interface MetricsSources {
  fleet: Fleet;
  dcsUp: () => boolean;
  /** Process metrics (event loop lag, heap, GC…): on for `npm run server`, off for tests that start many servers. */
  processMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestSeconds: Histogram<'method' | 'route'>;
  private readonly pullSeconds: Histogram;
  private readonly pushSeconds: Histogram;
  private readonly pullChanges: Counter;
  private readonly mutations: Counter<'outcome'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'backstop_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'backstop_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: SYNC_BUCKETS,
      registers,
    });
    this.pullSeconds = new Histogram({
      name: 'backstop_sync_pull_duration_seconds',
      help: 'Server time of one pull page (authentication to the last byte handed to the socket).',
      buckets: SYNC_BUCKETS,
      registers,
    });
    this.pushSeconds = new Histogram({
      name: 'backstop_sync_push_duration_seconds',
      help: 'Server time of one push batch, durable commits included.',
      buckets: SYNC_BUCKETS,
      registers,
    });
    this.pullChanges = new Counter({ name: 'backstop_sync_pull_changes_total', help: 'Changes sent in pull pages.', registers });
    this.mutations = new Counter({
      name: 'backstop_sync_push_mutations_total',
      help: 'Mutations pushed by workstations, by outcome (applied, duplicate, rejected, conflict, deferred, replayed).',
      labelNames: ['outcome'],
      registers,
    });

    // Fleet gauges are computed from the device table when Prometheus scrapes, one report for all.
    let report: Promise<FleetReport> | null = null;
    const fleetReport = () => (report ??= sources.fleet.report());
    const perStation = (name: string, help: string, value: (s: FleetReport['stations'][number], nowMs: number) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['station'],
        registers,
        async collect() {
          const r = await fleetReport();
          this.reset();
          const nowMs = Date.parse(r.generatedAt);
          for (const s of r.stations) this.set({ station: s.station }, value(s, nowMs));
        },
      });
    const maxAgeSeconds = (times: (string | null)[], nowMs: number) =>
      times.reduce((max, t) => Math.max(max, t === null ? Infinity : (nowMs - Date.parse(t)) / 1000), 0);
    new Gauge({
      name: 'backstop_dcs_up',
      help: '1 while the DCS is up, 0 while it is down.',
      registers,
      collect() {
        // The first gauge collected starts a fresh fleet report for this scrape.
        report = null;
        this.set(sources.dcsUp() ? 1 : 0);
      },
    });
    perStation(
      'backstop_devices_enrolled',
      'Workstations enrolled at the station (the newest enrolment of each name).',
      (s) => s.workstations.length,
    );
    perStation(
      'backstop_devices_blind',
      'Workstations whose data is older than the staleness threshold, or that never synced.',
      (s) => s.blind,
    );
    perStation(
      'backstop_devices_last_seen_max_age_seconds',
      'Seconds since the longest-silent workstation of the station was last heard from (+Inf: never).',
      (s, now) =>
        maxAgeSeconds(
          s.workstations.map((w) => w.lastSeenAt),
          now,
        ),
    );
    perStation(
      'backstop_devices_data_max_age_seconds',
      'Age of the oldest data any workstation of the station works from (+Inf: one never synced).',
      (s, now) =>
        maxAgeSeconds(
          s.workstations.map((w) => w.lastPullAt),
          now,
        ),
    );
    perStation('backstop_devices_unsent_actions', 'Unsent actions the workstations of the station last reported.', (s) => s.unsent);
    if (sources.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'backstop_' });
  }

  observeRequest(method: string, route: string, status: number, ms: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.requestSeconds.observe({ method, route }, ms / 1000);
  }

  observePull(ms: number, changes: number): void {
    this.pullSeconds.observe(ms / 1000);
    this.pullChanges.inc(changes);
  }

  observePush(ms: number, counts: Readonly<Record<string, number>>): void {
    this.pushSeconds.observe(ms / 1000);
    for (const [outcome, n] of Object.entries(counts)) if (OUTCOMES.has(outcome) && n > 0) this.mutations.inc({ outcome }, n);
  }

  contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

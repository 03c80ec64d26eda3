/**
 * The reference backend inside the simulation, used through its public API only: `startServer()`
 * over a SQLite file in a temp dir, and `app.inject()` for every request (no sockets, no real time).
 * It can be stopped and started again from the same file (a restart), and restored from a copy of
 * the file taken earlier (a restore from backup).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../server/app';
import type { Clock } from '../shared/clock';
import { EnrolResponse, PROTOCOL_HEADER, PROTOCOL_VERSION, PullResponse, type Change } from '../shared/protocol/v1';
import { Replica } from '../tests/support/server-harness';

export const SIM_STATION = 'LHR';
export const SIM_ENROLMENT_KEY = 'backstop-sim';
export const SIM_ADMIN_TOKEN = 'sim-admin-token-0123456789abcdef';

export interface BackendOptions {
  seed: number;
  flights: number;
  paxPerFlight: number;
  clock: Clock;
}

export interface InjectRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

export interface InjectAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Temp dirs of the backends alive in this process: a worker stopped mid-run removes them on its way out. */
const liveDirs = new Set<string>();

export function removeTempDirs(): void {
  for (const dir of liveDirs) fs.rmSync(dir, { recursive: true, force: true });
  liveDirs.clear();
}

export class SimBackend {
  private server: RunningServer | null = null;
  private readonly dataDir: string;
  private readonly snapshots: string[] = [];
  private starting: Promise<void> | null = null;
  /** Requests answered, by route: the backend's share of the work. */
  readonly requests = new Map<string, number>();

  constructor(private readonly options: BackendOptions) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-sim-'));
    liveDirs.add(this.dataDir);
  }

  get up(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    if (this.server) return;
    this.starting ??= startServer({
      dataDir: this.dataDir,
      port: 0,
      host: '127.0.0.1',
      station: SIM_STATION,
      seed: this.options.seed,
      flights: this.options.flights,
      paxPerFlight: this.options.paxPerFlight,
      now: this.options.clock,
      enrolmentKey: SIM_ENROLMENT_KEY,
      adminToken: SIM_ADMIN_TOKEN,
      logLevel: 'silent',
      pbkdf2Iterations: 10_000,
      // The rate limits count real minutes, which a simulation does not have: off, or a fast run
      // would meet 429s that depend on how fast the machine is.
      rateLimits: { enrolPerMinute: 1e9, signInPerMinute: 1e9, pushPerMinute: 1e9 },
    }).then((s) => {
      this.server = s;
      this.starting = null;
    });
    await this.starting;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    await s?.close();
  }

  /** Stops the backend and keeps a copy of its database file (a backup); returns the copy's number. */
  async snapshot(): Promise<number> {
    await this.stop();
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-sim-copy-'));
    liveDirs.add(copy);
    fs.cpSync(this.dataDir, copy, { recursive: true });
    this.snapshots.push(copy);
    await this.start();
    return this.snapshots.length - 1;
  }

  /** Stops the backend and puts an earlier copy of its database in place (a restore from backup). */
  async restore(n: number): Promise<void> {
    const copy = this.snapshots[n];
    if (!copy) throw new Error(`no backend copy ${n}`);
    await this.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    fs.cpSync(copy, this.dataDir, { recursive: true });
    await this.start();
  }

  get snapshotCount(): number {
    return this.snapshots.length;
  }

  async inject(request: InjectRequest): Promise<InjectAnswer> {
    const server = this.server;
    if (!server) throw new Error('backend down');
    const route = request.url.split('?')[0]!;
    this.requests.set(route, (this.requests.get(route) ?? 0) + 1);
    const res = await server.app.inject({
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
    return { status: res.statusCode, headers, body: res.body };
  }

  /** One DCS step through the admin route: the airline's schedule moves on. */
  async dcsStep(): Promise<{ kind: string; flightId: string; passengerId?: string }[]> {
    const res = await this.inject({
      method: 'POST',
      url: '/v1/admin/dcs/step',
      headers: {
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        authorization: `Bearer ${SIM_ADMIN_TOKEN}`,
        'content-type': 'application/json',
      },
      payload: '{}',
    });
    if (res.status !== 200) return [];
    return (JSON.parse(res.body) as { events: { kind: string; flightId: string; passengerId?: string }[] }).events;
  }

  async setDcs(status: 'up' | 'down'): Promise<void> {
    await this.inject({
      method: 'POST',
      url: '/v1/admin/dcs',
      headers: {
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        authorization: `Bearer ${SIM_ADMIN_TOKEN}`,
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ status }),
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    for (const dir of [this.dataDir, ...this.snapshots]) {
      fs.rmSync(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    }
  }
}

/**
 * What the backend holds, as an omniscient observer workstation of the simulator sees it: enrolled
 * once, pulling straight from the backend (never through the simulated network). The world reads the
 * schedule from it, and the final checks read the backend's state from it.
 */
export class Observer {
  readonly replica = new Replica();
  private deviceId: string | null = null;
  private token: string | null = null;
  private cursor: string | null = null;

  constructor(private readonly backend: SimBackend) {}

  private headers(): Record<string, string> {
    return {
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      'content-type': 'application/json',
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    };
  }

  /** Pulls everything new; returns the changes. After a restore its place in the feed may be gone: it starts again. */
  async sync(): Promise<Change[]> {
    if (!this.backend.up) return [];
    if (!this.deviceId) {
      const res = await this.backend.inject({
        method: 'POST',
        url: '/v1/devices',
        headers: this.headers(),
        payload: JSON.stringify({ name: 'SIM-OBSERVER', station: SIM_STATION, enrolmentKey: SIM_ENROLMENT_KEY }),
      });
      if (res.status !== 201) throw new Error(`observer enrolment failed: ${res.status} ${res.body}`);
      const e = EnrolResponse.parse(JSON.parse(res.body));
      this.deviceId = e.deviceId;
      this.token = e.token;
    }
    const all: Change[] = [];
    for (;;) {
      const res = await this.backend.inject({
        method: 'POST',
        url: '/v1/sync/pull',
        headers: this.headers(),
        payload: JSON.stringify({ clientId: this.deviceId, station: SIM_STATION, cursor: this.cursor, maxChanges: 20_000 }),
      });
      if (res.status === 401) {
        // The backend was restored from a copy older than our enrolment.
        this.deviceId = null;
        this.token = null;
        this.cursor = null;
        this.replica.entities.clear();
        return this.sync();
      }
      if (res.status !== 200) throw new Error(`observer pull failed: ${res.status} ${res.body}`);
      const page = PullResponse.parse(JSON.parse(res.body));
      this.replica.apply(page.changes);
      all.push(...page.changes);
      this.cursor = page.cursor;
      if (!page.hasMore) return all;
    }
  }

  /** Forgets its place in the feed (after a restore), so the next sync reads the backend afresh. */
  reset(): void {
    this.cursor = null;
    this.replica.entities.clear();
  }
}

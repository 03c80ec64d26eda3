/**
 * A station with a relay, for end-to-end tests: the reference backend (central) behind a proxy that
 * can cut it off — for the relay and the desks alike, as a WAN outage would — a station relay as a
 * process of its own (relay/cli.ts, killed and restarted by the tests), and a browser-host UI server
 * per desk whose config names both backends, the relay first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBrowserHostServer } from '../../scripts/serve-browser';
import { startServer, type RunningServer } from '../../server/app';
import { clockStartingAt } from '../../shared/clock';
import { E2E_ADMIN_TOKEN, E2E_NOW } from './e2e-stack';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { RelayProcess } from './relay-process';
import { inspectDatabase, Synced } from './server-harness';

export interface RelayStack {
  server: RunningServer;
  /** Between central and everyone else (the relay and the desks): cut it and central is gone. */
  central: FaultProxy;
  relay: RelayProcess;
  /** A UI server for one desk (a pinned workstation name), its backends the relay, then central. */
  desk(name: string): Promise<{ url: string; close(): Promise<void> }>;
  /** Central's state as a fresh workstation sees it (bypassing the proxy). */
  observe(): Promise<Synced>;
  /**
   * What central recorded for a flight: each action in its ledger (its effect: once per action id),
   * with how many times its log holds that id (once per path that brought it: the relay, the desk).
   */
  centralFacts(flightId: string): Promise<{ id: string; type: string; passengerId: string | null; logged: number }[]>;
  close(): Promise<void>;
}

export async function startRelayStack(options: { flights?: number } = {}): Promise<RelayStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-e2e-relay-'));
  const now = process.env.BACKSTOP_E2E_NOW === 'real' ? undefined : process.env.BACKSTOP_E2E_NOW || E2E_NOW;
  const server = await startServer({
    dataDir,
    port: 0,
    flights: options.flights ?? 12,
    seed: 5,
    logLevel: 'silent',
    adminToken: E2E_ADMIN_TOKEN,
    ...(now ? { now: clockStartingAt(now) } : {}),
  });
  const central = await startFaultProxy(server.url);
  const relay = new RelayProcess({ upstream: central.url, ...(now ? { now } : {}) });
  await relay.start();
  const deadline = performance.now() + 30_000;
  while (!(await relay.upstream())?.centralAsOf) {
    if (performance.now() > deadline) throw new Error(`the relay did not copy central:\n${relay.log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const uis: { close(): Promise<void> }[] = [];
  const centralFacts = async (flightId: string) => {
    const probe = await inspectDatabase({ dataDir, databaseUrl: null });
    try {
      const rows = await probe.all<{ id: string; mutation: string; logged: number }>(
        `SELECT f.mutation_id AS id, f.mutation, (SELECT count(*) FROM mutation_log l WHERE l.id = f.mutation_id) AS logged
         FROM ledger_fact f WHERE f.flight_id = ?`,
        flightId,
      );
      return rows.map((r) => {
        const m = JSON.parse(r.mutation) as { type: string; args: { passengerId?: string } };
        return { id: r.id, type: m.type, passengerId: m.args.passengerId ?? null, logged: Number(r.logged) };
      });
    } finally {
      await probe.close();
    }
  };
  return {
    server,
    central,
    relay,
    desk: async (name) => {
      const ui = await startBrowserHostServer({
        port: 0,
        backendUrl: relay.url,
        backendUrls: [relay.url, central.url],
        station: server.station,
        workstation: name,
        enrolmentKey: 'backstop-demo',
        ...(now ? { now } : {}),
      });
      uis.push(ui);
      return ui;
    },
    observe: () => Synced.enrol(server.url, 'E2E-OBSERVER'),
    centralFacts,
    close: async () => {
      for (const ui of uis) await ui.close();
      await relay.close();
      await central.close();
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

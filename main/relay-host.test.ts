/**
 * The station relay hosted by the app, as far as a machine without Electron allows: Electron's
 * utilityProcess.fork is mocked by a Node child process running the real built bundle
 * (out/relay/index.cjs, built here the way `npm run build` builds it) on Node 22 — the Node Electron
 * embeds has node:sqlite, this machine's (20) has not — talking to a real central over loopback.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildRelayBundle } from '../scripts/build-relay';
import { systemClock } from '../shared/clock';
import { RelayHostStatus } from '../shared/ipc/relay-host';
import { freePort } from '../tests/support/relay-process';
import { NODE22, NODE22_MISSING, node22Platform, node22SkipReason } from '../tests/support/node22';
import {
  bookable,
  freeSeats,
  inspectDatabase,
  openFlights,
  startTestServer,
  Synced,
  tempDir,
  Workstation,
  type TestServer,
} from '../tests/support/server-harness';
import { readConfig } from './config';
import { RelayHost, utilityProcessFork, type RelayChild } from './relay-host';

/** The Node child processes the mocked utilityProcess.fork started, newest last (tests kill them). */
const children = vi.hoisted(() => [] as ChildProcess[]);
const forkCalls = vi.hoisted(() => [] as { modulePath: string; options: unknown }[]);

vi.mock('electron', async () => {
  const { fork } = await import('node:child_process');
  const { EventEmitter } = await import('node:events');
  const { NODE22: node } = await import('../tests/support/node22');
  return {
    utilityProcess: {
      // What Electron's utility process offers the host, over a Node child process.
      fork(modulePath: string, _args: string[], options: unknown) {
        forkCalls.push({ modulePath, options });
        const child = fork(modulePath, [], {
          execPath: node,
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
          env: { ...process.env, NODE_NO_WARNINGS: '1' },
        });
        children.push(child);
        const utility = Object.assign(new EventEmitter(), {
          stdout: child.stdout,
          stderr: child.stderr,
          postMessage: (message: unknown) => child.connected && child.send(message as never),
          kill: () => child.kill('SIGTERM'),
        });
        child.on('message', (m) => utility.emit('message', m));
        child.on('exit', (code) => utility.emit('exit', code ?? 1));
        return utility;
      },
    },
  };
});

let central: TestServer;
let bundle: string;
const logs: string[] = [];
const dirs: string[] = [];

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  ms = 30_000,
): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}\n${logs.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function hostFor(argv: string[], o: { restart?: { baseMs: number; capMs: number } } = {}): Promise<RelayHost> {
  const config = readConfig(argv, {});
  if (!config.relay) throw new Error('no relay configured');
  const dataDir = tempDir('backstop-hosted-relay-');
  dirs.push(dataDir);
  return new RelayHost({
    config: config.relay,
    station: config.station,
    name: 'RELAY-LHR-DESK1',
    dataDir,
    modulePath: bundle,
    fork: utilityProcessFork((line) => logs.push(line)),
    clock: systemClock,
    pinnedClock: false,
    version: '0.1.0-test',
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    ...(o.restart ? { restart: o.restart } : {}),
  });
}

async function centralCount(mutationId: string): Promise<number> {
  const probe = await inspectDatabase(central);
  try {
    const rows = await probe.all<{ n: number }>('SELECT count(*) AS n FROM mutation_log WHERE id = ?', mutationId);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await probe.close();
  }
}

describe.skipIf(!node22Platform)(`the station relay hosted by the app${node22SkipReason}`, () => {
  beforeAll(async () => {
    expect(fs.existsSync(NODE22), NODE22_MISSING).toBe(true);
    const out = tempDir('backstop-relay-bundle-');
    dirs.push(out);
    bundle = (await buildRelayBundle(path.join(out, 'index.cjs'))).outfile;
    // The relay copies central's station as it is now: central runs on the real clock here.
    central = await startTestServer({ flights: 4, seed: 15, now: systemClock });
  }, 120_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await central?.cleanup();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the built relay in a utility process on node:sqlite: desks enrol with codes main issues, see each other at once, and central gets each action once', async () => {
    const port = await freePort();
    const host = await hostFor([`--backend=${central.url}`, '--host-relay', `--relay-port=${port}`]);
    host.start();
    expect(forkCalls.at(-1)).toMatchObject({ modulePath: bundle, options: { serviceName: 'Backstop station relay', stdio: 'pipe' } });
    const running = await until('the relay to copy central', () => {
      const s = host.status();
      return s.state === 'running' && s.upstream?.centralAsOf ? s : null;
    });
    expect(RelayHostStatus.parse(running)).toMatchObject({
      state: 'running',
      station: 'LHR',
      url: `http://127.0.0.1:${port}`,
      loopbackOnly: true,
      central: central.url,
      upstream: { reachable: true, stale: false, unforwarded: 0 },
      restarts: 0,
    });

    // No shared key at a hosted relay: each desk enrols with a one-time code main had the relay issue.
    await expect(Workstation.enrol(running.url ?? '', 'DESK-X', 'LHR', 'backstop-demo')).rejects.toThrow();
    const codeA = await host.issueCode('DESK-A');
    const codeB = await host.issueCode('DESK-B');
    if (!codeA.ok || !codeB.ok) throw new Error('no codes');
    const deskA = new Synced(await Workstation.enrol(running.url ?? '', 'DESK-A', 'LHR', codeA.value.code));
    const deskB = new Synced(await Workstation.enrol(running.url ?? '', 'DESK-B', 'LHR', codeB.value.code));
    await expect(Workstation.enrol(running.url ?? '', 'DESK-C', 'LHR', codeA.value.code)).rejects.toThrow();
    await deskA.sync();
    await deskB.sync();

    const flight = openFlights(deskA.replica)[0]!;
    const pax = bookable(deskA.replica, flight.id)[0]!;
    const seat = freeSeats(deskA.replica, flight)[0]!;
    const checkIn = deskA.checkIn(pax, seat);
    expect((await deskA.ws.push([checkIn])).results[0]).toMatchObject({ id: checkIn.id, status: 'applied' });
    await deskB.sync();
    expect(deskB.replica.passenger(pax.id)).toMatchObject({ status: 'checked-in', seat });

    await until('central to have the check-in', async () => (await centralCount(checkIn.id)) === 1);
    await until('the relay to report nothing left to forward', () => host.status().upstream?.unforwarded === 0);
    await host.stop();
    expect(host.status()).toMatchObject({ state: 'stopped', url: null });
  });

  it('starts the relay again after it is killed, with nothing lost, pausing longer after each crash in a row', async () => {
    const port = await freePort();
    const host = await hostFor([`--backend=${central.url}`, '--host-relay', `--relay-port=${port}`], {
      restart: { baseMs: 300, capMs: 5_000 },
    });
    host.start();
    const url = await until(
      'the relay to run',
      () => host.status().state === 'running' && host.status().upstream?.centralAsOf && host.status().url,
    );
    const code = await host.issueCode('DESK-A');
    if (!code.ok) throw new Error(code.message);
    const desk = new Synced(await Workstation.enrol(url, 'DESK-A', 'LHR', code.value.code));
    await desk.sync();
    const flight = openFlights(desk.replica)[1]!;
    const pax = bookable(desk.replica, flight.id)[0]!;
    const checkIn = desk.checkIn(pax, null);
    await desk.ws.push([checkIn]);

    // A crash: the process is killed (as the OS would on a fault); the host starts it again on its own.
    children.at(-1)?.kill('SIGKILL');
    const restarting = await until('the host to notice', () => host.status().state === 'restarting' && host.status());
    expect(restarting).toMatchObject({ restarts: 1, url: null, upstream: null });
    expect(restarting.error).toMatch(/ended/);
    const firstPause = Date.parse(restarting.retryAt ?? '') - Date.now();
    expect(firstPause).toBeLessThanOrEqual(300);
    await until('the relay to run again', () => host.status().state === 'running');

    children.at(-1)?.kill('SIGKILL');
    const second = await until('the second crash', () => host.status().state === 'restarting' && host.status());
    expect(second.restarts).toBe(2);
    // Two crashes in a row, the second soon after the first start: the pause doubled.
    expect(Date.parse(second.retryAt ?? '') - Date.now()).toBeGreaterThan(300);
    await until('the relay to run again', () => host.status().state === 'running');

    // Same desk, same enrolment, same data: the relay kept its SQLite copy and the check-in.
    await desk.sync();
    expect(desk.replica.passenger(pax.id)).toMatchObject({ status: 'checked-in' });
    await until('central to have the check-in once', async () => (await centralCount(checkIn.id)) === 1);
    await host.stop();
    expect(host.status().state).toBe('stopped');
    // Stopped cleanly: the port is free for the next start.
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer().once('error', reject);
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('does not start again a relay whose settings cannot work, and says why', async () => {
    const host = await hostFor([
      `--backend=${central.url}`,
      '--host-relay',
      '--relay-port=1',
      '--relay-tls-cert=/nonexistent/relay.pem',
      '--relay-tls-key=/nonexistent/relay-key.pem',
      '--relay-url=https://relay.lhr.example:8788',
    ]);
    host.start();
    const failed = await until('the failure', () => host.status().state === 'failed' && host.status());
    expect(failed.error).toMatch(/ENOENT|no such file/);
    await new Promise((r) => setTimeout(r, 500));
    expect(host.status()).toMatchObject({ state: 'failed', restarts: 0, loopbackOnly: false });
    expect(await host.issueCode('DESK-A')).toMatchObject({ ok: false, code: 'NOT_RUNNING' });
  });
});

describe('the relay host without a process to run', () => {
  function fakeChild(): RelayChild & { exit(code: number): void; send(m: unknown): void; sent: unknown[] } {
    let onExit: (code: number) => void = () => undefined;
    let onMessage: (m: unknown) => void = () => undefined;
    const sent: unknown[] = [];
    return {
      sent,
      onMessage: (l) => void (onMessage = l),
      onExit: (l) => void (onExit = l),
      postMessage: (m) => void sent.push(m),
      kill: () => true,
      exit: (code) => onExit(code),
      send: (m) => onMessage(m),
    };
  }

  it('ignores a malformed message from the relay process instead of trusting it', () => {
    const child = fakeChild();
    const warnings: string[] = [];
    const config = readConfig(['--host-relay'], {}).relay!;
    const host = new RelayHost({
      config,
      station: 'LHR',
      name: 'RELAY',
      dataDir: '/tmp/x',
      modulePath: 'relay.cjs',
      fork: () => child,
      clock: systemClock,
      pinnedClock: false,
      version: '1',
      log: { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined },
    });
    host.start();
    expect(child.sent[0]).toMatchObject({ type: 'start', settings: { station: 'LHR', upstream: 'http://127.0.0.1:8787', port: 8788 } });
    child.send({ type: 'started', url: 'not a url', port: 1 });
    expect(host.status().state).toBe('starting');
    expect(warnings[0]).toMatch(/unreadable message/);
    child.send({ type: 'started', url: 'http://127.0.0.1:8788', port: 8788 });
    expect(host.status()).toMatchObject({ state: 'running', url: 'http://127.0.0.1:8788' });
  });
});

/**
 * The station relay's figures, in one run on loopback:
 *
 * - Cross-desk visibility: central (`server/cli.ts`) and a relay (`relay/cli.ts`) each in a process
 *   of their own, two desks running the app's sync engine (with its long poll and its push-soon
 *   timer, as in the app) over databases in fake-indexeddb. Desk A checks a passenger in through the
 *   write path (the agent's action); the figure is the time from that commit to desk B's database
 *   holding the passenger checked in — what B's screen renders from (a live query). Beside it, the
 *   floor: from the same commit to the relay's answer on desk A (push-soon delay + one push).
 * - Relay forward throughput: N boardings queued at a relay while central does not answer, then
 *   forwarded when it does (first push sent → last answer in), beside N other boardings pushed
 *   straight to central by a workstation in the same batches, in the same run.
 *
 *   npx tsx bench/relay.ts [--quick]      `npm run bench` includes these rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkIn } from '../renderer/db/write-path';
import type { BackstopDB } from '../renderer/db/schema';
import { DEFAULT_ENGINE_CONFIG, PUSH_SOON_MS, SyncEngine } from '../renderer/sync/engine';
import { SyncHttpClient } from '../renderer/sync/http';
import { platformTimers } from '../renderer/sync/timers';
import { startRelay } from '../relay/relay';
import { FORWARD_BATCH } from '../relay/upstream-loop';
import { systemClock } from '../shared/clock';
import type { Mutation } from '../shared/domain/mutations';
import type { Flight, Passenger } from '../shared/domain/schemas';
import { memoryDatabase } from '../tests/support/memory-db';
import { RelayProcess } from '../tests/support/relay-process';
import { freeSeats, Synced, Workstation, type Replica } from '../tests/support/server-harness';
import { quantile, type BenchFigure } from './server-store';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const RELAY_SCALES = {
  quick: { flights: 12, samples: 12, forward: 200 },
  full: { flights: 40, samples: 60, forward: 1_000 },
};
/** Pause between two visibility samples, so each one starts from quiet desks. */
const BETWEEN_SAMPLES_MS = 300;

export interface RelayBenchResult {
  /** Commit on desk A → desk B's database shows it, per sample. */
  visibilityMs: number[];
  /** Commit on desk A → the relay's answer stored on desk A, per sample. */
  answeredMs: number[];
  forward: { actions: number; ms: number; perSecond: number };
  direct: { actions: number; ms: number; perSecond: number };
}

async function startCentral(dataDir: string, flights: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'server/cli.ts'),
      `--data-dir=${dataDir}`,
      '--port=0',
      '--reset',
      `--flights=${flights}`,
      '--log-level=warn',
      '--rate-limit-enrol=100000',
      '--rate-limit-push=10000000',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`central exited (${code ?? 'signal'}): ${out}`)));
  });
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 60_000, everyMs = 50): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

interface Desk {
  db: BackstopDB;
  engine: SyncEngine;
}

/** A desk as the app runs one: the sync engine on its own schedule, long poll included. */
async function desk(relayUrl: string, centralUrl: string, name: string): Promise<Desk> {
  const db = memoryDatabase({ name: `bench-${name}` });
  const sources = [relayUrl, centralUrl].map((url) => ({ url, transport: new SyncHttpClient({ baseUrl: url }) }));
  const engine = new SyncEngine({
    db,
    transport: sources[0]!.transport,
    sources,
    config: { ...DEFAULT_ENGINE_CONFIG, station: 'LHR', workstation: name, enrolmentKey: 'backstop-demo' },
    emit: () => {},
    clock: systemClock,
    random: Math.random,
    timers: platformTimers,
  });
  await engine.start();
  await until(`${name} to sync`, async () => engine.currentStatus.source !== null && (await db.flights.count()) > 0);
  return { db, engine };
}

async function shown(db: BackstopDB, flightId: string, passengerId: string): Promise<Passenger | undefined> {
  return (await db.manifests.get(flightId))?.passengers.find((p) => p.id === passengerId);
}

/** Passengers desk A may check in now (booked, on an open flight it holds numbers for), with a free seat each. */
async function candidates(a: Desk, observed: Replica, n: number): Promise<{ flight: Flight; p: Passenger; seat: string }[]> {
  const out: { flight: Flight; p: Passenger; seat: string }[] = [];
  const open = observed.flights().filter((f) => f.status === 'scheduled');
  for (const flight of open) {
    if ((await a.db.leases.where('flightId').equals(flight.id).count()) === 0) continue;
    const seats = freeSeats(observed, flight);
    const booked = observed
      .passengers(flight.id)
      .filter((p) => p.status === 'booked' && p.cabin === 'Y' && p.paxType !== 'INF' && !p.infantId);
    for (let i = 0; i < Math.min(seats.length, booked.length, 4) && out.length < n; i++)
      out.push({ flight, p: booked[i]!, seat: seats[i]! });
    if (out.length >= n) break;
  }
  return out;
}

async function visibility(
  relayUrl: string,
  centralUrl: string,
  samples: number,
  log: (l: string) => void,
): Promise<{ visibilityMs: number[]; answeredMs: number[] }> {
  const a = await desk(relayUrl, centralUrl, 'BENCH-DESK-A');
  const b = await desk(relayUrl, centralUrl, 'BENCH-DESK-B');
  try {
    const observed = (await Synced.enrol(centralUrl, 'BENCH-OBSERVER')).replica;
    // The desks hold numbers on every open flight once the relay has had its blocks from central.
    await until('desk A to hold numbers', async () => (await a.db.leases.count()) > 0);
    const work = await candidates(a, observed, samples);
    const visibilityMs: number[] = [];
    const answeredMs: number[] = [];
    for (const { flight, p, seat } of work) {
      const request = { flightId: flight.id, passengerId: p.id, seat, bags: { count: 0, weightKg: 0 }, docsChecked: true, standby: false };
      const done = await checkIn(a.db, { staffId: 'AG1001', role: 'agent' }, request, systemClock);
      if (!done.ok) {
        log(`relay: skipped ${p.id}: ${done.code}`);
        continue;
      }
      const committed = performance.now();
      a.engine.localWrite();
      const seen = until('desk B to show it', async () => (await shown(b.db, flight.id, p.id))?.status === 'checked-in', 30_000, 5).then(
        () => performance.now() - committed,
      );
      const answered = until(
        'the relay to answer desk A',
        async () => (await a.db.outbox.filter((e) => !!e.relayed).count()) > 0 || (await a.db.outbox.count()) === 0,
        30_000,
        5,
      ).then(() => performance.now() - committed);
      const [seenMs, answeredAfterMs] = await Promise.all([seen, answered]);
      visibilityMs.push(seenMs);
      answeredMs.push(answeredAfterMs);
      await new Promise((r) => setTimeout(r, BETWEEN_SAMPLES_MS));
    }
    log(
      `relay: cross-desk visibility p50 ${quantile(visibilityMs, 0.5).toFixed(0)} ms, p95 ${quantile(visibilityMs, 0.95).toFixed(0)} ms over ${visibilityMs.length} check-ins`,
    );
    return { visibilityMs, answeredMs };
  } finally {
    for (const d of [a, b]) {
      await d.engine.stop();
      d.db.close();
    }
  }
}

/** Checked-in passengers of open flights: boardings need no sequence number, so any desk can push them. */
function boardable(replica: Replica): { flightId: string; passengerId: string }[] {
  const open = new Set(
    replica
      .flights()
      .filter((f) => f.status === 'scheduled')
      .map((f) => f.id),
  );
  return replica
    .passengers()
    .filter((p) => p.status === 'checked-in' && open.has(p.flightId))
    .map((p) => ({ flightId: p.flightId, passengerId: p.id }));
}

async function throughput(
  centralUrl: string,
  actions: number,
  log: (l: string) => void,
): Promise<{ forward: RelayBenchResult['forward']; direct: RelayBenchResult['direct'] }> {
  const observed = (await Synced.enrol(centralUrl, 'BENCH-OBSERVER-2')).replica;
  const targets = boardable(observed);
  const n = Math.min(actions, Math.floor(targets.length / 2));
  const [viaRelay, direct] = [targets.slice(0, n), targets.slice(n, 2 * n)];

  // Central answers only when let: first the relay copies it, then it is cut off while a desk queues n boardings.
  let centralUp = true;
  let firstPush: number | null = null;
  let lastAnswer = 0;
  const gated: typeof fetch = async (input, init) => {
    if (!centralUp) throw new TypeError('fetch failed (central cut off by the benchmark)');
    const isPush = String(input instanceof Request ? input.url : input).endsWith('/v1/sync/push');
    if (isPush) firstPush ??= performance.now();
    const response = await fetch(input, init);
    if (!isPush) return response;
    const body = await response.arrayBuffer();
    lastAnswer = performance.now();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-bench-relay-'));
  const options = {
    upstream: centralUrl,
    station: 'LHR',
    dataDir,
    port: 0,
    upstreamEnrolmentKey: 'backstop-demo',
    random: Math.random,
    logLevel: 'silent' as const,
    fetch: gated,
  };
  let relay = await startRelay(options);
  try {
    await until('the relay to copy central', async () => relay.upstream().centralAsOf);
    // The direct push goes first: central's warm-up, if any, is charged to it rather than to the relay.
    const at = new Date().toISOString();
    const ws = await Workstation.enrol(centralUrl, 'BENCH-DIRECT');
    const plan: Mutation[] = direct.map((t) => ws.mutation('passenger.board', { ...t, via: 'scan' }, 'AG1002', at));
    const started = performance.now();
    for (let i = 0; i < plan.length; i += FORWARD_BATCH) {
      const res = await ws.push(plan.slice(i, i + FORWARD_BATCH));
      const odd = res.results.find((r) => r.status !== 'applied' && r.status !== 'duplicate');
      if (odd) throw new Error(`push refused: ${JSON.stringify(odd)}`);
    }
    const directMs = performance.now() - started;
    const deskAtRelay = await Workstation.enrol(relay.url, 'BENCH-FORWARD');
    centralUp = false;
    const queued: Mutation[] = viaRelay.map((t) => deskAtRelay.mutation('passenger.board', { ...t, via: 'scan' }, 'AG1002', at));
    for (let i = 0; i < queued.length; i += FORWARD_BATCH) await deskAtRelay.push(queued.slice(i, i + FORWARD_BATCH));
    await until('the relay to hold every boarding', async () => relay.upstream().unforwarded >= n);
    // Started again with central answering: it forwards its whole queue at once, as after an outage.
    await relay.close();
    firstPush = null;
    centralUp = true;
    relay = await startRelay(options);
    await until('the relay to forward everything', async () => relay.upstream().unforwarded === 0 && firstPush !== null, 120_000, 5);
    const forwardMs = lastAnswer - firstPush!;

    const rate = (ms: number) => (n / ms) * 1000;
    log(`relay: forwarded ${n} boardings in ${forwardMs.toFixed(0)} ms; direct push of ${n} in ${directMs.toFixed(0)} ms`);
    return {
      forward: { actions: n, ms: forwardMs, perSecond: rate(forwardMs) },
      direct: { actions: n, ms: directMs, perSecond: rate(directMs) },
    };
  } finally {
    await relay.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchRelay({ quick, log = () => {} }: { quick: boolean; log?: (line: string) => void }): Promise<RelayBenchResult> {
  const scale = quick ? RELAY_SCALES.quick : RELAY_SCALES.full;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-bench-central-'));
  const central = await startCentral(dataDir, scale.flights);
  const relay = new RelayProcess({ upstream: central.url });
  try {
    await relay.start();
    await until('the relay process to copy central', async () => (await relay.upstream())?.centralAsOf);
    const seen = await visibility(relay.url, central.url, scale.samples, log);
    const moved = await throughput(central.url, scale.forward, log);
    return { ...seen, ...moved };
  } finally {
    // Killed, not stopped: a graceful stop of either server waits out the keep-alive connections this
    // process's desks and workstations left open (Fastify's keepAliveTimeout, 72 s), which is not what
    // this bench measures. Their data dirs go with them.
    await relay.kill();
    await relay.close();
    await stop(central.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function relayFigures(r: RelayBenchResult): BenchFigure[] {
  return [
    {
      name: 'Cross-desk visibility through a station relay: commit on desk A → desk B holds it (loopback, long poll)',
      unit: 'ms',
      target: '≤ 2,000 ms p95',
      samples: r.visibilityMs,
      headline: 'p95',
      note: `p50 ${quantile(r.visibilityMs, 0.5).toFixed(0)} ms; includes desk A’s ${PUSH_SOON_MS} ms push-soon delay`,
      baseline: { name: 'commit on desk A → the relay’s answer on desk A (same check-ins)', samples: r.answeredMs },
    },
    {
      name: `Relay forward throughput: ${r.forward.actions} queued boardings to central, batches of ${FORWARD_BATCH}`,
      unit: '/s',
      target: 'report',
      samples: [r.forward.perSecond],
      headline: 'value',
      note: `${r.forward.actions} in ${r.forward.ms.toFixed(0)} ms`,
      baseline: { name: `direct push of ${r.direct.actions} other boardings to central (same run)`, samples: [r.direct.perSecond] },
    },
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const log = (line: string) => process.stdout.write(`bench: ${line}\n`);
  benchRelay({ quick: process.argv.includes('--quick'), log }).then(
    (r) => {
      for (const f of relayFigures(r)) log(`${f.name}: ${f.samples.map((s) => s.toFixed(0)).join(', ')}${f.note ? ` (${f.note})` : ''}`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

/**
 * One simulated station, start to finish: the backend, W workstations with their sync engines and
 * local databases, the network, the agents and the faults, on one simulated clock from one seed;
 * then every fault healed, time for the workstations to sync on their own schedule, and the final
 * checks. Returns a report that is the same, byte for byte, every time the same options run.
 */
import { createHash } from 'node:crypto';
import { readEnrolment } from '../renderer/db/enrolment';
import { MutationResult, PROTOCOL_HEADER, PROTOCOL_VERSION, STAFF_SESSION_HEADER } from '../shared/protocol/v1';
import { Observer, SimBackend } from './backend';
import { SimRandom, seedUuids } from './determinism';
import { FaultInjector, type FaultKind } from './faults';
import { AnswerLog, finalChecks, INVARIANTS, type Violation } from './invariants';
import { LegacyRefusals } from './legacy';
import { SimNetwork } from './network';
import { SimScheduler } from './scheduler';
import { DEFAULT_MIX, SUPERVISOR_ID, World, type AgentMix } from './world';
import { SimWorkstation, type WorkstationRole, type WorkstationSpec } from './workstation';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface SimOptions {
  seed: number;
  hours: number;
  workstations: number;
  /** Flights in the backend's demo timetable (over its 38-hour window). */
  flights: number;
  /** Passengers per flight. */
  pax: number;
  faults: readonly FaultKind[];
  /** The backend refuses clashing facts, as before "Field truth wins" (see legacy.ts). */
  legacyRefusals: boolean;
  /** Minutes after healing before the final checks (workstations sync on their own meanwhile). */
  healMinutes: number;
  mix?: AgentMix;
  /** Include the fault log in the report. */
  verbose?: boolean;
}

export const DEFAULT_OPTIONS: Omit<SimOptions, 'seed'> = {
  hours: 24,
  workstations: 4,
  flights: 16,
  pax: 30,
  faults: [],
  legacyRefusals: false,
  healMinutes: 30,
};

export interface SimResult {
  options: SimOptions;
  violations: Violation[];
  report: string;
  digest: string;
  faults: Map<string, number>;
  cpuMs: number;
  wallMs: number;
}

/** Where a seed's day starts: a March morning in London, on one of 60 days (the clocks go forward on one of them). */
export function startInstant(seed: number): string {
  const day = Date.parse('2027-03-01T05:30:00.000Z') + (Math.abs(seed) % 60) * 24 * HOUR;
  return new Date(day).toISOString();
}

/** Desks and gates: a gate for every two workstations, a desk-and-gate when there is only one. */
export function stationLayout(n: number): WorkstationSpec[] {
  const staff = ['AG1001', 'AG1002', 'AG1003', 'AG1004'];
  if (n === 1) return [{ name: 'WS-1', role: 'desk+gate', staffId: staff[0]! }];
  const gates = Math.max(1, Math.floor(n / 2));
  return Array.from({ length: n }, (_, i) => {
    const role: WorkstationRole = i < n - gates ? 'desk' : 'gate';
    const k = role === 'desk' ? i + 1 : i - (n - gates) + 1;
    return { name: `${role === 'desk' ? 'DESK' : 'GATE'}-${k}`, role, staffId: staff[i % staff.length]! };
  });
}

/** Counts pending setImmediate callbacks (fake-indexeddb, Fastify's injection and the backend all use it). */
class Immediates {
  pending = 0;
  private readonly live = new Set<unknown>();
  private readonly original = { set: globalThis.setImmediate, clear: globalThis.clearImmediate };
  install(): void {
    const { set, clear } = this.original;
    const patchedSet = ((fn: (...a: unknown[]) => void, ...args: unknown[]) => {
      this.pending += 1;
      const handle = set(() => {
        if (this.live.delete(handle)) this.pending -= 1;
        fn(...args);
      });
      this.live.add(handle);
      return handle;
    }) as unknown as typeof setImmediate;
    const patchedClear = ((handle: NodeJS.Immediate | undefined) => {
      if (handle !== undefined && this.live.delete(handle)) this.pending -= 1;
      clear(handle);
    }) as typeof clearImmediate;
    globalThis.setImmediate = patchedSet;
    globalThis.clearImmediate = patchedClear;
  }
  uninstall(): void {
    globalThis.setImmediate = this.original.set;
    globalThis.clearImmediate = this.original.clear;
  }
  /** One turn of the event loop, not counted. */
  turn(): Promise<void> {
    return new Promise((resolve) => this.original.set(resolve));
  }
}

export async function runSimulation(options: SimOptions): Promise<SimResult> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  // fake-indexeddb throws (and catches) a DataError for every index a stored record has no key for
  // (the outbox's flightId of null, say): capturing a stack for each costs more than the rest of the
  // database work. Stacks are off during a run (SIM_STACKS=1 keeps them, for debugging the simulator).
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env.SIM_STACKS) Error.stackTraceLimit = 0;
  const random = new SimRandom(options.seed);
  const restoreUuids = seedUuids(random.stream('ids'));
  const immediates = new Immediates();
  immediates.install();
  const scheduler = new SimScheduler(startInstant(options.seed));
  const backend = new SimBackend({ seed: options.seed, flights: options.flights, paxPerFlight: options.pax, clock: scheduler.clock.now });
  const answers = new AnswerLog();
  const net = new SimNetwork(backend, scheduler, random.stream('network'), answers);
  const observer = new Observer(backend);
  let tracked = 0;
  const failures: string[] = [];
  const track = (work: Promise<void>) => {
    tracked += 1;
    void work
      .catch((error: unknown) => failures.push(error instanceof Error ? error.message : String(error)))
      .finally(() => (tracked -= 1));
  };
  const specs = stationLayout(options.workstations);
  const workstations = specs.map((spec) => new SimWorkstation(spec, scheduler, net, random.stream(`ws:${spec.name}`)));
  const world = new World(scheduler, backend, observer, workstations, random.stream('agents'), options.mix ?? DEFAULT_MIX);
  world.backendRestored = () => observer.reset();
  world.reachable = (ws) => net.reachable(ws.name);
  const injector = new FaultInjector(options.faults, scheduler, random.stream('faults'), net, backend, workstations, world, track);
  const restartRandom = random.stream('restarts');
  for (const ws of workstations) {
    ws.onDeath = (dead) => {
      // Someone restarts the machine after a while.
      scheduler.set(() => track(dead.restart()), restartRandom.int(1, 20) * MIN);
    };
  }

  let stuck = 0;
  const settle = async (): Promise<void> => {
    for (let round = 0; ; round++) {
      await immediates.turn();
      if (immediates.pending > 0 || net.active > 0 || world.tasks > 0 || tracked > 0) continue;
      if (workstations.some((w) => w.working)) {
        // Waiting on something that is neither simulated time nor the event loop: give real timers a turn.
        if (round % 50 === 49) await new Promise((r) => setTimeout(r, 0));
        if (round > 20_000) throw new Error('the simulation is stuck: an engine waits on something that never comes');
        stuck += 1;
        continue;
      }
      return;
    }
  };

  let violations: Violation[];
  let report: string;
  try {
    await backend.start();
    await observer.sync();
    if (options.legacyRefusals) {
      const legacy = new LegacyRefusals(observer);
      net.intercept = (request, inject) => legacy.push(request, inject);
    }
    for (const ws of workstations) await ws.boot();
    await settle();
    world.start();
    injector.start();
    const start = scheduler.nowMs();
    const end = start + options.hours * HOUR;
    await scheduler.runUntil(end, settle);
    // Heal everything, stop the agents, and let the workstations sync on their own schedule.
    world.stop();
    await injector.heal();
    await settle();
    // The workstations send what they kept; then a supervisor, signed in online, confirms what the
    // backend held for one (supervisor-only decisions taken under an offline sign-in), as on the Sync screen.
    await scheduler.runUntil(end + Math.min(10, options.healMinutes / 2) * MIN, settle);
    await confirmHeld(workstations, backend, answers);
    await settle();
    await scheduler.runUntil(end + options.healMinutes * MIN, settle);
    await observer.sync();
    violations = await finalChecks({
      workstations,
      backend: observer.replica,
      world,
      answers,
      nowMs: scheduler.nowMs(),
      retentionHours: 24,
    });
    const flags = new Map<string, number>();
    for (const p of observer.replica.passengers()) for (const f of p.flags ?? []) flags.set(f.code, (flags.get(f.code) ?? 0) + 1);
    for (const f of observer.replica.flights()) for (const x of f.flags ?? []) flags.set(x.code, (flags.get(x.code) ?? 0) + 1);
    report = formatReport({
      options,
      world,
      injector,
      net,
      answers,
      violations,
      startIso: new Date(start).toISOString(),
      failures,
      flags,
      signIns: workstations.reduce((n, w) => n + w.signInCount, 0),
    });
  } finally {
    for (const ws of workstations) if (ws.alive) await ws.engine.stop().catch(() => undefined);
    for (const ws of workstations) ws.db?.close();
    await backend.dispose();
    immediates.uninstall();
    restoreUuids();
    Error.stackTraceLimit = stackTraceLimit;
  }
  const cpu = process.cpuUsage(cpu0);
  void stuck;
  return {
    options,
    violations,
    report,
    digest: createHash('sha256').update(report).digest('hex').slice(0, 16),
    faults: injector.injected,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - wall0,
  };
}

/** A supervisor signed in online at the first workstation that can, confirming every held action of the station. */
async function confirmHeld(workstations: readonly SimWorkstation[], backend: SimBackend, answers: AnswerLog): Promise<void> {
  for (const ws of workstations) {
    const enrolment = ws.alive ? await readEnrolment(ws.db) : null;
    const session = enrolment ? await ws.supervisorOnline(SUPERVISOR_ID) : null;
    if (!enrolment || !session) continue;
    const headers = {
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      authorization: `Bearer ${enrolment.token}`,
      [STAFF_SESSION_HEADER]: session,
      'content-type': 'application/json',
    };
    const listed = await backend.inject({ method: 'GET', url: '/v1/staff/held', headers });
    if (listed.status !== 200) continue;
    const held = (JSON.parse(listed.body) as { held: { mutationId: string }[] }).held;
    for (const h of held) {
      const answer = await backend.inject({ method: 'POST', url: `/v1/staff/held/${h.mutationId}/confirm`, headers, payload: '{}' });
      if (answer.status !== 200) continue;
      const result = MutationResult.safeParse((JSON.parse(answer.body) as { result: unknown }).result);
      if (result.success) answers.confirmed(result.data);
    }
    return;
  }
}

function sortedEntries(map: ReadonlyMap<string, number>): string {
  const list = [...map].sort(([a], [b]) => (a < b ? -1 : 1));
  return list.length === 0 ? 'none' : list.map(([k, n]) => `${k} ×${n}`).join(', ');
}

/** The run's replay command. */
export function replayCommand(o: SimOptions): string {
  const parts = [`npm run sim -- --seed ${o.seed} --hours ${o.hours} --workstations ${o.workstations}`];
  if (o.flights !== DEFAULT_OPTIONS.flights) parts.push(`--flights ${o.flights}`);
  if (o.pax !== DEFAULT_OPTIONS.pax) parts.push(`--pax ${o.pax}`);
  parts.push(`--faults ${o.faults.length === 0 ? 'none' : o.faults.join(',')}`);
  if (o.legacyRefusals) parts.push('--legacy-refusals');
  if (o.healMinutes !== DEFAULT_OPTIONS.healMinutes) parts.push(`--heal ${o.healMinutes}`);
  return parts.join(' ');
}

function formatReport(r: {
  options: SimOptions;
  world: World;
  injector: FaultInjector;
  net: SimNetwork;
  answers: AnswerLog;
  violations: Violation[];
  startIso: string;
  failures: string[];
  flags: Map<string, number>;
  signIns: number;
}): string {
  const { options: o, world } = r;
  const specs = stationLayout(o.workstations);
  const lines = [
    `Backstop station simulation — seed ${o.seed}`,
    `station LHR · ${o.hours} h from ${r.startIso} (simulated) · ${specs.map((s) => `${s.name} (${s.role})`).join(', ')}`,
    `${o.flights} flights in the timetable × ${o.pax} passengers · backend ${o.legacyRefusals ? 'with LEGACY REFUSALS (before "Field truth wins")' : 'as it is'}`,
    `faults enabled: ${o.faults.length === 0 ? 'none' : o.faults.join(', ')}`,
    '',
    `flights worked: ${world.plannedFlights().length} · passengers served at desks ${world.stats.passengers.served}, boarded ${world.stats.passengers.boarded}, stayed behind ${world.stats.passengers.gone}`,
    `actions committed: ${sortedEntries(world.stats.actions)}; ${world.stats.offline} of them while the workstation could not reach the backend; sign-ins ${r.signIns}`,
    `refused at the desk: ${sortedEntries(world.stats.refusals)}`,
    `failed at the desk: ${sortedEntries(world.stats.errors)}`,
    `faults injected: ${sortedEntries(r.injector.injected)}`,
    `requests faulted: ${sortedEntries(r.net.faultsInjected)}`,
    `backend answers to pushed actions: ${sortedEntries(r.answers.counts)}`,
    `who-did-it doubts the backend flagged: ${sortedEntries(r.answers.identity)}`,
    `left for a person after reconciliation (backend flags): ${sortedEntries(r.flags)}`,
    ...(r.failures.length > 0 ? [`simulation problems: ${r.failures.join('; ')}`] : []),
    '',
    'invariants:',
    ...INVARIANTS.map((inv) => {
      const n = r.violations.filter((v) => v.invariant === inv).length;
      return `  ${n === 0 ? 'ok  ' : 'FAIL'} ${inv}${n === 0 ? '' : ` (${n})`}`;
    }),
  ];
  if (r.violations.length > 0) {
    lines.push('', 'violations:');
    for (const v of r.violations.slice(0, 40)) lines.push(`  ${v.invariant}: ${v.detail}`);
    if (r.violations.length > 40) lines.push(`  … and ${r.violations.length - 40} more`);
  }
  if (o.verbose) lines.push('', 'fault log:', ...r.injector.log.map((l) => `  ${l}`));
  lines.push('', `RESULT: ${r.violations.length === 0 ? 'PASS' : `FAIL (${r.violations.length} violations)`}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The backend on its two stores, side by side in one run: SQLite (the embedded default) and
 * PostgreSQL (the production store; when a database URL is given). For each, the real backend
 * (`server/cli.ts`) runs in its own process on freshly seeded demo data, and this measures:
 * - seeding (generate + write + index + commit), from the server's own start banner;
 * - push throughput: mutations/s with 1, 10 and 50 workstations pushing boardings at once, each in
 *   batches of 20 (one durable commit group per batch), each desk through the passengers of a flight;
 * - pull page latency: server time per page (Server-Timing) of a full pull, median and p95;
 * - fill time: that full pull over loopback, as an empty workstation's first sync asks for it.
 *
 *   npx tsx bench/server-store.ts [--quick] [--database postgres://…]   (or BACKSTOP_BENCH_DATABASE_URL)
 *
 * `npm run bench` includes these rows (PostgreSQL ones when BACKSTOP_BENCH_DATABASE_URL is set). On
 * PostgreSQL the run uses a schema of its own in that database and drops it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Mutation } from '../shared/domain/mutations';
import type { Flight, Passenger } from '../shared/domain/schemas';
import { Replica, Workstation } from '../tests/support/server-harness';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface StoreBenchOptions {
  quick: boolean;
  /** PostgreSQL URL; null: SQLite only. */
  databaseUrl: string | null;
  log?: (line: string) => void;
}

/** One store's figures. */
export interface StoreResult {
  store: 'SQLite' | 'PostgreSQL';
  seedMs: number;
  passengers: number;
  /** Mutations per second by number of concurrent workstations. */
  push: { workstations: number; mutations: number; ms: number; perSecond: number }[];
  /** Server time of each page of a full pull. */
  pageMs: number[];
  pages: number;
  changes: number;
  bytes: number;
  fillMs: number;
}

export const SCALES = {
  quick: { flights: 40, paxPerFlight: 150, perWorkstation: { 1: 200, 10: 20, 50: 4 } as Record<number, number> },
  full: { flights: 1000, paxPerFlight: 300, perWorkstation: { 1: 2000, 10: 300, 50: 80 } as Record<number, number> },
};
const CONCURRENCY = [1, 10, 50] as const;
const BATCH = 20;

async function startBackend(args: string[]): Promise<{ child: ChildProcess; url: string; banner: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/cli.ts'), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const banner = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('listening on'));
      if (line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`backend exited (${code ?? 'signal'}): ${out}`)));
  });
  const url = /listening on (http:\/\/\S+)/.exec(banner)?.[1];
  if (!url) throw new Error(`no URL in ${banner}`);
  return { child, url, banner };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A schema of its own in the given database (dropped by the returned function), as a URL. */
async function benchSchema(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `backstop_bench_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('SET client_min_messages = warning');
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  return { url: withSchema.toString(), drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

/** A full pull as an empty workstation's first sync asks for it (default page bounds), with server time per page. */
async function fullPull(url: string): Promise<{ replica: Replica; pageMs: number[]; changes: number; bytes: number; wallMs: number }> {
  const ws = await Workstation.enrol(url, 'BENCH FILL');
  const replica = new Replica();
  const pageMs: number[] = [];
  let cursor: string | null = null;
  let changes = 0;
  let bytes = 0;
  const started = performance.now();
  for (;;) {
    const page = await ws.pull(cursor);
    pageMs.push(Number(/dur=([\d.]+)/.exec(page.raw.headers.get('server-timing') ?? '')?.[1] ?? NaN));
    bytes += Buffer.byteLength(page.raw.text);
    changes += page.changes.length;
    replica.apply(page.changes);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return { replica, pageMs, changes, bytes, wallMs: performance.now() - started };
}

/** Checked-in passengers of open flights, flight by flight: a desk works through one flight at a time, as at a gate. */
function boardable(replica: Replica): { flightId: string; passengerId: string }[] {
  const open = new Set(
    replica
      .flights()
      .filter((f: Flight) => f.status === 'scheduled')
      .map((f) => f.id),
  );
  return replica
    .of<Passenger>('passenger')
    .filter((p) => p.status === 'checked-in' && open.has(p.flightId))
    .sort((a, b) => a.flightId.localeCompare(b.flightId))
    .map((p) => ({ flightId: p.flightId, passengerId: p.id }));
}

/** `workstations` desks push `each` boardings at once, in batches; mutations per second over the whole. */
async function pushThroughput(
  url: string,
  targets: { flightId: string; passengerId: string }[],
  workstations: number,
  each: number,
): Promise<{ mutations: number; ms: number }> {
  const desks = await Promise.all(
    Array.from({ length: workstations }, (_, i) => Workstation.enrol(url, `BENCH PUSH ${workstations}/${i + 1}`)),
  );
  const at = new Date().toISOString();
  const plans: Mutation[][] = desks.map((ws, d) =>
    Array.from({ length: each }, (_, k) => {
      // Distinct passengers while there are enough; beyond that a boarding is a duplicate, still a full push.
      const t = targets[(d * each + k) % Math.max(1, targets.length)]!;
      return ws.mutation('passenger.board', { ...t, via: 'scan' }, 'AG1002', at);
    }),
  );
  const started = performance.now();
  await Promise.all(
    desks.map(async (ws, d) => {
      const plan = plans[d]!;
      for (let i = 0; i < plan.length; i += BATCH) {
        const res = await ws.push(plan.slice(i, i + BATCH));
        const odd = res.results.find((r) => r.status !== 'applied' && r.status !== 'duplicate');
        if (odd) throw new Error(`push refused: ${JSON.stringify(odd)}`);
      }
    }),
  );
  return { mutations: workstations * each, ms: performance.now() - started };
}

async function benchStore(
  store: StoreResult['store'],
  databaseUrl: string | null,
  quick: boolean,
  log: (l: string) => void,
): Promise<StoreResult> {
  const scale = quick ? SCALES.quick : SCALES.full;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backstop-bench-store-'));
  const schema = databaseUrl ? await benchSchema(databaseUrl) : null;
  const backend = await startBackend([
    `--data-dir=${dataDir}`,
    ...(schema ? [`--database=${schema.url}`] : []),
    '--port=0',
    '--reset',
    `--flights=${scale.flights}`,
    `--pax-per-flight=${scale.paxPerFlight}`,
    '--log-level=warn',
    // Many workstations from one address, as fast as they go: a throughput test, not a station.
    '--rate-limit-enrol=100000',
    '--rate-limit-push=10000000',
  ]);
  try {
    const seeded = /(\d+) flights, (\d+) passengers seeded in ([\d.]+) s/.exec(backend.banner);
    const seedMs = Number(seeded?.[3] ?? NaN) * 1000;
    const passengers = Number(seeded?.[2] ?? 0);
    log(`${store}: seeded ${passengers} passengers in ${(seedMs / 1000).toFixed(1)} s`);
    const fill = await fullPull(backend.url);
    log(
      `${store}: full pull ${fill.pageMs.length} pages, ${fill.changes} changes, ${(fill.bytes / 1_048_576).toFixed(0)} MB in ${fill.wallMs.toFixed(0)} ms`,
    );
    const targets = boardable(fill.replica);
    const push: StoreResult['push'] = [];
    let offset = 0;
    for (const n of CONCURRENCY) {
      const each = scale.perWorkstation[n]!;
      const r = await pushThroughput(backend.url, targets.slice(offset), n, each);
      offset += n * each;
      const perSecond = (r.mutations / r.ms) * 1000;
      push.push({ workstations: n, mutations: r.mutations, ms: r.ms, perSecond });
      log(`${store}: ${n} workstation(s) pushed ${r.mutations} boardings in ${r.ms.toFixed(0)} ms = ${perSecond.toFixed(0)} mutations/s`);
    }
    return {
      store,
      seedMs,
      passengers,
      push,
      pageMs: fill.pageMs,
      pages: fill.pageMs.length,
      changes: fill.changes,
      bytes: fill.bytes,
      fillMs: fill.wallMs,
    };
  } finally {
    await stop(backend.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
    await schema?.drop();
  }
}

export async function benchStores({ quick, databaseUrl, log = () => {} }: StoreBenchOptions): Promise<StoreResult[]> {
  const results = [await benchStore('SQLite', null, quick, log)];
  if (databaseUrl) results.push(await benchStore('PostgreSQL', databaseUrl, quick, log));
  return results;
}

export function quantile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))]!;
}

/** The rows `npm run bench` shows (bench/run.ts): each PostgreSQL figure beside the SQLite one of the same run. */
export interface BenchFigure {
  name: string;
  unit: 'ms' | '/s';
  target: string;
  samples: number[];
  headline: 'median' | 'p95' | 'value';
  baseline?: { name: string; samples: number[] };
  note?: string;
}

export function storeFigures(results: StoreResult[]): BenchFigure[] {
  const sqlite = results.find((r) => r.store === 'SQLite');
  const beside = (r: StoreResult, name: string, samples: (x: StoreResult) => number[]) =>
    r.store === 'SQLite' || !sqlite ? {} : { baseline: { name: `SQLite, same run: ${name}`, samples: samples(sqlite) } };
  return results.flatMap((r) => [
    {
      name: `Backend seed of ${r.passengers.toLocaleString('en-GB')} passengers (${r.store})`,
      unit: 'ms' as const,
      target: 'report',
      samples: [r.seedMs],
      headline: 'value' as const,
      ...beside(r, 'seed', (x) => [x.seedMs]),
    },
    ...CONCURRENCY.map((n, i) => ({
      name: `Backend push throughput, ${n} workstation${n > 1 ? 's' : ''} at once, batches of ${BATCH} (${r.store})`,
      unit: '/s' as const,
      target: 'report',
      samples: [r.push[i]?.perSecond ?? NaN],
      headline: 'value' as const,
      note: `${r.push[i]?.mutations} boardings in ${r.push[i]?.ms.toFixed(0)} ms`,
      ...beside(r, `${n} at once`, (x) => [x.push[i]?.perSecond ?? NaN]),
    })),
    {
      name: `Backend pull page, server time (${r.store}, ${r.pages} pages of ≤5,000 changes)`,
      unit: 'ms' as const,
      target: 'report',
      samples: r.pageMs,
      headline: 'p95' as const,
      note: `median ${quantile(r.pageMs, 0.5).toFixed(1)} ms`,
      ...beside(r, 'p95', (x) => x.pageMs),
    },
    {
      name: `Backend fill: full pull over loopback (${r.store}, ${r.changes.toLocaleString('en-GB')} changes, ${(r.bytes / 1_048_576).toFixed(0)} MB)`,
      unit: 'ms' as const,
      target: 'report',
      samples: [r.fillMs],
      headline: 'value' as const,
      ...beside(r, 'fill', (x) => [x.fillMs]),
    },
  ]);
}

function table(results: StoreResult[]): string {
  const col = (f: (r: StoreResult) => string) => results.map(f).join(' | ');
  const rows = [
    `| figure | ${results.map((r) => r.store).join(' | ')} |`,
    `|---|${results.map(() => '---').join('|')}|`,
    `| seed ${results[0]?.passengers.toLocaleString('en-GB')} passengers | ${col((r) => `${(r.seedMs / 1000).toFixed(1)} s`)} |`,
    ...CONCURRENCY.map(
      (n, i) =>
        `| push, ${n} workstation${n > 1 ? 's' : ''} at once (mutations/s) | ${col((r) => `${r.push[i]?.perSecond.toFixed(0)} (${r.push[i]?.mutations} in ${r.push[i]?.ms.toFixed(0)} ms)`)} |`,
    ),
    `| pull page, server time median / p95 | ${col((r) => `${quantile(r.pageMs, 0.5).toFixed(1)} / ${quantile(r.pageMs, 0.95).toFixed(1)} ms (${r.pages} pages)`)} |`,
    `| fill: full pull over loopback | ${col((r) => `${(r.fillMs / 1000).toFixed(1)} s (${r.changes.toLocaleString('en-GB')} changes, ${(r.bytes / 1_048_576).toFixed(0)} MB)`)} |`,
  ];
  return rows.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, database: { type: 'string' } } });
  const databaseUrl = values.database ?? process.env.BACKSTOP_BENCH_DATABASE_URL ?? null;
  const log = (line: string) => process.stdout.write(`bench: ${line}\n`);
  const results = await benchStores({ quick: values.quick ?? false, databaseUrl, log });
  process.stdout.write(
    `\n${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · Node ${process.version}${databaseUrl ? '' : ' · PostgreSQL: set BACKSTOP_BENCH_DATABASE_URL or --database'}\n\n${table(results)}\n`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

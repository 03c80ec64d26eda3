/**
 * `npm run bench`: Backstop's speed and memory figures, each beside a baseline measured in the same
 * run. The reference backend runs as its own process (so its memory is its own) with hub-scale demo
 * data; the app's modules run in Debian's Chromium on the benchmark page (bench/page/). Writes
 * bench/runs/latest.json and latest.md (ignored by git) and prints the table.
 *
 *   npm run bench               hub scale (1,000 flights × 300 passengers), 5 runs after a warm-up
 *   npm run bench -- --quick    small scale, 2 runs: proves the harness works (CI); no thresholds
 *   npm run bench -- --publish  hub scale, and also replace the committed bench/results/latest.* with this run
 *   npm run bench -- --fill-only   only the first-fill rows (with --quick or at hub scale), to bench/runs/fill.*
 *   npm run bench -- --incremental-only   one fill, then only the incremental-sync row (10 runs), to bench/runs/incremental.*
 *   add --profile (to either) for a CPU profile of the last run of the row timed: bench/runs/*.cpuprofile and its top functions
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium';
import { launchChromiumBackend, renderBoardingPassPdf, renderManifestPdf } from '../tests/support/print/chromium-backend';
import { printerTestPage } from '../shared/documents';
import { Workstation } from '../tests/support/server-harness';
import { startFaultProxy } from '../tests/support/fault-proxy';
import { decoded, rawPost } from '../tests/support/raw-http';
import { PULL_LIMITS } from '../shared/protocol/v1';
import { DEMO_AGENT_PIN } from '../server/demo/staff';
import { startBrowserHostServer } from '../scripts/serve-browser';
import { benchStores, storeFigures } from './server-store';
import { cpuSnapshot, cpuSpent, formatCpu } from './cpu';
import { benchRelay, relayFigures } from './relay';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
/** Only the first-fill rows (fills, wire, station link, validation, the real app's first sync): for iterating on the fill. */
const fillOnly = process.argv.includes('--fill-only');
/** One fill, then only the incremental-sync row: for iterating on the sync cycle. */
const incrementalOnly = process.argv.includes('--incremental-only');
const publish = process.argv.includes('--publish') && !fillOnly && !incrementalOnly;
const profile = process.argv.includes('--profile');
const SCALE = quick
  ? { flights: 40, paxPerFlight: 150, runs: 2, incremental: 200, drain: 300, scans: 40, searches: 100, manifests: 10, perPassenger: 6_000 }
  : {
      flights: 1000,
      paxPerFlight: 300,
      runs: 5,
      incremental: 1000,
      drain: 10_000,
      scans: 200,
      searches: 200,
      manifests: 30,
      perPassenger: 300_000,
    };
const STATION = 'LHR';

interface Figure {
  name: string;
  unit: 'ms' | 'MB' | '×' | '/s' | 'B' | 'µs';
  target: string;
  /** Samples of the figure (one per run, or one per operation for distributions). */
  samples: number[];
  /** p95 instead of median as the headline (distributions of single operations). */
  headline: 'median' | 'p95' | 'value';
  baseline?: { name: string; samples: number[] };
  note?: string;
}

const figures: Figure[] = [];

function stat(samples: number[], kind: Figure['headline']): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  if (kind === 'p95') return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
  if (kind === 'value') return sorted.at(-1)!;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function fmt(n: number, unit: Figure['unit']): string {
  if (!Number.isFinite(n)) return '—';
  if (unit === '/s') return `${n.toFixed(0)}/s`;
  if (unit === 'B') return `${n.toFixed(0)} B`;
  if (unit === 'µs') return `${n.toFixed(2)} µs`;
  return unit === '×' ? `${n.toFixed(2)}×` : unit === 'MB' ? `${n.toFixed(0)} MB` : n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(1)} ms`;
}

function log(message: string): void {
  process.stdout.write(`bench: ${message}\n`);
}

async function startBackend(dataDir: string): Promise<{ url: string; child: ChildProcess; rssMb: () => { rss: number; peak: number } }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'server/cli.ts'),
      `--data-dir=${dataDir}`,
      '--port=0',
      '--reset',
      `--flights=${SCALE.flights}`,
      `--pax-per-flight=${SCALE.paxPerFlight}`,
      '--log-level=warn',
      `--station=${STATION}`,
      '--rate-limit-enrol=100000',
      '--rate-limit-push=10000000',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`backend exited (${code ?? 'signal'}): ${out}`)));
  });
  const rssMb = () => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  };
  return { url, child, rssMb };
}

type Bench = Window['bench'];
function call<K extends keyof Bench>(page: Page, fn: K, ...args: Parameters<Bench[K]>): Promise<Awaited<ReturnType<Bench[K]>>> {
  return page.evaluate(({ fn, args }) => (window.bench[fn] as (...a: unknown[]) => unknown)(...args), { fn, args }) as Promise<
    Awaited<ReturnType<Bench[K]>>
  >;
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1_048_576;
}

/**
 * A first fill as the wire carries it: every page asked for as Chromium's fetch asks (br), and again
 * uncompressed, by a workstation of its own, with the engine's page limits.
 */
async function wireBytes(
  backendUrl: string,
  form: 'bulk' | 'feed',
): Promise<{ compressed: number; plain: number; passengers: number; pages: number; encoding: string }> {
  const ws = await Workstation.enrol(backendUrl, `BENCH-WIRE-${form}`, STATION);
  const post = async (route: string, body: object, acceptEncoding: string) => {
    const res = await rawPost(ws, route, { clientId: ws.deviceId, station: STATION, ...body }, acceptEncoding);
    return { wire: res.wire.length, text: decoded(res).toString(), encoding: res.headers['content-encoding'] ?? 'identity' };
  };
  const all = async (acceptEncoding: string) => {
    let wire = 0;
    let passengers = 0;
    let pages = 0;
    // The first page's: the last one may be too small to compress.
    let encoding: string | null = null;
    let cursor: string | null = null;
    // The bulk form as the engine asks for it, then the feed from its snapshot (which the engine pulls too).
    if (form === 'bulk') {
      for (;;) {
        const page = await post('/v1/sync/bulk', { cursor, maxFlights: 100, maxBytes: PULL_LIMITS.maxBytes }, acceptEncoding);
        const body = JSON.parse(page.text) as { flights: { pax: { n: number } }[]; cursor: string; snapshot: string; hasMore: boolean };
        wire += page.wire;
        passengers += body.flights.reduce((n, f) => n + f.pax.n, 0);
        pages++;
        encoding ??= page.encoding;
        cursor = body.hasMore ? body.cursor : body.snapshot;
        if (!body.hasMore) break;
      }
    }
    for (;;) {
      const page = await post('/v1/sync/pull', { cursor, ...PULL_LIMITS }, acceptEncoding);
      const body = JSON.parse(page.text) as { changes: { kind: string }[]; cursor: string; hasMore: boolean };
      wire += page.wire;
      passengers += body.changes.filter((c) => c.kind === 'passenger').length;
      pages++;
      encoding ??= page.encoding;
      cursor = body.cursor;
      if (!body.hasMore) return { wire, passengers, pages, encoding };
    }
  };
  const compressed = await all('gzip, deflate, br, zstd');
  const plain = await all('identity');
  return {
    compressed: compressed.wire,
    plain: plain.wire,
    passengers: compressed.passengers,
    pages: compressed.pages,
    encoding: compressed.encoding,
  };
}

/**
 * The real app (built renderer, sync worker and all) filling its cache at this scale, signed in on
 * the departures screen: its page JS heap, and the whole renderer process (page + sync worker +
 * IndexedDB client) as the OS sees it.
 */
async function appMemoryAfterFill(browser: Browser, backendUrl: string, pageFills: number[]): Promise<Figure[]> {
  if (!existsSync(path.join(root, 'out/renderer/index.html'))) {
    spawnSync(path.join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, stdio: 'ignore' });
  }
  const app = await startBrowserHostServer({
    port: 0,
    backendUrl,
    station: STATION,
    workstation: 'BENCH-APP',
    enrolmentKey: 'backstop-demo',
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(app.url);
    const before = await heapMb(page);
    const t0 = performance.now();
    await page.getByTestId('data-age').filter({ hasNotText: 'Never synced' }).waitFor({ timeout: 600_000 });
    const fillMs = performance.now() - t0;
    await page.getByLabel('Staff ID').fill('AG1001');
    await page.getByLabel('PIN').fill(DEMO_AGENT_PIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Departures/ }).waitFor();
    await page.waitForTimeout(1_000);
    const heap = await heapMb(page);
    const worker = await workerHeapMb(browser);
    const cdp = await browser.newBrowserCDPSession();
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    await cdp.detach();
    const rss = processInfo
      .filter((p) => p.type === 'renderer')
      .map((p) => {
        try {
          return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1] ?? 0) / 1024;
        } catch {
          return 0;
        }
      });
    log(
      `app: first sync through the UI ${fillMs.toFixed(0)} ms; page heap ${heap.toFixed(0)} MB; sync worker heap ${worker.toFixed(0)} MB; renderer processes ${rss.map((r) => r.toFixed(0)).join(', ')} MB`,
    );
    await page.close();
    // Cold start with the full cache: the app opened again on the same profile (same IndexedDB), to a
    // departures list showing flights, signing in on the way as an agent would.
    const toSignIn: number[] = [];
    const toDepartures: number[] = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const cold = await context.newPage();
      const t1 = performance.now();
      await cold.goto(app.url);
      await cold.getByLabel('Staff ID').waitFor();
      toSignIn.push(performance.now() - t1);
      await cold.getByLabel('Staff ID').fill('AG1001');
      await cold.getByLabel('PIN').fill(DEMO_AGENT_PIN);
      await cold.getByRole('button', { name: 'Sign in' }).click();
      await cold
        .getByTestId(/^flight-/)
        .first()
        .waitFor();
      toDepartures.push(performance.now() - t1);
      await cold.close();
    }
    log(
      `app: cold start to departures ${toDepartures.map((t) => t.toFixed(0)).join(', ')} ms (sign-in screen ${toSignIn.map((t) => t.toFixed(0)).join(', ')} ms)`,
    );
    const firstSync: Figure = {
      name: 'First sync in the real app (built renderer, sync worker, sealed at rest), to "data as of"',
      unit: 'ms',
      target: quick ? '—' : '≤ 6,000 ms',
      samples: [fillMs],
      headline: 'value',
      baseline: { name: 'the bench page’s fill (median, same run)', samples: pageFills },
    };
    const coldStart: Figure = {
      name: 'Cold start with a full cache to the departures list (signing in)',
      unit: 'ms',
      target: '≤ 1,500 ms',
      samples: toDepartures,
      headline: 'median',
      baseline: { name: 'the same start to the sign-in screen', samples: toSignIn },
    };
    const memory: Figure = {
      name: 'App renderer JS heap after the fill (page + sync worker, signed in on departures)',
      unit: 'MB',
      target: '≤ 250 MB',
      samples: [heap + worker],
      headline: 'value',
      baseline: { name: 'same page before the fill', samples: [before] },
      note: `page ${heap.toFixed(0)} MB + worker ${worker.toFixed(0)} MB; renderer process RSS ${Math.max(...rss).toFixed(0)} MB; first sync through the real app took ${(fillMs / 1000).toFixed(1)} s`,
    };
    return [firstSync, coldStart, memory];
  } finally {
    await context.close();
    await app.close();
  }
}

/** JS heap of the app's sync worker(s), after a forced GC, through the DevTools protocol. */
async function workerHeapMb(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string }[] };
    let total = 0;
    for (const t of targetInfos.filter((x) => x.type === 'worker')) {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
      let nextId = 1;
      const ask = (method: string) =>
        new Promise<Record<string, unknown>>((resolve) => {
          const id = nextId++;
          const onMessage = (e: { sessionId: string; message: string }) => {
            const msg = JSON.parse(e.message) as { id?: number; result?: Record<string, unknown> };
            if (e.sessionId === sessionId && msg.id === id) {
              cdp.off('Target.receivedMessageFromTarget', onMessage);
              resolve(msg.result ?? {});
            }
          };
          cdp.on('Target.receivedMessageFromTarget', onMessage);
          void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) });
        });
      await ask('HeapProfiler.collectGarbage');
      total += Number((await ask('Runtime.getHeapUsage')).usedSize ?? 0) / 1_048_576;
      await cdp.send('Target.detachFromTarget', { sessionId });
    }
    return total;
  } finally {
    await cdp.detach();
  }
}

async function pushBoardings(url: string, targets: { flightId: string; passengerId: string }[]): Promise<number> {
  const ws = await Workstation.enrol(url, 'BENCH-UPSTREAM', STATION);
  const at = new Date().toISOString();
  const t0 = performance.now();
  for (let i = 0; i < targets.length; i += 200) {
    const batch = targets.slice(i, i + 200).map((t) => ws.mutation('passenger.board', { ...t, via: 'scan' }, 'AG1002', at));
    const res = await ws.push(batch);
    const refused = res.results.filter((r) => r.status !== 'applied');
    if (refused.length > 0) throw new Error(`upstream boarding refused: ${JSON.stringify(refused[0])}`);
  }
  return performance.now() - t0;
}

/** A CPU profile of the page (its sync runs on the page's thread): written out, with its heaviest functions logged. */
async function startProfile(page: Page): Promise<{ stop: (file: string) => Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return {
    async stop(file) {
      const { profile: p } = await cdp.send('Profiler.stop');
      await cdp.detach();
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(p));
      const self = new Map<string, number>();
      const byId = new Map(p.nodes.map((n) => [n.id, n]));
      const deltas = p.timeDeltas ?? [];
      (p.samples ?? []).forEach((id, i) => {
        const n = byId.get(id);
        if (!n) return;
        const f = n.callFrame;
        const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
        self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
      });
      const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
      log(
        `profile (${path.relative(root, file)}), self time:\n${top.map(([k, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${k}`).join('\n')}`,
      );
    },
  };
}

/**
 * Incremental sync: another workstation boards passengers upstream, then this one syncs (the page's
 * database 'main' holds a full fill). Returns how many checked-in passengers it used up.
 */
async function incrementalRow(page: Page, backendUrl: string, offset: number, runs: number): Promise<number> {
  const incrementals: number[] = [];
  const floors: number[] = [];
  const removed: number[] = [];
  for (let i = 0; i < runs; i++) {
    const targets = await call(page, 'checkedIn', 'main', SCALE.incremental, offset);
    offset += targets.length;
    await pushBoardings(backendUrl, targets);
    const creds = await call(page, 'credentials', 'main');
    floors.push((await call(page, 'pullFloor', backendUrl, creds.token!, creds.deviceId!, STATION, creds.cursor)).ms);
    const profiling = profile && i === runs - 1 ? await startProfile(page) : null;
    const run = await call(page, 'incremental', 'main');
    if (profiling) await profiling.stop(path.join(root, 'bench/runs/incremental.cpuprofile'));
    incrementals.push(run.ms);
    removed.push(
      (
        await call(
          page,
          'removedCycleWork',
          'main',
          targets.map((t) => t.flightId),
        )
      ).ms,
    );
    const t = run.pull?.timing;
    log(
      `incremental ${i + 1}: ${run.ms.toFixed(1)} ms, removed work ${removed.at(-1)!.toFixed(1)} ms (pull ${run.pull?.ms.toFixed(1)}: network ${t?.networkMs.toFixed(1)}, parse ${t?.parseMs.toFixed(1)}, validate ${t?.validateMs.toFixed(1)}, store ${t?.storeMs.toFixed(1)} ms; ${run.pull?.flights} flights, ${run.pull?.changes} changes); floor ${floors.at(-1)!.toFixed(1)} ms; load ${os.loadavg()[0]!.toFixed(1)}`,
    );
  }
  figures.push({
    name: `Incremental sync of ${SCALE.incremental.toLocaleString('en-GB')} changed passengers`,
    unit: 'ms',
    target: '≤ 100 ms',
    samples: incrementals,
    headline: 'median',
    baseline: { name: 'same pull fetched + JSON-parsed only', samples: floors },
    note: `the work round 2 took out of the cycle (two retention passes over every flight, the search text of every flight touched), timed right after each run: ${stat(removed, 'median').toFixed(1)} ms (median)`,
  });
  return offset;
}

async function main(): Promise<void> {
  const started = Date.now();
  log(
    `${quick ? 'quick' : 'hub-scale'} run: ${SCALE.flights} flights × ${SCALE.paxPerFlight} passengers, ${SCALE.runs} runs after a warm-up`,
  );
  await build({
    root: path.join(root, 'bench/page'),
    base: './',
    logLevel: 'warn',
    // A profile reads the app's own function names.
    build: {
      outDir: path.join(root, 'out/bench'),
      emptyOutDir: true,
      target: 'chrome130',
      sourcemap: false,
      ...(profile ? { minify: false } : {}),
    },
    worker: { format: 'es' },
  });

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'backstop-bench-'));
  const seedStart = performance.now();
  const backend = await startBackend(dataDir);
  const seedMs = performance.now() - seedStart;
  log(`backend up at ${backend.url} (${(seedMs / 1000).toFixed(1)} s incl. seeding)`);
  // The same backend behind a station link: the fault proxy holding every answer to 20 Mbit/s with
  // 30 ms each way. The page's CSP lets it reach both.
  const link = { bitsPerSecond: 20_000_000, latencyMs: 30 };
  const slowLink = await startFaultProxy(backend.url, () => 'pass', 0, link);
  const ui = await startBrowserHostServer({
    port: 0,
    root: path.join(root, 'out/bench'),
    backendUrl: backend.url,
    backendUrls: [backend.url, slowLink.url],
    station: STATION,
    workstation: 'BENCH',
    enrolmentKey: 'backstop-demo',
  });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const backendRss: number[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(ui.url);
    await page.waitForFunction(() => document.title.endsWith('(ready)'));
    const heapBefore = await heapMb(page);

    if (incrementalOnly) {
      await call(page, 'fill', 'warmup', backend.url, STATION);
      await call(page, 'close', 'warmup');
      await call(page, 'fill', 'main', backend.url, STATION);
      await incrementalRow(page, backend.url, 0, SCALE.runs * 2);
      await call(page, 'close', 'main');
      report(started, seedMs);
      return;
    }

    // Full cache fill in the bulk form, with the raw IndexedDB write of the same records and a fill
    // from the per-change feed (the path it replaced) after each run.
    await call(page, 'fill', 'warmup', backend.url, STATION);
    await call(page, 'close', 'warmup');
    const fills: number[] = [];
    const feedFills: number[] = [];
    const oneThreadFills: number[] = [];
    const raws: number[] = [];
    const rawObjects: number[] = [];
    const fillTimings: ({ networkMs: number; parseMs: number; validateMs: number; storeMs: number } | null)[] = [];
    let filled = { flights: 0, passengers: 0 };
    for (let i = 0; i < SCALE.runs; i++) {
      const profiling = profile && i === SCALE.runs - 1 ? await startProfile(page) : null;
      const cpuBefore = cpuSnapshot(backend.child.pid);
      const f = await call(page, 'fill', 'main', backend.url, STATION);
      const cpu = cpuSpent(cpuBefore, cpuSnapshot(backend.child.pid));
      if (profiling) await profiling.stop(path.join(root, 'bench/runs/fill.cpuprofile'));
      fills.push(f.ms);
      filled = f;
      const cpuRaw = cpuSnapshot(backend.child.pid);
      const raw = await call(page, 'rawWrite', 'main');
      raws.push(raw.ms);
      rawObjects.push(raw.objectsMs);
      const rawCpu = cpuSpent(cpuRaw, cpuSnapshot(backend.child.pid));
      feedFills.push((await call(page, 'fill', 'feed', backend.url, STATION, 'feed')).ms);
      const cpuOne = cpuSnapshot(backend.child.pid);
      oneThreadFills.push((await call(page, 'fill', 'one-thread', backend.url, STATION, 'bulk-one-thread')).ms);
      const oneCpu = cpuSpent(cpuOne, cpuSnapshot(backend.child.pid));
      backendRss.push(backend.rssMb().rss);
      const t = f.pull?.timing;
      log(
        `fill ${i + 1}: ${f.ms.toFixed(0)} ms for ${f.passengers} passengers (${((f.pull?.bytes ?? 0) / 1_048_576).toFixed(0)} MB; network ${t?.networkMs.toFixed(0)}, parse ${t?.parseMs.toFixed(0)}, validate ${t?.validateMs.toFixed(0)}, store ${t?.storeMs.toFixed(0)} ms); raw write ${raws.at(-1)!.toFixed(0)} ms (as objects ${rawObjects.at(-1)!.toFixed(0)} ms); from the feed ${feedFills.at(-1)!.toFixed(0)} ms; bulk on one thread ${oneThreadFills.at(-1)!.toFixed(0)} ms; helper pages ${f.pull?.helperPages ?? 0}; load ${os.loadavg()[0]!.toFixed(1)}; during the fill ${formatCpu(cpu)}; the raw write ${formatCpu(rawCpu)}; one thread ${formatCpu(oneCpu)}`,
      );
      fillTimings.push(t ?? null);
    }
    await call(page, 'close', 'feed');
    await call(page, 'close', 'one-thread');
    const part = (k: 'networkMs' | 'parseMs' | 'validateMs' | 'storeMs') =>
      stat(
        fillTimings.map((t) => t?.[k] ?? NaN),
        'median',
      ).toFixed(0);
    figures.push({
      name: `Full cache fill in the bulk form (${filled.flights} flights, ${filled.passengers.toLocaleString('en-GB')} passengers), pull + store`,
      unit: 'ms',
      target: '≤ 3,000 ms',
      samples: fills,
      headline: 'median',
      baseline: { name: 'raw IndexedDB write of the records it stored', samples: raws },
      note: `of which waiting for pages ${part('networkMs')}, JSON parse ${part('parseMs')}, validation ${part('validateMs')}, storing ${part('storeMs')} ms (medians)`,
    });
    figures.push({
      name: 'Fill ÷ raw write (same run)',
      unit: '×',
      target: '≤ 1.5×',
      samples: fills.map((f, i) => f / raws[i]!),
      headline: 'median',
      note: `against the same flights and manifests written with the passengers as objects (how manifests were stored before): ${stat(
        fills.map((f, i) => f / rawObjects[i]!),
        'median',
      ).toFixed(2)}× (that raw write: ${stat(rawObjects, 'median').toFixed(0)} ms)`,
    });
    figures.push({
      name: 'Full cache fill from the per-change feed (the path the bulk form replaced), pull + store',
      unit: 'ms',
      target: 'for comparison',
      samples: feedFills,
      headline: 'median',
      baseline: { name: 'the bulk-form fill, same runs', samples: fills },
    });
    figures.push({
      name: 'Full cache fill in the bulk form on one thread (no fill helper), pull + store',
      unit: 'ms',
      target: 'for comparison',
      samples: oneThreadFills,
      headline: 'median',
      baseline: { name: 'the same fill with the helper taking every other page, same runs', samples: fills },
    });

    // What a first fill puts on the wire, and the same fill over the station link.
    const wire = await wireBytes(backend.url, 'bulk');
    const feedWire = await wireBytes(backend.url, 'feed');
    figures.push({
      name: 'Bytes per passenger on the wire, first fill in the bulk form (compressed as Chromium asks)',
      unit: 'B',
      target: '≤ 150 B',
      samples: [wire.compressed / wire.passengers],
      headline: 'value',
      baseline: { name: 'the per-change feed uncompressed', samples: [feedWire.plain / feedWire.passengers] },
      note: `${(wire.compressed / 1_048_576).toFixed(1)} MB in ${wire.pages} pages (${wire.encoding}); uncompressed ${(wire.plain / 1_048_576).toFixed(0)} MB (${(wire.plain / wire.passengers).toFixed(0)} B per passenger); the per-change feed compressed: ${(feedWire.compressed / feedWire.passengers).toFixed(0)} B per passenger`,
    });
    const slowFills: number[] = [];
    for (let i = 0; i < (quick ? 1 : 2); i++) slowFills.push((await call(page, 'fill', 'slow', slowLink.url, STATION)).ms);
    await call(page, 'close', 'slow');
    log(`fill over 20 Mbit/s + 30 ms: ${slowFills.map((t) => t.toFixed(0)).join(', ')} ms`);
    figures.push({
      name: 'Full cache fill over a 20 Mbit/s station link, 30 ms latency (fault proxy)',
      unit: 'ms',
      target: quick ? '—' : '≤ 15,000 ms',
      samples: slowFills,
      headline: 'median',
      baseline: {
        name: 'the link alone: the same bytes at 20 Mbit/s plus 2 × 30 ms per page',
        samples: [(wire.compressed * 8 * 1000) / link.bitsPerSecond + wire.pages * 2 * link.latencyMs],
      },
    });
    const fillCreds = await call(page, 'credentials', 'main');
    const validation = await call(page, 'validation', backend.url, fillCreds.token!, fillCreds.deviceId!, STATION, 4, SCALE.runs);
    figures.push({
      name: `Validation of pull pages under the app's CSP, compiled fast path (${validation.changes.toLocaleString('en-GB')} changes)`,
      unit: 'µs',
      target: '≤ 1 µs per change',
      samples: validation.fast,
      headline: 'median',
      baseline: { name: 'zod’s own safeParse of the same pages (no eval under the CSP)', samples: validation.zod },
    });
    const bulkValidation = await call(page, 'bulkValidation', backend.url, fillCreds.token!, fillCreds.deviceId!, STATION, 4, SCALE.runs);
    figures.push({
      name: `Validation of bulk pages under the app's CSP, checked and rebuilt (${bulkValidation.passengers.toLocaleString('en-GB')} passengers)`,
      unit: 'µs',
      target: '≤ 1 µs per passenger',
      samples: bulkValidation.fast,
      headline: 'median',
      baseline: { name: 'zod’s own safeParse of the same pages (no eval under the CSP)', samples: bulkValidation.zod },
      note: `the check alone (no passenger objects built): ${stat(bulkValidation.checkOnly, 'median').toFixed(2)} µs`,
    });
    const heapAfter = await heapMb(page);
    figures.push({
      name: 'Page JS heap after the fill',
      unit: 'MB',
      target: '≤ 250 MB',
      samples: [heapAfter],
      headline: 'value',
      baseline: { name: 'same page before any fill', samples: [heapBefore] },
    });
    if (fillOnly) {
      await call(page, 'close', 'main');
      await page.close();
      figures.push(...(await appMemoryAfterFill(browser, backend.url, fills)));
      report(started, seedMs);
      return;
    }

    const perPax = await call(page, 'perPassengerWrite', 'main', SCALE.perPassenger);
    figures.push({
      name: `Layout not chosen: ${perPax.records.toLocaleString('en-GB')} passengers as indexed records (raw write, 1 run)`,
      unit: 'ms',
      target: 'for comparison',
      samples: [perPax.ms],
      headline: 'value',
      baseline: { name: 'one document per flight (raw write, median)', samples: raws },
    });
    log(`per-passenger layout: ${perPax.ms.toFixed(0)} ms for ${perPax.records} records`);

    let offset = await incrementalRow(page, backend.url, 0, SCALE.runs);

    const opened = await call(page, 'manifestOpen', 'main', SCALE.manifests);
    figures.push({
      name: `Open a ${opened.passengers}-passenger manifest (read + sort)`,
      unit: 'ms',
      target: '≤ 50 ms',
      samples: opened.times,
      headline: 'median',
      baseline: { name: 'raw IndexedDB get of the manifest', samples: opened.floor },
    });

    const queries = await page.evaluate(async (n) => {
      const open = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('main');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error ?? new Error('open'));
      });
      const docs = await new Promise<{ text: string }[]>((resolve) => {
        const r = open.transaction('searchIndex').objectStore('searchIndex').getAll();
        r.onsuccess = () => resolve(r.result as { text: string }[]);
      });
      open.close();
      const lines = docs.flatMap((d) => d.text.split('\n').filter(Boolean)).filter((_, i) => i % 97 === 0);
      const out: string[] = [];
      for (let i = 0; out.length < n && i < lines.length * 3; i++) {
        const [, name = '', pnr = '', eticket = ''] = lines[i % lines.length]!.split('\t');
        out.push(i % 3 === 0 ? name.split(' ')[0]!.slice(0, 5) : i % 3 === 1 ? pnr : eticket);
      }
      return out;
    }, SCALE.searches);
    const search = await call(page, 'search', 'main', queries);
    figures.push({
      name: `Station-wide passenger search (${queries.length} queries over ${search.indexed.toLocaleString('en-GB')} passengers)`,
      unit: 'ms',
      target: 'p95 ≤ 20 ms',
      samples: search.times,
      headline: 'p95',
      baseline: { name: 'naive scan of every passenger object in memory', samples: search.naive },
      note: `index built once in ${search.buildMs.toFixed(0)} ms`,
    });

    const scans = await call(page, 'scanToBoard', 'main', SCALE.scans);
    figures.push({
      name: `Scan-to-board, committed durably with outbox + audit (${scans.count} scans)`,
      unit: 'ms',
      target: 'p95 ≤ 30 ms',
      samples: scans.times,
      headline: 'p95',
      baseline: { name: 'the same three writes, no rules, one strict transaction', samples: scans.floor },
    });
    // The scans are real boardings: send them so the drain starts from an empty outbox.
    await call(page, 'incremental', 'main');

    // Encryption at rest: the same fill, manifest opening and scan-to-board on a database sealed with
    // AES-GCM (and the audit chain keyed with HMAC), as the app runs them, beside the plain ones above.
    // Sealed and plain alternate, run by run, so neither gains from going second (a warmer JIT, cache).
    const sealedFills: number[] = [];
    const plainFills: number[] = [];
    for (let i = 0; i < SCALE.runs; i++) {
      await call(page, 'encryption', true);
      sealedFills.push((await call(page, 'fill', 'sealed', backend.url, STATION)).ms);
      await call(page, 'encryption', false);
      plainFills.push((await call(page, 'fill', 'plain', backend.url, STATION)).ms);
    }
    await call(page, 'encryption', true);
    const sealedOpen = await call(page, 'manifestOpen', 'sealed', SCALE.manifests);
    const sealedScans = await call(page, 'scanToBoard', 'sealed', SCALE.scans);
    await call(page, 'encryption', false);
    const plainOpen = await call(page, 'manifestOpen', 'plain', SCALE.manifests);
    const plainScans = await call(page, 'scanToBoard', 'plain', SCALE.scans);
    for (const name of ['sealed', 'plain']) {
      await call(page, 'encryption', name === 'sealed');
      await call(page, 'incremental', name);
      await call(page, 'close', name);
    }
    await call(page, 'encryption', false);
    log(
      `encryption at rest: fill ${stat(sealedFills, 'median').toFixed(0)} vs ${stat(plainFills, 'median').toFixed(0)} ms; manifest open ${stat(sealedOpen.times, 'median').toFixed(1)} vs ${stat(plainOpen.times, 'median').toFixed(1)} ms; scan-to-board p95 ${stat(sealedScans.times, 'p95').toFixed(1)} vs ${stat(plainScans.times, 'p95').toFixed(1)} ms`,
    );
    const ratio = (sealed: number[], plain: number[], kind: Figure['headline']) => [stat(sealed, kind) / stat(plain, kind)];
    figures.push({
      name: 'Full cache fill, sealed at rest (AES-GCM)',
      unit: 'ms',
      target: '≤ 1.15× plain',
      samples: sealedFills,
      headline: 'median',
      baseline: { name: 'plain fill, alternating with it (same run)', samples: plainFills },
    });
    figures.push({
      name: `Open a manifest, sealed at rest`,
      unit: 'ms',
      target: '≤ 1.15× plain',
      samples: sealedOpen.times,
      headline: 'median',
      baseline: { name: 'plain manifest opening, right after it (same run)', samples: plainOpen.times },
    });
    figures.push({
      name: 'Scan-to-board, sealed at rest, audit chain keyed',
      unit: 'ms',
      target: '≤ 1.15× plain',
      samples: sealedScans.times,
      headline: 'p95',
      baseline: { name: 'plain scan-to-board, right after it (same run)', samples: plainScans.times },
    });
    figures.push({
      name: 'Encryption overhead: fill | manifest open | scan-to-board (sealed ÷ plain)',
      unit: '×',
      target: '≤ 1.15× each',
      samples: [
        ...ratio(sealedFills, plainFills, 'median'),
        ...ratio(sealedOpen.times, plainOpen.times, 'median'),
        ...ratio(sealedScans.times, plainScans.times, 'p95'),
      ],
      headline: 'value',
      note: `fill ${ratio(sealedFills, plainFills, 'median')[0]!.toFixed(2)}×, manifest open ${ratio(sealedOpen.times, plainOpen.times, 'median')[0]!.toFixed(2)}×, scan-to-board ${ratio(sealedScans.times, plainScans.times, 'p95')[0]!.toFixed(2)}× (the headline is the worst of the three)`,
    });

    const drainTargets = await call(page, 'checkedIn', 'main', SCALE.drain, offset);
    offset += drainTargets.length;
    const drain = await call(page, 'drain', 'main', drainTargets);
    const directTargets = await call(page, 'checkedIn', 'main', drainTargets.length, offset);
    const directMs = await pushBoardings(backend.url, directTargets);
    figures.push({
      name: `Outbox drain of ${drain.mutations.toLocaleString('en-GB')} boardings against the backend`,
      unit: 'ms',
      target: quick ? '—' : '≤ 10,000 ms',
      samples: [drain.ms],
      headline: 'value',
      baseline: {
        name: `${directTargets.length.toLocaleString('en-GB')} other boardings pushed straight over HTTP (no local DB)`,
        samples: [directMs],
      },
      note: drain.refused > 0 ? `${drain.refused} refused` : undefined,
    });
    await call(page, 'close', 'main');
    await page.close();
    figures.push(...(await appMemoryAfterFill(browser, backend.url, fills)));
    const rss = backend.rssMb();
    figures.push({
      name: 'Backend RSS (reference server, after the fills)',
      unit: 'MB',
      target: 'report',
      samples: backendRss,
      headline: 'median',
      baseline: { name: 'peak RSS of the whole run (incl. seeding)', samples: [rss.peak] },
    });
  } finally {
    await browser.close();
    await ui.close();
    await slowLink.close();
    backend.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }

  // Printing: the same Chromium engine and PDF options as the Electron print window.
  const printer = await launchChromiumBackend();
  try {
    const blank = printerTestPage({
      paper: 'A4',
      printer: 'bench',
      provenance: {
        dataAsOf: null,
        printedAt: new Date().toISOString(),
        timeZone: 'Europe/London',
        station: STATION,
        workstation: 'BENCH',
        agent: { id: 'AG1001', name: 'Bench' },
      },
    });
    await renderBoardingPassPdf(printer);
    await renderManifestPdf(printer, 400);
    const passes: number[] = [];
    const manifests: number[] = [];
    const pages: number[] = [];
    for (let i = 0; i < SCALE.runs; i++) {
      let t0 = performance.now();
      await renderBoardingPassPdf(printer);
      passes.push(performance.now() - t0);
      t0 = performance.now();
      await renderManifestPdf(printer, 400);
      manifests.push(performance.now() - t0);
      t0 = performance.now();
      await printer.renderDocument(blank);
      pages.push(performance.now() - t0);
    }
    figures.push({
      name: 'Boarding pass PDF (template + barcode + PDF)',
      unit: 'ms',
      target: '≤ 300 ms',
      samples: passes,
      headline: 'median',
      baseline: { name: 'printer test page PDF (one simple page)', samples: pages },
    });
    figures.push({
      name: '400-passenger manifest PDF',
      unit: 'ms',
      target: '≤ 2,000 ms',
      samples: manifests,
      headline: 'median',
      baseline: { name: 'printer test page PDF (one simple page)', samples: pages },
    });
  } finally {
    await printer.close();
  }

  // The backend on its stores (bench/server-store.ts): PostgreSQL beside SQLite when BACKSTOP_BENCH_DATABASE_URL names a database.
  const databaseUrl = process.env.BACKSTOP_BENCH_DATABASE_URL || null;
  if (!databaseUrl) log('backend stores: SQLite only (set BACKSTOP_BENCH_DATABASE_URL=postgres://… for the PostgreSQL rows)');
  figures.push(...storeFigures(await benchStores({ quick, databaseUrl, log: (line) => log(`backend stores: ${line}`) })));
  // The station relay (bench/relay.ts): cross-desk visibility through it; its forward throughput beside a direct push.
  figures.push(...relayFigures(await benchRelay({ quick, log })));
  report(started, seedMs);
}

function report(started: number, seedMs: number): void {
  const machine = {
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
  const rows = figures.map((f) => ({
    figure: f.name,
    target: f.target,
    headline: f.headline,
    value: stat(f.samples, f.headline),
    min: Math.min(...f.samples),
    max: Math.max(...f.samples),
    runs: f.samples.length,
    unit: f.unit,
    baseline: f.baseline
      ? {
          name: f.baseline.name,
          value: stat(f.baseline.samples, f.headline === 'value' ? 'median' : f.headline),
          samples: f.baseline.samples.length,
        }
      : null,
    note: f.note ?? null,
  }));
  const json = {
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
    mode: quick ? 'quick' : 'hub-scale',
    scale: SCALE,
    machine,
    backendStartMs: Math.round(seedMs),
    wallSeconds: Math.round((Date.now() - started) / 1000),
    figures: rows,
  };
  const table = [
    `| figure | target | result | min – max | baseline (same run) |`,
    `|---|---|---|---|---|`,
    ...rows.map(
      (r) =>
        `| ${r.figure} | ${r.target} | ${r.runs === 0 ? '—' : `${fmt(r.value, r.unit)} (${r.headline === 'value' ? (r.runs > 1 ? 'max' : '1 run') : `${r.headline} of ${r.runs}`})`}${r.note ? ` · ${r.note}` : ''} | ${r.runs > 1 ? `${fmt(r.min, r.unit)} – ${fmt(r.max, r.unit)}` : ''} | ${r.baseline ? `${r.baseline.name}: ${fmt(r.baseline.value, r.unit)}` : ''} |`,
    ),
  ].join('\n');
  const md = `# Backstop benchmark results (${json.mode})\n\n${json.date} · ${machine.cpus} · ${machine.memoryGiB} GiB · Node ${machine.node} · ${machine.os} · load average at the end ${json.loadAverage.join(', ')}\n\nScale: ${SCALE.flights} flights × ${SCALE.paxPerFlight} passengers; backend start incl. seeding ${(seedMs / 1000).toFixed(1)} s; whole run ${json.wallSeconds} s.\n\n${table}\n`;
  // Every run writes to the ignored bench/runs/; only `--publish` (a hub-scale run meant to document
  // the figures) replaces the committed bench/results/latest.*, so running the tests leaves the tree clean.
  const only = fillOnly ? 'fill' : incrementalOnly ? 'incremental' : null;
  const base = only ? (quick ? `${only}-quick` : only) : quick ? 'quick' : 'latest';
  const dirs = [path.join(root, 'bench/runs'), ...(publish && !quick ? [path.join(root, 'bench/results')] : [])];
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${base}.json`), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(path.join(dir, `${base}.md`), md);
    process.stdout.write(`${dir === dirs[0] ? `\n${md}\n` : ''}bench: wrote ${path.relative(root, dir)}/${base}.json and ${base}.md\n`);
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});

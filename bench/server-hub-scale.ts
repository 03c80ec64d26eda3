/**
 * Hub-scale benchmark of the backend's share of a workstation's full cache fill. Seeds a fresh
 * database with 1,000 flights × 300 passengers, starts the real backend (`server/cli.ts`) on it in
 * its own process, then pulls everything in pages as a workstation does, and reports:
 * - seed time (generate + write + index + PBKDF2 of staff + commit),
 * - server time per page (its Server-Timing header: handler start to the body handed to the socket),
 * - wall time over loopback, bytes, and the database's size on disk.
 *
 *   npx tsx bench/server-hub-scale.ts [--flights 1000] [--pax-per-flight 300] [--max-changes 5000]
 *                                     [--data-dir <dir> (reuse/keep)] [--profile <dir> (CPU profile of the server)]
 */
import { systemClock } from '../shared/clock';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '../server/app';
import { dbPath } from '../server/db/database';
import { demoFlights } from '../server/demo/generate';
import { Workstation, tempDir } from '../tests/support/server-harness';

const { values } = parseArgs({
  options: {
    flights: { type: 'string', default: '1000' },
    'pax-per-flight': { type: 'string', default: '300' },
    'max-changes': { type: 'string', default: '5000' },
    /** Reuse (or keep) a database here instead of a fresh temp dir. */
    'data-dir': { type: 'string' },
    /** Write a CPU profile of the serving process into this directory. */
    profile: { type: 'string' },
  },
});
const flights = Number(values.flights);
const paxPerFlight = Number(values['pax-per-flight']);
const maxChanges = Number(values['max-changes']);
const out = (line: string) => process.stdout.write(`${line}\n`);
const ms = (x: number) => `${Math.round(x)} ms`;
const mib = (x: number) => `${(x / 1024 / 1024).toFixed(1)} MiB`;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function main(): Promise<void> {
  const t = performance.now();
  let c = cpuMs();
  let generated = 0;
  for (const f of demoFlights({ flights, paxPerFlight, now: systemClock() })) generated += f.passengers.length;
  out(
    `hub scale: ${flights} flights × ${paxPerFlight} passengers = ${generated} passengers (machine load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} cores)`,
  );
  out(`generate demo data only (no database): ${ms(performance.now() - t)} wall, ${ms(cpuMs() - c)} CPU`);

  // Seed in this process (to measure it), then serve from its own process (so the client's work
  // here does not share an event loop or heap with the server's).
  const dataDir = values['data-dir'] ?? tempDir('backstop-bench-');
  c = cpuMs();
  const seeding = await startServer({ dataDir, port: 0, flights, paxPerFlight, logLevel: 'warn' });
  const seeded = seeding.seeded;
  await seeding.close();
  if (seeded)
    out(
      `seed into SQLite (generate, write, index, PBKDF2 of staff, commit): ${ms(seeded.ms)} wall, ${ms(cpuMs() - c)} CPU in this process`,
    );
  else out('seed: existing database reused');
  out(`database on disk: ${mib(fs.statSync(dbPath(dataDir)).size)}`);

  const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
  const child = spawn(
    process.execPath,
    [
      ...(values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : []),
      '--import',
      'tsx',
      'server/cli.ts',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--log-level',
      'warn',
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const line = text.split('\n').find((l) => l.includes('listening on'));
        if (line) resolve(line);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const url = /listening on (http:\/\/\S+)/.exec(banner)?.[1] ?? '';
    const ws = await Workstation.enrol(url, 'BENCH');
    for (const limit of [maxChanges, 20_000]) {
      let cursor: string | null = null;
      let pages = 0;
      let changes = 0;
      let bytes = 0;
      let serverMs = 0;
      let slowest = 0;
      const started = performance.now();
      for (;;) {
        const res = await ws.post('/v1/sync/pull', {
          clientId: ws.deviceId,
          station: 'LHR',
          cursor,
          maxChanges: limit,
          maxBytes: 16 * 1024 * 1024,
        });
        const dur = Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? 0);
        serverMs += dur;
        slowest = Math.max(slowest, dur);
        bytes += Buffer.byteLength(res.text);
        // Only the envelope: the client's parse is the client's share, measured in its own benchmark.
        const tail = res.text.slice(res.text.lastIndexOf('],"cursor"') + 2);
        const page = JSON.parse(`{${tail}`) as { cursor: string; hasMore: boolean };
        changes += (res.text.match(/\{"op":/g) ?? []).length;
        pages++;
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      out(
        `full pull, pages of ≤${limit} changes: ${pages} pages, ${changes} changes, ${mib(bytes)}; ` +
          `server ${ms(serverMs)} in total (${ms(serverMs / pages)}/page, slowest ${ms(slowest)}); wall over loopback ${ms(performance.now() - started)}`,
      );
    }
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    if (!values['data-dir']) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * `npm run relay -- --upstream URL --station LHR --data-dir DIR --port N`: a station relay. See
 * `--help`, relay/README.md and docs/operations.md.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { clockStartingAt } from '../shared/clock';
import { parseRelayCli, RELAY_USAGE } from './config';
import { startRelay } from './relay';

/** Jitter for retries towards central: not security, but Math.random is for nobody's product code. */
const random = () => randomInt(0, 1_000_000) / 1_000_000;

async function main(): Promise<void> {
  const cli = parseRelayCli(process.argv.slice(2), process.env);
  if (!cli.ok) {
    console.error(`backstop relay: ${cli.message}\n\n${RELAY_USAGE}`);
    process.exit(2);
  }
  if (cli.help) {
    console.log(RELAY_USAGE);
    return;
  }
  const s = cli.settings;
  const relay = await startRelay({
    upstream: s.upstream,
    station: s.station,
    dataDir: s['data-dir'],
    host: s.host,
    port: s.port,
    ...(s.name ? { name: s.name } : {}),
    upstreamEnrolmentKey: s['upstream-enrolment-key'],
    ...(s['enrolment-key'] ? { enrolmentKey: s['enrolment-key'] } : {}),
    adminToken: s['admin-token'] ?? null,
    tls: s['tls-cert'] && s['tls-key'] ? { cert: readFileSync(s['tls-cert']), key: readFileSync(s['tls-key']) } : null,
    staleAfterMinutes: s['stale-after'],
    random,
    logLevel: s['log-level'],
    ...(s.now ? { now: clockStartingAt(s.now) } : {}),
  });
  console.log(
    `Backstop station relay listening on ${relay.url} · station ${relay.station} · upstream ${s.upstream} · data ${relay.server.dbFile}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    relay.server.app.log.info({ signal }, 'relay shutting down');
    relay.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('backstop relay failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

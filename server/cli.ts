/**
 * `npm run server`: the reference backend on 127.0.0.1:8787 with demo data. See `--help` and
 * server/README.md for flags and environment variables.
 */
import { randomBytes } from 'node:crypto';
import { startServer } from './app';
import { COMMIT_GROUP_ENV, FAULT_ENV, parseCli, toServerOptions, USAGE } from './config';

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2), process.env);
  if (!cli.ok) {
    console.error(`backstop server: ${cli.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (cli.help) {
    console.log(USAGE);
    return;
  }
  const { settings } = cli;
  const adminToken = settings['admin-token'] ?? randomBytes(12).toString('base64url');
  const slow = Number(process.env[FAULT_ENV] ?? '0') || undefined;
  if (slow) console.warn(`backstop server: fault injection on, each mutation takes ${slow} ms longer (${FAULT_ENV})`);
  const group = Number(process.env[COMMIT_GROUP_ENV] ?? '0') || undefined;
  const server = await startServer(toServerOptions(settings, adminToken, slow, group));

  const logins = server.logins.map((l) => `${l.staffId}/${l.pin} (${l.role})`).join(', ');
  const data = server.seeded
    ? `${server.seeded.flights} flights, ${server.seeded.passengers} passengers seeded in ${(server.seeded.ms / 1000).toFixed(1)} s`
    : `existing database kept (--reset for fresh demo data)`;
  console.log(
    `Backstop server listening on ${server.url} · station ${server.station} · ${data} · sign in ${logins || '(no demo staff)'} · enrolment key ${settings['enrolment-key']} · admin token ${adminToken} · ${server.database.kind === 'postgres' ? `database ${server.database.location}` : `data ${server.dbFile}`}`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
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
  console.error('backstop server failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * `npm run server`: the reference backend on 127.0.0.1:8787 with demo data. See `--help` and
 * server/README.md for flags and environment variables.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
  const tokenFile = settings['admin-token-file'] ?? path.join(settings['data-dir'], 'admin-token');
  // A generated token goes to a file only this user can read: never to stdout, where it would end
  // up in terminal scroll-back, CI logs and journald.
  const adminToken = settings['admin-token'] ?? writeSecret(tokenFile, randomBytes(32).toString('base64url'));
  if ((settings['tls-cert'] === undefined) !== (settings['tls-key'] === undefined)) {
    console.error('backstop server: --tls-cert and --tls-key go together');
    process.exit(2);
  }
  const tls =
    settings['tls-cert'] && settings['tls-key']
      ? { cert: readFileSync(settings['tls-cert']), key: readFileSync(settings['tls-key']) }
      : null;
  const slow = Number(process.env[FAULT_ENV] ?? '0') || undefined;
  if (slow) console.warn(`backstop server: fault injection on, each mutation takes ${slow} ms longer (${FAULT_ENV})`);
  const group = Number(process.env[COMMIT_GROUP_ENV] ?? '0') || undefined;
  const server = await startServer(toServerOptions(settings, adminToken, slow, group, tls));

  // Staff IDs only: PINs are secrets too (the demo ones are in the README).
  const logins = server.logins.map((l) => `${l.staffId} (${l.role})`).join(', ');
  const data = server.seeded
    ? `${server.seeded.flights} flights, ${server.seeded.passengers} passengers seeded in ${(server.seeded.ms / 1000).toFixed(1)} s`
    : `existing database kept (--reset for fresh demo data)`;
  console.log(
    `Backstop server listening on ${server.url} · station ${server.station} · ${data} · demo staff ${logins || '(none)'} · ${server.enrolment} · admin token ${settings['admin-token'] ? 'as given' : `in ${tokenFile}`} · ${server.database.kind === 'postgres' ? `database ${server.database.location}` : `data ${server.dbFile}`}`,
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

function writeSecret(file: string, secret: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

main().catch((error: unknown) => {
  console.error('backstop server failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

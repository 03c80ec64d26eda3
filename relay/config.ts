/**
 * `npm run relay` settings from flags and environment variables (flags win), parsed with zod like
 * every other input that crosses into the process.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AirportCode } from '../shared/domain/schemas';
import { insecureBackendReason } from '../shared/protocol/transport';
import { RELAY_DEFAULTS } from './relay';

/** flag name → environment variable. */
export const RELAY_ENV = {
  upstream: 'BACKSTOP_RELAY_UPSTREAM',
  station: 'BACKSTOP_STATION',
  'data-dir': 'BACKSTOP_RELAY_DATA_DIR',
  port: 'BACKSTOP_RELAY_PORT',
  host: 'BACKSTOP_RELAY_HOST',
  name: 'BACKSTOP_RELAY_NAME',
  'upstream-enrolment-key': 'BACKSTOP_RELAY_UPSTREAM_ENROLMENT_KEY',
  'enrolment-key': 'BACKSTOP_RELAY_ENROLMENT_KEY',
  'admin-token': 'BACKSTOP_RELAY_ADMIN_TOKEN',
  'tls-cert': 'BACKSTOP_RELAY_TLS_CERT',
  'tls-key': 'BACKSTOP_RELAY_TLS_KEY',
  'stale-after': 'BACKSTOP_RELAY_STALE_AFTER_MINUTES',
  'log-level': 'BACKSTOP_LOG_LEVEL',
  now: 'BACKSTOP_NOW',
} as const;

type Flag = keyof typeof RELAY_ENV;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const RelaySettings = z.object({
  upstream: z.url({ protocol: /^https?$/ }).refine((u) => insecureBackendReason(u) === null, {
    message: 'central must be https:// (plain http only on this machine)',
  }),
  station: AirportCode,
  'data-dir': z.string().min(1).default('.data/relay'),
  port: int(0, 65535).default(RELAY_DEFAULTS.port),
  host: z.string().min(1).default('127.0.0.1'),
  name: z.string().trim().min(1).max(60).optional(),
  'upstream-enrolment-key': z.string().min(1).max(200).default('backstop-demo'),
  'enrolment-key': z.string().min(1).max(200).optional(),
  'admin-token': z.string().min(32, 'use at least 32 characters').optional(),
  'tls-cert': z.string().min(1).optional(),
  'tls-key': z.string().min(1).optional(),
  'stale-after': int(1, 24 * 60).default(RELAY_DEFAULTS.staleAfterMinutes),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  now: z.iso.datetime({ offset: true }).optional(),
});
export type RelaySettings = z.infer<typeof RelaySettings>;

export const RELAY_USAGE = `Usage: npm run relay -- --upstream <central URL> --station <IATA> [options]   (each also reads the variable shown)
  --upstream <url>                 ${RELAY_ENV.upstream}   the central backend (https://, or http:// on this machine)
  --station <IATA>                 ${RELAY_ENV.station}   the one station this relay serves
  --data-dir <dir>                 ${RELAY_ENV['data-dir']}   its SQLite copy (default .data/relay)
  --port <n>                       ${RELAY_ENV.port}   listen port (default ${RELAY_DEFAULTS.port}; 0 = any free port)
  --host <addr>                    ${RELAY_ENV.host}   listen address (default 127.0.0.1; the station LAN address for desks)
  --name <name>                    ${RELAY_ENV.name}   its name in central's fleet view (default RELAY-<station>)
  --upstream-enrolment-key <code>  ${RELAY_ENV['upstream-enrolment-key']}   one-time code from central's admin (demo key on loopback)
  --enrolment-key <key>            ${RELAY_ENV['enrolment-key']}   desks' shared demo key (loopback only; else one-time codes)
  --admin-token <token>            ${RELAY_ENV['admin-token']}   admin routes of the relay (issuing its desks' enrolment codes)
  --tls-cert <pem> --tls-key <pem> ${RELAY_ENV['tls-cert']} / ${RELAY_ENV['tls-key']}   serve HTTPS (needed for desks on other machines)
  --stale-after <min>              ${RELAY_ENV['stale-after']}   a copy older than this is stale (default ${RELAY_DEFAULTS.staleAfterMinutes})
  --log-level <level>              ${RELAY_ENV['log-level']}   fatal|error|warn|info|debug|trace|silent (default info)
  --now <ISO instant>              ${RELAY_ENV.now}   run the clock from this instant (rehearsals, tests)
  --help                           this text`;

export type ParsedRelayCli = { ok: true; settings: RelaySettings; help: boolean } | { ok: false; message: string };

export function parseRelayCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedRelayCli {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries((Object.keys(RELAY_ENV) as Flag[]).map((f) => [f, { type: 'string' } as const]));
    values = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true)
    return { ok: true, settings: RelaySettings.parse({ upstream: 'http://127.0.0.1:8787', station: 'LHR' }), help: true };
  const merged: Record<string, unknown> = {};
  for (const flag of Object.keys(RELAY_ENV) as Flag[]) {
    const fromEnv = env[RELAY_ENV[flag]];
    const value = values[flag] ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
    if (value !== undefined) merged[flag] = value;
  }
  const parsed = RelaySettings.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = String(issue?.path[0] ?? '');
    return { ok: false, message: `--${flag} (${RELAY_ENV[flag as Flag] ?? ''}): ${issue?.message ?? 'invalid'}` };
  }
  if ((parsed.data['tls-cert'] === undefined) !== (parsed.data['tls-key'] === undefined)) {
    return { ok: false, message: '--tls-cert and --tls-key go together' };
  }
  return { ok: true, settings: parsed.data, help: false };
}

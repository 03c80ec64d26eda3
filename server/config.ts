/**
 * `npm run server` settings from flags and environment variables (flags win), parsed with zod like
 * any other input that crosses into the process.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { clockStartingAt } from '../shared/clock';
import { AirportCode } from '../shared/domain/schemas';
import { ADMIN_TOKEN_MIN_LENGTH, DEFAULTS, type ServerOptions } from './app';
import { DEFAULT_RATE_LIMITS } from './http/rate-limits';
import { DEFAULT_STALE_AFTER_MINUTES } from './fleet';

/** flag name → environment variable. */
export const ENV_VARS = {
  port: 'BACKSTOP_PORT',
  host: 'BACKSTOP_HOST',
  'data-dir': 'BACKSTOP_DATA_DIR',
  database: 'BACKSTOP_DATABASE_URL',
  'database-pool': 'BACKSTOP_DATABASE_POOL',
  station: 'BACKSTOP_STATION',
  flights: 'BACKSTOP_FLIGHTS',
  'pax-per-flight': 'BACKSTOP_PAX_PER_FLIGHT',
  seed: 'BACKSTOP_SEED',
  reset: 'BACKSTOP_RESET',
  'dcs-sim': 'BACKSTOP_DCS_SIM',
  'dcs-interval': 'BACKSTOP_DCS_INTERVAL_MS',
  'enrolment-key': 'BACKSTOP_ENROLMENT_KEY',
  'admin-token': 'BACKSTOP_ADMIN_TOKEN',
  'admin-token-file': 'BACKSTOP_ADMIN_TOKEN_FILE',
  'cors-origin': 'BACKSTOP_CORS_ORIGINS',
  'tls-cert': 'BACKSTOP_TLS_CERT',
  'tls-key': 'BACKSTOP_TLS_KEY',
  'rate-limit-enrol': 'BACKSTOP_RATE_LIMIT_ENROL',
  'rate-limit-sign-in': 'BACKSTOP_RATE_LIMIT_SIGN_IN',
  'rate-limit-push': 'BACKSTOP_RATE_LIMIT_PUSH',
  'metrics-token': 'BACKSTOP_METRICS_TOKEN',
  'stale-after': 'BACKSTOP_STALE_AFTER_MINUTES',
  'trust-proxy': 'BACKSTOP_TRUST_PROXY',
  'log-level': 'BACKSTOP_LOG_LEVEL',
  now: 'BACKSTOP_NOW',
} as const;

/** Fault injection for crash tests; not a flag, so nobody turns it on by accident. */
export const FAULT_ENV = 'BACKSTOP_FAULT_SLOW_MUTATION_MS';
/** How many mutations commit durably together (default COMMIT_GROUP); the crash test makes groups small. */
export const COMMIT_GROUP_ENV = 'BACKSTOP_COMMIT_GROUP';

type Flag = keyof typeof ENV_VARS;

const BOOLEAN_FLAGS: readonly Flag[] = ['reset', 'dcs-sim'];

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .union([z.boolean(), z.enum(['1', 'true', 'yes', '0', 'false', 'no', ''])])
  .transform((v) => v === true || v === '1' || v === 'true' || v === 'yes');

export const CliSettings = z.object({
  port: int(0, 65535).default(DEFAULTS.port),
  host: z.string().min(1).default(DEFAULTS.host),
  'data-dir': z.string().min(1).default('.data/server'),
  /** A PostgreSQL URL: the production store instead of the SQLite file in the data dir. */
  database: z
    .string()
    .regex(/^postgres(ql)?:\/\//i, 'a PostgreSQL URL, postgres://user:password@host:5432/database')
    .optional(),
  'database-pool': int(1, 200).default(10),
  station: AirportCode.default(DEFAULTS.station),
  flights: int(0, 5000).default(DEFAULTS.flights),
  'pax-per-flight': int(0, 400).optional(),
  seed: z.string().min(1).default(String(DEFAULTS.seed)),
  reset: bool.default(false),
  'dcs-sim': bool.default(false),
  'dcs-interval': int(1000, 3_600_000).default(DEFAULTS.dcsIntervalMs),
  /** The shared demo key (loopback only); "none" for one-time codes only; absent: the demo key on loopback. */
  'enrolment-key': z.string().min(1).optional(),
  'admin-token': z.string().min(ADMIN_TOKEN_MIN_LENGTH, `use at least ${ADMIN_TOKEN_MIN_LENGTH} characters`).optional(),
  /** Where a generated admin token is written (mode 0600); it is never printed. */
  'admin-token-file': z.string().min(1).optional(),
  /** Browser origins besides the app's own, comma-separated (https://desk.station.example). */
  'cors-origin': z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== ''),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((o) => o.replace(/\/$/, ''))))
    .optional(),
  'tls-cert': z.string().min(1).optional(),
  'tls-key': z.string().min(1).optional(),
  /** Per minute: enrolments per address, online sign-ins and pushes per workstation (server/http/rate-limits.ts). */
  'rate-limit-enrol': int(1, 1_000_000).optional(),
  'rate-limit-sign-in': int(1, 1_000_000).optional(),
  'rate-limit-push': int(1, 10_000_000).optional(),
  'metrics-token': z.string().min(16, 'use at least 16 characters').optional(),
  'stale-after': int(1, 24 * 60).default(DEFAULT_STALE_AFTER_MINUTES),
  /** "true", or the proxy's addresses ("loopback", "10.0.0.5,10.0.0.6"); off when absent. */
  'trust-proxy': z
    .string()
    .min(1)
    .transform((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v))
    .optional(),
  'log-level': z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  now: z.iso.datetime({ offset: true }).optional(),
});
export type CliSettings = z.infer<typeof CliSettings>;

export const USAGE = `Usage: npm run server -- [options]   (each option also reads the environment variable shown)
  --port <n>              ${ENV_VARS.port}            listen port (default ${DEFAULTS.port}; 0 = any free port)
  --host <addr>           ${ENV_VARS.host}            listen address (default ${DEFAULTS.host})
  --data-dir <dir>        ${ENV_VARS['data-dir']}        database directory (default .data/server)
  --database <url>        ${ENV_VARS.database}   PostgreSQL instead of SQLite: postgres://user:password@host:5432/db (see server/README.md)
  --database-pool <n>     ${ENV_VARS['database-pool']}  PostgreSQL connections of this process (default 10)
  --station <IATA>        ${ENV_VARS.station}         station of the demo data (default ${DEFAULTS.station})
  --flights <n>           ${ENV_VARS.flights}         demo flights (default ${DEFAULTS.flights}; hub scale 1000)
  --pax-per-flight <n>    ${ENV_VARS['pax-per-flight']}  passengers per flight (default: realistic load; hub scale 300)
  --seed <s>              ${ENV_VARS.seed}            seed of the demo data and DCS simulator (default ${DEFAULTS.seed})
  --reset                 ${ENV_VARS.reset}=1         delete the database and generate fresh demo data
  --dcs-sim               ${ENV_VARS['dcs-sim']}=1       run the DCS simulator (upstream check-ins, gate changes, delays)
  --dcs-interval <ms>     ${ENV_VARS['dcs-interval']} simulator step interval (default ${DEFAULTS.dcsIntervalMs})
  --enrolment-key <key>   ${ENV_VARS['enrolment-key']}  shared demo key, accepted from this machine only (default ${DEFAULTS.enrolmentKey} on 127.0.0.1; "none": one-time codes only)
  --admin-token <token>   ${ENV_VARS['admin-token']}    bearer token (≥ ${ADMIN_TOKEN_MIN_LENGTH} characters) for /v1/admin/* and the fleet page (default: a random one, written to --admin-token-file)
  --admin-token-file <f>  ${ENV_VARS['admin-token-file']} where a generated admin token is kept, readable by this user only (default <data-dir>/admin-token)
  --cors-origin <urls>    ${ENV_VARS['cors-origin']}  browser origins besides the app's own, comma-separated (loopback ones only when listening on loopback)
  --tls-cert <file>       ${ENV_VARS['tls-cert']}       serve HTTPS with this certificate (PEM) and --tls-key; else run behind a TLS proxy (docs/operations.md)
  --tls-key <file>        ${ENV_VARS['tls-key']}        the certificate's private key (PEM)
  --rate-limit-enrol <n>  ${ENV_VARS['rate-limit-enrol']} enrolments a minute from one address (default ${DEFAULT_RATE_LIMITS.enrolPerMinute})
  --rate-limit-sign-in <n> ${ENV_VARS['rate-limit-sign-in']} online sign-ins a minute per workstation (default ${DEFAULT_RATE_LIMITS.signInPerMinute})
  --rate-limit-push <n>   ${ENV_VARS['rate-limit-push']}  pushes a minute per workstation (default ${DEFAULT_RATE_LIMITS.pushPerMinute})
  --metrics-token <token> ${ENV_VARS['metrics-token']}  bearer token for GET /metrics (Prometheus); the admin token works too
  --stale-after <min>     ${ENV_VARS['stale-after']} fleet view: a workstation whose data is older is "blind" (default ${DEFAULT_STALE_AFTER_MINUTES})
  --trust-proxy <addrs>   ${ENV_VARS['trust-proxy']}    behind a reverse proxy: "true" or its addresses ("loopback"), for client IPs in logs
  --log-level <level>     ${ENV_VARS['log-level']}       fatal|error|warn|info|debug|trace|silent (default info)
  --now <ISO instant>     ${ENV_VARS.now}             run the clock from this instant (rehearse another day; default: the real clock)
  --help                  this text`;

export type ParsedCli = { ok: true; settings: CliSettings; help: boolean } | { ok: false; message: string };

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCli {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(
      (Object.keys(ENV_VARS) as Flag[]).map((f) => [f, { type: BOOLEAN_FLAGS.includes(f) ? 'boolean' : 'string' } as const]),
    );
    values = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const merged: Record<string, unknown> = {};
  for (const flag of Object.keys(ENV_VARS) as Flag[]) {
    const fromEnv = env[ENV_VARS[flag]];
    const value = values[flag] ?? (fromEnv === undefined || fromEnv === '' ? undefined : fromEnv);
    if (value !== undefined) merged[flag] = value;
  }
  const parsed = CliSettings.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = String(issue?.path[0] ?? '');
    return { ok: false, message: `--${flag} (${ENV_VARS[flag as Flag] ?? ''}): ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, settings: parsed.data, help: values.help === true };
}

export function toServerOptions(
  s: CliSettings,
  adminToken: string,
  slowMutationMs: number | undefined,
  commitGroup?: number,
  tls?: { cert: Buffer; key: Buffer } | null,
): ServerOptions {
  const key = s['enrolment-key'];
  return {
    dataDir: s['data-dir'],
    ...(s.database ? { databaseUrl: s.database, databasePoolSize: s['database-pool'] } : {}),
    host: s.host,
    port: s.port,
    station: s.station,
    flights: s.flights,
    paxPerFlight: s['pax-per-flight'] ?? null,
    seed: s.seed,
    reset: s.reset,
    dcsSimulator: s['dcs-sim'],
    dcsIntervalMs: s['dcs-interval'],
    ...(key === undefined ? {} : { enrolmentKey: key === 'none' ? null : key }),
    adminToken,
    ...(s['cors-origin'] ? { corsOrigins: s['cors-origin'] } : {}),
    rateLimits: {
      ...(s['rate-limit-enrol'] ? { enrolPerMinute: s['rate-limit-enrol'] } : {}),
      ...(s['rate-limit-sign-in'] ? { signInPerMinute: s['rate-limit-sign-in'] } : {}),
      ...(s['rate-limit-push'] ? { pushPerMinute: s['rate-limit-push'] } : {}),
    },
    ...(tls ? { tls } : {}),
    metricsToken: s['metrics-token'] ?? null,
    staleAfterMinutes: s['stale-after'],
    processMetrics: true,
    ...(s['trust-proxy'] === undefined ? {} : { trustProxy: s['trust-proxy'] }),
    logLevel: s['log-level'],
    ...(s.now ? { now: clockStartingAt(s.now) } : {}),
    ...(slowMutationMs ? { slowMutationMs } : {}),
    ...(commitGroup ? { commitGroup } : {}),
  };
}

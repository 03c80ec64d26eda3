/**
 * `npm run server` settings from flags and environment variables (flags win), parsed with zod like
 * any other input that crosses into the process.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { clockStartingAt } from '../shared/clock';
import { AirportCode } from '../shared/domain/schemas';
import { DEFAULTS, type ServerOptions } from './app';
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
  'enrolment-key': z.string().min(1).default(DEFAULTS.enrolmentKey),
  'admin-token': z.string().min(8, 'use at least 8 characters').optional(),
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
  --enrolment-key <key>   ${ENV_VARS['enrolment-key']}  key workstations enrol with (default ${DEFAULTS.enrolmentKey})
  --admin-token <token>   ${ENV_VARS['admin-token']}    bearer token for /v1/admin/* and the fleet page (default: a random one, printed)
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
): ServerOptions {
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
    enrolmentKey: s['enrolment-key'],
    adminToken,
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

/**
 * Start-up configuration of the main process, from command-line flags and environment variables.
 * The defaults point at the reference backend with demo data on loopback (`npm start` runs both).
 */
import os from 'node:os';
import { z } from 'zod';
import { insecureBackendReason, isLoopbackUrl } from '../shared/protocol/transport';

const BackendUrl = z.url({ protocol: /^https?$/ }).superRefine((url, ctx) => {
  const why = insecureBackendReason(url);
  if (why) ctx.addIssue({ code: 'custom', message: why });
});

export const MainConfig = z
  .object({
    /** The preferred backend: the first of `backendUrls`. */
    backendUrl: BackendUrl,
    /**
     * Every backend this workstation syncs with, in order of preference (`--backend=<relay>,<central>`:
     * the station relay first, or the reverse by policy); one for most workstations.
     */
    backendUrls: z.array(BackendUrl).min(1).max(8),
    station: z.string().regex(/^[A-Z]{3}$/, 'station must be a 3-letter IATA code'),
    workstation: z.string().trim().min(1).max(40),
    /**
     * The shared demo enrolment key: accepted only with a backend on loopback (a demo, a test), never
     * handed to the page. A real workstation enrols with a one-time code instead.
     */
    enrolmentKey: z.string().min(1).nullable(),
    /** A one-time enrolment code an administrator issued for this workstation (see docs/operations.md). */
    enrolmentCode: z.string().min(8).max(200).nullable(),
    /** Run the app's clock from this instant (a rehearsal or test at a pinned date); the real clock when absent. */
    now: z.iso.datetime({ offset: true }).optional(),
    /**
     * The generic update feed (a folder on a web server holding latest.yml, latest-linux.yml,
     * latest-mac.yml and the installers). Updates are off without one.
     */
    updateFeed: z.url({ protocol: /^https?$/ }).optional(),
    /** How often to look for an update while it is safe to (see main/updates/policy.ts). */
    updateCheckMinutes: z.coerce
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60),
    /** Closing the window keeps Backstop running in the tray, syncing (off for a desktop without a tray). */
    tray: z.boolean(),
    /** Start Backstop when the desk's user logs in (kiosk-style desks); null leaves the setting alone. */
    launchAtLogin: z.boolean().nullable(),
  })
  .refine((c) => c.enrolmentKey === null || c.backendUrls.every(isLoopbackUrl), {
    message: 'a shared enrolment key only works with a backend on this machine; enrol with a one-time code (--enrolment-code)',
    path: ['enrolmentKey'],
  });
export type MainConfig = z.infer<typeof MainConfig>;

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8787';
export const DEFAULT_STATION = 'LHR';
export const DEMO_ENROLMENT_KEY = 'backstop-demo';

export const DEFAULT_UPDATE_CHECK_MINUTES = 240;

function flag(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** `--name`, `--name=yes|no`, `--no-name`, else the environment variable; undefined when none is set. */
function switchOf(argv: readonly string[], name: string, envValue: string | undefined): boolean | undefined {
  if (argv.includes(`--${name}`)) return true;
  if (argv.includes(`--no-${name}`)) return false;
  const raw = (flag(argv, name) ?? envValue)?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw new Error(`--${name}: expected yes or no, got "${raw}"`);
}

/** The demo key by default only for a backend on loopback; elsewhere only when given (and then refused). */
function enrolmentKeyOf(argv: readonly string[], env: NodeJS.ProcessEnv): string | null {
  const given = flag(argv, 'enrolment-key') ?? (env.BACKSTOP_ENROLMENT_KEY || undefined);
  if (given !== undefined) return given;
  const loopback = backendsOf(argv, env).every(isLoopbackUrl);
  return loopback && !flag(argv, 'enrolment-code') && !env.BACKSTOP_ENROLMENT_CODE ? DEMO_ENROLMENT_KEY : null;
}

/** `--backend=<url>[,<url>…]`: the backends in order of preference. */
function backendsOf(argv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const list = (flag(argv, 'backend') ?? env.BACKSTOP_BACKEND_URL ?? DEFAULT_BACKEND_URL)
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  return list.length > 0 ? list : [DEFAULT_BACKEND_URL];
}

export function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv): MainConfig {
  const backends = backendsOf(argv, env);
  return MainConfig.parse({
    backendUrl: backends[0],
    backendUrls: backends,
    station: flag(argv, 'station') ?? env.BACKSTOP_STATION ?? DEFAULT_STATION,
    workstation: flag(argv, 'workstation') ?? env.BACKSTOP_WORKSTATION ?? os.hostname().slice(0, 40),
    enrolmentKey: enrolmentKeyOf(argv, env),
    enrolmentCode: flag(argv, 'enrolment-code') ?? (env.BACKSTOP_ENROLMENT_CODE || null),
    now: flag(argv, 'now') ?? env.BACKSTOP_NOW,
    updateFeed: flag(argv, 'update-feed') ?? (env.BACKSTOP_UPDATE_FEED || undefined),
    updateCheckMinutes: flag(argv, 'update-check-minutes') ?? env.BACKSTOP_UPDATE_CHECK_MINUTES ?? DEFAULT_UPDATE_CHECK_MINUTES,
    tray: switchOf(argv, 'tray', env.BACKSTOP_TRAY) ?? true,
    launchAtLogin: switchOf(argv, 'launch-at-login', env.BACKSTOP_LAUNCH_AT_LOGIN) ?? null,
  });
}

/**
 * Start-up configuration of the main process, from command-line flags and environment variables.
 * The defaults point at the reference backend with demo data on loopback (`npm start` runs both).
 */
import os from 'node:os';
import { z } from 'zod';

export const MainConfig = z.object({
  backendUrl: z.url({ protocol: /^https?$/ }),
  station: z.string().regex(/^[A-Z]{3}$/, 'station must be a 3-letter IATA code'),
  workstation: z.string().trim().min(1).max(40),
  enrolmentKey: z.string().min(1),
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

export function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv): MainConfig {
  return MainConfig.parse({
    backendUrl: flag(argv, 'backend') ?? env.BACKSTOP_BACKEND_URL ?? DEFAULT_BACKEND_URL,
    station: flag(argv, 'station') ?? env.BACKSTOP_STATION ?? DEFAULT_STATION,
    workstation: flag(argv, 'workstation') ?? env.BACKSTOP_WORKSTATION ?? os.hostname().slice(0, 40),
    enrolmentKey: flag(argv, 'enrolment-key') ?? env.BACKSTOP_ENROLMENT_KEY ?? DEMO_ENROLMENT_KEY,
    now: flag(argv, 'now') ?? env.BACKSTOP_NOW,
    updateFeed: flag(argv, 'update-feed') ?? (env.BACKSTOP_UPDATE_FEED || undefined),
    updateCheckMinutes: flag(argv, 'update-check-minutes') ?? env.BACKSTOP_UPDATE_CHECK_MINUTES ?? DEFAULT_UPDATE_CHECK_MINUTES,
    tray: switchOf(argv, 'tray', env.BACKSTOP_TRAY) ?? true,
    launchAtLogin: switchOf(argv, 'launch-at-login', env.BACKSTOP_LAUNCH_AT_LOGIN) ?? null,
  });
}

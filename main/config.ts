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
});
export type MainConfig = z.infer<typeof MainConfig>;

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8787';
export const DEFAULT_STATION = 'LHR';
export const DEMO_ENROLMENT_KEY = 'backstop-demo';

function flag(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

export function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv): MainConfig {
  return MainConfig.parse({
    backendUrl: flag(argv, 'backend') ?? env.BACKSTOP_BACKEND_URL ?? DEFAULT_BACKEND_URL,
    station: flag(argv, 'station') ?? env.BACKSTOP_STATION ?? DEFAULT_STATION,
    workstation: flag(argv, 'workstation') ?? env.BACKSTOP_WORKSTATION ?? os.hostname().slice(0, 40),
    enrolmentKey: flag(argv, 'enrolment-key') ?? env.BACKSTOP_ENROLMENT_KEY ?? DEMO_ENROLMENT_KEY,
    now: flag(argv, 'now') ?? env.BACKSTOP_NOW,
  });
}

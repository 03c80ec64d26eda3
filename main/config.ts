/**
 * Start-up configuration of the main process, from command-line flags and environment variables.
 * The defaults point at the reference backend with demo data on loopback (`npm start` runs both).
 */
import os from 'node:os';
import { z } from 'zod';
import { insecureBackendReason, isLoopbackHost, isLoopbackUrl } from '../shared/protocol/transport';

const BackendUrl = z.url({ protocol: /^https?$/ }).superRefine((url, ctx) => {
  const why = insecureBackendReason(url);
  if (why) ctx.addIssue({ code: 'custom', message: why });
});

/**
 * "This workstation is the station relay" (`--host-relay`): main runs a station relay in a utility
 * process (main/relay-host.ts) and this workstation syncs through it first, then central.
 */
export const RelayHostConfig = z
  .object({
    /** Listen address: loopback unless TLS files are given (desks on other machines need https). */
    listenHost: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65535),
    /** The address desks use, this one included. */
    url: BackendUrl,
    tls: z.object({ cert: z.string().min(1), key: z.string().min(1) }).nullable(),
    /** Central: where the relay forwards to and copies from. */
    upstream: BackendUrl,
    /** Central's one-time code for the relay's own enrolment there (the demo key with a central on loopback). */
    upstreamEnrolmentKey: z.string().min(1).max(200),
    staleAfterMinutes: z.coerce.number().int().min(1).max(1440),
  })
  .refine((r) => r.tls !== null || isLoopbackHost(r.listenHost), {
    message: 'a station relay listens beyond this machine only with TLS (--relay-tls-cert and --relay-tls-key)',
    path: ['listenHost'],
  });
export type RelayHostConfig = z.infer<typeof RelayHostConfig>;

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
    /** This workstation hosts the station relay; null for every other workstation. */
    relay: RelayHostConfig.nullable(),
  })
  // The relay this workstation hosts is left out: main enrols there with a code it has the relay issue.
  .refine((c) => c.enrolmentKey === null || c.backendUrls.every((u) => isLoopbackUrl(u) || u === c.relay?.url), {
    message: 'a shared enrolment key only works with a backend on this machine; enrol with a one-time code (--enrolment-code)',
    path: ['enrolmentKey'],
  });
export type MainConfig = z.infer<typeof MainConfig>;

export const DEFAULT_BACKEND_URL = 'http://127.0.0.1:8787';
export const DEFAULT_STATION = 'LHR';
export const DEMO_ENROLMENT_KEY = 'backstop-demo';

export const DEFAULT_UPDATE_CHECK_MINUTES = 240;
export const DEFAULT_RELAY_PORT = 8788;
export const DEFAULT_RELAY_STALE_AFTER_MINUTES = 10;

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

/**
 * `--host-relay` and its options; null without it. The relay's central is the first configured backend;
 * its address (desks use it, this workstation first) is `--relay-url`, else derived from where it listens.
 */
function relayOf(argv: readonly string[], env: NodeJS.ProcessEnv, central: string): Record<string, unknown> | null {
  if (!switchOf(argv, 'host-relay', env.BACKSTOP_HOST_RELAY)) return null;
  const cert = flag(argv, 'relay-tls-cert') ?? (env.BACKSTOP_RELAY_TLS_CERT || undefined);
  const key = flag(argv, 'relay-tls-key') ?? (env.BACKSTOP_RELAY_TLS_KEY || undefined);
  if ((cert === undefined) !== (key === undefined)) throw new Error('--relay-tls-cert and --relay-tls-key go together');
  const tls = cert && key ? { cert, key } : null;
  const listenHost = flag(argv, 'relay-host') ?? (env.BACKSTOP_RELAY_HOST || '127.0.0.1');
  const port = flag(argv, 'relay-port') ?? (env.BACKSTOP_RELAY_PORT || DEFAULT_RELAY_PORT);
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::';
  const given = flag(argv, 'relay-url') ?? (env.BACKSTOP_RELAY_URL || undefined);
  if (!given && tls && wildcard) throw new Error('--relay-url: say which address desks use when the relay listens on every interface');
  const url =
    given ??
    (tls ? `https://${listenHost.includes(':') ? `[${listenHost}]` : listenHost}:${String(port)}` : `http://127.0.0.1:${String(port)}`);
  const code = flag(argv, 'relay-upstream-code') ?? (env.BACKSTOP_RELAY_UPSTREAM_CODE || undefined);
  return {
    listenHost,
    port,
    url: url.replace(/\/$/, ''),
    tls,
    upstream: central,
    // Without a code the relay can only enrol at a central on loopback (a demo); once enrolled it keeps its token.
    upstreamEnrolmentKey: code ?? DEMO_ENROLMENT_KEY,
    staleAfterMinutes: flag(argv, 'relay-stale-after') ?? (env.BACKSTOP_RELAY_STALE_AFTER_MINUTES || DEFAULT_RELAY_STALE_AFTER_MINUTES),
  };
}

export function readConfig(argv: readonly string[], env: NodeJS.ProcessEnv): MainConfig {
  const configured = backendsOf(argv, env);
  const relay = relayOf(argv, env, configured[0] ?? DEFAULT_BACKEND_URL);
  // The workstation hosting the relay syncs through it first, as the station's other desks do.
  const backends = relay ? [String(relay.url), ...configured.filter((u) => u !== relay.url)] : configured;
  return MainConfig.parse({
    relay,
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

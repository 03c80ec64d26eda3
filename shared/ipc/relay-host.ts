/**
 * "This workstation is the station relay": what main and the relay's utility process say to each
 * other (relay/utility-entry.ts ⇄ main/relay-host.ts), and what main tells the page about the relay
 * it hosts (IPC `relay:status`, `relay:issue-code`). Parsed with these schemas on every side: a
 * process boundary is a trust boundary like any other.
 */
import { z } from 'zod';
import { AirportCode, IsoDateTime } from '../domain/schemas';
import { RelayUpstream } from '../protocol/v1';

export const RelayLogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** What the relay process is started with (first message from main). */
export const RelayProcessSettings = z.object({
  upstream: z.url({ protocol: /^https?$/ }),
  station: AirportCode,
  dataDir: z.string().min(1),
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  name: z.string().trim().min(1).max(60),
  upstreamEnrolmentKey: z.string().min(1).max(200),
  /** The relay's admin token: main made it and keeps it; the page never sees it. */
  adminToken: z.string().min(32),
  tls: z.object({ cert: z.string().min(1), key: z.string().min(1) }).nullable(),
  staleAfterMinutes: z.number().int().min(1).max(1440),
  /** The app's clock at start (a pinned rehearsal date); null: the real clock. */
  now: IsoDateTime.nullable(),
  logLevel: RelayLogLevel,
  version: z.string().min(1).max(40),
});
export type RelayProcessSettings = z.infer<typeof RelayProcessSettings>;

export const RelayToProcess = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), settings: RelayProcessSettings }),
  z.object({ type: z.literal('issue-code'), requestId: z.number().int(), name: z.string().trim().min(1).max(60), hours: z.number().int() }),
  z.object({ type: z.literal('stop') }),
]);
export type RelayToProcess = z.infer<typeof RelayToProcess>;

export const IssuedCode = z.object({ code: z.string().min(8).max(200), expiresAt: IsoDateTime });
export type IssuedCode = z.infer<typeof IssuedCode>;

export const RelayFromProcess = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), url: z.url(), port: z.number().int() }),
  z.object({ type: z.literal('status'), upstream: RelayUpstream }),
  z.object({ type: z.literal('log'), level: z.enum(['error', 'warn', 'info']), message: z.string().max(4000) }),
  z.object({
    type: z.literal('code'),
    requestId: z.number().int(),
    issued: IssuedCode.nullable(),
    error: z.string().max(500).nullable(),
  }),
  /** It could not start, and starting it again the same way will not help (bad TLS files, a data dir of another station). */
  z.object({ type: z.literal('failed'), message: z.string().max(2000), permanent: z.boolean() }),
  z.object({ type: z.literal('stopped') }),
]);
export type RelayFromProcess = z.infer<typeof RelayFromProcess>;

/** What the Settings card shows (`relay:status`). */
export const RelayHostStatus = z.object({
  /** off: this workstation is not the station relay (no --host-relay). */
  state: z.enum(['off', 'starting', 'running', 'restarting', 'failed', 'stopped']),
  station: AirportCode.nullable(),
  /** The address desks use (null until it listens). */
  url: z.url().nullable(),
  /** Without TLS files it listens on this machine only: desks elsewhere cannot use it. */
  loopbackOnly: z.boolean(),
  central: z.url().nullable(),
  upstream: RelayUpstream.nullable(),
  /** Why it is not running, in words. */
  error: z.string().nullable(),
  /** When the supervisor tries again after a crash. */
  retryAt: IsoDateTime.nullable(),
  restarts: z.number().int().min(0),
  since: IsoDateTime.nullable(),
});
export type RelayHostStatus = z.infer<typeof RelayHostStatus>;

/** A supervisor, signed in online, asks for a one-time code for another desk to enrol at this relay. */
export const RelayIssueCodeRequest = z.object({
  deskName: z.string().trim().min(1).max(60),
  /** The backend the supervisor signed in at just now (one of this workstation's), which main asks about the session. */
  backendUrl: z.url(),
  deviceToken: z.string().min(1).max(500),
  sessionToken: z.string().min(1).max(500),
  staffId: z.string().min(1).max(60),
});
export type RelayIssueCodeRequest = z.infer<typeof RelayIssueCodeRequest>;

export const RelayIssueCodeResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), enrolmentCode: z.string(), expiresAt: IsoDateTime, url: z.url() }),
  z.object({ ok: z.literal(false), code: z.enum(['NOT_A_SUPERVISOR', 'NOT_RUNNING', 'FAILED']), message: z.string().max(500) }),
]);
export type RelayIssueCodeResponse = z.infer<typeof RelayIssueCodeResponse>;

/**
 * The IPC contract between renderer and main: every channel, with zod schemas for its request and
 * response. The preload exposes exactly these channels; main validates sender and payload of each
 * call against them. Channels are added with the feature that needs them, never ahead of it.
 */
import type { Result } from '../result';
import { z } from 'zod';
import { ElectronPrintTarget, PrintContext, PrinterEntry, PrintJobId, PrintJobInfo, PrintOutcome } from '../documents/print-job';
import { PrintDocument } from '../documents/types';
import { EntityId, StaffId } from '../domain/schemas';
import { EnrolResponse } from '../protocol/v1';
import type { Channel, EventName } from './channels';
import { RelayHostStatus, RelayIssueCodeRequest, RelayIssueCodeResponse } from './relay-host';

export { CHANNELS, EVENTS, isChannel, isEvent, type Channel, type EventName } from './channels';

export const AppInfo = z.object({
  version: z.string(),
  platform: z.string(),
  /** Name of this workstation as printed on every document. */
  workstation: z.string(),
  backendUrl: z.url(),
  /**
   * Every backend this workstation may sync with, in order of preference (a station relay, then
   * central — or the reverse, by policy); absent: `backendUrl` alone. The page's CSP lets it reach
   * each of them, and no other.
   */
  backendUrls: z.array(z.url()).min(1).max(8).optional(),
  station: z.string().regex(/^[A-Z]{3}$/),
  /**
   * This workstation enrols with the shared demo key (a demo on loopback): the app says so loudly.
   * The key itself never reaches the page; the host enrols (`device:enrol`).
   */
  demoEnrolment: z.boolean().default(false),
  /** Set once after the renderer crashed and was reloaded, so the UI can say so. */
  notice: z.string().nullable(),
  /**
   * Milliseconds the app's clock runs ahead of the machine's: 0, except when the app was started at
   * a pinned date (a rehearsal, an end-to-end test). The renderer and its sync worker add it to
   * every reading of the clock, so the whole app agrees on "now".
   */
  clockOffsetMs: z.number().int(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** Print a document: render to PDF, keep it in the archive, deliver it (or queue it). */
export const PrintDocumentRequest = z.object({
  document: PrintDocument,
  target: ElectronPrintTarget,
  copies: z.number().int().min(1).max(20),
  context: PrintContext,
});
export type PrintDocumentRequest = z.infer<typeof PrintDocumentRequest>;

/** Print an archived job again, to its first target or another one; a new job records the reprint. */
export const ReprintRequest = z.object({
  jobId: PrintJobId,
  target: ElectronPrintTarget.nullable(),
  copies: z.number().int().min(1).max(20).nullable(),
  staffId: StaffId,
});
export type ReprintRequest = z.infer<typeof ReprintRequest>;

export const JobRequest = z.object({ jobId: PrintJobId });

/** Enrol this workstation with the backend: the host adds the enrolment code, which the page never sees. */
export const DeviceEnrolRequest = z.object({
  name: z.string().trim().min(1).max(60),
  station: z.string().regex(/^[A-Z]{3}$/),
  /** The enrolment this workstation had before, with a token of it as proof (its leases move over). */
  previous: z.object({ deviceId: EntityId, token: z.string().min(32).max(200) }).optional(),
  /**
   * Which of the workstation's backends to enrol with (AppInfo.backendUrls: a station relay, central);
   * absent: the first. The host enrols only with backends it was configured with.
   */
  backendUrl: z.url().optional(),
});
export type DeviceEnrolRequest = z.infer<typeof DeviceEnrolRequest>;

export const DeviceEnrolOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: EnrolResponse }),
  z.object({
    ok: z.literal(false),
    code: z.enum(['NO_ENROLMENT_CODE', 'ENROLMENT_REFUSED', 'BACKEND_UNREACHABLE', 'BACKEND_ERROR']),
    message: z.string().max(500),
  }),
]);
export type DeviceEnrolOutcome = z.infer<typeof DeviceEnrolOutcome>;

/**
 * The data key that encrypts passenger data at rest (renderer/db/at-rest), kept by main wrapped with
 * the operating system's key store (Electron safeStorage). Where that store is no protection at all
 * (Linux without a keyring: "basic_text"), main hands out no key until a supervisor, signed in online,
 * accepts the risk.
 */
export const VaultAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ready'), key: z.base64().length(44), backend: z.string().max(40), riskAcceptedBy: StaffId.nullable() }),
  z.object({ status: z.literal('needs-acceptance'), backend: z.string().max(40) }),
  z.object({ status: z.literal('unavailable'), message: z.string().max(500) }),
]);
export type VaultAnswer = z.infer<typeof VaultAnswer>;

/** A supervisor accepts storing passenger data where the OS cannot protect it; main checks the session with the backend. */
export const AcceptRiskRequest = z.object({
  staffId: StaffId,
  deviceId: EntityId,
  deviceToken: z.string().min(32).max(200),
  sessionToken: z.string().min(32).max(200),
});
export type AcceptRiskRequest = z.infer<typeof AcceptRiskRequest>;

/** A supervisor wipes this workstation: main deletes its print archive, queue, data key and enrolment code. */
export const WipeRequest = z.object({ confirm: z.literal('WIPE'), staffId: StaffId });

const Instant = z.iso.datetime({ offset: true });

/**
 * What the page tells main about the workstation, on every change and at least every half minute:
 * main decides from it when an update may download or install, and shows it in the tray. Counts
 * and times only, never data.
 */
export const WorkstationStatus = z.object({
  link: z.enum(['unknown', 'online', 'degraded', 'offline']),
  dcs: z.enum(['unknown', 'up', 'down']),
  /** The outage banner is on: offline, DCS down, or declared by a supervisor. */
  fallback: z.boolean(),
  /** A rehearsed outage is running. */
  drill: z.boolean(),
  /** Actions taken at this workstation that the backend has not received yet. */
  pending: z.number().int().min(0),
  /** When the last complete sync finished: the local copy is as fresh as this. */
  lastSyncAt: Instant.nullable(),
  /** When the last sync was tried, whatever came of it. */
  lastAttemptAt: Instant.nullable(),
});
export type WorkstationStatus = z.infer<typeof WorkstationStatus>;

export const UpdatePhase = z.enum(['disabled', 'idle', 'checking', 'available', 'downloading', 'downloaded', 'error']);
export type UpdatePhase = z.infer<typeof UpdatePhase>;

export const UpdateAction = z.enum(['check', 'download', 'install-on-restart', 'cancel-download', 'hold']);
export type UpdateAction = z.infer<typeof UpdateAction>;

/** Where the updater stands and what the update policy decides right now (main/updates/policy.ts). */
export const UpdateSummary = z.object({
  phase: UpdatePhase,
  /** The version on offer, being downloaded or downloaded. */
  version: z.string().max(64).nullable(),
  action: UpdateAction,
  /** Why, as a code: 'fallback', 'unsent-actions', 'awaiting-consent', … */
  reason: z.string().max(64),
  lastCheckAt: Instant.nullable(),
  progressPercent: z.number().min(0).max(100).nullable(),
  feedUrl: z.string().max(500).nullable(),
  lastError: z.string().max(500).nullable(),
});
export type UpdateSummary = z.infer<typeof UpdateSummary>;

/** The last time a Backstop process died, kept by main across restarts. */
export const CrashRecord = z.object({
  at: Instant,
  /** renderer: the page's process; main: an uncaught exception in main; child: a GPU or utility process. */
  kind: z.enum(['renderer', 'main', 'child']),
  reason: z.string().max(100),
  exitCode: z.number().int().nullable(),
  /** What main knew; may hold an error message, which is scrubbed before it leaves the machine. */
  detail: z.string().max(2000).nullable(),
});
export type CrashRecord = z.infer<typeof CrashRecord>;

export const LoggedError = z.object({ at: Instant, source: z.string().max(40), message: z.string().max(2000) });
export type LoggedError = z.infer<typeof LoggedError>;

/** What main knows for the diagnostics screen and bundle. */
export const MainDiagnostics = z.object({
  versions: z.object({ app: z.string(), electron: z.string(), chrome: z.string(), node: z.string() }),
  platform: z.string(),
  arch: z.string(),
  osRelease: z.string(),
  startedAt: Instant,
  packaged: z.boolean(),
  /** Closing the window keeps Backstop running in the tray. */
  tray: z.boolean(),
  /** Set to start at login (null: not managed by Backstop on this machine). */
  launchAtLogin: z.boolean().nullable(),
  update: UpdateSummary,
  lastCrash: CrashRecord.nullable(),
  recentErrors: z.array(LoggedError).max(50),
});
export type MainDiagnostics = z.infer<typeof MainDiagnostics>;

/** Save a diagnostics bundle where the agent chooses (a save dialog). */
export const ExportDiagnosticsRequest = z.object({
  fileName: z.string().regex(/^[A-Za-z0-9._-]{1,100}\.json$/, 'a plain file name ending in .json'),
  content: z
    .string()
    .max(4 * 1024 * 1024)
    .refine(isJson, 'not JSON'),
});
export type ExportDiagnosticsRequest = z.infer<typeof ExportDiagnosticsRequest>;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
}

export const IPC_CONTRACT = {
  'app:info': { request: z.null(), response: AppInfo },
  'print:document': { request: PrintDocumentRequest, response: PrintOutcome },
  'print:printers': { request: z.null(), response: z.array(PrinterEntry) },
  'print:jobs': { request: z.null(), response: z.array(PrintJobInfo) },
  'print:reprint': { request: ReprintRequest, response: PrintOutcome },
  'print:cancel': { request: JobRequest, response: PrintOutcome },
  'print:retry': { request: JobRequest, response: PrintOutcome },
  'app:status': { request: WorkstationStatus, response: z.null() },
  'app:diagnostics': { request: z.null(), response: MainDiagnostics },
  'app:export-diagnostics': { request: ExportDiagnosticsRequest, response: z.object({ saved: z.boolean() }) },
  /** The agent agrees to restart into a downloaded update; answers whether it starts, or why not. */
  'app:install-update': { request: z.null(), response: z.object({ started: z.boolean(), reason: z.string().max(64) }) },
  'device:enrol': { request: DeviceEnrolRequest, response: DeviceEnrolOutcome },
  'vault:open': { request: z.null(), response: VaultAnswer },
  'vault:accept-risk': { request: AcceptRiskRequest, response: VaultAnswer },
  'app:wipe': { request: WipeRequest, response: z.object({ wiped: z.boolean() }) },
  /** The station relay this workstation hosts (main/relay-host.ts): state 'off' on every other workstation. */
  'relay:status': { request: z.null(), response: RelayHostStatus },
  /** A one-time code for another desk to enrol at the hosted relay; main checks with the backend that a supervisor asks. */
  'relay:issue-code': { request: RelayIssueCodeRequest, response: RelayIssueCodeResponse },
} as const satisfies Record<Channel, ChannelSpec>; // an extra or a missing channel fails to compile
export type IpcRequest<C extends Channel> = z.input<(typeof IPC_CONTRACT)[C]['request']>;
export type IpcResponse<C extends Channel> = z.infer<(typeof IPC_CONTRACT)[C]['response']>;

/** What the IPC router itself can answer instead of a handler's value. */
export const IPC_ERROR_CODES = [
  /** The channel is not in this contract. */
  'UNKNOWN_CHANNEL',
  /** The request did not come from the app's own top frame. */
  'BAD_SENDER',
  /** The request did not match the channel's schema. */
  'BAD_PAYLOAD',
  /** The handler failed (logged in main; the message never carries a stack). */
  'FAILED',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

/** Every answer over IPC is a value: the shared Result, success or a typed error the renderer can show. */
export type IpcResult<T> = Result<T, IpcErrorCode>;

/** Events main sends to the page, with their payloads; checked when sent and when received. */
export const IPC_EVENTS = {
  /** "Sync now" from the tray menu. */
  'sync:now': z.null(),
  /** The operating system locked the screen or is going to sleep: lock Backstop too. */
  'session:lock': z.object({ reason: z.enum(['lock-screen', 'suspend']) }),
} as const satisfies Record<EventName, z.ZodType>;
export type IpcEventPayload<E extends EventName> = z.infer<(typeof IPC_EVENTS)[E]>;

/** The API the preload puts on `window.backstop`. */
export interface BackstopBridge {
  invoke<C extends Channel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>>;
  /**
   * Listens to an event from main; returns the function that stops listening. The payload arrives
   * unchecked (the preload carries no schema library): the receiver parses it with IPC_EVENTS.
   */
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

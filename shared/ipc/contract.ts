/**
 * The IPC contract between renderer and main: every channel, with zod schemas for its request and
 * response. The preload exposes exactly these channels; main validates sender and payload of each
 * call against them. Channels are added with the feature that needs them, never ahead of it.
 */
import { z } from 'zod';
import { ElectronPrintTarget, PrintContext, PrinterEntry, PrintJobId, PrintJobInfo, PrintOutcome } from '../documents/print-job';
import { PrintDocument } from '../documents/types';
import { StaffId } from '../domain/schemas';
import type { Channel } from './channels';

export { CHANNELS, isChannel, type Channel } from './channels';

export const AppInfo = z.object({
  version: z.string(),
  platform: z.string(),
  /** Name of this workstation as printed on every document. */
  workstation: z.string(),
  backendUrl: z.url(),
  station: z.string().regex(/^[A-Z]{3}$/),
  enrolmentKey: z.string(),
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
} as const satisfies Record<Channel, ChannelSpec>; // an extra or a missing channel fails to compile
export type IpcRequest<C extends Channel> = z.input<(typeof IPC_CONTRACT)[C]['request']>;
export type IpcResponse<C extends Channel> = z.infer<(typeof IPC_CONTRACT)[C]['response']>;

/** Every answer over IPC is a value: success, or a typed error the renderer can show. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** The API the preload puts on `window.backstop`. */
export interface BackstopBridge {
  invoke<C extends Channel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>>;
}

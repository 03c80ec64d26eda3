/**
 * Print jobs as both hosts describe them to the UI: where a document can go (targets), what became
 * of it (outcome), the job list and the printers on offer. The Electron host sends these over IPC
 * (shared/ipc/contract.ts); the browser host builds the same values with web APIs.
 */
import { z } from 'zod';
import { EntityId, IsoDateTime, StaffId } from '../domain/schemas';
import { PageSize } from './page';
import { DocumentKind } from './types';

/** A system printer name as the OS reports it: any printable text, no control characters. */
export const PrinterName = z
  .string()
  .min(1)
  .max(127)
  .regex(/^[^\p{Cc}]+$/u, 'a printer name has no control characters');

/**
 * A CUPS queue name: CUPS allows printable characters except space, "/", "\", "#" and "?". It may
 * not start with "-", so it can never be taken for an `lp` option.
 */
export const CupsQueueName = z.string().regex(/^[A-Za-z0-9_.@+][A-Za-z0-9_.@+-]{0,126}$/, 'not a valid CUPS queue name');

/** Targets the Electron host delivers to (and the only ones the IPC contract accepts). */
export const ElectronPrintTarget = z.discriminatedUnion('kind', [
  /** Silently, through Chromium's print path, to a printer the OS knows. */
  z.object({ kind: z.literal('system'), printer: PrinterName }),
  /** Through CUPS `lp` (Linux, macOS): page sizes are passed as media and respected. */
  z.object({ kind: z.literal('cups'), queue: CupsQueueName }),
  /** No paper: the PDF is kept in the print archive. */
  z.object({ kind: z.literal('pdf') }),
]);
export type ElectronPrintTarget = z.infer<typeof ElectronPrintTarget>;

/** Targets of the browser host: the browser's own print dialog (printer or "Save as PDF"), or a file. */
export const BrowserPrintTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dialog') }),
  z.object({ kind: z.literal('download') }),
]);
export type BrowserPrintTarget = z.infer<typeof BrowserPrintTarget>;

export const PrintTarget = z.union([ElectronPrintTarget, BrowserPrintTarget]);
export type PrintTarget = z.infer<typeof PrintTarget>;

/** Who printed what for whom: kept with the job and sent on as the `print.logged` audit entry. */
export const PrintContext = z.object({
  flightId: EntityId.nullable(),
  passengerId: EntityId.nullable(),
  staffId: StaffId,
});
export type PrintContext = z.infer<typeof PrintContext>;

export const PRINT_ERROR_CODES = [
  /** The printer is known but paused, stopped or not accepting: the job stays queued and is retried. */
  'PRINTER_OFFLINE',
  /** No printer of that name (unplugged, renamed, removed): the job stays queued and is retried. */
  'PRINTER_NOT_FOUND',
  /** The printer refused or the print failed: the job stays queued and is retried. */
  'PRINT_FAILED',
  /** The document could not be turned into a PDF: nothing was queued. */
  'RENDER_FAILED',
  /** The PDF could not be kept in the print archive (disk full?): nothing was queued. */
  'ARCHIVE_FAILED',
  /** This host cannot print to that kind of target. */
  'UNSUPPORTED_TARGET',
  /** The document or request was refused as malformed (too large, a bad printer name…). */
  'INVALID_REQUEST',
  'JOB_NOT_FOUND',
  /** The job already printed or was cancelled; nothing to do. */
  'JOB_FINISHED',
  /** The job waited too long for its printer and will not print by itself any more. */
  'JOB_EXPIRED',
  /** The print request could not reach the print service. */
  'PRINT_SERVICE_UNAVAILABLE',
] as const;
export const PrintErrorCode = z.enum(PRINT_ERROR_CODES);
export type PrintErrorCode = z.infer<typeof PrintErrorCode>;

export const PRINT_JOB_STATUSES = ['queued', 'printed', 'saved', 'failed', 'cancelled'] as const;
export const PrintJobStatus = z.enum(PRINT_JOB_STATUSES);
export type PrintJobStatus = z.infer<typeof PrintJobStatus>;

export const PrintJobId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'not a print job id');

export const PrintJobInfo = z.object({
  id: PrintJobId,
  kind: DocumentKind,
  title: z.string().max(200),
  pageSize: PageSize,
  target: PrintTarget,
  copies: z.number().int().min(1).max(20),
  context: PrintContext,
  createdAt: IsoDateTime,
  status: PrintJobStatus,
  attempts: z.number().int().min(0),
  /** When a queued job is tried again next (UTC ISO), or null. */
  nextAttemptAt: IsoDateTime.nullable(),
  lastError: z.object({ code: PrintErrorCode, message: z.string().max(500) }).nullable(),
  finishedAt: IsoDateTime.nullable(),
  /** Where the host keeps the PDF (a path in the Electron print archive), or null. */
  archiveRef: z.string().max(1000).nullable(),
  /** The job this one reprints, or null for a first print. */
  reprintOf: PrintJobId.nullable(),
});
export type PrintJobInfo = z.infer<typeof PrintJobInfo>;

/**
 * What became of a print request. A failure that leaves the job queued (printer offline) carries
 * the job, so the screen can say "queued, will print when the printer is back".
 */
export const PrintOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), job: PrintJobInfo }),
  z.object({ ok: z.literal(false), code: PrintErrorCode, message: z.string(), job: PrintJobInfo.nullable() }),
]);
export type PrintOutcome = z.infer<typeof PrintOutcome>;

export const PrinterEntry = z.object({
  target: PrintTarget,
  /** What the agent sees in the printer list. */
  name: z.string().max(200),
  description: z.string().max(300),
  isDefault: z.boolean(),
  status: z.enum(['ready', 'offline', 'unknown']),
});
export type PrinterEntry = z.infer<typeof PrinterEntry>;

/** "PDF via CUPS", "Save as PDF": a target in words, for job lists and the audit destination. */
export function targetLabel(t: PrintTarget): string {
  switch (t.kind) {
    case 'system':
      return t.printer;
    case 'cups':
      return `${t.queue} (CUPS)`;
    case 'pdf':
      return 'PDF (print archive)';
    case 'dialog':
      return 'Browser print dialog';
    case 'download':
      return 'Downloaded file';
  }
}

/**
 * A print job as the print service keeps it on disk: what the UI sees (PrintJobInfo) plus where
 * its files are. Also the retry schedule: capped exponential backoff, and a deadline after which a
 * queued job no longer prints by itself (a boarding pass coming out hours later helps nobody).
 */
import { z } from 'zod';
import { PrintJobInfo } from '../../shared/documents/print-job';
import { IsoDateTime } from '../../shared/domain/schemas';

export const PrintJobRecord = PrintJobInfo.extend({
  /** Paths relative to the archive root, so the archive can move with userData. */
  pdfFile: z.string().min(1).max(500),
  htmlFile: z.string().min(1).max(500),
  /** The CUPS request id ("PDF-12") once `lp` accepted the job. */
  cupsRequestId: z.string().max(100).nullable(),
  /** A queued job stops retrying by itself at this time (UTC ISO); a manual retry moves it on. */
  expiresAt: IsoDateTime,
});
export type PrintJobRecord = z.infer<typeof PrintJobRecord>;

export const RETRY_BASE_MS = 5_000;
export const RETRY_CAP_MS = 60_000;
/** A queued job that has not printed within this time stops retrying and is marked failed. */
export const JOB_DEADLINE_MS = 2 * 60 * 60 * 1000;

/** Delay before attempt `attempts + 1`: 5 s, 10 s, 20 s, 40 s, then every 60 s. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** The job as the UI may see it (no file paths beyond the archived PDF). */
export function toJobInfo(r: PrintJobRecord): PrintJobInfo {
  const { pdfFile: _pdf, htmlFile: _html, cupsRequestId: _cups, expiresAt: _expires, ...info } = r;
  return info;
}

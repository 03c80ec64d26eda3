/**
 * What the UI needs from the machine it runs on. ElectronHost answers through the preload bridge;
 * BrowserHost answers with web APIs, so Backstop also runs in a plain browser: a second,
 * independent path to the same functions, and how the end-to-end tests run here.
 */
import type { PrinterEntry, PrintContext, PrintJobInfo, PrintOutcome, PrintTarget } from '../../shared/documents/print-job';
import type { PrintDocument } from '../../shared/documents/types';
import type { AppInfo } from '../../shared/ipc/contract';

export interface PrintOptions {
  /** 1 by default. */
  copies?: number;
  /** Flight, passenger and agent the print is for: kept with the job for the audit trail. */
  context: PrintContext;
}

export interface ReprintOptions {
  staffId: string;
  /** Another printer than the first time; the original target by default. */
  target?: PrintTarget;
  copies?: number;
}

export interface Host {
  readonly kind: 'electron' | 'browser';
  info(): Promise<AppInfo>;

  /**
   * Prints a document from shared/documents to a target from printers(). Never throws for a
   * printing problem: the outcome says what happened, and an offline printer leaves the job queued
   * (outcome ok:false with the queued job), to print by itself when the printer is back.
   */
  print(document: PrintDocument, target: PrintTarget, options: PrintOptions): Promise<PrintOutcome>;
  /** Where this host can print: its printers, and the no-paper choices (PDF, download). */
  printers(): Promise<PrinterEntry[]>;
  /** Recent print jobs, newest first, with their status (queued jobs show when they retry next). */
  jobs(): Promise<PrintJobInfo[]>;
  /** Prints an earlier job again from the archive, exactly as it was, as a new job. */
  reprint(jobId: string, options: ReprintOptions): Promise<PrintOutcome>;
  /** Stops a queued job from printing. */
  cancelPrint(jobId: string): Promise<PrintOutcome>;
  /** Tries a queued (or expired) job now instead of waiting for its next retry. */
  retryPrint(jobId: string): Promise<PrintOutcome>;
}

export class HostError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}

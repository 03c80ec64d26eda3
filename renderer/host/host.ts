/**
 * What the UI needs from the machine it runs on. ElectronHost answers through the preload bridge;
 * BrowserHost answers with web APIs, so Backstop also runs in a plain browser: a second,
 * independent path to the same functions, and how the end-to-end tests run here.
 */
import type { PrinterEntry, PrintContext, PrintJobInfo, PrintOutcome, PrintTarget } from '../../shared/documents/print-job';
import type { PrintDocument } from '../../shared/documents/types';
import type {
  AcceptRiskRequest,
  AppInfo,
  DeviceEnrolOutcome,
  DeviceEnrolRequest,
  MainDiagnostics,
  WorkstationStatus,
} from '../../shared/ipc/contract';
import type { AtRestKeys } from '../db/keys';
import type { RelayHostStatus, RelayIssueCodeRequest, RelayIssueCodeResponse } from '../../shared/ipc/relay-host';
import type { Result } from '../../shared/result';

/** What a host call that is not a print answers: a value, or a failure in words. Never a throw. */
export type HostResult<T> = Result<T>;

/** This workstation's name as printed on documents and sent to the backend, and who set it. */
export interface WorkstationName {
  name: string;
  /** 'config': pinned by the installation (config.json, --workstation); 'profile': this browser profile's own id. */
  source: 'config' | 'profile';
  /** Whether it can be changed from Settings (a browser profile's own id can). */
  editable: boolean;
}

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

/** The keys that protect this workstation's data, or why there are none yet. */
export type KeysAnswer =
  | { status: 'ready'; keys: AtRestKeys; riskAcceptedBy: string | null; backend: string }
  /** The OS cannot protect a key here (Linux without a keyring): a supervisor must accept the risk first. */
  | { status: 'needs-acceptance'; backend: string }
  | { status: 'unavailable'; message: string };

export interface Host {
  readonly kind: 'electron' | 'browser';
  info(): Promise<AppInfo>;

  /** Enrols this workstation with the backend; the host adds the enrolment code, which the page never sees. */
  enrol(request: DeviceEnrolRequest): Promise<DeviceEnrolOutcome>;
  /** The keys that seal passenger data at rest and key the audit chain (renderer/db/keys.ts). */
  keys(): Promise<KeysAnswer>;
  /** A supervisor, signed in online, accepts storing data where the OS cannot protect the key. */
  acceptStorageRisk?(request: AcceptRiskRequest): Promise<KeysAnswer>;
  /** Deletes what the host keeps for this workstation (keys, print archive): the wipe. */
  wipe(staffId: string): Promise<HostResult<boolean>>;
  /** Listens for "lock now" from the machine (screen locked, going to sleep); returns the unsubscriber. */
  onLockRequest?(listener: () => void): () => void;

  /**
   * Prints a document from shared/documents to a target from printers(). Never throws for a
   * printing problem: the outcome says what happened, and an offline printer leaves the job queued
   * (outcome ok:false with the queued job), to print by itself when the printer is back.
   */
  print(document: PrintDocument, target: PrintTarget, options: PrintOptions): Promise<PrintOutcome>;
  /** Where this host can print: its printers, and the no-paper choices (PDF, download). */
  printers(): Promise<HostResult<PrinterEntry[]>>;
  /** Recent print jobs, newest first, with their status (queued jobs show when they retry next). */
  jobs(): Promise<HostResult<PrintJobInfo[]>>;
  /** Prints an earlier job again from the archive, exactly as it was, as a new job. */
  reprint(jobId: string, options: ReprintOptions): Promise<PrintOutcome>;
  /** Stops a queued job from printing. */
  cancelPrint(jobId: string): Promise<PrintOutcome>;
  /** Tries a queued (or expired) job now instead of waiting for its next retry. */
  retryPrint(jobId: string): Promise<PrintOutcome>;

  // Operating the workstation (renderer/features/diagnostics). Optional: a host without them (the
  // browser) has no tray, no updater and no main process, and the feature falls back where it can.

  /** Tells the machine how the workstation is doing: the tray shows it, the update policy decides from it. Never throws. */
  reportStatus?(status: WorkstationStatus): Promise<void>;
  /** Listens for "sync now" asked from outside the page (the tray menu); returns the unsubscriber. */
  onSyncRequest?(listener: () => void): () => void;
  /** What the main process knows for diagnostics: versions, update state, last crash, its recent errors. */
  mainDiagnostics?(): Promise<HostResult<MainDiagnostics>>;
  /** Saves a diagnostics bundle where the agent chooses; false when they cancelled. */
  saveDiagnostics?(fileName: string, json: string): Promise<HostResult<boolean>>;
  /** Restarts into a downloaded update if the update policy allows it now, else says why not. */
  installUpdate?(): Promise<HostResult<{ started: boolean; reason: string }>>;
  /** The station relay this workstation hosts (state 'off' when it hosts none); the desktop app only. */
  stationRelay?(): Promise<HostResult<RelayHostStatus>>;
  /** A one-time code for another desk to enrol at the hosted relay; main checks the supervisor's session with the backend. */
  issueRelayCode?(request: RelayIssueCodeRequest): Promise<HostResult<RelayIssueCodeResponse>>;

  /** This workstation's name and whether Settings may change it. */
  workstation(): Promise<HostResult<WorkstationName>>;
  /** Renames this workstation (a browser profile's own id only); used from the next start on. */
  renameWorkstation(name: string): Promise<HostResult<WorkstationName>>;
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

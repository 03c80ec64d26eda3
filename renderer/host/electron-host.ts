import type { RelayIssueCodeRequest } from '../../shared/ipc/relay-host';
import { ElectronPrintTarget, type PrintOutcome, type PrintTarget } from '../../shared/documents/print-job';
import type { PrintDocument } from '../../shared/documents/types';
import {
  IPC_EVENTS,
  type BackstopBridge,
  type Channel,
  type IpcRequest,
  type IpcResponse,
  type WorkstationStatus,
} from '../../shared/ipc/contract';
import { fail, ok } from '../../shared/result';
import { keysFromMain } from '../db/keys';
import type { AcceptRiskRequest, DeviceEnrolOutcome, DeviceEnrolRequest, VaultAnswer } from '../../shared/ipc/contract';
import {
  HostError,
  type Host,
  type HostResult,
  type KeysAnswer,
  type PrintOptions,
  type ReprintOptions,
  type WorkstationName,
} from './host';

type PrintChannel = 'print:document' | 'print:reprint' | 'print:cancel' | 'print:retry';

export class ElectronHost implements Host {
  readonly kind = 'electron';

  constructor(private readonly bridge: BackstopBridge) {}

  private async call<C extends Channel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
    const result = await this.bridge.invoke(channel, request);
    if (!result.ok) throw new HostError(result.code, result.message);
    return result.value;
  }

  /** Print calls answer with an outcome even when IPC itself fails, so the UI has one path. */
  private async printCall<C extends PrintChannel>(channel: C, request: IpcRequest<C>): Promise<PrintOutcome> {
    try {
      const result = await this.bridge.invoke(channel, request);
      if (result.ok) return result.value;
      const code = result.code === 'BAD_PAYLOAD' ? 'INVALID_REQUEST' : 'PRINT_SERVICE_UNAVAILABLE';
      return { ok: false, code, message: result.message, job: null };
    } catch (error) {
      return {
        ok: false,
        code: 'PRINT_SERVICE_UNAVAILABLE',
        message: error instanceof Error ? error.message : 'The print service did not answer.',
        job: null,
      };
    }
  }

  info() {
    return this.call('app:info', null);
  }

  async enrol(request: DeviceEnrolRequest): Promise<DeviceEnrolOutcome> {
    try {
      return await this.call('device:enrol', request);
    } catch (error) {
      return { ok: false, code: 'BACKEND_ERROR', message: error instanceof Error ? error.message : String(error) };
    }
  }

  private async keysOf(answer: Promise<VaultAnswer>): Promise<KeysAnswer> {
    try {
      const vault = await answer;
      if (vault.status !== 'ready') return vault;
      return { status: 'ready', keys: await keysFromMain(vault.key), riskAcceptedBy: vault.riskAcceptedBy, backend: vault.backend };
    } catch (error) {
      return { status: 'unavailable', message: error instanceof Error ? error.message : String(error) };
    }
  }

  keys(): Promise<KeysAnswer> {
    return this.keysOf(this.call('vault:open', null));
  }

  acceptStorageRisk(request: AcceptRiskRequest): Promise<KeysAnswer> {
    return this.keysOf(this.call('vault:accept-risk', request));
  }

  wipe(staffId: string) {
    return this.answer(async () => (await this.call('app:wipe', { confirm: 'WIPE', staffId })).wiped);
  }

  onLockRequest(listener: () => void): () => void {
    return this.bridge.on('session:lock', (payload) => {
      if (IPC_EVENTS['session:lock'].safeParse(payload).success) listener();
    });
  }

  print(document: PrintDocument, target: PrintTarget, options: PrintOptions): Promise<PrintOutcome> {
    const t = ElectronPrintTarget.safeParse(target);
    if (!t.success) return Promise.resolve(unsupported(target));
    return this.printCall('print:document', { document, target: t.data, copies: options.copies ?? 1, context: options.context });
  }

  printers() {
    return this.answer(() => this.call('print:printers', null));
  }

  jobs() {
    return this.answer(() => this.call('print:jobs', null));
  }

  /** A call whose failure (IPC down, a refusal) comes back as a value for the screen to show. */
  private async answer<T>(call: () => Promise<T>): Promise<HostResult<T>> {
    try {
      return ok(await call());
    } catch (error) {
      return fail(error instanceof HostError ? error.code : 'HOST_UNAVAILABLE', error instanceof Error ? error.message : String(error));
    }
  }

  /** The desktop app's name comes from its installation (--workstation, else the host name). */
  workstation(): Promise<HostResult<WorkstationName>> {
    return this.answer(async () => ({ name: (await this.info()).workstation, source: 'config' as const, editable: false }));
  }

  async renameWorkstation(): Promise<HostResult<WorkstationName>> {
    return fail(
      'NOT_EDITABLE',
      'The desktop app takes its workstation name from its installation (--workstation or BACKSTOP_WORKSTATION).',
    );
  }

  reprint(jobId: string, options: ReprintOptions): Promise<PrintOutcome> {
    let target: ElectronPrintTarget | null = null;
    if (options.target) {
      const t = ElectronPrintTarget.safeParse(options.target);
      if (!t.success) return Promise.resolve(unsupported(options.target));
      target = t.data;
    }
    return this.printCall('print:reprint', { jobId, target, copies: options.copies ?? null, staffId: options.staffId });
  }

  cancelPrint(jobId: string): Promise<PrintOutcome> {
    return this.printCall('print:cancel', { jobId });
  }

  retryPrint(jobId: string): Promise<PrintOutcome> {
    return this.printCall('print:retry', { jobId });
  }

  async reportStatus(status: WorkstationStatus): Promise<void> {
    try {
      await this.call('app:status', status);
    } catch {
      // The next report (at most 30 s away) tries again; main treats silence as "not known".
    }
  }

  onSyncRequest(listener: () => void): () => void {
    return this.bridge.on('sync:now', (payload) => {
      // Checked here too: the preload passes payloads on without a schema.
      if (IPC_EVENTS['sync:now'].safeParse(payload).success) listener();
    });
  }

  mainDiagnostics() {
    return this.answer(() => this.call('app:diagnostics', null));
  }

  saveDiagnostics(fileName: string, json: string) {
    return this.answer(async () => (await this.call('app:export-diagnostics', { fileName, content: json })).saved);
  }

  installUpdate() {
    return this.answer(() => this.call('app:install-update', null));
  }

  stationRelay() {
    return this.answer(() => this.call('relay:status', null));
  }

  issueRelayCode(request: RelayIssueCodeRequest) {
    return this.answer(() => this.call('relay:issue-code', request));
  }
}

function unsupported(target: PrintTarget): PrintOutcome {
  return {
    ok: false,
    code: 'UNSUPPORTED_TARGET',
    message: `The desktop app cannot print to "${target.kind}"; choose a printer or Save as PDF.`,
    job: null,
  };
}

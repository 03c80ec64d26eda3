import type { BackstopBridge, Channel, IpcRequest, IpcResponse } from '../../shared/ipc/contract';
import { HostError, type Host } from './host';

export class ElectronHost implements Host {
  readonly kind = 'electron';

  constructor(private readonly bridge: BackstopBridge) {}

  private async call<C extends Channel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
    const result = await this.bridge.invoke(channel, request);
    if (!result.ok) throw new HostError(result.code, result.message);
    return result.value;
  }

  info() {
    return this.call('app:info', null);
  }
}

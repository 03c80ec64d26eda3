import type { BackstopBridge } from '../../shared/ipc/contract';
import { BrowserHost } from './browser-host';
import { ElectronHost } from './electron-host';
import type { Host } from './host';

declare global {
  interface Window {
    backstop?: BackstopBridge;
  }
}

/** The preload's bridge means we run inside Electron; without it, in a plain browser. */
export function detectHost(): Host {
  return window.backstop ? new ElectronHost(window.backstop) : new BrowserHost();
}

export type { Host, HostResult, PrintOptions, ReprintOptions, WorkstationName } from './host';

/**
 * What the UI needs from the machine it runs on. ElectronHost answers through the preload bridge;
 * BrowserHost answers with web APIs, so Backstop also runs in a plain browser: a second,
 * independent path to the same functions, and how the end-to-end tests run here.
 */
import type { AppInfo } from '../../shared/ipc/contract';

export interface Host {
  readonly kind: 'electron' | 'browser';
  info(): Promise<AppInfo>;
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

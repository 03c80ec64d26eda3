import { AppInfo } from '../../shared/ipc/contract';
import type { Host } from './host';

/** Used when no config.json is served next to the page: the reference backend on loopback. */
const DEFAULT_INFO: AppInfo = {
  version: 'browser',
  platform: 'browser',
  workstation: 'BROWSER',
  backendUrl: 'http://127.0.0.1:8787',
  station: 'LHR',
  enrolmentKey: 'backstop-demo',
  notice: null,
};

export class BrowserHost implements Host {
  readonly kind = 'browser';
  private infoPromise: Promise<AppInfo> | null = null;

  constructor(private readonly configUrl = './config.json') {}

  info(): Promise<AppInfo> {
    this.infoPromise ??= this.loadInfo();
    return this.infoPromise;
  }

  private async loadInfo(): Promise<AppInfo> {
    let response: Response;
    try {
      response = await fetch(this.configUrl, { cache: 'no-store' });
    } catch {
      return DEFAULT_INFO;
    }
    if (response.status === 404) return DEFAULT_INFO;
    if (!response.ok) throw new Error(`Could not read ${this.configUrl}: HTTP ${response.status}`);
    const parsed = AppInfo.partial().safeParse(await response.json());
    if (!parsed.success) throw new Error(`${this.configUrl} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return { ...DEFAULT_INFO, ...parsed.data };
  }
}

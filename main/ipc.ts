/**
 * The IPC router: one handler per contract channel. Every call is checked for who sent it (our
 * app:// page, main frame only) and for its shape (the contract's zod schema) before a handler runs;
 * a bad call gets a typed error, never an exception across the bridge.
 */
import { fail, ok } from '../shared/result';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import {
  CHANNELS,
  IPC_CONTRACT,
  IPC_EVENTS,
  isChannel,
  type Channel,
  type EventName,
  type IpcEventPayload,
  type IpcResponse,
  type IpcResult,
} from '../shared/ipc/contract';
import type { z } from 'zod';
import { isAppUrl } from './security';

type ParsedRequest<C extends Channel> = z.infer<(typeof IPC_CONTRACT)[C]['request']>;

export type IpcHandlers = {
  [C in Channel]: (request: ParsedRequest<C>) => Promise<IpcResponse<C>> | IpcResponse<C>;
};

/** The parts of an invoke event the router looks at (kept small so tests can build one). */
export interface SenderInfo {
  senderFrame: { url: string; parent: unknown } | null;
}

export function isTrustedSender(event: SenderInfo): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function createIpcRouter(handlers: IpcHandlers, log: (message: string) => void) {
  return async function route(channel: unknown, event: SenderInfo, payload: unknown): Promise<IpcResult<unknown>> {
    if (!isChannel(channel)) return fail('UNKNOWN_CHANNEL', `No such channel: ${String(channel)}`);
    if (!isTrustedSender(event)) {
      log(`ipc: refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      return fail('BAD_SENDER', 'This request did not come from the Backstop window.');
    }
    const parsed = IPC_CONTRACT[channel].request.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      return fail('BAD_PAYLOAD', `Malformed ${channel} request${where}: ${issue?.message ?? 'invalid'}`);
    }
    try {
      const handler = handlers[channel] as (request: unknown) => unknown;
      const value = IPC_CONTRACT[channel].response.parse(await handler(parsed.data));
      return ok(value);
    } catch (error) {
      log(`ipc: ${channel} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fail('FAILED', pageSafeMessage(error));
    }
  };
}

/**
 * What the page may see of a failure: the first line of the message, with file paths taken out and
 * no stack. The whole error, stack included, goes to main's log only.
 */
export function pageSafeMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : '';
  const first = text.split('\n')[0]?.trim() ?? '';
  const withoutPaths = first
    .replace(/(?:[A-Za-z]:)?(?:[\\/][^\s'"\\/:]+){2,}[\\/]?/g, '…')
    .replace(/\bat\s+\S+\s+\(.*\)/g, '')
    .slice(0, 200)
    .trim();
  return withoutPaths === '' ? 'The request failed; the details are in the log.' : withoutPaths;
}

export function registerIpc(
  ipcMain: { handle(channel: string, listener: (event: IpcMainInvokeEvent, payload: unknown) => unknown): void },
  handlers: IpcHandlers,
  log: (message: string) => void,
): void {
  const route = createIpcRouter(handlers, log);
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, payload) => route(channel, event, payload));
  }
}

/** Sends a contract event to the page, its payload checked against the contract; false when there is no page. */
export function sendEvent<E extends EventName>(
  contents: Pick<WebContents, 'send' | 'isDestroyed'> | null | undefined,
  event: E,
  payload: IpcEventPayload<E>,
): boolean {
  if (!contents || contents.isDestroyed()) return false;
  contents.send(event, IPC_EVENTS[event].parse(payload));
  return true;
}

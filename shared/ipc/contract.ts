/**
 * The IPC contract between renderer and main: every channel, with zod schemas for its request and
 * response. The preload exposes exactly these channels; main validates sender and payload of each
 * call against them. Channels are added with the feature that needs them, never ahead of it.
 */
import { z } from 'zod';
import type { Channel } from './channels';

export { CHANNELS, isChannel, type Channel } from './channels';

export const AppInfo = z.object({
  version: z.string(),
  platform: z.string(),
  /** Name of this workstation as printed on every document. */
  workstation: z.string(),
  backendUrl: z.url(),
  station: z.string().regex(/^[A-Z]{3}$/),
  enrolmentKey: z.string(),
  /** Set once after the renderer crashed and was reloaded, so the UI can say so. */
  notice: z.string().nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
}

export const IPC_CONTRACT = {
  'app:info': { request: z.null(), response: AppInfo },
} as const satisfies Record<Channel, ChannelSpec>; // an extra or a missing channel fails to compile
export type IpcRequest<C extends Channel> = z.input<(typeof IPC_CONTRACT)[C]['request']>;
export type IpcResponse<C extends Channel> = z.infer<(typeof IPC_CONTRACT)[C]['response']>;

export const IPC_ERROR_CODES = ['BAD_SENDER', 'BAD_PAYLOAD', 'UNKNOWN_CHANNEL', 'FAILED'] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

/** Every answer over IPC is a value: success, or a typed error the renderer can show. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** The API the preload puts on `window.backstop`. */
export interface BackstopBridge {
  invoke<C extends Channel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>>;
}

/** Messages between the UI thread and the sync worker. Inbound ones are parsed: trust nothing by shape. */
import { z } from 'zod';
import { DeviceEnrolOutcome, type DeviceEnrolRequest } from '../../shared/ipc/contract';
import type { EngineEvent } from './status';

export const keyBytes = z.custom<Uint8Array<ArrayBuffer>>((v) => v instanceof Uint8Array && v.length === 32, 'a 32-byte key');

export const WorkerCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    backendUrl: z.url(),
    /** The backends in order of preference (a station relay, central); absent: backendUrl alone. */
    backendUrls: z.array(z.url()).min(1).max(8).optional(),
    station: z.string().regex(/^[A-Z]{3}$/),
    workstation: z.string().min(1),
    /** The 32-byte keys that seal the database at rest and key the audit chain (renderer/db/keys.ts). */
    keys: z.object({ data: keyBytes, audit: keyBytes }).nullable(),
    intervalMs: z.number().int().min(5_000).max(86_400_000),
    retentionHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    clockOffsetMs: z.number().int(),
    appVersion: z.string().max(40),
  }),
  z.object({ type: z.literal('sync-now') }),
  z.object({ type: z.literal('local-write') }),
  z.object({ type: z.literal('declare-fallback'), on: z.boolean() }),
  z.object({ type: z.literal('stop') }),
  /** The host's answer to an enrolment the worker asked for (enrolment is the host's, not the page's). */
  z.object({ type: z.literal('enrol-result'), id: z.number().int(), outcome: DeviceEnrolOutcome }),
]);
export type WorkerCommand = z.infer<typeof WorkerCommand>;

export type WorkerEvent =
  | EngineEvent
  | { type: 'error'; message: string }
  /** The worker needs an enrolment: the UI thread asks the host and answers with enrol-result. */
  | { type: 'enrol-request'; id: number; request: DeviceEnrolRequest };

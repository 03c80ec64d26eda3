/** Messages between the UI thread and the sync worker. Inbound ones are parsed: trust nothing by shape. */
import { z } from 'zod';
import type { EngineEvent } from './status';

export const WorkerCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    backendUrl: z.url(),
    station: z.string().regex(/^[A-Z]{3}$/),
    workstation: z.string().min(1),
    enrolmentKey: z.string().min(1),
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
]);
export type WorkerCommand = z.infer<typeof WorkerCommand>;

export type WorkerEvent = EngineEvent | { type: 'error'; message: string };

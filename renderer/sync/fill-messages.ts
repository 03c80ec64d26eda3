/** Messages between the sync worker and its fill helper (fill-worker.ts). Both ends parse what they receive. */
import { z } from 'zod';
import { IsoDateTime } from '../../shared/domain/schemas';
import { BulkRequest } from '../../shared/protocol/bulk';
import { DcsStatus } from '../../shared/protocol/v1';
import { FAILURE_KINDS } from '../../shared/sync/failure-policy';
import { keyBytes } from './messages';

const id = z.number().int().min(1);

export const FillCommand = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    dbName: z.string().min(1).max(100),
    /** The database's keys at rest, as the sync worker has them (null: not sealed). */
    keys: z.object({ data: keyBytes, audit: keyBytes }).nullable(),
    baseUrl: z.url(),
    token: z.string().min(1).max(400),
    appVersion: z.string().max(40).optional(),
  }),
  z.object({ type: z.literal('fetch'), id, body: BulkRequest, receivedAt: IsoDateTime }),
  /** `after`: the cursor the page before leaves (fill-writer.ts, Turn). */
  z.object({ type: z.literal('store'), id, after: z.string().max(600).nullable() }),
  z.object({ type: z.literal('abort') }),
]);
export type FillCommand = z.infer<typeof FillCommand>;

const Timing = z.object({ networkMs: z.number(), parseMs: z.number(), validateMs: z.number() });

const Failure = z.object({
  kind: z.enum(FAILURE_KINDS),
  status: z.number().int().nullable(),
  code: z.string().nullable(),
  detail: z.string().nullable(),
});

export const FetchedPage = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), next: z.object({ cursor: z.string().max(400), hasMore: z.boolean() }) }),
  z.object({ ok: z.literal(false), failure: Failure }),
]);

const StoredPage = z.object({
  stats: z.object({ changes: z.number().int().min(0), flights: z.number().int().min(0), passengers: z.number().int().min(0) }),
  leaves: z.string().min(1).max(600),
  head: z.object({ remaining: z.number().int().min(0), flights: z.number().int().min(0), dcs: DcsStatus }),
  bytes: z.number().min(0),
  ms: z.number(),
  timing: Timing,
});

export const FillReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fetched'), id, result: FetchedPage }),
  /** The store's transaction is open: the next page's may be opened. */
  z.object({ type: z.literal('started'), id }),
  z.object({ type: z.literal('stored'), id, page: StoredPage }),
  /** A command that failed on the helper's side (id null: the helper itself, e.g. its database would not open). */
  z.object({
    type: z.literal('failed'),
    id: id.nullable(),
    message: z.string(),
    /** OutOfTurn: nothing stored, the page kept to try again. */
    outOfTurn: z.literal(true).optional(),
    /** PageRefused: the backend's answer could not be taken, and how. */
    refused: Failure.optional(),
  }),
]);
export type FillReply = z.infer<typeof FillReply>;

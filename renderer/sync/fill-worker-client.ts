/**
 * The sync worker's side of the fill helper (fill-worker.ts): a FillWriter whose pages are fetched,
 * made and stored on the helper's thread. Answers are parsed; a helper that fails or dies fails the
 * page it held (the fill stops at the last page stored whole and the next cycle resumes from it).
 */
import type { BulkRequest } from '../../shared/protocol/bulk';
import { syncFailure } from '../../shared/sync/http-failure';
import { OutOfTurn } from './apply-pull';
import { PageRefused, type FetchedPage, type FillWriter, type StoredPage, type Turn } from './fill-writer';
import { FillReply, type FillCommand } from './fill-messages';

type Init = Omit<Extract<FillCommand, { type: 'init' }>, 'type'>;

/** What a Worker offers that the client uses (a test may hand in a MessagePort-backed stand-in). */
export interface FillWorkerPort {
  postMessage(message: FillCommand): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export class WorkerFillWriter implements FillWriter {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: FillReply | { type: 'failed'; id: number; message: string }) => void>();
  /** Stores whose transaction has not said it is open yet. */
  private readonly starting = new Map<number, () => void>();
  private closed = false;

  /** `onProblem` hears every failure of the helper (the host logs it: the fill itself carries on without it). */
  constructor(
    private readonly worker: FillWorkerPort,
    init: Init,
    private readonly onProblem: (message: string) => void = () => {},
  ) {
    worker.onmessage = (event) => {
      const reply = FillReply.safeParse(event.data);
      if (!reply.success) return this.fail('fill helper: an answer that does not parse');
      if (reply.data.id === null) return this.fail(reply.data.type === 'failed' ? reply.data.message : 'fill helper failed');
      if (reply.data.type === 'started') {
        this.starting.get(reply.data.id)?.();
        this.starting.delete(reply.data.id);
        return;
      }
      const resolve = this.waiting.get(reply.data.id);
      this.waiting.delete(reply.data.id);
      resolve?.(reply.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.fail(`fill helper: ${event.message || 'stopped'}`);
    };
    worker.postMessage({ type: 'init', ...init });
  }

  async fetch(body: BulkRequest, receivedAt: string, signal?: AbortSignal): Promise<FetchedPage> {
    const onAbort = () => this.send({ type: 'abort' });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = await this.ask((id) => ({ type: 'fetch', id, body, receivedAt }));
      if (reply.type === 'fetched') return reply.result;
      const message = reply.type === 'failed' ? reply.message : 'fill helper: unexpected answer';
      // (A helper that failed as a whole has said so once already.)
      if (!this.closed) this.onProblem(message);
      return { ok: false, failure: syncFailure('local', null, null, message) };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async store(turn: Turn): Promise<StoredPage> {
    let started: number | null = null;
    const reply = await this.ask((id) => {
      started = id;
      this.starting.set(id, turn.onStarted);
      return { type: 'store', id, after: turn.after };
    });
    if (started !== null) this.starting.delete(started);
    if (reply.type === 'stored') return reply.page;
    if (reply.type === 'failed' && reply.outOfTurn) throw new OutOfTurn(turn.after, reply.message);
    // The backend's answer, not the helper, was at fault.
    if (reply.type === 'failed' && reply.refused) throw new PageRefused(reply.refused);
    const message = reply.type === 'failed' ? reply.message : 'fill helper: unexpected answer';
    if (!this.closed) this.onProblem(message);
    throw new Error(message);
  }

  close(): void {
    this.fail('fill helper closed', false);
  }

  private ask(
    command: (id: number) => FillCommand,
  ): Promise<FillReply | { type: 'failed'; id: number; message: string; outOfTurn?: undefined; refused?: undefined }> {
    const id = this.nextId++;
    if (this.closed) return Promise.resolve({ type: 'failed', id, message: 'fill helper closed' });
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.send(command(id));
    });
  }

  private send(command: FillCommand): void {
    if (!this.closed) this.worker.postMessage(command);
  }

  /** A helper that failed once is done: whatever it held fails, and it is asked nothing more. */
  private fail(message: string, problem = true): void {
    if (problem && !this.closed) this.onProblem(message);
    if (!this.closed) this.worker.terminate();
    this.closed = true;
    for (const [id, resolve] of this.waiting) resolve({ type: 'failed', id, message });
    this.waiting.clear();
    this.starting.clear();
  }
}

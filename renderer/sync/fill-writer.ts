/**
 * A first fill in turns. A writer fetches one page of the bulk form, checks and decodes it and makes
 * its records (sealed, when the database is sealed at rest) on its own thread, then stores the page
 * when the engine says it is its turn: the engine keeps the pages' transactions in order, each with
 * the cursor that resumes after it. With two writers, the sync worker and a helper worker
 * (fill-worker.ts), one page's storing — the structured clone of its records into IndexedDB, which
 * only the storing thread can do — overlaps the next page's decoding on the other thread. Where the
 * next page starts is known from the answer's headers (shared/protocol/bulk.ts, BULK_NEXT_HEADER), so
 * the next page is asked for before this one has arrived whole and been checked.
 */
import type { BulkNext, BulkRequest, DecodedBulkPage } from '../../shared/protocol/bulk';
import type { DcsStatus } from '../../shared/protocol/v1';
import type { SyncFailure } from '../../shared/sync/failure-policy';
import { syncFailure } from '../../shared/sync/http-failure';
import type { BackstopDB } from '../db/schema';
import { BULK_CURSOR_PREFIX, isOutOfTurn, readyBulkPage, storeReadyPage, type PageStats, type ReadyPage } from './apply-pull';
import type { RequestTiming, SyncTransport } from './http';

/** What the fill reports of a page it stored. */
export interface BulkPageHead {
  /** Flights still to come after this page. */
  remaining: number;
  /** Flights on this page. */
  flights: number;
  dcs: DcsStatus;
}

/** A page asked for: where the next one starts (the page itself is still on its way), or why there is none. */
export type FetchedPage = { ok: true; next: BulkNext } | { ok: false; failure: SyncFailure };

export interface StoredPage {
  stats: PageStats;
  /** The cursor stored with the page: the bulk cursor after it, or after the last page the snapshot's feed cursor. */
  leaves: string;
  head: BulkPageHead;
  bytes: number;
  ms: number;
  timing: RequestTiming;
}

export interface Turn {
  /** The cursor the page before leaves (the stored cursor, for the first page). */
  after: string | null;
  onStarted: () => void;
}

export interface FillWriter {
  /** Asks for the page after `body.cursor`; answers as soon as it is known where the next one starts. */
  fetch(body: BulkRequest, receivedAt: string, signal?: AbortSignal): Promise<FetchedPage>;
  /**
   * Stores the page fetched last, in one transaction, with the cursor that resumes after it, if the
   * stored cursor is still `turn.after` (else OutOfTurn, nothing stored, the page kept to try again).
   * `turn.onStarted` is called once its transaction is open: the next page's may be opened then. A page
   * that arrived broken, or not as its header said, is refused (PageRefused) and nothing of it stored.
   */
  store(turn: Turn): Promise<StoredPage>;
  close(): void;
}

/** The backend's answer for a page could not be taken: the failure says how (the policy decides what next). */
export class PageRefused extends Error {
  override readonly name = 'PageRefused';
  constructor(readonly failure: SyncFailure) {
    super(failure.detail ?? failure.kind);
  }
}

export function isPageRefused(error: unknown): error is PageRefused {
  return error instanceof Error && error.name === 'PageRefused' && 'failure' in error;
}

/** Stores a writer's page in its turn: once more, after the page before it is done, if it came out of turn. */
export async function storeInTurn(writer: FillWriter, turn: Turn, previousDone: Promise<void>): Promise<StoredPage> {
  try {
    return await writer.store(turn);
  } catch (error) {
    // Opened before the page ahead of it had committed (another thread's): once that one is done, again.
    if (!isOutOfTurn(error)) throw error;
    await previousDone;
    return writer.store(turn);
  }
}

function headOf(decoded: DecodedBulkPage): BulkPageHead {
  return { remaining: decoded.page.remaining, flights: decoded.flights.length, dcs: decoded.page.dcs };
}

interface Made {
  ready: ReadyPage;
  leaves: string;
  head: BulkPageHead;
  bytes: number;
  ms: number;
  timing: RequestTiming;
}

/** A writer on the calling thread (the sync worker's own turn, and every turn in tests and simulations). */
export class LocalFillWriter implements FillWriter {
  private made: Promise<Made> | null = null;

  /**
   * `checkHeld: false` when another thread writes in turns: asking which flights are held would wait
   * behind its write transaction (the store's transaction checks again either way).
   */
  constructor(
    private readonly db: BackstopDB,
    private readonly transport: Pick<SyncTransport, 'bulk'>,
    private readonly options: { checkHeld: boolean },
  ) {}

  async fetch(body: BulkRequest, receivedAt: string, signal?: AbortSignal): Promise<FetchedPage> {
    if (!this.transport.bulk) throw new Error('fill writer: the transport has no bulk form');
    let hint: BulkNext | null = null;
    let hinted: (next: BulkNext) => void = () => {};
    const early = new Promise<BulkNext>((resolve) => (hinted = resolve));
    const answer = this.transport.bulk(body, signal, (next) => {
      hint = next;
      hinted(next);
    });
    const made = answer.then(async (result): Promise<Made> => {
      if (!result.ok) throw new PageRefused(result.failure);
      const { page } = result.value;
      const said: BulkNext | null = hint;
      if (said !== null && (said.hasMore !== page.hasMore || (page.hasMore && said.cursor !== page.cursor))) {
        throw new PageRefused(
          syncFailure('malformed', null, null, 'bulk page: the body does not start the next page where its header said'),
        );
      }
      return {
        ready: await readyBulkPage(this.db, result.value, receivedAt, { checkHeld: this.options.checkHeld }),
        leaves: page.hasMore ? BULK_CURSOR_PREFIX + page.cursor : page.snapshot,
        head: headOf(result.value),
        bytes: result.bytes,
        ms: result.ms,
        timing: result.timing,
      };
    });
    // A failure here is the store's to report, when the page's turn comes.
    made.catch(() => {});
    this.made = made;
    return Promise.race([
      early.then((next): FetchedPage => ({ ok: true, next })),
      answer.then((result): FetchedPage =>
        result.ok
          ? { ok: true, next: { cursor: result.value.page.cursor, hasMore: result.value.page.hasMore } }
          : { ok: false, failure: result.failure },
      ),
    ]);
  }

  async store(turn: Turn): Promise<StoredPage> {
    const pending = this.made;
    if (!pending) throw new Error('fill writer: no page to store');
    const made = await pending;
    const stats = await storeReadyPage(this.db, made.ready, made.leaves, { blind: true, ...turn });
    this.made = null;
    return { stats, leaves: made.leaves, head: made.head, bytes: made.bytes, ms: made.ms, timing: made.timing };
  }

  close(): void {
    this.made = null;
  }
}

/**
 * A first fill in turns. A writer fetches one page of the bulk form, checks and decodes it and makes
 * its records (sealed, when the database is sealed at rest) on its own thread, then stores the page
 * when the engine says it is its turn: the engine keeps the pages' transactions in order, each with
 * the cursor that resumes after it. With two writers, the sync worker and a helper worker
 * (fill-worker.ts), one page's storing — the structured clone of its records into IndexedDB, which
 * only the storing thread can do — overlaps the next page's decoding on the other thread.
 */
import type { BulkRequest, DecodedBulkPage } from '../../shared/protocol/bulk';
import type { DcsStatus } from '../../shared/protocol/v1';
import type { BackstopDB } from '../db/schema';
import { readyBulkPage, storeReadyPage, type PageStats, type ReadyPage } from './apply-pull';
import type { HttpResult, SyncTransport } from './http';

/** What the fill's loop needs of a page a writer holds: where the next one starts, and what to report. */
export interface BulkPageHead {
  snapshot: string;
  cursor: string;
  hasMore: boolean;
  /** Flights still to come after this page. */
  remaining: number;
  /** Flights on this page. */
  flights: number;
  dcs: DcsStatus;
}

export interface FillWriter {
  /** Fetches and checks the page after `body.cursor`; its records are made while the answer goes back. */
  fetch(body: BulkRequest, receivedAt: string, signal?: AbortSignal): Promise<HttpResult<BulkPageHead>>;
  /**
   * Stores the page fetched last, in one transaction, with the cursor that resumes after it, if the
   * stored cursor is still `turn.after` (else OutOfTurn, nothing stored, the page kept to try again).
   * `turn.onStarted` is called once its transaction is open: the next page's may be opened then.
   */
  store(cursor: string, turn: Turn): Promise<PageStats>;
  close(): void;
}

export interface Turn {
  after: string | null;
  onStarted: () => void;
}

export function headOf(decoded: DecodedBulkPage): BulkPageHead {
  const { snapshot, cursor, hasMore, remaining, dcs } = decoded.page;
  return { snapshot, cursor, hasMore, remaining, flights: decoded.flights.length, dcs };
}

/** A writer on the calling thread (the sync worker's own turn, and every turn in tests and simulations). */
export class LocalFillWriter implements FillWriter {
  private ready: Promise<ReadyPage> | null = null;

  /**
   * `checkHeld: false` when another thread writes in turns: asking which flights are held would wait
   * behind its write transaction (the store's transaction checks again either way).
   */
  constructor(
    private readonly db: BackstopDB,
    private readonly transport: Pick<SyncTransport, 'bulk'>,
    private readonly options: { checkHeld: boolean },
  ) {}

  async fetch(body: BulkRequest, receivedAt: string, signal?: AbortSignal): Promise<HttpResult<BulkPageHead>> {
    if (!this.transport.bulk) throw new Error('fill writer: the transport has no bulk form');
    this.ready = null;
    const result = await this.transport.bulk(body, signal);
    if (!result.ok) return result;
    const ready = readyBulkPage(this.db, result.value, receivedAt, { checkHeld: this.options.checkHeld });
    // A failure here is the store's to report, when the page's turn comes.
    ready.catch(() => {});
    this.ready = ready;
    return { ...result, value: headOf(result.value) };
  }

  async store(cursor: string, turn: Turn): Promise<PageStats> {
    const ready = this.ready;
    if (!ready) throw new Error('fill writer: no page to store');
    const stats = await storeReadyPage(this.db, await ready, cursor, { blind: true, ...turn });
    this.ready = null;
    return stats;
  }

  close(): void {
    this.ready = null;
  }
}

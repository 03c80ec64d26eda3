/**
 * Pull pages. Each store builds a page from the stored change text with no JSON work in JavaScript:
 * the page's extent (versions and sizes, cut by both maxChanges and maxBytes) comes from the feed
 * index, and the database concatenates those rows into one buffer, which is sent as it is (SQLite:
 * group_concat; PostgreSQL: string_agg). At hub scale (300k passengers, ~170 MB) this is what keeps
 * the backend's share of a workstation's full cache fill small: per-row JavaScript strings cost
 * several times more.
 */
import type { Estimate, Page, PageRequest, Store } from '../store/store';
import { readBulkPage, type BulkPage, type BulkPageRequest } from './bulk';
import type { FeedLineage } from './lineage';

export type { Estimate, Page, PageRequest } from '../store/store';

/**
 * How to count the changes still to come after a page that ends at `last` and holds `count`: the
 * first page counts once (an index-only scan); later pages take what was left, minus this page, plus
 * whatever was written since the count (a short scan of the newest versions).
 */
export function remainingPlan(estimate: Estimate | null, last: number, count: number): { countAfter: number; plus: number } {
  if (!estimate || last > estimate.highWater) return { countAfter: last, plus: 0 };
  return { countAfter: estimate.highWater, plus: Math.max(0, estimate.remaining - count) };
}

/** The pull route's view of the feed. */
export class PageReader {
  /** `lineage`: tells cursors of this database's history from those of history it lost (lineage.ts); null: epoch only. */
  constructor(
    private readonly store: Store,
    readonly lineage: FeedLineage | null = null,
  ) {}

  /** The boot this process names in its cursors. */
  get boot(): string | null {
    return this.lineage?.boot ?? null;
  }

  read(request: PageRequest): Promise<Page> {
    return this.store.readPage(request);
  }

  /** A page of a first fill's bulk form (server/sync/bulk.ts). */
  bulk(request: BulkPageRequest): Promise<BulkPage> {
    return readBulkPage(this.store, request);
  }
}

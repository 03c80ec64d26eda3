/**
 * What every print template returns and what every document must say about its origin.
 * The document kinds are the ones the `print.logged` audit mutation knows.
 */
import { z } from 'zod';
import { PrintLoggedArgs } from '../domain/mutations';
import { PageSize } from './page';

export const DocumentKind = PrintLoggedArgs.shape.document;
export type DocumentKind = z.infer<typeof DocumentKind>;

/** Large enough for a 400-passenger manifest in two orders with room to spare (measured ≈ 0.4 MB). */
export const MAX_DOCUMENT_HTML = 4 * 1024 * 1024;

export const PrintDocument = z.object({
  kind: DocumentKind,
  title: z.string().trim().min(1).max(200),
  /** A complete HTML document with its own print CSS and no scripts. */
  html: z.string().min(1).max(MAX_DOCUMENT_HTML),
  pageSize: PageSize,
});
export type PrintDocument = z.infer<typeof PrintDocument>;

/**
 * Printed on every document: how fresh the data was, where and by whom it was printed. During an
 * outage a printout outlives the screen it came from, so it has to carry this itself.
 */
export interface Provenance {
  /** When the local copy was last in step with the backend (UTC ISO); null on a test page. */
  dataAsOf: string | null;
  /** When the document was produced (UTC ISO). Templates are pure, so the caller passes the clock. */
  printedAt: string;
  /** The station's IANA time zone: every time is shown in it and labelled with it. */
  timeZone: string;
  station: string;
  workstation: string;
  agent: { id: string; name: string };
  /**
   * 1 for the first reprint of this document for this passenger, 2 for the next…; absent or 0 on a
   * first print. Printed as "REPRINT n" so a gate can tell a duplicate pass from the original.
   */
  reprint?: number;
  /**
   * Printed during a station drill (renderer/features/drill): every page says DRILL — NOT VALID FOR
   * TRAVEL, big, so a practice pass can never be taken for a real one.
   */
  drill?: boolean;
}

/** Data older than this at print time is flagged on the document. */
export const STALE_AFTER_MINUTES = 30;

/**
 * Bulk pages of a first fill (shared/protocol/bulk.ts explains the form and why it is consistent).
 *
 * The backend keeps each flight's document pre-serialised and pre-compressed in the store
 * (`flight_doc_deflate`: a raw-deflate piece with its text's length and Adler-32, deflate-pieces.ts),
 * so a page costs little more than reading bytes: to a client that takes `deflate` (Chromium and
 * Node's fetch both do) the page goes out as one zlib stream of the stored pieces as they are, with
 * only the envelope around them compressed at serve time; no document is decompressed or turned into
 * a string. Another client gets the same text, inflated piece by piece. Documents are rebuilt lazily, on the fill that finds them stale,
 * not in the write transaction: a busy flight is written hundreds of times a day (every check-in,
 * every boarding) and read in bulk only when a workstation starts empty, so rewriting 300 passengers
 * on every write would cost far more than rebuilding on the odd fill. Stale is decided against the
 * feed itself — a stamp of the flight's version and its passenger rows' newest version and count —
 * so no write path has to remember to invalidate anything, and a write racing a rebuild only makes
 * the stored document look stale to the next fill.
 */
import { toColumns } from '../../shared/protocol/bulk';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';
import type { Store } from '../store/store';
import type { CursorProblem } from './cursor';
import { deflatePiece, deflatePieceSync, inflatePiece, zlibStream, type DeflatePiece } from './deflate-pieces';

/** Where a bulk fill is: its snapshot version and the last flight id sent ('' before the first). */
export interface BulkPosition {
  snapshot: number;
  after: string;
  /** The backend process that issued the cursor (cursor.ts); absent from cursors issued before boots were named. */
  boot?: string | null;
}

export interface BulkPageRequest {
  station: string;
  deviceId: string;
  /** null: a new bulk fill (the snapshot is taken now). */
  position: BulkPosition | null;
  maxFlights: number;
  maxBytes: number;
}

export interface BulkPage {
  snapshot: number;
  /** Small kinds up to the snapshot, joined as Page.changes (first page only). */
  changes: Buffer;
  /** The flight documents in order, as stored: one deflate piece each. */
  docs: DeflatePiece[];
  flights: number;
  /** Documents rebuilt for this page (they were stale or missing). */
  rebuilt: number;
  after: string;
  hasMore: boolean;
  remaining: number;
}

/** Bulk cursors: base64url of JSON [epoch, snapshot, last flight id, boot?]. Opaque to the workstation. */
export function encodeBulkCursor(epoch: string, position: BulkPosition): string {
  const boot = position.boot ? [position.boot] : [];
  return Buffer.from(JSON.stringify([epoch, position.snapshot, position.after, ...boot]), 'utf8').toString('base64url');
}

export function decodeBulkCursor(cursor: string | null, epoch: string): Result<BulkPosition | null, CursorProblem> {
  if (cursor === null) return ok(null);
  const malformed = fail(
    'CURSOR_MALFORMED' as const,
    'The bulk cursor is not one this server issued. Start the bulk fill again (cursor null).',
  );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return malformed;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return malformed;
  }
  if (!Array.isArray(value) || value.length < 3 || value.length > 4) return malformed;
  const [e, snapshot, after, boot] = value as unknown[];
  if (
    typeof e !== 'string' ||
    (boot !== undefined && (typeof boot !== 'string' || !/^[0-9a-f]{8,32}$/.test(boot))) ||
    typeof after !== 'string' ||
    after.length > 64 ||
    !Number.isSafeInteger(snapshot) ||
    (snapshot as number) < 0
  )
    return malformed;
  if (e !== epoch) {
    return fail(
      'CURSOR_EXPIRED',
      'The bulk cursor belongs to a server database that has since been replaced. Discard the local copy and start again (cursor null).',
    );
  }
  return ok({ snapshot: snapshot as number, after, boot: typeof boot === 'string' ? boot : null });
}

/** One bulk page: stored documents where they are current, rebuilt (and stored) where they are not. */
export async function readBulkPage(
  store: Store,
  { station, deviceId, position, maxFlights, maxBytes }: BulkPageRequest,
): Promise<BulkPage> {
  const docs = store.docs;
  const snapshot = position?.snapshot ?? (await docs.head(station));
  const after = position?.after ?? '';
  const changes = position === null ? await docs.smallChanges(station, deviceId, snapshot) : Buffer.alloc(0);
  const states = await docs.page(station, after, maxFlights);
  const pieces: DeflatePiece[] = [];
  let bytes = changes.length;
  let last = after;
  let rebuilt = 0;
  for (const state of states) {
    let piece = state.doc && state.doc.stamp === state.stamp ? state.doc.piece : null;
    if (piece === null) {
      const source = await docs.source(station, state.flightId);
      rebuilt++;
      if (source) {
        const text = JSON.stringify({ flight: source.flight, version: source.version, pax: toColumns(source.passengers) });
        piece = await deflatePiece(Buffer.from(text, 'utf8'));
        await docs.save(station, state.flightId, source.stamp, piece);
      }
    }
    // Always at least one document, or a flight larger than maxBytes would stall the fill.
    if (piece && pieces.length > 0 && bytes + piece.size + 1 > maxBytes) break;
    last = state.flightId;
    // A flight deleted since the page was listed is left out: its tombstone comes with the feed after the snapshot.
    if (piece) {
      pieces.push(piece);
      bytes += piece.size + 1;
    }
  }
  const remaining = await docs.countAfter(station, last);
  return {
    snapshot,
    changes,
    docs: pieces,
    flights: pieces.length,
    rebuilt,
    after: last,
    hasMore: remaining > 0,
    remaining,
  };
}

const COMMA = Buffer.from(',');
const COMMA_PIECE = deflatePieceSync(COMMA);

/**
 * A page's JSON text for a client that does not take deflate: `head`, the documents joined by commas,
 * `tail`. The head holds everything before the first document, the tail everything after the last.
 */
export async function bulkText(head: Buffer, docs: readonly DeflatePiece[], tail: Buffer): Promise<Buffer> {
  const texts = await Promise.all(docs.map(inflatePiece));
  return Buffer.concat([head, ...texts.flatMap((t, i) => (i === 0 ? [t] : [COMMA, t])), tail]);
}

/** The same text as one zlib stream (`Content-Encoding: deflate`): the stored pieces as they are, the envelope compressed now. */
export async function bulkDeflated(head: Buffer, docs: readonly DeflatePiece[], tail: Buffer): Promise<{ deflated: Buffer; size: number }> {
  const pieces = [await deflatePiece(head), ...docs.flatMap((d, i) => (i === 0 ? [d] : [COMMA_PIECE, d])), deflatePieceSync(tail)];
  return { deflated: zlibStream(pieces), size: pieces.reduce((n, p) => n + p.size, 0) };
}

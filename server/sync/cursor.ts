/**
 * Pull cursors. Opaque to the workstation; here base64url of
 * `<db epoch>.<last version>[.<remaining>.<high water>]`. The epoch tells a cursor from a database
 * that was since reset (its versions mean nothing any more) apart from a damaged one. The optional
 * tail carries the count of changes still to come, so later pages of one pull need not count again.
 */
import type { HttpErrorCode } from '../../shared/protocol/errors';
import type { Result } from '../../shared/result';
import { fail, ok } from '../../shared/result';

export type CursorProblem = Extract<HttpErrorCode, 'CURSOR_MALFORMED' | 'CURSOR_EXPIRED'>;

/** "`remaining` changes were left after the cursor when the newest version was `highWater`." */
export interface Estimate {
  remaining: number;
  highWater: number;
}

export interface Position {
  after: number;
  estimate: Estimate | null;
}

export function encodeCursor(epoch: string, version: number, estimate: Estimate | null = null): string {
  const tail = estimate ? `.${estimate.remaining}.${estimate.highWater}` : '';
  return Buffer.from(`${epoch}.${version}${tail}`, 'utf8').toString('base64url');
}

/** null (a first pull) means "from the beginning". */
export function decodeCursor(cursor: string | null, epoch: string): Result<Position, CursorProblem> {
  if (cursor === null) return ok({ after: 0, estimate: null });
  const malformed = fail('CURSOR_MALFORMED' as const, 'The cursor is not one this server issued. Pull again from the start (cursor null).');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return malformed;
  const match = /^([0-9a-f]+)\.(\d{1,15})(?:\.(\d{1,15})\.(\d{1,15}))?$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return malformed;
  if (match[1] !== epoch) {
    return fail(
      'CURSOR_EXPIRED',
      'The cursor belongs to a server database that has since been replaced. Discard the local copy and pull again from the start (cursor null).',
    );
  }
  const estimate = match[3] && match[4] ? { remaining: Number(match[3]), highWater: Number(match[4]) } : null;
  return ok({ after: Number(match[2]), estimate });
}

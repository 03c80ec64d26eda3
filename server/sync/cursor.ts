/**
 * Pull cursors. Opaque to the workstation; here base64url of
 * `<db epoch>.<last version>[.<remaining>.<high water>][.b<boot>]`. The epoch tells a cursor from a database
 * that was since reset (its versions mean nothing any more) apart from a damaged one. The optional
 * tail carries the count of changes still to come, so later pages of one pull need not count again.
 * The boot names the backend process that issued it: a database restored from an older copy keeps
 * its epoch, and the boot is how such a cursor is told from one of its own history (lineage.ts).
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
  /** The backend process that issued the cursor; null for a cursor from before boots were named. */
  boot: string | null;
}

export function encodeCursor(epoch: string, version: number, estimate: Estimate | null = null, boot: string | null = null): string {
  const tail = estimate ? `.${estimate.remaining}.${estimate.highWater}` : '';
  return Buffer.from(`${epoch}.${version}${tail}${boot ? `.b${boot}` : ''}`, 'utf8').toString('base64url');
}

/** null (a first pull) means "from the beginning". */
export function decodeCursor(cursor: string | null, epoch: string): Result<Position, CursorProblem> {
  if (cursor === null) return ok({ after: 0, estimate: null, boot: null });
  const malformed = fail('CURSOR_MALFORMED' as const, 'The cursor is not one this server issued. Pull again from the start (cursor null).');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return malformed;
  const match = /^([0-9a-f]+)\.(\d{1,15})(?:\.(\d{1,15})\.(\d{1,15}))?(?:\.b([0-9a-f]{8,32}))?$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match) return malformed;
  if (match[1] !== epoch) {
    return fail(
      'CURSOR_EXPIRED',
      'The cursor belongs to a server database that has since been replaced. Discard the local copy and pull again from the start (cursor null).',
    );
  }
  const estimate = match[3] && match[4] ? { remaining: Number(match[3]), highWater: Number(match[4]) } : null;
  return ok({ after: Number(match[2]), estimate, boot: match[5] ?? null });
}

/**
 * How a sync client reads a failed HTTP answer from a Backstop backend, the same in the workstation
 * (renderer/sync/http.ts) and in a station relay talking to central (relay/upstream-client.ts): by
 * status and by the backend's own error code, never by its words.
 */
import { httpErrorCode, type HttpErrorCode } from '../protocol/errors';
import { ErrorBody } from '../protocol/v1';
import type { FailureKind, SyncFailure } from './failure-policy';

export function syncFailure(kind: FailureKind, status: number | null, code: HttpErrorCode | null, detail: string | null): SyncFailure {
  return { kind, status, code, detail };
}

/** Classifies a non-2xx answer from its status and body text. */
export function httpFailure(status: number, text: string): SyncFailure {
  let code: HttpErrorCode | null = null;
  let detail: string | null = null;
  try {
    const body = ErrorBody.safeParse(JSON.parse(text));
    if (body.success) {
      code = httpErrorCode(body.data.error.code);
      detail = body.data.error.field ? `${body.data.error.message} (${body.data.error.field})` : body.data.error.message;
    }
  } catch {
    // Not a JSON error body (a proxy's HTML page, say); the status is all we know.
  }
  if (status === 426) return syncFailure('protocol', status, code, detail);
  // Only our backend's own verdict on the token means "enrol again"; a 401/403 from a proxy or
  // firewall in between is an outage like any other, and must never make us forget anything.
  if ((status === 401 && code === 'UNAUTHORIZED') || (status === 403 && code === 'CLIENT_MISMATCH'))
    return syncFailure('auth', status, code, detail);
  if (code === null && (status === 401 || status === 403 || status === 407))
    return syncFailure('server', status, null, 'refused before reaching the backend');
  if (status >= 500 || status === 408 || status === 429) return syncFailure('server', status, code, detail);
  return syncFailure('client', status, code, detail);
}

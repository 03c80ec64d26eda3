/**
 * Every code the backend answers a failed request with (`ErrorBody.error.code`), one list for both
 * ends: the server sends only these, and the workstation decides what to do by comparing against
 * them (never by matching words). The status each one comes with is in its comment.
 */
import { z } from 'zod';

export const HTTP_ERROR_CODES = [
  /** 400: the body is not JSON, or a field is wrong (`field` names the first one). Retrying the same request will not help. */
  'BAD_REQUEST',
  /** 401: no token, or a token the backend does not know (it was reset or the device revoked): enrol again. */
  'UNAUTHORIZED',
  /** 403: the token belongs to another device than the clientId the request names: enrol again. */
  'CLIENT_MISMATCH',
  /** 403: the request names another station than the one the device enrolled for. */
  'STATION_MISMATCH',
  /** 403: the enrolment key (or code) is wrong. */
  'ENROLMENT_REFUSED',
  /** 400: this backend does not serve the station a device asked to enrol for. */
  'UNKNOWN_STATION',
  /** 409: the pull cursor belongs to a database that no longer exists (restored, replaced): rebuild the local copy. */
  'CURSOR_EXPIRED',
  /**
   * 409: the backend's database was restored from an older copy (the cursor names history it lost, or it
   * holds fewer of this workstation's actions than it once acknowledged): send again the actions it
   * acknowledged, then pull from the start.
   */
  'BACKEND_RESTORED',
  /**
   * 503: this backend process started moments ago and cannot tell yet whether the cursor is of its
   * database's history (another process may not have said it is alive yet); try again in a few seconds.
   */
  'TRY_AGAIN',
  /** 400: the pull cursor is not one this backend issued. */
  'CURSOR_MALFORMED',
  /** 426: the request speaks another protocol version (or sent none). Stop syncing; keep everything. */
  'PROTOCOL_MISMATCH',
  /** 413: the body is too large; send fewer mutations per push. */
  'PAYLOAD_TOO_LARGE',
  /** 415: the body is not application/json. */
  'UNSUPPORTED_MEDIA_TYPE',
  /** 404: no such route. */
  'NOT_FOUND',
  /** 403: admin routes are switched off on this backend (no admin token configured). */
  'ADMIN_DISABLED',
  /** 409: the DCS simulator is down; switch it up before stepping it. */
  'DCS_DOWN',
  /** 429: too many requests from this workstation or address; wait (Retry-After) and try again. */
  'RATE_LIMITED',
  /** 401: the staff ID and PIN (or passphrase) do not match a member of staff of this station. */
  'SIGN_IN_REFUSED',
  /** 429: too many wrong PINs for this staff member or workstation; wait until the time given. */
  'SIGN_IN_LOCKED',
  /** 404: no such held action, or it was confirmed already. */
  'NOT_HELD',
  /** 403: only a supervisor signed in online (with a staff session) may do this. */
  'SUPERVISOR_SESSION_REQUIRED',
  /** 403: only a station relay enrolled as one may vouch for staff sessions. */
  'NOT_A_RELAY',
  /** 500: the backend failed on this request and logged it; try again. */
  'INTERNAL',
] as const;

export const HttpErrorCode = z.enum(HTTP_ERROR_CODES);
export type HttpErrorCode = z.infer<typeof HttpErrorCode>;

/** A code from the wire, if it is one of ours (a proxy's error page has none). */
export function httpErrorCode(code: string | null | undefined): HttpErrorCode | null {
  const parsed = HttpErrorCode.safeParse(code);
  return parsed.success ? parsed.data : null;
}

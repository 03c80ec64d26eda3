/**
 * Online sign-in: the backend checks the PIN and issues a short-lived staff session bound to this
 * workstation (POST /v1/staff/sessions, with the workstation's token). Tried first, with a short
 * timeout; when the backend cannot be reached the workstation checks the PIN itself (offline).
 */
import { z } from 'zod';
import { ErrorBody, PROTOCOL_HEADER, PROTOCOL_VERSION, StaffSession } from '../../../shared/protocol/v1';
import { readEnrolment } from '../../db/enrolment';
import type { BackstopDB } from '../../db/schema';
import { readBook } from '../../sync/sources';

export type OnlineAnswer =
  | { kind: 'signed-in'; session: StaffSession }
  | { kind: 'refused' }
  | { kind: 'locked'; until: string }
  /** No answer that says anything about the PIN: not enrolled yet, offline, a proxy's error page. */
  | { kind: 'unavailable' };

const Locked = z.object({ error: z.object({ code: z.literal('SIGN_IN_LOCKED'), until: z.string() }) });

export const ONLINE_SIGN_IN_TIMEOUT_MS = 4_000;

export async function signInOnline(
  db: BackstopDB,
  backendUrl: string,
  staffId: string,
  pin: string,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<OnlineAnswer> {
  const [enrolment, book] = await Promise.all([readEnrolment(db), readBook(db)]);
  if (!enrolment) return { kind: 'unavailable' };
  // The token is the one of the backend this workstation syncs with now (a station relay after a
  // fail-over, or central): ask that backend, or the session is bound to a device it doesn't know.
  const url = book && book.url !== '' ? book.url : backendUrl;
  let response: Response;
  try {
    response = await fetchImpl(new URL('/v1/staff/sessions', url).toString(), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${enrolment.token}`,
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      },
      body: JSON.stringify({ clientId: enrolment.deviceId, staffId, pin }),
      signal: AbortSignal.timeout(ONLINE_SIGN_IN_TIMEOUT_MS),
      cache: 'no-store',
    });
  } catch {
    return { kind: 'unavailable' };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 201) {
    const session = StaffSession.safeParse(body);
    return session.success ? { kind: 'signed-in', session: session.data } : { kind: 'unavailable' };
  }
  const locked = Locked.safeParse(body);
  if (response.status === 429 && locked.success) return { kind: 'locked', until: locked.data.error.until };
  const error = ErrorBody.safeParse(body);
  if (response.status === 401 && error.success && error.data.error.code === 'SIGN_IN_REFUSED') return { kind: 'refused' };
  return { kind: 'unavailable' };
}

/**
 * Main asks the backend itself whether a staff session is a supervisor's, instead of taking the
 * page's word for it: used where main acts on a supervisor's say-so (accepting unprotected storage).
 */
import { fail, ok, type Result } from '../shared/result';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, STAFF_SESSION_HEADER, StaffSessionInfo } from '../shared/protocol/v1';

export async function supervisorBehind(
  backendUrl: string,
  credentials: { deviceToken: string; sessionToken: string; staffId: string },
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<Result<{ staffId: string }, 'NOT_A_SUPERVISOR' | 'UNREACHABLE'>> {
  let response: Response;
  try {
    response = await fetchImpl(new URL('/v1/staff/session', backendUrl).toString(), {
      headers: {
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        authorization: `Bearer ${credentials.deviceToken}`,
        [STAFF_SESSION_HEADER]: credentials.sessionToken,
      },
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return fail('UNREACHABLE', 'The backend must be reachable to accept this risk: a supervisor signs in online.');
  }
  const parsed = StaffSessionInfo.safeParse(await response.json().catch(() => null));
  if (!response.ok || !parsed.success) return fail('NOT_A_SUPERVISOR', 'The backend does not know this supervisor session.');
  if (parsed.data.staff.role !== 'supervisor' || parsed.data.staff.id !== credentials.staffId) {
    return fail('NOT_A_SUPERVISOR', 'Only a supervisor can accept this risk.');
  }
  return ok({ staffId: parsed.data.staff.id });
}

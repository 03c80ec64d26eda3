/**
 * The staff sessions a relay vouches for to central (POST /v1/staff/vouched-sessions): those behind
 * the online sign-ins about to be forwarded that the relay itself verified when its desk pushed them
 * (its staff_sign_in row is verified, and the session it names is one the relay issued that desk).
 * A sign-in the relay did not verify goes up without a voucher, and central flags it as before.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Store } from '../server/store/store';
import type { VouchedSessionsRequest } from '../shared/protocol/v1';

const OnlineSignIn = z.object({
  id: z.string(),
  type: z.literal('staff.signIn'),
  args: z.object({ method: z.literal('online'), session: z.string().min(1) }),
});

export async function vouchedSessions(
  store: Store,
  batch: readonly { mutationId: string; mutation: string }[],
): Promise<VouchedSessionsRequest['sessions']> {
  const out = new Map<string, VouchedSessionsRequest['sessions'][number]>();
  for (const a of batch) {
    const signIn = OnlineSignIn.safeParse(JSON.parse(a.mutation));
    if (!signIn.success) continue;
    const tokenHash = createHash('sha256').update(signIn.data.args.session, 'utf8').digest('hex');
    const [row] = await store.sql.all<{ staffId: string; issuedAt: string; expiresAt: string }>(
      `SELECT s.staff_id AS "staffId", s.issued_at AS "issuedAt", s.expires_at AS "expiresAt"
       FROM staff_sign_in i JOIN staff_session s ON s.device_id = i.device_id AND s.staff_id = i.staff_id
       WHERE i.id = ? AND i.verified = 1 AND s.token_hash = ?`,
      [a.mutationId, tokenHash],
    );
    if (row) out.set(tokenHash, { tokenHash, ...row });
  }
  return [...out.values()];
}

/**
 * Rate limits (@fastify/rate-limit) on the routes a stolen token or a script would hammer:
 * enrolment (per address: codes are guessed there), online PIN checks (per workstation: PINs are
 * guessed there; the persistent lockout in server/security/pin-lockout.ts counts wrong PINs on top)
 * and pushes (per workstation). Answers 429 RATE_LIMITED with Retry-After.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

export interface RateLimits {
  /** Enrolments per minute from one address. */
  enrolPerMinute: number;
  /** Online staff sign-ins (PIN checks) per minute from one workstation. */
  signInPerMinute: number;
  /** Pushes per minute from one workstation. */
  pushPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { enrolPerMinute: 20, signInPerMinute: 20, pushPerMinute: 600 };

export async function installRateLimits(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    // Thrown, and turned into an ErrorBody by installErrorHandlers (server/http/protocol.ts).
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `Too many requests; try again in ${Math.max(1, Math.ceil(context.ttl / 1000))} s.`,
    }),
  });
}

/** The key of a request's bearer token (its hash: raw tokens are never kept), else its address. */
function tokenOrAddress(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const token = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  return token ? `t:${createHash('sha256').update(token).digest('hex').slice(0, 32)}` : `a:${request.ip}`;
}

/** Route options limiting a route to `max` requests a minute, per address or per workstation token. */
export function perMinute(max: number, by: 'address' | 'workstation') {
  return {
    config: {
      rateLimit: {
        max,
        timeWindow: 60_000,
        ...(by === 'workstation' ? { keyGenerator: tokenOrAddress } : {}),
      },
    },
  };
}

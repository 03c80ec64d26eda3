/** Bearer-token checks for the sync routes (device tokens) and the admin routes (one shared token). */
import type { FastifyRequest } from 'fastify';
import { sameSecret, type Device, type Devices } from '../devices';
import type { Problem } from './errors';

export function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

const UNAUTHORISED: Problem = {
  status: 401,
  code: 'UNAUTHORIZED',
  message: 'This workstation is not enrolled or its token is no longer valid. Enrol it again (POST /v1/devices).',
};

/** The enrolled device behind the request's token, or the 401 to send. */
export async function authenticateDevice(devices: Devices, request: FastifyRequest): Promise<{ device: Device } | { problem: Problem }> {
  const token = bearer(request);
  const device = token ? await devices.authenticate(token) : null;
  return device ? { device } : { problem: UNAUTHORISED };
}

export function checkAdmin(adminToken: string | null, request: FastifyRequest): Problem | null {
  if (adminToken === null) {
    return { status: 403, code: 'ADMIN_DISABLED', message: 'Admin routes are off; start the server with --admin-token to use them.' };
  }
  const token = bearer(request);
  if (token === null || !sameSecret(token, adminToken)) {
    return { status: 401, code: 'UNAUTHORIZED', message: 'Send the admin token as "Authorization: Bearer <token>".' };
  }
  return null;
}

/** GET /metrics: the metrics token or the admin token; off when neither is configured. */
export function checkMetrics(metricsToken: string | null, adminToken: string | null, request: FastifyRequest): Problem | null {
  const accepted = [metricsToken, adminToken].filter((t): t is string => t !== null);
  if (accepted.length === 0) {
    return { status: 403, code: 'ADMIN_DISABLED', message: 'Metrics are off; start the server with --metrics-token or --admin-token.' };
  }
  const token = bearer(request);
  if (token === null || !accepted.some((t) => sameSecret(token, t))) {
    return { status: 401, code: 'UNAUTHORIZED', message: 'Send the metrics (or admin) token as "Authorization: Bearer <token>".' };
  }
  return null;
}

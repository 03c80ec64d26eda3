/** GET /v1/health: is the backend reachable, what time does it think it is, is the DCS up. */
import type { FastifyInstance } from 'fastify';
import { PROTOCOL_VERSION, type HealthResponse } from '../../../shared/protocol/v1';
import type { Services } from '../../services';

export function registerHealth(app: FastifyInstance, s: Services): void {
  app.get('/v1/health', async (_request, reply) => {
    const body: HealthResponse = {
      protocol: PROTOCOL_VERSION,
      status: 'ok',
      serverTime: s.clock().toISOString(),
      dcs: s.dcs.status(),
      ...(s.relay ? { relay: s.relay.upstream() } : {}),
    };
    return reply.header('cache-control', 'no-store').send(body);
  });
}

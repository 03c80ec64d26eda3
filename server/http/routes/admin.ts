/**
 * Admin routes for playing an outage through: switch the simulated DCS up or down, and run one
 * simulator step on demand. Protected by the admin bearer token; off when no token is configured.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DcsStatus } from '../../../shared/protocol/v1';
import type { Services } from '../../services';
import { checkAdmin } from '../auth';
import { badRequest, parseBody, sendProblem } from '../errors';

export const DcsSwitchRequest = z.object({ status: DcsStatus });

export function registerAdmin(app: FastifyInstance, s: Services): void {
  app.post('/v1/admin/dcs', async (request, reply) => {
    const denied = checkAdmin(s.adminToken, request);
    if (denied) return sendProblem(reply, denied);
    const parsed = parseBody(DcsSwitchRequest, request.body);
    if (!parsed.ok) return sendProblem(reply, badRequest(parsed));
    await s.dcs.setStatus(parsed.value.status);
    request.log.warn({ dcs: parsed.value.status }, 'DCS switched');
    return reply.send({ dcs: s.dcs.status() });
  });

  app.post('/v1/admin/dcs/step', async (request, reply) => {
    const denied = checkAdmin(s.adminToken, request);
    if (denied) return sendProblem(reply, denied);
    if (s.dcs.status() === 'down') {
      return sendProblem(reply, {
        status: 409,
        code: 'DCS_DOWN',
        message: 'The DCS is down; switch it up first (POST /v1/admin/dcs {"status":"up"}).',
      });
    }
    const events = await s.dcs.step();
    request.log.info({ events: events.length }, 'DCS step');
    return reply.send({ events });
  });
}

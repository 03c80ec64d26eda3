/**
 * Admin routes for playing an outage through: switch the simulated DCS up or down, and run one
 * simulator step on demand. Protected by the admin bearer token; off when no token is configured.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AirportCode, EntityId } from '../../../shared/domain/schemas';
import { DcsStatus } from '../../../shared/protocol/v1';
import type { Services } from '../../services';
import { checkAdmin } from '../auth';
import { badRequest, parseBody, sendProblem } from '../errors';

export const DcsSwitchRequest = z.object({ status: DcsStatus });

/** POST /v1/admin/enrolment-codes: a one-time code for one workstation (or the station relay) of a station. */
export const EnrolmentCodeRequest = z.object({
  station: AirportCode,
  /** The workstation it is meant for, kept with the code for the record. */
  name: z.string().trim().min(1).max(60).nullable().default(null),
  /** How long the code stays usable (1 h … 30 days; 72 h by default). */
  hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .optional(),
  /** A desk, or a station relay (relay/): only a relay code enrols a relay, whose word on staff sessions counts. */
  purpose: z.enum(['workstation', 'relay']).default('workstation'),
});

export const RevokeRequest = z.object({ reason: z.string().trim().min(1).max(200) });
export const LeaseTransferRequest = z.object({ to: EntityId });
const DeviceParams = z.object({ id: EntityId });

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

  app.post('/v1/admin/enrolment-codes', async (request, reply) => {
    const denied = checkAdmin(s.adminToken, request);
    if (denied) return sendProblem(reply, denied);
    const parsed = parseBody(EnrolmentCodeRequest, request.body);
    if (!parsed.ok) return sendProblem(reply, badRequest(parsed));
    const { station, name, hours, purpose } = parsed.value;
    const issued = await s.devices.issueCode(station, name, hours, purpose);
    request.log.warn({ station, name, purpose, expiresAt: issued.expiresAt }, 'enrolment code issued');
    return reply.code(201).header('cache-control', 'no-store').send(issued);
  });

  app.post('/v1/admin/devices/:id/revoke', async (request, reply) => {
    const denied = checkAdmin(s.adminToken, request);
    if (denied) return sendProblem(reply, denied);
    const params = parseBody(DeviceParams, request.params);
    const parsed = parseBody(RevokeRequest, request.body);
    if (!params.ok) return sendProblem(reply, badRequest(params));
    if (!parsed.ok) return sendProblem(reply, badRequest(parsed));
    if (!(await s.devices.revoke(params.value.id, parsed.value.reason)))
      return sendProblem(reply, { status: 404, code: 'NOT_FOUND', message: 'No such workstation.' });
    request.log.warn({ deviceId: params.value.id }, 'device revoked');
    return reply.send({ revoked: params.value.id });
  });

  /** An administrator moves a workstation's sequence-number leases to another (a replaced PC). */
  app.post('/v1/admin/devices/:id/leases', async (request, reply) => {
    const denied = checkAdmin(s.adminToken, request);
    if (denied) return sendProblem(reply, denied);
    const params = parseBody(DeviceParams, request.params);
    const parsed = parseBody(LeaseTransferRequest, request.body);
    if (!params.ok) return sendProblem(reply, badRequest(params));
    if (!parsed.ok) return sendProblem(reply, badRequest(parsed));
    const [from, to] = await Promise.all([s.devices.byId(params.value.id), s.devices.byId(parsed.value.to)]);
    if (!from || !to || from.station !== to.station)
      return sendProblem(reply, { status: 404, code: 'NOT_FOUND', message: 'Both workstations must exist, at the same station.' });
    const moved = await s.leases.transfer(from.id, to.id, from.station);
    request.log.warn({ from: from.id, to: to.id, moved }, 'leases moved by an administrator');
    return reply.send({ moved });
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

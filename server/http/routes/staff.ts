/**
 * Staff identity over HTTP (server/security/staff-identity.ts):
 *
 *   POST /v1/staff/sessions            a member of staff signs in online: the backend checks the PIN
 *                                      (rate-limited per workstation; persistent lockout) and issues a
 *                                      short-lived session bound to this workstation
 *   POST /v1/staff/vouched-sessions    a station relay's sessions for its desks, sent before the sign-ins
 *                                      that name them; checked against the roster, then they verify those
 *   GET  /v1/staff/session             whose session a token is (x-backstop-staff-session)
 *   GET  /v1/staff/held                actions held at this station for a supervisor's confirmation
 *   POST /v1/staff/held/:id/confirm    a supervisor signed in online confirms one; it is recorded now
 *   GET  /v1/admin/identity-flags      actions the backend could not tie to a sign-in (admin token)
 *
 * All but the admin route need the workstation's bearer token.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EntityId } from '../../../shared/domain/schemas';
import { Mutation } from '../../../shared/domain/mutations';
import {
  STAFF_SESSION_HEADER,
  StaffSignInRequest,
  VouchedSessionsRequest,
  type VouchedSessionsResponse,
} from '../../../shared/protocol/v1';
import type { Services } from '../../services';
import { authenticateDevice, checkAdmin } from '../auth';
import { badRequest, parseBody, sendProblem } from '../errors';
import { perMinute } from '../rate-limits';

const HeldParams = z.object({ id: EntityId });

function sessionToken(request: FastifyRequest): string | null {
  const value = request.headers[STAFF_SESSION_HEADER];
  return typeof value === 'string' && value.length >= 32 && value.length <= 200 ? value : null;
}

export function registerStaff(app: FastifyInstance, s: Services): void {
  app.post('/v1/staff/sessions', perMinute(s.rateLimits.signInPerMinute, 'workstation'), async (request, reply) => {
    const auth = await authenticateDevice(s.devices, request);
    if ('problem' in auth) return sendProblem(reply, auth.problem);
    const parsed = parseBody(StaffSignInRequest, request.body);
    if (!parsed.ok) return sendProblem(reply, badRequest(parsed));
    if (parsed.value.clientId !== auth.device.id) {
      return sendProblem(reply, {
        status: 403,
        code: 'CLIENT_MISMATCH',
        message: 'clientId is not the workstation this token was issued to.',
      });
    }
    const answer = await s.identity.signIn(auth.device, parsed.value.staffId, parsed.value.pin);
    reply.header('cache-control', 'no-store');
    if (answer.ok) {
      request.log.info({ deviceId: auth.device.id, staffId: answer.session.staff.id }, 'staff signed in online');
      return reply.code(201).send(answer.session);
    }
    request.log.warn({ deviceId: auth.device.id, code: answer.code }, 'online sign-in refused');
    if (answer.code === 'SIGN_IN_LOCKED') {
      return reply.code(429).send({
        error: { code: 'SIGN_IN_LOCKED', message: 'Too many wrong PINs: signing in is locked for a while.', until: answer.until },
      });
    }
    return sendProblem(reply, { status: 401, code: 'SIGN_IN_REFUSED', message: 'Staff ID or PIN not recognised.' });
  });

  app.post('/v1/staff/vouched-sessions', async (request, reply) => {
    const auth = await authenticateDevice(s.devices, request);
    if ('problem' in auth) return sendProblem(reply, auth.problem);
    const parsed = parseBody(VouchedSessionsRequest, request.body);
    if (!parsed.ok) return sendProblem(reply, badRequest(parsed));
    if (parsed.value.clientId !== auth.device.id) {
      return sendProblem(reply, {
        status: 403,
        code: 'CLIENT_MISMATCH',
        message: 'clientId is not the workstation this token was issued to.',
      });
    }
    const answer = await s.identity.vouch(auth.device, parsed.value.sessions);
    if (!answer) {
      request.log.warn({ deviceId: auth.device.id }, 'vouched staff sessions refused: not a station relay');
      return sendProblem(reply, {
        status: 403,
        code: 'NOT_A_RELAY',
        message: 'Only a station relay enrolled as one vouches for staff sessions.',
      });
    }
    if (answer.refused.length > 0)
      request.log.warn({ deviceId: auth.device.id, refused: answer.refused.length }, 'vouched staff sessions refused');
    const body: VouchedSessionsResponse = answer;
    return reply.header('cache-control', 'no-store').send(body);
  });

  app.get('/v1/staff/session', async (request, reply) => {
    const auth = await authenticateDevice(s.devices, request);
    if ('problem' in auth) return sendProblem(reply, auth.problem);
    const token = sessionToken(request);
    const info = token ? await s.identity.session(auth.device, token) : null;
    if (!info) return sendProblem(reply, { status: 401, code: 'SIGN_IN_REFUSED', message: 'No live staff session for this workstation.' });
    return reply.header('cache-control', 'no-store').send(info);
  });

  app.get('/v1/staff/held', async (request, reply) => {
    const auth = await authenticateDevice(s.devices, request);
    if ('problem' in auth) return sendProblem(reply, auth.problem);
    const rows = await s.store.sql.all<{ mutationId: string; type: string; staffId: string; flightId: string | null; heldAt: string }>(
      `SELECT mutation_id AS "mutationId", type, staff_id AS "staffId", flight_id AS "flightId", held_at AS "heldAt"
       FROM held_action WHERE station = ? AND confirmed_at IS NULL ORDER BY held_at`,
      [auth.device.station],
    );
    return reply.header('cache-control', 'no-store').send({ held: rows });
  });

  app.post('/v1/staff/held/:id/confirm', async (request, reply) => {
    const auth = await authenticateDevice(s.devices, request);
    if ('problem' in auth) return sendProblem(reply, auth.problem);
    const params = parseBody(HeldParams, request.params);
    if (!params.ok) return sendProblem(reply, badRequest(params));
    const token = sessionToken(request);
    const session = token ? await s.identity.session(auth.device, token) : null;
    if (!session || session.staff.role !== 'supervisor') {
      return sendProblem(reply, {
        status: 403,
        code: 'SUPERVISOR_SESSION_REQUIRED',
        message: 'A supervisor signed in online (with a staff session) confirms held actions.',
      });
    }
    const [row] = await s.store.sql.all<{ deviceId: string; mutation: string }>(
      'SELECT device_id AS "deviceId", mutation FROM held_action WHERE mutation_id = ? AND station = ? AND confirmed_at IS NULL',
      [params.value.id, auth.device.station],
    );
    const origin = row ? await s.devices.byId(row.deviceId) : null;
    const parsed = row ? Mutation.safeParse(JSON.parse(row.mutation)) : null;
    if (!row || !origin || !parsed?.success) return sendProblem(reply, { status: 404, code: 'NOT_HELD', message: 'No such held action.' });
    const result = await s.push.confirmHeld(origin, parsed.data, session.staff.id);
    request.log.warn({ mutationId: params.value.id, confirmedBy: session.staff.id, status: result.status }, 'held action confirmed');
    return reply.send({ result });
  });

  app.get('/v1/admin/identity-flags', async (request, reply) => {
    const denied = checkAdmin(s.adminToken, request);
    if (denied) return sendProblem(reply, denied);
    const rows = await s.store.sql.all<{ codes: string }>(
      `SELECT mutation_id AS "mutationId", device_id AS "deviceId", station, staff_id AS "staffId", type, codes, flagged_at AS "flaggedAt"
       FROM identity_flag ORDER BY flagged_at DESC LIMIT 1000`,
    );
    return reply.header('cache-control', 'no-store').send({ flags: rows.map((r) => ({ ...r, codes: JSON.parse(r.codes) as string[] })) });
  });
}

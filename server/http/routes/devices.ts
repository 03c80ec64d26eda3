/**
 * Workstation enrolment and tokens:
 *
 *   POST /v1/devices        enrol with a one-time code (or, from this machine only, the shared demo
 *                           key) → device id + bearer token, once; `previous` + a token of it moves
 *                           that enrolment's sequence-number leases over
 *   POST /v1/devices/token  rotate: a new token for the workstation that asks with its current one
 *
 * Rate-limited per address (codes must not be guessable by trying).
 */
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { isLoopbackHost } from '../../../shared/protocol/transport';
import { EnrolRequest, type EnrolResponse, type TokenResponse } from '../../../shared/protocol/v1';
import { sameSecret } from '../../devices';
import type { Services } from '../../services';
import { authenticateDevice, bearer } from '../auth';
import { badRequest, parseBody, sendProblem } from '../errors';
import { perMinute } from '../rate-limits';
import { telemetryOf } from '../telemetry';

/** Every refusal of an enrolment is the same problem; only what it tells the person differs. */
const refused = (message: string) => ({ status: 403, code: 'ENROLMENT_REFUSED', message }) as const;

const REFUSED = refused(
  'The enrolment code is not valid (unknown, used, expired or for another station). Ask an administrator for a new one.',
);
const NOT_A_RELAY_CODE = refused(
  'This code enrols a workstation, not a station relay. Ask an administrator for a relay code (purpose "relay").',
);
const A_RELAY_CODE = refused('This code is for a station relay, not a workstation. Ask an administrator for a workstation code.');

export function registerDevices(app: FastifyInstance, s: Services): void {
  app.post('/v1/devices', perMinute(s.rateLimits.enrolPerMinute, 'address'), async (request, reply) => {
    const parsed = parseBody(EnrolRequest, request.body);
    if (!parsed.ok) return sendProblem(reply, badRequest(parsed));
    const { name, station, enrolmentKey, previous, previousDeviceId } = parsed.value;
    if (!(await s.store.get(station, 'station', station))) {
      return sendProblem(reply, {
        status: 400,
        code: 'UNKNOWN_STATION',
        message: `This server does not serve station ${station}.`,
        field: 'station',
      });
    }
    const deviceId = randomUUID();
    const shared = s.enrolmentKey !== null && sameSecret(enrolmentKey, s.enrolmentKey);
    if (shared) {
      // The shared key is for demos on one machine: from anywhere else it opens nothing, nor through
      // a proxy on this machine (a forwarded request comes from loopback on behalf of someone else).
      const forwarded = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
      if (forwarded || !isLoopbackHost(request.ip.replace(/^::ffff:/, ''))) {
        request.log.warn({ station }, 'enrolment refused: the shared demo key from another machine');
        return sendProblem(reply, REFUSED);
      }
      request.log.warn({ station, deviceId }, 'DEMO: workstation enrolled with the shared demo key (loopback only; never in production)');
    } else {
      const purpose = parsed.value.relay ? 'relay' : 'workstation';
      const code = await s.devices.consumeCode(enrolmentKey, station, deviceId, purpose);
      if (!code.ok) {
        request.log.warn({ station, purpose, reason: code.reason }, 'enrolment refused');
        return sendProblem(reply, code.reason === 'other-purpose' ? (parsed.value.relay ? NOT_A_RELAY_CODE : A_RELAY_CODE) : REFUSED);
      }
    }
    const enrolled: EnrolResponse = await s.devices.enrol(name, station, deviceId);
    if (parsed.value.relay) {
      await s.identity.registerRelay(enrolled.deviceId, station);
      request.log.warn(
        { station, deviceId: enrolled.deviceId, name },
        'station relay enrolled: its desks’ staff sessions will count as verified',
      );
    }
    s.fleet.record(enrolled.deviceId, telemetryOf(request, s.clock().toISOString()));
    // Leases move only on proof: a token of the earlier enrolment (an administrator can move them too).
    let leasesMoved = 0;
    if (previous) {
      if (await s.devices.owns(previous.deviceId, previous.token)) {
        leasesMoved = await s.leases.transfer(previous.deviceId, enrolled.deviceId, station);
      } else {
        request.log.warn(
          { deviceId: enrolled.deviceId, previousDeviceId: previous.deviceId },
          'leases not moved: no proof of the earlier enrolment',
        );
      }
    } else if (previousDeviceId) {
      request.log.warn({ deviceId: enrolled.deviceId, previousDeviceId }, 'leases not moved: previousDeviceId without a token');
    }
    request.log.info({ deviceId: enrolled.deviceId, station, previousDeviceId: previous?.deviceId, leasesMoved }, 'device enrolled');
    return reply.code(201).send(enrolled);
  });

  app.post('/v1/devices/token', perMinute(s.rateLimits.enrolPerMinute, 'workstation'), async (request, reply) => {
    const auth = await authenticateDevice(s.devices, request);
    if ('problem' in auth) return sendProblem(reply, auth.problem);
    const issued: TokenResponse = await s.devices.rotate(auth.device.id, bearer(request) ?? '');
    request.log.info({ deviceId: auth.device.id }, 'device token rotated');
    return reply.header('cache-control', 'no-store').send(issued);
  });
}

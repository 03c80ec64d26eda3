/** POST /v1/devices: enrols a workstation for a station and hands it its bearer token, once. */
import type { FastifyInstance } from 'fastify';
import { EnrolRequest, type EnrolResponse } from '../../../shared/protocol/v1';
import { sameSecret } from '../../devices';
import type { Services } from '../../services';
import { badRequest, parseBody, sendProblem } from '../errors';
import { telemetryOf } from '../telemetry';

export function registerDevices(app: FastifyInstance, s: Services): void {
  app.post('/v1/devices', async (request, reply) => {
    const parsed = parseBody(EnrolRequest, request.body);
    if (!parsed.ok) return sendProblem(reply, badRequest(parsed));
    const { name, station, enrolmentKey, previousDeviceId } = parsed.value;
    if (!sameSecret(enrolmentKey, s.enrolmentKey)) {
      request.log.warn({ station }, 'enrolment refused: wrong key');
      return sendProblem(reply, {
        status: 403,
        code: 'ENROLMENT_REFUSED',
        message: 'The enrolment key is not right. Ask your station supervisor for the current key.',
      });
    }
    if (!(await s.store.get(station, 'station', station))) {
      return sendProblem(reply, {
        status: 400,
        code: 'UNKNOWN_STATION',
        message: `This server does not serve station ${station}.`,
        field: 'station',
      });
    }
    const enrolled: EnrolResponse = await s.devices.enrol(name, station, s.clock().toISOString());
    s.fleet.record(enrolled.deviceId, telemetryOf(request, s.clock().toISOString()));
    // Only the enrolment key authorises this; a reference backend trusts the station's own workstations.
    const leasesMoved = previousDeviceId ? await s.leases.transfer(previousDeviceId, enrolled.deviceId, station) : 0;
    request.log.info({ deviceId: enrolled.deviceId, station, previousDeviceId, leasesMoved }, 'device enrolled');
    return reply.code(201).send(enrolled);
  });
}

/**
 * POST /v1/sync/wait: the nudge. A workstation keeps one long poll open; it is answered
 * `changed: true` as soon as the station's feed holds something after the workstation's cursor that
 * this workstation would receive (another desk's action, a DCS change), else `changed: false` when
 * its time is up. The workstation then pulls as usual: the poll carries no data, so it needs no
 * rules of its own and leaks nothing a pull would not.
 */
import type { FastifyInstance } from 'fastify';
import { PROTOCOL_VERSION, WaitRequest, type WaitResponse } from '../../../shared/protocol/v1';
import type { Services } from '../../services';
import { parseBody } from '../errors';
import { admit, feedPosition } from './sync';

/** A poll asking for no time of its own is answered after this long. */
export const WAIT_DEFAULT_MS = 25_000;
/**
 * How often a waiting poll looks at the feed itself: writes this process does not see (another
 * backend process on the same PostgreSQL database) are found within this long.
 */
export const WAIT_LOOK_MS = 5_000;

export function registerWait(app: FastifyInstance, s: Services): void {
  app.post('/v1/sync/wait', async (request, reply) => {
    const admitted = await admit(s, request, reply, (b) => parseBody(WaitRequest, b));
    if (!admitted) return reply;
    const { device, body } = admitted;
    const position = await feedPosition(s, reply, device, body);
    if (!position) return reply;
    // The workstation may give up on the poll (it stopped, its network went): stop waiting for it.
    const gone = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableEnded) gone.abort();
    });
    const started = performance.now();
    const budget = body.timeoutMs ?? WAIT_DEFAULT_MS;
    let changed = false;
    for (;;) {
      if (await s.store.hasChangesAfter(device.station, device.id, position.value.after)) {
        changed = true;
        break;
      }
      const left = budget - (performance.now() - started);
      if (left <= 0) break;
      // Gone: the answer below goes nowhere, and that is fine.
      if ((await s.feed.next(device.station, Math.min(left, WAIT_LOOK_MS), gone.signal)) === 'aborted') break;
    }
    const answer: WaitResponse = { protocol: PROTOCOL_VERSION, changed, serverTime: s.clock().toISOString() };
    return reply.header('cache-control', 'no-store').send(answer);
  });
}

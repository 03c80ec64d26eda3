/**
 * POST /v1/sync/pull and /v1/sync/push. Both need the device's bearer token, and the token's device
 * must be the body's clientId: a workstation syncs as itself only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROTOCOL_VERSION, PullRequest, PushEnvelope } from '../../../shared/protocol/v1';
import type { Device } from '../../devices';
import type { Services } from '../../services';
import { BULK_FORMAT, BULK_NEXT_HEADER, BulkRequest, bulkNextHeader } from '../../../shared/protocol/bulk';
import { bulkDeflated, bulkText, decodeBulkCursor, encodeBulkCursor } from '../../sync/bulk';
import { decodeCursor, encodeCursor, type Position } from '../../sync/cursor';
import { BOOT_SETTLE_MS, type Verdict } from '../../sync/lineage';
import { authenticateDevice } from '../auth';
import { badRequest, parseBody, sendProblem, type Parsed } from '../errors';
import { acceptedEncodings, compress, COMPRESS_MIN_BYTES, pickEncoding } from '../compress';
import { perMinute } from '../rate-limits';
import { telemetryOf } from '../telemetry';

/** Page bounds when the workstation asks for none; PULL_LIMITS caps what it may ask for. */
export const PULL_DEFAULTS = { maxChanges: 5_000, maxBytes: 4 * 1024 * 1024 } as const;
/** Bulk page bounds when the workstation asks for none (BULK_LIMITS caps what it may ask for). */
export const BULK_DEFAULTS = { maxFlights: 100, maxBytes: 8 * 1024 * 1024 } as const;
/** 500 mutations (PUSH_MAX_MUTATIONS) of the largest kind fit well within this. */
export const PUSH_BODY_LIMIT = 2 * 1024 * 1024;

/** Authenticates, parses and checks clientId; answers the request itself when something is wrong. */
export async function admit<T extends { clientId: string }>(
  s: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  parse: (body: unknown) => Parsed<T>,
): Promise<{ device: Device; body: T } | null> {
  const auth = await authenticateDevice(s.devices, request);
  if ('problem' in auth) {
    void sendProblem(reply, auth.problem);
    return null;
  }
  // Heard from, whatever comes of the request: last seen, app version, unsent backlog (fleet view).
  s.fleet.record(auth.device.id, telemetryOf(request, s.clock().toISOString()));
  const parsed = parse(request.body);
  if (!parsed.ok) {
    void sendProblem(reply, badRequest(parsed));
    return null;
  }
  if (parsed.value.clientId !== auth.device.id) {
    sendProblem(reply, {
      status: 403,
      code: 'CLIENT_MISMATCH',
      message: 'clientId is not the workstation this token was issued to.',
      field: 'clientId',
    });
    return null;
  }
  return { device: auth.device, body: parsed.value };
}

/** The answer when the database went back to an older copy (sync/lineage.ts): the desk re-sends what it lost, then pulls afresh. */
export const RESTORED_MESSAGE =
  'This backend’s database was restored from an older copy and lost changes this workstation already has. Send again the actions it acknowledged since, then pull from the start (cursor null).';

/** Refuses a cursor of lost history, or asks for patience while this process cannot tell yet (sync/lineage.ts). */
function sendVerdict(reply: FastifyReply, verdict: Exclude<Verdict, 'holds'>, field: string): void {
  if (verdict === 'lost') {
    sendProblem(reply, { status: 409, code: 'BACKEND_RESTORED', message: RESTORED_MESSAGE, field });
    return;
  }
  reply.header('retry-after', String(Math.ceil(BOOT_SETTLE_MS / 1000)));
  sendProblem(reply, {
    status: 503,
    code: 'TRY_AGAIN',
    message: 'This backend process has just started and is still checking where this workstation stands. Try again in a few seconds.',
    field,
  });
}

/**
 * Where in the station's feed a pull or a long poll starts: only the workstation's own station, and
 * only a cursor of this database's history (a restored copy never issued some). Null once the
 * problem has been sent. `acked`: what the workstation says this backend confirmed of its actions.
 */
export async function feedPosition(
  s: Services,
  reply: FastifyReply,
  device: Device,
  body: { station: string; cursor: string | null; acked?: number | undefined },
): Promise<{ value: Position } | null> {
  if (body.station !== device.station) {
    sendProblem(reply, {
      status: 403,
      code: 'STATION_MISMATCH',
      message: `This workstation is enrolled for ${device.station}, not ${body.station}.`,
      field: 'station',
    });
    return null;
  }
  // A workstation that remembers more of its actions confirmed than the backend holds: they are gone from it.
  if (body.acked !== undefined && body.acked > device.lastSeq) {
    sendVerdict(reply, 'lost', 'acked');
    return null;
  }
  const position = decodeCursor(body.cursor, s.epoch);
  if (position.ok) {
    const lineage = s.pages.lineage;
    const verdict =
      body.cursor === null || !lineage ? 'holds' : await lineage.holds(device.station, position.value.boot, position.value.after);
    if (verdict === 'holds') return position;
    sendVerdict(reply, verdict, 'cursor');
    return null;
  }
  if (position.code === 'CURSOR_MALFORMED')
    sendProblem(reply, { status: 400, code: 'BAD_REQUEST', message: position.message, field: 'cursor' });
  else sendProblem(reply, { status: 409, code: position.code, message: position.message, field: 'cursor' });
  return null;
}

/** A feed answer, compressed as the client accepts (http/compress.ts): a first fill's wire size drops ~12×. */
async function sendFeed(request: FastifyRequest, reply: FastifyReply, payload: Buffer, ms: number): Promise<FastifyReply> {
  const encoding = payload.length >= COMPRESS_MIN_BYTES ? pickEncoding(request.headers['accept-encoding']) : null;
  return sendEncoded(reply, encoding ? await compress(payload, encoding) : payload, encoding, ms);
}

/** A feed answer's JSON as it goes on the wire, in `encoding` (null: as it is). */
function sendEncoded(reply: FastifyReply, wire: Buffer, encoding: string | null, ms: number): FastifyReply {
  if (encoding) reply.header('content-encoding', encoding);
  return reply
    .header('vary', 'accept-encoding')
    .header('server-timing', `app;dur=${ms.toFixed(1)}`)
    .type('application/json; charset=utf-8')
    .send(wire);
}

export function registerSync(app: FastifyInstance, s: Services): void {
  app.post('/v1/sync/pull', async (request, reply) => {
    const started = performance.now();
    const admitted = await admit(s, request, reply, (b) => parseBody(PullRequest, b));
    if (!admitted) return reply;
    const { device, body } = admitted;
    const position = await feedPosition(s, reply, device, body);
    if (!position) return reply;
    const now = s.clock().toISOString();
    // Leases first, so any block granted now travels in this very pull. Only where a pull starts:
    // the later pages of a paged pull (their cursor carries an estimate) go straight to the feed.
    if (body.leaseUse && position.value.estimate === null) await s.leases.recordUse(device.id, device.station, body.leaseUse);
    if (body.tagUse && position.value.estimate === null) await s.leases.recordTagUse(device.id, device.station, body.tagUse);
    const leasesGranted = position.value.estimate === null ? await s.leases.topUp(device.id, device.station, now) : 0;
    const page = await s.pages.read({
      station: device.station,
      deviceId: device.id,
      afterVersion: position.value.after,
      estimate: position.value.estimate,
      maxChanges: body.maxChanges ?? PULL_DEFAULTS.maxChanges,
      maxBytes: body.maxBytes ?? PULL_DEFAULTS.maxBytes,
    });
    const cursor = encodeCursor(s.epoch, page.lastVersion, page.estimate, s.pages.boot);
    // The stored change text goes out as it is; the parts added around it are a base64url cursor,
    // numbers, an ISO time and enum values, none of which needs escaping.
    const head = `{"protocol":${PROTOCOL_VERSION},"changes":[`;
    // A station relay adds what it knows of central: how fresh its copy is, and how far central has answered this desk.
    const relay = s.relay
      ? `,"relay":${JSON.stringify({ ...s.relay.upstream(), confirmedSeq: await s.relay.confirmedSeq(device.id) })}`
      : '';
    const tail = `],"cursor":"${cursor}","hasMore":${page.hasMore},"remaining":${page.remaining},"serverTime":"${now}","dcs":"${s.dcs.status()}"${relay}}`;
    const payload = Buffer.concat([Buffer.from(head), page.changes, Buffer.from(tail)]);
    // The end of the feed: this workstation's data is now as fresh as `now`.
    if (!page.hasMore) s.fleet.record(device.id, { lastPullAt: now });
    const ms = performance.now() - started;
    s.metrics.observePull(ms, page.count);
    request.log.info(
      {
        deviceId: device.id,
        station: device.station,
        changes: page.count,
        bytes: page.bytes,
        hasMore: page.hasMore,
        leasesGranted,
        ms: Math.round(ms),
      },
      'pull',
    );
    return sendFeed(request, reply, payload, ms);
  });

  // A first fill's bulk form (shared/protocol/bulk.ts, server/sync/bulk.ts): per-flight documents up to a snapshot.
  app.post('/v1/sync/bulk', async (request, reply) => {
    const started = performance.now();
    const admitted = await admit(s, request, reply, (b) => parseBody(BulkRequest, b));
    if (!admitted) return reply;
    const { device, body } = admitted;
    if (!(await feedPosition(s, reply, device, { station: body.station, cursor: null }))) return reply;
    const position = decodeBulkCursor(body.cursor, s.epoch);
    if (!position.ok) {
      if (position.code === 'CURSOR_MALFORMED')
        return sendProblem(reply, { status: 400, code: 'BAD_REQUEST', message: position.message, field: 'cursor' });
      return sendProblem(reply, { status: 409, code: position.code, message: position.message, field: 'cursor' });
    }
    // A fill begun before the database went back to an older copy would end at a snapshot it lost.
    const bulkAt = position.value;
    const verdict = bulkAt && s.pages.lineage ? await s.pages.lineage.holds(device.station, bulkAt.boot ?? null, bulkAt.snapshot) : 'holds';
    if (verdict !== 'holds') {
      sendVerdict(reply, verdict, 'cursor');
      return reply;
    }
    const now = s.clock().toISOString();
    const page = await s.pages.bulk({
      station: device.station,
      deviceId: device.id,
      position: position.value,
      maxFlights: body.maxFlights ?? BULK_DEFAULTS.maxFlights,
      maxBytes: body.maxBytes ?? BULK_DEFAULTS.maxBytes,
    });
    const snapshot = encodeCursor(s.epoch, page.snapshot, null, s.pages.boot);
    const cursor = encodeBulkCursor(s.epoch, { snapshot: page.snapshot, after: page.after, boot: s.pages.boot });
    const relay = s.relay
      ? `,"relay":${JSON.stringify({ ...s.relay.upstream(), confirmedSeq: await s.relay.confirmedSeq(device.id) })}`
      : '';
    // What is added around the stored documents needs no escaping (base64url, numbers, ISO time, enums).
    const head = Buffer.concat([
      Buffer.from(`{"protocol":${PROTOCOL_VERSION},"format":${BULK_FORMAT},"snapshot":"${snapshot}","changes":[`),
      page.changes,
      Buffer.from('],"flights":['),
    ]);
    const tail = Buffer.from(
      `],"cursor":"${cursor}","hasMore":${page.hasMore},"remaining":${page.remaining},"serverTime":"${now}","dcs":"${s.dcs.status()}"${relay}}`,
    );
    // The stored documents are deflate pieces: a client that takes deflate gets them as they are (sync/bulk.ts).
    const answer = acceptedEncodings(request.headers['accept-encoding']).has('deflate')
      ? await bulkDeflated(head, page.docs, tail)
      : { plain: await bulkText(head, page.docs, tail) };
    const ms = performance.now() - started;
    request.log.info(
      {
        deviceId: device.id,
        station: device.station,
        flights: page.flights,
        rebuilt: page.rebuilt,
        bytes: 'plain' in answer ? answer.plain.length : answer.size,
        wire: 'plain' in answer ? undefined : answer.deflated.length,
        hasMore: page.hasMore,
        ms: Math.round(ms),
      },
      'bulk',
    );
    // Where the next page starts, ahead of this one (shared/protocol/bulk.ts): the desk asks for it at once.
    reply.header(BULK_NEXT_HEADER, bulkNextHeader({ cursor, hasMore: page.hasMore }));
    if ('plain' in answer) return sendFeed(request, reply, answer.plain, ms);
    return sendEncoded(reply, answer.deflated, 'deflate', ms);
  });

  app.post(
    '/v1/sync/push',
    { bodyLimit: PUSH_BODY_LIMIT, ...perMinute(s.rateLimits.pushPerMinute, 'workstation') },
    async (request, reply) => {
      const started = performance.now();
      const admitted = await admit(s, request, reply, (b) => parseBody(PushEnvelope, b));
      if (!admitted) return reply;
      const { device, body } = admitted;
      const summary = await s.push.push(device, body.mutations);
      // Other desks' long polls (POST /v1/sync/wait) pull what this push changed.
      s.feed.changed(device.station);
      // After the actions are in, the audit head that covers them is anchored (server/security/audit-anchor.ts).
      const audit = body.audit ? await s.anchors.anchor(device.id, body.audit) : null;
      if (audit && !audit.accepted) request.log.warn({ deviceId: device.id }, 'audit chain does not extend its anchor');
      const text = `{"protocol":${PROTOCOL_VERSION},"results":${summary.resultsJson},"lastSeq":${summary.lastSeq}${audit ? `,"audit":${JSON.stringify(audit)}` : ''}}`;
      const ms = performance.now() - started;
      s.metrics.observePush(ms, summary.counts);
      request.log.info(
        { deviceId: device.id, mutations: body.mutations.length, lastSeq: summary.lastSeq, ...summary.counts, ms: Math.round(ms) },
        'push',
      );
      return reply
        .header('server-timing', `app;dur=${ms.toFixed(1)}`)
        .type('application/json')
        .send(text);
    },
  );
}

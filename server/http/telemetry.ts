/**
 * What a workstation tells about itself in request headers, beside the sync protocol (which stays
 * as it is): its app version and how many actions it has not sent yet. Both are optional; a value
 * that does not parse is ignored, never an error — a sync must not fail over bookkeeping.
 */
import type { FastifyRequest } from 'fastify';
import type { Telemetry } from '../fleet';

export const VERSION_HEADER = 'x-backstop-version';
export const BACKLOG_HEADER = 'x-backstop-backlog';
export const REQUEST_ID_HEADER = 'x-request-id';

const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}$/;
const BACKLOG = /^\d{1,7}$/;

function header(request: Pick<FastifyRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}

/** Telemetry from the headers of an authenticated request, seen at `nowIso`. */
export function telemetryOf(request: Pick<FastifyRequest, 'headers'>, nowIso: string): Telemetry {
  const version = header(request, VERSION_HEADER);
  const backlog = header(request, BACKLOG_HEADER);
  return {
    lastSeenAt: nowIso,
    ...(version !== undefined && VERSION.test(version) ? { appVersion: version } : {}),
    ...(backlog !== undefined && BACKLOG.test(backlog) ? { backlog: Number(backlog), backlogAt: nowIso } : {}),
  };
}

/** A caller's request id when it is a sane one (a proxy's, a workstation's), else none. */
export function requestIdFrom(value: string | string[] | undefined): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9._:-]{1,64}$/.test(value) ? value : null;
}

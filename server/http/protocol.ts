/**
 * Cross-cutting HTTP rules: the protocol-version handshake, CORS for the app's origins, and turning
 * every framework error into an ErrorBody.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { HttpErrorCode } from '../../shared/protocol/errors';
import { isLoopbackHost } from '../../shared/protocol/transport';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, STAFF_SESSION_HEADER } from '../../shared/protocol/v1';
import { sendProblem } from './errors';
import { BACKLOG_HEADER, REQUEST_ID_HEADER, VERSION_HEADER } from './telemetry';

/** The Electron app's own origin: always allowed. */
export const APP_ORIGIN = 'app://backstop';
/** The browser host on this machine (any port). */
const LOOPBACK_ORIGIN = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/;

/**
 * Origins allowed to call the backend from a browser: the Electron app, the configured ones (a
 * browser host served from the station's own web server), and — only for a backend that itself
 * listens on loopback, a demo or a test — the browser host on this machine. A backend on the network
 * never answers a page on some workstation's loopback: any local web page could be that.
 */
export function corsOriginsFor(listenHost: string, configured: readonly (string | RegExp)[]): (string | RegExp)[] {
  return [APP_ORIGIN, ...configured, ...(isLoopbackHost(listenHost) ? [LOOPBACK_ORIGIN] : [])];
}

export const CORS_HEADERS = [
  'content-type',
  'authorization',
  STAFF_SESSION_HEADER,
  PROTOCOL_HEADER,
  VERSION_HEADER,
  BACKLOG_HEADER,
  REQUEST_ID_HEADER,
];

/**
 * Routes anyone may call without the handshake: monitors, load balancers, Prometheus, a browser
 * opening the fleet page and `curl` send no protocol header, and the health body names the
 * protocol version itself.
 */
const NO_HANDSHAKE = new Set([
  '/v1/health',
  '/v1/ready',
  '/metrics',
  '/admin/fleet',
  '/admin/fleet.js',
  '/admin/fleet.css',
  '/favicon.ico',
]);

/** A workstation that speaks another protocol version must not half-understand this one. */
export function requireProtocolVersion(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    // A CORS preflight cannot carry custom headers; the real request that follows is checked.
    if (request.method === 'OPTIONS') return;
    if (NO_HANDSHAKE.has(request.url.split('?')[0] ?? '')) return;
    const sent = request.headers[PROTOCOL_HEADER];
    if (sent === String(PROTOCOL_VERSION)) return;
    reply.header('upgrade', `backstop-protocol/${PROTOCOL_VERSION}`);
    const what = sent === undefined ? `no ${PROTOCOL_HEADER} header` : `protocol ${String(sent)}`;
    return sendProblem(reply, {
      status: 426,
      code: 'PROTOCOL_MISMATCH',
      message: `This server speaks Backstop sync protocol ${PROTOCOL_VERSION}; the request carried ${what}. Send "${PROTOCOL_HEADER}: ${PROTOCOL_VERSION}", or update the app.`,
    });
  });
}

const CLIENT_ERRORS: Readonly<Record<number, { code: HttpErrorCode; message: string }>> = {
  400: { code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large; send fewer mutations per push.' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json.' },
  429: { code: 'RATE_LIMITED', message: 'Too many requests; try again in a minute.' },
};

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const known = CLIENT_ERRORS[status];
      // A rate limit says how long to wait; its own words carry that.
      const message = status === 429 ? error.message || known?.message : (known?.message ?? error.message);
      return sendProblem(reply, { status, code: known?.code ?? 'BAD_REQUEST', message: message ?? 'Refused.' });
    }
    // Log the error object (stack, code) but never the request body: it may hold passenger data.
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, {
      status: 500,
      code: 'INTERNAL',
      message: 'The server failed on this request; it has been logged. Try again.',
    });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      status: 404,
      code: 'NOT_FOUND',
      message: `There is no ${request.method} ${request.url.split('?')[0] ?? ''} on this server.`,
    }),
  );
}

/**
 * Operating the backend:
 *
 *   GET /v1/ready         readiness: 200 when the database takes a write, else 503 (load balancers)
 *   GET /metrics          Prometheus text format, behind the metrics (or admin) token
 *   GET /v1/admin/fleet   every station's workstations: last sync, data age, unsent, version, blind?
 *   GET /admin/fleet      a small page over the fleet route (strict CSP, no external assets)
 *
 * Liveness stays GET /v1/health: it answers as long as the process serves HTTP.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services';
import { checkAdmin, checkMetrics } from '../auth';
import { sendProblem } from '../errors';
import { FLEET_CSS, FLEET_HTML, FLEET_JS, FLEET_PAGE_CSP } from '../fleet-page';

/** How long the readiness probe waits for a write lock held elsewhere before it says "not ready". */
export const READY_LOCK_WAIT_MS = 1_000;

const PAGE_HEADERS = {
  'content-security-policy': FLEET_PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
} as const;

export function registerOps(app: FastifyInstance, s: Services): void {
  app.get('/v1/ready', async (request, reply) => {
    // Commits one tiny write (the probe's own time in `meta`): the database is reachable and writable,
    // the disk not full, a lock obtainable within READY_LOCK_WAIT_MS.
    const problem = await s.store.probeWrite(s.clock().toISOString(), READY_LOCK_WAIT_MS);
    reply.header('cache-control', 'no-store');
    if (problem === null) return reply.send({ status: 'ready', checks: { database: 'writable' } });
    request.log.error({ database: problem }, 'not ready: database not writable');
    return reply.code(503).send({ status: 'not-ready', checks: { database: problem } });
  });

  app.get('/metrics', async (request, reply) => {
    const denied = checkMetrics(s.metricsToken, s.adminToken, request);
    if (denied) return sendProblem(reply, denied);
    return reply
      .header('cache-control', 'no-store')
      .type(s.metrics.contentType())
      .send(await s.metrics.text());
  });

  app.get('/v1/admin/fleet', async (request, reply) => {
    const denied = checkAdmin(s.adminToken, request);
    if (denied) return sendProblem(reply, denied);
    return reply.header('cache-control', 'no-store').send(await s.fleet.report());
  });

  app.get('/admin/fleet', async (_request, reply) => reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(FLEET_HTML));
  app.get('/admin/fleet.js', async (_request, reply) => reply.headers(PAGE_HEADERS).type('text/javascript; charset=utf-8').send(FLEET_JS));
  // Browsers ask for it with every page; nothing to show, and no 426 in their console.
  app.get('/favicon.ico', async (_request, reply) => reply.code(204).header('cache-control', 'max-age=86400').send());
  app.get('/admin/fleet.css', async (_request, reply) => reply.headers(PAGE_HEADERS).type('text/css; charset=utf-8').send(FLEET_CSS));
}

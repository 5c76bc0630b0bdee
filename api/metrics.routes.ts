import { Router, type Request } from 'express';
import type { Database } from '../db/client.js';
import { metricsRepository } from '../db/repositories/metrics.repository.js';
import { createApiMetrics, type ApiMetrics } from '../services/metrics.js';
import type { Logger } from '../services/logger.js';
import { requestLog } from './request-log.js';

/**
 * The route pattern a request matched (`/plans/:id`), never its raw path: ids in a label would
 * make a series per plan. Requests no route answered (404s, bodies refused before routing) are
 * `unmatched`.
 */
export function routeLabel(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/**
 * Mounted first in api/app.ts: the request log with its request id (api/request-log.ts), the
 * latency of every request by route pattern and status, and `GET /metrics` in Prometheus' text
 * format (auth-free, like /health: scrapers carry no token; see services/metrics.ts for names).
 * `metrics` is for tests; the API builds its own over `database`.
 */
export function observabilityRoutes(deps: { database: Database; logger: Logger; metrics?: ApiMetrics }): Router {
  const metrics = deps.metrics ?? createApiMetrics({ domain: metricsRepository(deps.database).snapshot });
  const router = Router();
  router.use(requestLog(deps.logger));
  router.use((req, res, next) => {
    const started = process.hrtime.bigint();
    // 'close' also fires for a client that hung up before the answer; 'finish' would miss it.
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe({ method: req.method, route: routeLabel(req), status: String(res.statusCode) }, seconds);
    });
    next();
  });
  router.get('/metrics', async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.set('Content-Type', metrics.registry.contentType).send(body);
  });
  return router;
}

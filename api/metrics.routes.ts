import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type Request } from 'express';
import type { Database } from '../db/client.js';
import { metricsRepository } from '../db/repositories/metrics.repository.js';
import { createApiMetrics, type ApiMetrics } from '../services/metrics.js';
import type { Logger } from '../services/logger.js';
import { requestLog, requestLogStart } from './request-log.js';

/**
 * The route pattern a request matched (`/plans/:id`), never its raw path: ids in a label would
 * make a series per plan. Requests no route answered (404s, bodies refused before routing) are
 * `unmatched`.
 */
export function routeLabel(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/** When the request started, for its latency, and its route when answered outside Express. */
interface Timed extends IncomingMessage {
  metricsStartedAt?: number;
  routeLabel?: string;
}

/** What the fast lane (api/fast-lane.ts) needs to log and time a request as Express' path does. */
export interface RequestObservation {
  /** Starts the request's log line and latency (labelled `route`); its request id. */
  start(req: IncomingMessage, res: ServerResponse, route: string): string;
}

/**
 * Mounted first in api/app.ts: the request log with its request id (api/request-log.ts), the
 * latency of every request by route pattern and status, and `GET /metrics` in Prometheus' text
 * format (auth-free, like /health: scrapers carry no token; see services/metrics.ts for names).
 * `metrics` is for tests; the API builds its own over `database`.
 */
export function observabilityRoutes(deps: { database: Database; logger: Logger; metrics?: ApiMetrics }): Router {
  return observability(deps).router;
}

/** `observabilityRoutes`, and the same log line and latency for requests answered outside Express. */
export function observability(deps: { database: Database; logger: Logger; metrics?: ApiMetrics }): { router: Router; observation: RequestObservation } {
  const metrics = deps.metrics ?? createApiMetrics({ domain: metricsRepository(deps.database).snapshot });
  const router = Router();
  router.use(requestLog(deps.logger));
  // The fast lane's requests get the same line from a logger of the same settings.
  const logStart = requestLogStart(deps.logger);
  // One histogram child per method, route and status, looked up by a string key: prom-client
  // would otherwise hash the label object on every observation.
  const children = new Map<string, ReturnType<ApiMetrics['httpDuration']['labels']>>();
  // One listener for every response (`this` is the response), not a closure per request.
  // 'close' also fires for a client that hung up before the answer; 'finish' would miss it.
  function observe(this: ServerResponse) {
    const req = this.req as Timed;
    const route = req.routeLabel ?? routeLabel(req as Request);
    const status = String(this.statusCode);
    const key = `${req.method} ${route} ${status}`;
    let child = children.get(key);
    if (!child) children.set(key, (child = metrics.httpDuration.labels(req.method!, route, status)));
    child.observe((performance.now() - req.metricsStartedAt!) / 1000);
  }
  router.use((req, res, next) => {
    (req as Timed).metricsStartedAt = performance.now();
    res.once('close', observe);
    next();
  });
  router.get('/metrics', async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.set('Content-Type', metrics.registry.contentType).send(body);
  });
  const observation: RequestObservation = {
    start(req, res, route) {
      const id = logStart(req, res);
      const timed = req as Timed;
      timed.routeLabel = route;
      timed.metricsStartedAt = performance.now();
      res.once('close', observe);
      return id;
    },
  };
  return { router, observation };
}

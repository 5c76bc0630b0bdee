import express, { type Express, type RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import { ping, type Database } from '../db/client.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { workerStatusRepository } from '../db/repositories/worker-status.repository.js';
import type { Logger } from '../services/logger.js';
import { authenticate, authorize } from './auth/middleware.js';
import { tokenCache } from './auth/token-cache.js';
import { corsPolicy, jsonOnly, rateLimits, securityHeaders, securityOptionsFromEnv, type SecurityOptions } from './auth/security.js';
import { tokensRoutes } from './auth/tokens.routes.js';
import { openApiRoutes } from './openapi/openapi.routes.js';
import { errorHandler, errors, unavailableError, type ApiError } from './errors.js';
import { observabilityRoutes } from './metrics.routes.js';
import { planForecastRoutes } from './routes/plan-forecast.routes.js';
import { plansRoutes } from './routes/plans.routes.js';
import { reordersRoutes } from './routes/reorders.routes.js';
import { runsRoutes } from './routes/runs.routes.js';
import { schedulesRoutes } from './routes/schedules.routes.js';
import { scopesRoutes } from './routes/scopes.routes.js';
import { webRoutes } from './web/web.routes.js';

export interface ApiDeps {
  database: Database;
  client: Client;
  logger: Logger;
  /** CORS allow-list and rate limits; read from the environment when absent (api/auth/security.ts). */
  security?: SecurityOptions;
}

/**
 * How fast the API notices a dead dependency. A request still unanswered after `checkAfterMs`
 * has its dependencies probed (each within `probeTimeoutMs`; concurrent requests share a probe
 * and its result for `cacheMs` after it ends, so a stale "ok" never delays a 503), and
 * again every `probeTimeoutMs` while it waits; so with Postgres or Temporal down it gets its 503
 * within checkAfterMs + probeTimeoutMs + afterAbortMs (1.25 s), while a slow request on healthy services waits.
 */
export const UNAVAILABILITY = { checkAfterMs: 300, probeTimeoutMs: 800, cacheMs: 100, afterAbortMs: 150 } as const;

type Dependency = 'database' | 'temporal';

/** Probes of Postgres and Temporal with a deadline each; concurrent callers share one probe. */
function dependencyProbes(deps: ApiDeps) {
  const probe = {
    database: () => ping(deps.database, UNAVAILABILITY.probeTimeoutMs),
    temporal: () =>
      deps.client.connection.withDeadline(Date.now() + UNAVAILABILITY.probeTimeoutMs, () => deps.client.connection.workflowService.getSystemInfo({})).then(() => undefined),
  };
  const cached: Partial<Record<Dependency, { at?: number; result: Promise<unknown> }>> = {};
  /** The dependency's error, or undefined when it answered. */
  function check(dep: Dependency): Promise<unknown> {
    const hit = cached[dep];
    if (hit && (hit.at === undefined || Date.now() - hit.at < UNAVAILABILITY.cacheMs)) return hit.result;
    const entry: { at?: number; result: Promise<unknown> } = { result: Promise.resolve() };
    entry.result = probe[dep]().then(
      () => undefined,
      (err: unknown) => err ?? new Error(`${dep} probe failed`),
    ).finally(() => {
      entry.at = Date.now();
    });
    cached[dep] = entry;
    return entry.result;
  }
  return { check };
}

/**
 * Answers 503 within ~1.3 s when a dependency is down instead of letting the request wait out
 * Temporal's client retries (~20 s) or a hung database connection. A dead database is answered
 * at once; a dead Temporal cancels the request's Temporal calls (their error becomes the 503 in
 * the error handler), so a request that is only waiting on a slow query is left alone.
 */
function unavailabilityGuard(deps: ApiDeps, probes: ReturnType<typeof dependencyProbes>): RequestHandler {
  return (_req, res, next) => {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const done = () => res.headersSent || res.writableEnded;
    const check = async () => {
      if (done()) return;
      const [db, temporal] = await Promise.all([probes.check('database'), probes.check('temporal')]);
      if (done()) return;
      if (db) {
        const error = unavailableError(db) ?? unavailableError(Object.assign(new Error('database probe failed'), { code: 'CONNECT_TIMEOUT' }));
        res.locals.unavailable = error;
        controller.abort();
        res.status(503).set('Retry-After', '5').json({ error: { code: error!.code, message: error!.message } });
        return;
      }
      if (temporal) {
        const error = errors.unavailable('service.temporal_unavailable', 'the Temporal server is unreachable; retry shortly');
        res.locals.unavailable = error;
        controller.abort();
        // A call that cannot be cancelled (a client still waiting for its first connection)
        // would hold the request for the client's connect timeout: answer for it.
        timer = setTimeout(() => {
          if (!done()) res.status(503).set('Retry-After', '5').json({ error: { code: error.code, message: error.message } });
        }, UNAVAILABILITY.afterAbortMs);
        return;
      }
      timer = setTimeout(() => void check(), UNAVAILABILITY.probeTimeoutMs);
    };
    timer = setTimeout(() => void check(), UNAVAILABILITY.checkAfterMs);
    res.on('close', () => clearTimeout(timer));
    // Temporal calls made while handling the request run under its abort signal.
    void deps.client.connection.withAbortSignal(controller.signal, async () => next());
  };
}

/** The HTTP API (docs/api.md). Express 5 forwards rejected async handlers to the error handler. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  const workerStatus = workerStatusRepository(deps.database);
  const tokens = tokensRepository(deps.database);
  const security = deps.security ?? securityOptionsFromEnv(process.env);
  app.disable('x-powered-by');
  app.use(observabilityRoutes(deps));
  app.use(securityHeaders());
  app.use(corsPolicy(security.corsOrigins));
  app.use(jsonOnly());
  app.use(express.json({ limit: '1mb' }));
  const probes = dependencyProbes(deps);

  /** Both probes run at once, each within UNAVAILABILITY.probeTimeoutMs: degraded answers come in ~1 s. */
  app.get('/health', async (_req, res) => {
    const describe = (err: unknown) => (err === undefined ? 'ok' : `error: ${(unavailableError(err) as ApiError | undefined)?.message ?? 'probe failed; see the API logs'}`);
    const [db, temporal] = await Promise.all([probes.check('database'), probes.check('temporal')]);
    if (db || temporal) deps.logger.warn({ database: (db as Error | undefined)?.message, temporal: (temporal as Error | undefined)?.message }, 'health degraded');
    const checks = { database: describe(db), temporal: describe(temporal) };
    const workers = db ? [] : await Promise.race([workerStatus.list().catch(() => []), new Promise<[]>((r) => setTimeout(() => r([]), UNAVAILABILITY.probeTimeoutMs))]);
    const ok = !db && !temporal;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks, workers });
  });

  app.use(openApiRoutes());
  app.use(unavailabilityGuard(deps, probes));
  // Who is calling (api/auth/policy.ts says what each route needs), counted per token, then let in or not.
  // Bookkeeping only: a failed last-use write (database busy) must not fail the request.
  app.use(authenticate(tokenCache(tokens, { onTouchError: (err) => deps.logger.debug({ err }, 'could not record the token use') })));
  app.use(rateLimits(security));
  app.use(authorize(tokens, deps.logger));

  app.use(scopesRoutes(deps));
  app.use(runsRoutes(deps));
  app.use(plansRoutes(deps));
  app.use(reordersRoutes(deps));
  app.use(planForecastRoutes(deps));
  app.use(schedulesRoutes(deps));
  app.use(tokensRoutes({ tokens }));
  app.use(webRoutes(deps));
  app.use((req, _res, next) => next(errors.notFound('route.not_found', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return app;
}

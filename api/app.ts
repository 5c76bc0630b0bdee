import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type RequestHandler, type Response } from 'express';
import type { Client } from '@temporalio/client';
import { ping, type Database } from '../db/client.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { workerStatusRepository } from '../db/repositories/worker-status.repository.js';
import type { Logger } from '../services/logger.js';
import { authenticate, authorize } from './auth/middleware.js';
import { tokenCache } from './auth/token-cache.js';
import { corsPolicy, jsonOnly, rateLimitCounter, rateLimits, securityHeaderSet, securityHeaders, securityOptionsFromEnv, type SecurityOptions } from './auth/security.js';
import { oidcOptionsFromEnv, oidcRoutes, type OidcOptions } from './auth/oidc.js';
import { tokensRoutes } from './auth/tokens.routes.js';
import { openApiRoutes } from './openapi/openapi.routes.js';
import { errorHandler, errors, unavailableError, type ApiError } from './errors.js';
import { observability } from './metrics.routes.js';
import { fastLane } from './fast-lane.js';
import { PLAN_VIEW_CACHE, planViewCache } from './plan-view-cache.js';
import { plansRepository } from '../db/repositories/plans.repository.js';
import { planAudienceRoutes } from './routes/plan-audience.routes.js';
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
  /** OpenID Connect sign-in (api/auth/oidc.ts); read from OIDC_* when absent, off without OIDC_ISSUER. */
  oidc?: OidcOptions;
  /** Answer cached plan reads before Express (api/fast-lane.ts); on unless false or API_FAST_LANE=0. */
  fastLane?: boolean;
  /** Told each time the fast lane answers (tests tell its answers from Express'). */
  onFastLane?: () => void;
  /** The time for the token and plan caches and the rate limits; tests freeze it so both lanes count alike. */
  clock?: () => number;
}

/**
 * How fast the API notices a dead dependency. A request still unanswered after `checkAfterMs`
 * has its dependencies probed (each within `probeTimeoutMs`; concurrent requests share a probe
 * and its result for `cacheMs` after it ends, so a stale "ok" never delays a 503), and
 * again every `probeTimeoutMs` while it waits; so with Postgres or Temporal down it gets its 503
 * within checkAfterMs + probeTimeoutMs + afterAbortMs (1.25 s, plus up to one 50 ms tick), while a slow request on healthy services waits.
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

/** How often the shared check looks at the requests in flight. */
const GUARD_TICK_MS = 50;

/** A request in flight, as the guard sees it. */
interface Waiting {
  res: Response;
  /** When its dependencies are next probed (ms since the epoch). */
  checkAt: number;
  /** Set once an outage is known: answered 503 at this time unless its handler answered first. */
  answerAt?: number;
  checking: boolean;
  /** Its Temporal calls run under this signal. */
  controller: AbortController;
}

/**
 * Answers 503 within ~1.3 s when a dependency is down instead of letting the request wait out
 * Temporal's client retries (~20 s) or a hung database connection. One shared ticking check
 * (every GUARD_TICK_MS, only while requests are in flight) looks at every request in flight
 * instead of a timer per request: a request unanswered after
 * `checkAfterMs` has the (shared, cached) probes run, and again every `probeTimeoutMs` while it
 * waits. When a probe fails, every request in flight is in the outage: the one that found it is
 * answered 503 at once when the database is down, the Temporal calls of all of them are
 * cancelled (their error becomes the 503 in the error handler), and any still unanswered
 * `afterAbortMs` later is answered 503 by the guard. A request only waiting on a slow query
 * while both dependencies answer is left alone. Each request keeps its own AbortController:
 * the Temporal client adds an abort listener per call and never removes it, so a signal shared
 * by every request would hold one listener per call made.
 */
function unavailabilityGuard(deps: ApiDeps, probes: ReturnType<typeof dependencyProbes>): RequestHandler {
  const waiting = new Set<Waiting>();
  let ticker: NodeJS.Timeout | undefined;
  const done = (res: Response) => res.headersSent || res.writableEnded;
  const answer = (res: Response, error: ApiError) => {
    if (!done(res)) res.status(503).set('Retry-After', '5').json({ error: { code: error.code, message: error.message } });
  };

  /** Puts every request in flight into the outage and cancels their Temporal calls. */
  const outage = (error: ApiError, at: number) => {
    for (const w of waiting) {
      if (w.answerAt !== undefined || done(w.res)) continue;
      w.res.locals.unavailable ??= error;
      w.answerAt = at + UNAVAILABILITY.afterAbortMs;
      w.controller.abort();
    }
  };

  const check = async (w: Waiting) => {
    w.checking = true;
    const [db, temporal] = await Promise.all([probes.check('database'), probes.check('temporal')]);
    w.checking = false;
    if (done(w.res) || w.answerAt !== undefined) return;
    if (db) {
      const error = unavailableError(db) ?? unavailableError(Object.assign(new Error('database probe failed'), { code: 'CONNECT_TIMEOUT' }))!;
      w.res.locals.unavailable = error;
      outage(error, Date.now());
      answer(w.res, error);
      return;
    }
    if (temporal) {
      // A call that cannot be cancelled (a client still waiting for its first connection)
      // would hold the request for the client's connect timeout: the tick answers for it.
      outage(errors.unavailable('service.temporal_unavailable', 'the Temporal server is unreachable; retry shortly'), Date.now());
      return;
    }
    w.checkAt = Date.now() + UNAVAILABILITY.probeTimeoutMs;
  };

  const tick = () => {
    const now = Date.now();
    for (const w of waiting) {
      if (done(w.res)) waiting.delete(w);
      else if (w.answerAt !== undefined) {
        if (now >= w.answerAt) answer(w.res, w.res.locals.unavailable as ApiError);
      } else if (!w.checking && now >= w.checkAt) void check(w);
    }
    if (waiting.size === 0) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };

  // One listener for every response (`this` is the response), not a closure per request.
  function closed(this: Response) {
    const w = (this.locals as { guard?: Waiting }).guard;
    if (w) waiting.delete(w);
  }

  return (_req, res, next) => {
    const w: Waiting = { res, checkAt: Date.now() + UNAVAILABILITY.checkAfterMs, checking: false, controller: new AbortController() };
    (res.locals as { guard?: Waiting }).guard = w;
    waiting.add(w);
    res.once('close', closed);
    // The tick keeps nothing alive by itself: a server with no requests has no timer.
    if (!ticker) ticker = setInterval(tick, GUARD_TICK_MS).unref();
    // Temporal calls made while handling the request run under its abort signal.
    void deps.client.connection.withAbortSignal(w.controller.signal, async () => next());
  };
}

/** The HTTP API (docs/api.md). Express 5 forwards rejected async handlers to the error handler. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  const workerStatus = workerStatusRepository(deps.database);
  const tokens = tokensRepository(deps.database);
  const security = deps.security ?? securityOptionsFromEnv(process.env);
  const oidc = deps.oidc ?? oidcOptionsFromEnv(process.env);
  app.disable('x-powered-by');
  const { router: observabilityRouter, observation } = observability(deps);
  const tokenVerifier = tokenCache(tokens, { now: deps.clock, onTouchError: (err) => deps.logger.debug({ err }, 'could not record the token use') });
  const rateLimitCount = rateLimitCounter(security, deps.clock);
  const planViews = plansViewCache(deps.database, deps.clock);
  // Helmet's headers, built once for the Express path and the fast lane.
  const helmetHeaders = securityHeaderSet();
  app.use(observabilityRouter);
  app.use(securityHeaders(helmetHeaders));
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
  app.use(authenticate(tokenVerifier));
  app.use(rateLimits(security, deps.clock, rateLimitCount));
  app.use(authorize(tokens, deps.logger));

  app.use(scopesRoutes(deps));
  app.use(runsRoutes(deps));
  app.use(plansRoutes({ ...deps, views: planViews }));
  app.use(reordersRoutes(deps));
  app.use(planForecastRoutes(deps));
  app.use(planAudienceRoutes(deps));
  app.use(schedulesRoutes(deps));
  app.use(tokensRoutes({ tokens }));
  app.use(oidcRoutes({ tokens, options: oidc, logger: deps.logger }));
  app.use(webRoutes({ ...deps, oidcSignIn: oidc !== undefined }));
  app.use((req, _res, next) => next(errors.notFound('route.not_found', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));

  const front =
    (deps.fastLane ?? process.env.API_FAST_LANE !== '0') && helmetHeaders.fixed
      ? fastLane({ tokens: tokenVerifier, rateLimit: rateLimitCount, views: planViews, observation, securityHeaders: helmetHeaders.fixed.set, onAnswer: deps.onFastLane })
      : undefined;
  if (front) {
    // In the request listener itself: the app function that app.listen, test agents and
    // api/processes.ts hand to node:http calls app.handle (Express 5; its types leave it out).
    const routed = app as Express & { handle: (req: IncomingMessage, res: ServerResponse, done?: (err?: unknown) => void) => void };
    const handle = routed.handle.bind(app);
    routed.handle = (req, res, done) => {
      if (!front(req, res)) handle(req, res, done);
    };
  }
  return app;
}

/** The plan answers' cache, shared by the plan routes and the fast lane. */
function plansViewCache(database: Database, now: (() => number) | undefined) {
  const plans = plansRepository(database);
  return planViewCache((id) => plans.view(id), { ...PLAN_VIEW_CACHE, now });
}

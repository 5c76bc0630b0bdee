import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestObservation } from './metrics.routes.js';
import type { PlanViewCache } from './plan-view-cache.js';
import { matchPolicy } from './auth/policy.js';
import type { RateLimitCounter } from './auth/security.js';
import type { TokenCache } from './auth/token-cache.js';
import { roleAtLeast, scopeAllowed } from './auth/tokens.js';

/** What the fast lane shares with the Express path, so both count, cache and log the same. */
export interface FastLaneDeps {
  tokens: Pick<TokenCache, 'peek' | 'used'>;
  rateLimit: RateLimitCounter;
  views: Pick<PlanViewCache, 'peek'>;
  observation: RequestObservation;
  /** Helmet's headers as api/auth/security.ts sets them on every answer (what it removes is never on a fresh answer). */
  securityHeaders: readonly (readonly [string, string | string[]])[];
  /** Told each time it answers. */
  onAnswer?: () => void;
}

/** The route the fast lane answers, as api/auth/policy.ts and the latency metric name it. */
const ROUTE = '/plans/:id';
/** Plan ids as the plan routes accept them (decimal, at most 2^31 − 1); anything else goes to Express. */
const PLAN_PATH = /^\/plans\/([1-9][0-9]{0,9})$/;
const MAX_PLAN_ID = 2_147_483_647;
const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

/** The `fresh` package's (2.x) test for a request that asks past caches. */
const NO_CACHE = /(?:^|,)\s*?no-cache\s*?(?:,|$)/;

/**
 * The `fresh` package's test, as Express' `req.fresh` runs it for an answer with only an ETag
 * and a request without If-Modified-Since: not with `Cache-Control: no-cache` (fetch adds it to
 * every conditional request), else If-None-Match `*` or one of its comma-separated tags equal
 * to the ETag (weak or strong).
 */
function fresh(noneMatch: string | undefined, cacheControl: string | undefined, etag: string): boolean {
  if (!noneMatch) return false;
  if (cacheControl && NO_CACHE.test(cacheControl)) return false;
  if (noneMatch === '*') return true;
  let start = 0;
  let end = 0;
  const matches = (tag: string) => tag === etag || tag === `W/${etag}` || `W/${tag}` === etag;
  for (let i = 0; i < noneMatch.length; i++) {
    const c = noneMatch.charCodeAt(i);
    if (c === 0x20) {
      if (start === end) start = end = i + 1;
    } else if (c === 0x2c) {
      if (matches(noneMatch.substring(start, end))) return true;
      start = end = i + 1;
    } else end = i + 1;
  }
  return matches(noneMatch.substring(start, end));
}

/**
 * `GET /plans/{id}` answered in the request listener, before Express, when everything it needs
 * is already in memory: the bearer token in the token cache and allowed by the route's policy
 * line for the plan's scope, the token's rate limit not reached, and the plan's answer fresh in
 * the plan view cache. The answer is the Express path's byte for byte (status, body, headers,
 * ETag and 304, RateLimit, X-Request-Id, the log line and the latency metric under the same
 * route label; test/fast-lane.test.ts compares them). Anything else (a miss, a 401/403/404/429,
 * a CORS request, If-Modified-Since, a query string) returns false having changed nothing, and
 * Express answers it. Under load (bench:load) the read took ~360 µs of API CPU through Express'
 * routing and middleware chain, ~125 µs here.
 *
 * Returns a listener's front: true when it answered.
 */
export function fastLane(deps: FastLaneDeps): ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined {
  // The policy line is read once: the route's role, and that its scope is the plan's.
  const line = matchPolicy('GET', '/plans/1');
  if (line?.policy.route !== `GET ${ROUTE}` || line.policy.scope !== 'plan' || line.policy.role === 'public') return undefined;
  const role = line.policy.role;

  return (req, res) => {
    if (req.method !== 'GET') return false;
    const m = PLAN_PATH.exec(req.url ?? '');
    if (!m) return false;
    const h = req.headers;
    // CORS (the cors package's headers) and If-Modified-Since stay with Express.
    if (h.origin !== undefined || h['if-modified-since'] !== undefined) return false;
    const bearer = h.authorization === undefined ? null : BEARER.exec(h.authorization);
    if (!bearer) return false;
    const id = Number(m[1]);
    if (id > MAX_PLAN_ID) return false;
    const principal = deps.tokens.peek(bearer[1]);
    if (!principal || !roleAtLeast(principal.role, role)) return false;
    const plan = deps.views.peek(id);
    if (!plan) return false;
    // api/auth/middleware.ts authorize for a `plan` scope source: the plan's scope among the token's.
    if (principal.scopes && !scopeAllowed(principal.scopes, plan.scopeId)) return false;
    const { key, limit } = deps.rateLimit.keyOf(principal, undefined);
    const count = deps.rateLimit.hit(key, limit, true);
    if (!count) return false;

    // Answered here from now on, in the order the Express path sets its headers.
    deps.tokens.used(principal.tokenId);
    deps.observation.start(req, res, ROUTE);
    deps.onAnswer?.();
    for (const [name, value] of deps.securityHeaders) res.setHeader(name, value);
    res.setHeader('Vary', 'Origin');
    res.setHeader('RateLimit', count.rateLimit);
    res.setHeader('RateLimit-Policy', count.policy);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', plan.etag);
    if (fresh(h['if-none-match'], h['cache-control'], plan.etag)) {
      res.statusCode = 304;
      res.end();
      return true;
    }
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', plan.body.length);
    res.end(plan.body);
    return true;
  };
}

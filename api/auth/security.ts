import cors from 'cors';
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import helmet from 'helmet';
import { ApiError } from '../errors.js';
import { isPublic, principalIfAny } from './middleware.js';
import type { Principal } from './tokens.js';

export interface SecurityOptions {
  /** Origins allowed to call the API from a browser (CORS); none by default. */
  corsOrigins: string[];
  /** Requests per minute per token. */
  tokenRequestsPerMinute: number;
  /** Requests per minute per client address without a valid token (failed sign-ins included). */
  anonymousRequestsPerMinute: number;
}

export const DEFAULT_SECURITY: SecurityOptions = { corsOrigins: [], tokenRequestsPerMinute: 600, anonymousRequestsPerMinute: 60 };

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number of requests per minute, got "${raw}"`);
  return n;
}

/** CORS_ORIGINS (comma-separated origins such as https://plans.example.com), LAUNCHLOOP_RATE_LIMIT[_ANONYMOUS]. */
export function securityOptionsFromEnv(env: NodeJS.ProcessEnv): SecurityOptions {
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of corsOrigins) {
    let origin: string | undefined;
    try {
      origin = new URL(o).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== o) throw new Error(`CORS_ORIGINS entries must be origins such as https://plans.example.com (scheme, host, optional port, no path), got "${o}"`);
  }
  return {
    corsOrigins,
    tokenRequestsPerMinute: positiveInt('LAUNCHLOOP_RATE_LIMIT', env.LAUNCHLOOP_RATE_LIMIT, DEFAULT_SECURITY.tokenRequestsPerMinute),
    anonymousRequestsPerMinute: positiveInt('LAUNCHLOOP_RATE_LIMIT_ANONYMOUS', env.LAUNCHLOOP_RATE_LIMIT_ANONYMOUS, DEFAULT_SECURITY.anonymousRequestsPerMinute),
  };
}

/**
 * Security headers. The page's scripts, styles, images and API calls come from the API's own
 * origin ('self'; no inline scripts, no CDN). Inline style attributes stay allowed: chart
 * libraries position tooltips with them. No upgrade-insecure-requests and no HSTS: the API
 * speaks plain HTTP on loopback, and a TLS proxy in front sets HSTS itself. The argument is helmet
 * as `securityHeaderSet` built it, for a caller that shares it (api/app.ts, with the fast lane).
 */
export function securityHeaders({ middleware, fixed }: ReturnType<typeof securityHeaderSet> = securityHeaderSet()): RequestHandler {
  if (!fixed) return middleware;
  // The same headers as helmet's, worked out once: helmet rebuilds the CSP string and runs a
  // dozen small middlewares on every request (~10% of the API's CPU per request under load).
  return (_req, res, next) => {
    for (const [name, value] of fixed.set) res.setHeader(name, value);
    for (const name of fixed.removed) res.removeHeader(name);
    next();
  };
}

/** Helmet as the API configures it, and the headers it sets when they are the same for every request. */
export function securityHeaderSet(): { middleware: RequestHandler; fixed: ReturnType<typeof fixedHeaders> } {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': null,
      },
    },
    strictTransportSecurity: false,
  });
  return { middleware, fixed: fixedHeaders(middleware) };
}

/**
 * The headers a helmet middleware sets and removes, read by running it once on a stand-in
 * response; undefined when it did anything else (a per-request value such as a CSP nonce), so
 * the caller keeps running helmet itself.
 */
export function fixedHeaders(middleware: RequestHandler): { set: [string, string | string[]][]; removed: string[] } | undefined {
  const set: [string, string | string[]][] = [];
  const removed: string[] = [];
  let passed = false;
  let unexpected = false;
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      set.push([name, typeof value === 'number' ? String(value) : Array.isArray(value) ? [...(value as string[])] : (value as string)]);
      return res;
    },
    removeHeader: (name: string) => void removed.push(name),
  };
  const req = { method: 'GET', url: '/', headers: {} };
  // Stand-ins with only what helmet touches: anything else throws and helmet is kept per request.
  const mw = middleware as unknown as (req: unknown, res: unknown, next: (err?: unknown) => void) => void;
  try {
    mw(req, new Proxy(res, { get: (t, k) => (k in t ? t[k as keyof typeof t] : ((unexpected = true), undefined)) }), (err) => {
      passed = err === undefined;
    });
  } catch {
    return undefined;
  }
  return passed && !unexpected ? { set, removed } : undefined;
}

/** Browser calls from other origins only from the allow-list, with the headers the API reads. */
export function corsPolicy(origins: string[]): RequestHandler {
  const policy = cors({
    origin: origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
    exposedHeaders: ['Retry-After', 'Idempotent-Replay', 'WWW-Authenticate', 'RateLimit', 'RateLimit-Policy'],
    maxAge: 600,
  });
  // Without an Origin header there is no cross-origin call to allow (browsers send one on every
  // cross-origin and preflight request), so the cors package's work is skipped; the answer still
  // varies by Origin, as the package would say.
  return (req, res, next) => {
    if (req.headers.origin === undefined) {
      res.vary('Origin');
      return next();
    }
    policy(req, res, next);
  };
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * State-changing requests carry JSON or nothing: a body of any other type is 415. A browser
 * sends text/plain, form and multipart bodies cross-site without asking (no CORS preflight),
 * so this closes the cross-site request forgery that such a POST would otherwise be.
 */
export function jsonOnly(): RequestHandler {
  return (req, _res, next) => {
    if (!STATE_CHANGING.has(req.method)) return next();
    const type = req.get('content-type');
    const hasBody = (req.get('content-length') !== undefined && req.get('content-length') !== '0') || req.get('transfer-encoding') !== undefined;
    if (type === undefined ? !hasBody : /^application\/json\s*(;|$)/i.test(type)) return next();
    next(new ApiError(415, 'request.unsupported_media_type', `${req.method} ${req.path} accepts only "Content-Type: application/json"${type ? `, got "${type}"` : ' (the body has no Content-Type)'}`));
  };
}

/** The rate limits' window: counts start at a key's first request and last this long. */
const RATE_WINDOW_MS = 60_000;

/** A key's count in its window. */
interface Window {
  hits: number;
  resetAt: number;
  /** The key's partition key in RateLimit-Policy, worked out once per key. */
  pk: string;
}

/** express-rate-limit's `pk`: the first 12 hex digits of the key's SHA-256, in base64. */
const partitionKey = (key: string) => Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64');

/**
 * Sets a header, or adds to it as Express' `res.append` does: another limiter's policy may
 * already be there.
 */
function appendHeader(res: Response, name: string, value: string): void {
  const prev = res.getHeader(name);
  res.setHeader(name, prev === undefined ? value : ([] as string[]).concat(prev as string | string[], value));
}

/** A request counted against its key's limit. */
export interface RateCount {
  limit: number;
  hits: number;
  /** Seconds until the key's window ends. */
  resetSeconds: number;
  /** `RateLimit` and `RateLimit-Policy` as express-rate-limit's draft-8 headers say them. */
  rateLimit: string;
  policy: string;
}

/**
 * The rate limits' counts, in a Map per window, shared by `rateLimits` and the fast lane
 * (api/fast-lane.ts) so both count one request once against the same limit.
 */
export function rateLimitCounter(options: SecurityOptions, now: () => number = Date.now) {
  // Keys seen in this window and the last: every window the older ones are dropped in bulk
  // (a key that stayed quiet a whole window has expired), so no per-key timers or scans.
  let current = new Map<string, Window>();
  let previous = new Map<string, Window>();
  setInterval(() => {
    previous = current;
    current = new Map();
  }, RATE_WINDOW_MS).unref();
  const windowSeconds = Math.ceil(RATE_WINDOW_MS / 1000);
  const policyName = (limit: number) => `${limit}-in-${RATE_WINDOW_MS / 60_000}min`;

  return {
    /** The key and limit of a request: per token, or per client address without a valid token. */
    keyOf(principal: Principal | undefined, address: string | undefined): { key: string; limit: number } {
      return principal
        ? { key: `token:${principal.tokenId}`, limit: options.tokenRequestsPerMinute }
        : { key: `ip:${ipKeyGenerator(address ?? 'unknown')}`, limit: options.anonymousRequestsPerMinute };
    },
    /**
     * Counts a request of `key`. With `onlyWithinLimit`, a request that would go over the limit
     * is not counted and undefined comes back (the fast lane leaves it to `rateLimits`).
     */
    hit(key: string, limit: number, onlyWithinLimit = false): RateCount | undefined {
      const t = now();
      let w = current.get(key);
      if (!w) {
        w = previous.get(key);
        if (w) previous.delete(key);
        else w = { hits: 0, resetAt: t + RATE_WINDOW_MS, pk: partitionKey(key) };
        current.set(key, w);
      }
      if (w.resetAt <= t) {
        w.hits = 0;
        w.resetAt = t + RATE_WINDOW_MS;
      }
      if (onlyWithinLimit && w.hits >= limit) return undefined;
      w.hits++;
      const resetSeconds = Math.max(0, Math.ceil((w.resetAt - t) / 1000));
      const name = policyName(limit);
      return {
        limit,
        hits: w.hits,
        resetSeconds,
        rateLimit: `"${name}"; r=${Math.max(limit - w.hits, 0)}; t=${resetSeconds}`,
        policy: `"${name}"; q=${limit}; w=${windowSeconds}; pk=:${w.pk}:`,
      };
    },
  };
}

export type RateLimitCounter = ReturnType<typeof rateLimitCounter>;

/**
 * Per-token request limits (per client address without a valid token), counted after
 * authentication so the key is the token; public routes are not counted. 429 with
 * Retry-After and the RateLimit headers.
 *
 * The same answers and headers as express-rate-limit's memory store with draft-8 headers (a
 * fixed window per key from its first request; `RateLimit: "<limit>-in-1min"; r=<remaining>;
 * t=<seconds to reset>` and `RateLimit-Policy: "<limit>-in-1min"; q=<limit>; w=60; pk=:<key
 * hash>:`), counted in a Map: the package's per-request promises, validations and key
 * hashing were ~10% of the API's CPU per request under load. Counts are per process
 * (api/processes.ts).
 */
export function rateLimits(options: SecurityOptions, now: () => number = Date.now, counter: RateLimitCounter = rateLimitCounter(options, now)): RequestHandler {
  return (req, res, next) => {
    if (isPublic(res)) return next();
    const principal = principalIfAny(res);
    const { key, limit } = counter.keyOf(principal, req.ip);
    const count = counter.hit(key, limit)!;
    if (!res.headersSent) {
      appendHeader(res, 'RateLimit', count.rateLimit);
      appendHeader(res, 'RateLimit-Policy', count.policy);
    }
    if (count.hits <= limit) return next();
    if (!res.headersSent) res.setHeader('Retry-After', String(count.resetSeconds));
    const who = principal ? `token ${principal.tokenId} ("${principal.name}")` : 'this address (no valid token)';
    next(new ApiError(429, 'request.rate_limited', `${who} sent more than ${limit} requests in a minute; retry after ${res.get('Retry-After') ?? 'a while'} s`));
  };
}

import cors from 'cors';
import type { RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import helmet from 'helmet';
import { ApiError } from '../errors.js';
import { isPublic, principalIfAny } from './middleware.js';

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
 * speaks plain HTTP on loopback, and a TLS proxy in front sets HSTS itself.
 */
export function securityHeaders(): RequestHandler {
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
  const fixed = fixedHeaders(middleware);
  if (!fixed) return middleware;
  // The same headers as helmet's, worked out once: helmet rebuilds the CSP string and runs a
  // dozen small middlewares on every request (~10% of the API's CPU per request under load).
  return (_req, res, next) => {
    for (const [name, value] of fixed.set) res.setHeader(name, value);
    for (const name of fixed.removed) res.removeHeader(name);
    next();
  };
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

/**
 * Per-token request limits (per client address without a valid token), counted after
 * authentication so the key is the token; public routes are not counted. 429 with
 * Retry-After and the RateLimit headers.
 */
export function rateLimits(options: SecurityOptions): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: (_req, res) => (principalIfAny(res) ? options.tokenRequestsPerMinute : options.anonymousRequestsPerMinute),
    keyGenerator: (req, res) => {
      const principal = principalIfAny(res);
      return principal ? `token:${principal.tokenId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    skip: (_req, res) => isPublic(res),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res, next) => {
      const principal = principalIfAny(res);
      const who = principal ? `token ${principal.tokenId} ("${principal.name}")` : 'this address (no valid token)';
      const limit = principal ? options.tokenRequestsPerMinute : options.anonymousRequestsPerMinute;
      next(new ApiError(429, 'request.rate_limited', `${who} sent more than ${limit} requests in a minute; retry after ${res.get('Retry-After') ?? 'a while'} s`));
    },
  });
}

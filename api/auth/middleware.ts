import type { Request, RequestHandler, Response } from 'express';
import type { TokensRepository } from '../../db/repositories/tokens.repository.js';
import type { Logger } from '../../services/logger.js';
import { ApiError } from '../errors.js';
import { matchPolicy, UNLISTED_ROUTE_ROLE, type PolicyMatch, type ScopeSource } from './policy.js';
import type { TokenCache } from './token-cache.js';
import { roleAtLeast, scopeAllowed, type Principal } from './tokens.js';

const REALM = 'Bearer realm="launchloop"';

/** What authentication left for the handlers and the rate limiter (res.locals). */
interface AuthLocals {
  policy?: PolicyMatch;
  principal?: Principal;
  authProblem?: { code: 'auth.missing_token' | 'auth.invalid_token'; message: string };
}

const locals = (res: Response) => res.locals as AuthLocals;

/** The signed-in principal of a request that passed `authorize` (a route handler's caller). */
export function principalOf(res: Response): Principal {
  const principal = locals(res).principal;
  // Only reachable when a route is marked public but its handler wants a principal: a bug.
  if (!principal) throw new Error('no authenticated principal on this request (is the route marked public in api/auth/policy.ts?)');
  return principal;
}

/** True for a request to a route the policy table marks public. */
export function isPublic(res: Response): boolean {
  return locals(res).policy?.policy.role === 'public';
}

/** The principal, if any, for the rate limiter's key. */
export function principalIfAny(res: Response): Principal | undefined {
  return locals(res).principal;
}

/**
 * Finds the route's policy line and, unless it is public, the principal of the request's
 * bearer token (or why there is none). Rejects nothing itself, so the rate limiter can count
 * failed attempts per address before `authorize` answers them. Tokens are verified through
 * `verifier` (api/auth/token-cache.ts: no database read per request, and it records the use).
 */
export function authenticate(verifier: Pick<TokenCache, 'verify'>): RequestHandler {
  return async (req, res, next) => {
    const l = locals(res);
    l.policy = matchPolicy(req.method, req.path);
    if (l.policy?.policy.role === 'public') return next();
    const header = req.get('authorization');
    if (!header) {
      l.authProblem = { code: 'auth.missing_token', message: 'this endpoint needs a bearer token: send "Authorization: Bearer <token>" (an admin creates one with `launchloop tokens create`)' };
      return next();
    }
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!m) {
      l.authProblem = { code: 'auth.invalid_token', message: 'the Authorization header must be "Bearer <token>"' };
      return next();
    }
    const verified = await verifier.verify(m[1]);
    if ('problem' in verified) {
      l.authProblem = { code: 'auth.invalid_token', message: verified.problem };
      return next();
    }
    l.principal = verified.principal;
    next();
  };
}

const forbidden = (message: string) => new ApiError(403, 'auth.forbidden', message);

/** A Postgres serial id from a path parameter; undefined for anything else (the handler answers it). */
function serialId(raw: string | string[] | undefined): number | undefined {
  return typeof raw === 'string' && /^[1-9][0-9]{0,9}$/.test(raw) && Number(raw) <= 2_147_483_647 ? Number(raw) : undefined;
}

/** The scope a request touches (undefined: it cannot be told before the handler runs). */
async function requestScope(source: ScopeSource, req: Request, params: Record<string, string | string[]>, tokens: TokensRepository): Promise<string | undefined> {
  const rest = (name: string) => (Array.isArray(params[name]) ? (params[name] as string[]) : []);
  switch (source) {
    case 'path':
      return `${String(params.group)}/${String(params.region)}`;
    case 'query':
      return typeof req.query.scope === 'string' ? req.query.scope : undefined;
    case 'body': {
      const scopeId = (req.body as { scopeId?: unknown } | undefined)?.scopeId;
      return typeof scopeId === 'string' ? scopeId : undefined;
    }
    case 'plan':
      return serialId(params.id) === undefined ? undefined : tokens.scopeOfPlan(serialId(params.id)!);
    case 'reorder':
      return serialId(params.id) === undefined ? undefined : tokens.scopeOfReorder(serialId(params.id)!);
    case 'run': {
      // workflowIds (contracts/ids.ts): <kind>/<group>/<region>[/…]
      const parts = rest('id');
      return parts.length >= 3 ? `${parts[1]}/${parts[2]}` : undefined;
    }
    case 'schedule': {
      const parts = rest('id');
      return parts.length >= 3 && parts[0] === 'retrain-schedule' ? `${parts[1]}/${parts[2]}` : undefined;
    }
    default:
      return undefined;
  }
}

/** Sources where a limited token must name a scope it holds: without one the request reads or acts on every scope. */
const SCOPE_REQUIRED: ReadonlySet<ScopeSource> = new Set(['query', 'run', 'schedule']);

/**
 * 401 without a usable token, 403 when its role is below the route's or the route's scope is
 * outside the token's scopes; the messages name what is needed and what the token has.
 */
export function authorize(tokens: TokensRepository, logger: Logger): RequestHandler {
  return async (req, res, next) => {
    const l = locals(res);
    const policy = l.policy?.policy;
    if (policy?.role === 'public') return next();
    const principal = l.principal;
    if (!principal) {
      const problem = l.authProblem ?? { code: 'auth.missing_token' as const, message: 'this endpoint needs a bearer token' };
      res.set('WWW-Authenticate', problem.code === 'auth.invalid_token' ? `${REALM}, error="invalid_token"` : REALM);
      throw new ApiError(401, problem.code, problem.message);
    }
    const route = policy?.route ?? `${req.method} ${req.path}`;
    const who = `token ${principal.tokenId} ("${principal.name}")`;
    // Every route the app serves is in the policy table (test/auth.test.ts checks it), so an
    // unlisted request is a mistyped path: a signed-in caller below the unlisted role gets the
    // 404 an admin gets from the router, not a 403 implying the path exists. Still closed.
    if (!policy && !roleAtLeast(principal.role, UNLISTED_ROUTE_ROLE)) throw new ApiError(404, 'route.not_found', `no route for ${req.method} ${req.path}`);
    const needed = policy?.role ?? UNLISTED_ROUTE_ROLE;
    if (!roleAtLeast(principal.role, needed)) throw forbidden(`${route} needs the ${needed} role or higher; ${who} has the ${principal.role} role`);

    if (principal.scopes) {
      const limited = `${who} is limited to ${principal.scopes.join(', ')}`;
      const source = policy?.scope ?? 'all';
      if (source === 'all') throw forbidden(`${route} reads or changes every scope; ${limited}`);
      if (source !== 'none') {
        const scopeId = await requestScope(source, req, l.policy!.params, tokens);
        if (scopeId === undefined && SCOPE_REQUIRED.has(source))
          throw forbidden(source === 'query' ? `${route} needs ?scope= naming one of the token's scopes; ${limited}` : `cannot tell which scope ${req.path} belongs to; ${limited}`);
        if (scopeId !== undefined && !scopeAllowed(principal.scopes, scopeId)) throw forbidden(`${route} on ${scopeId} is outside the token's scopes; ${limited}`);
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') logger.info({ tokenId: principal.tokenId, principal: principal.name, role: principal.role, method: req.method, path: req.path }, 'authorised');
    next();
  };
}

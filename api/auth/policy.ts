import type { TokenRole } from './tokens.js';

/**
 * Which scope a request touches, for tokens limited to some scopes:
 * - `path`: the `:group/:region` of the path;
 * - `query`: the `?scope=` filter (a limited token must give one it may read);
 * - `body`: the body's `scopeId`;
 * - `plan`: the scope of the plan `:id`;
 * - `reorder`: the scope of the reorder (purchase order) `:id`;
 * - `run`: the scope in the workflow id (`loop/electronics/east`, `replan/electronics/east/<key>`);
 * - `schedule`: the scope in the schedule id (`retrain-schedule/electronics/east`);
 * - `none`: no scope's data (open to limited tokens);
 * - `all`: every scope's data or the tokens themselves: unlimited tokens only.
 */
export type ScopeSource = 'path' | 'query' | 'body' | 'plan' | 'reorder' | 'run' | 'schedule' | 'none' | 'all';

export interface RoutePolicy {
  /** `METHOD /path` exactly as the route is registered in Express (`:param`, `*rest`). */
  route: string;
  /** `public`: no token needed; otherwise the least role that may call it. */
  role: TokenRole | 'public';
  scope: ScopeSource;
}

/**
 * Every route of the API, one line each. A route missing here needs an admin token (a route
 * someone forgot is never open), and test/auth.test.ts fails for every route the app registers
 * that is not listed. Roles: viewer reads; merchandiser replans, approves, rejects, sends sales
 * feedback and edits promotions; planner sets scope rules, schedules, models and runs; admin
 * manages tokens. Adding a route: add its line (the only edit other changes make to this file).
 */
export const ROUTE_POLICY: readonly RoutePolicy[] = [
  // Open to everyone: the page and its assets, health, metrics, the API description.
  { route: 'GET /', role: 'public', scope: 'none' },
  { route: 'GET /assets/:name', role: 'public', scope: 'none' },
  { route: 'GET /health', role: 'public', scope: 'none' },
  { route: 'GET /metrics', role: 'public', scope: 'none' },
  { route: 'GET /openapi.json', role: 'public', scope: 'none' },
  { route: 'GET /docs', role: 'public', scope: 'none' },
  { route: 'GET /docs/:file', role: 'public', scope: 'none' },

  { route: 'GET /auth/me', role: 'viewer', scope: 'none' },
  // OpenID Connect sign-in (api/auth/oidc.ts): before there is a token, so open.
  { route: 'GET /auth/oidc/login', role: 'public', scope: 'none' },
  { route: 'GET /auth/oidc/callback', role: 'public', scope: 'none' },
  { route: 'GET /scopes', role: 'viewer', scope: 'none' },
  { route: 'GET /scopes/:group/:region/rules', role: 'viewer', scope: 'path' },
  { route: 'PUT /scopes/:group/:region/rules', role: 'planner', scope: 'path' },
  { route: 'GET /scopes/:group/:region/models', role: 'viewer', scope: 'path' },
  { route: 'POST /scopes/:group/:region/runs', role: 'planner', scope: 'path' },
  { route: 'POST /scopes/:group/:region/replans', role: 'merchandiser', scope: 'path' },
  { route: 'POST /scopes/:group/:region/sales-feedback', role: 'merchandiser', scope: 'path' },
  { route: 'GET /scopes/:group/:region/calendar', role: 'viewer', scope: 'path' },
  { route: 'POST /scopes/:group/:region/promotions', role: 'merchandiser', scope: 'path' },
  { route: 'GET /scopes/:group/:region/reorders', role: 'viewer', scope: 'path' },

  { route: 'GET /runs', role: 'viewer', scope: 'query' },
  { route: 'GET /runs/*id', role: 'viewer', scope: 'run' },

  { route: 'GET /plans', role: 'viewer', scope: 'query' },
  { route: 'GET /plans/:id', role: 'viewer', scope: 'plan' },
  { route: 'POST /plans/:id/approve', role: 'merchandiser', scope: 'plan' },
  { route: 'POST /plans/:id/reject', role: 'merchandiser', scope: 'plan' },
  { route: 'GET /plans/:id/items/:candidateId/forecast', role: 'viewer', scope: 'plan' },
  { route: 'GET /plans/:id/items/:candidateId/audience', role: 'viewer', scope: 'plan' },
  { route: 'GET /plans/:id/kpis', role: 'viewer', scope: 'plan' },

  { route: 'GET /reorders/:id', role: 'viewer', scope: 'reorder' },
  { route: 'POST /reorders/:id/approve', role: 'merchandiser', scope: 'reorder' },
  { route: 'POST /reorders/:id/reject', role: 'merchandiser', scope: 'reorder' },

  { route: 'POST /schedules/retrain', role: 'planner', scope: 'body' },
  { route: 'GET /schedules', role: 'viewer', scope: 'all' },
  { route: 'DELETE /schedules/*id', role: 'planner', scope: 'schedule' },

  { route: 'GET /tokens', role: 'admin', scope: 'all' },
  { route: 'POST /tokens', role: 'admin', scope: 'all' },
  { route: 'DELETE /tokens/:id', role: 'admin', scope: 'all' },
];

/** The role a route missing from the table needs. */
export const UNLISTED_ROUTE_ROLE: TokenRole = 'admin';

interface Compiled {
  policy: RoutePolicy;
  method: string;
  segments: string[];
}

const compiled: Compiled[] = ROUTE_POLICY.map((policy) => {
  const [method, path] = policy.route.split(' ');
  return { policy, method, segments: path.split('/').filter(Boolean) };
});

export interface PolicyMatch {
  policy: RoutePolicy;
  params: Record<string, string | string[]>;
}

/**
 * The table's line for a request, with its path parameters, read the way Express 5 routes:
 * `:name` is one non-empty segment, `*name` one or more, a trailing slash is ignored and
 * letters match regardless of case. HEAD is answered by GET routes. Literal lines win over
 * parameter lines (`GET /schedules` before `DELETE /schedules/*id` does not matter, but
 * `POST /schedules/retrain` is literal), and undefined means the route is not listed.
 */
export function matchPolicy(method: string, path: string): PolicyMatch | undefined {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  let segments: string[];
  try {
    segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    return undefined; // malformed escapes: Express will not route it either
  }
  let best: { match: PolicyMatch; literals: number } | undefined;
  for (const c of compiled) {
    if (c.method !== m) continue;
    const params = matchSegments(c.segments, segments);
    if (!params) continue;
    const literals = c.segments.filter((s) => !s.startsWith(':') && !s.startsWith('*')).length;
    if (!best || literals > best.literals) best = { match: { policy: c.policy, params }, literals };
  }
  return best?.match;
}

function matchSegments(pattern: string[], path: string[]): Record<string, string | string[]> | undefined {
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith('*')) {
      if (i !== pattern.length - 1 || path.length <= i) return undefined;
      params[p.slice(1)] = path.slice(i);
      return params;
    }
    if (i >= path.length) return undefined;
    if (p.startsWith(':')) params[p.slice(1)] = path[i];
    else if (p.toLowerCase() !== path[i].toLowerCase()) return undefined;
  }
  return path.length === pattern.length ? params : undefined;
}

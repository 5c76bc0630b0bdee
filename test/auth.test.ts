/**
 * Sign-in over HTTP: every route of the policy table walked with every kind of caller (each
 * role, a scope-limited token, no token, a revoked, an expired and an unknown token), the
 * Express app checked against the table, token management, and the secure defaults (415 for
 * non-JSON state changes, CORS allow-list, security headers, rate limits).
 */
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../api/app.js';
import { ensureAdminToken } from '../api/auth/listen.js';
import { ROUTE_POLICY, type RoutePolicy } from '../api/auth/policy.js';
import { createToken, roleAtLeast, TOKEN_ROLES, type TokenRole } from '../api/auth/tokens.js';
import type { SecurityOptions } from '../api/auth/security.js';
import { plansRepository } from '../db/repositories/plans.repository.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { logger } from '../services/logger.js';
import { run as tokensCommand } from '../cli/commands/tokens.js';
import { freshDatabase, seedSmall, startApi, startStack, type Stack } from './helpers.js';

const SCOPE = 'electronics/east';
const quiet = logger.child({}, { level: 'silent' });

/** `METHOD path` of every route the app registers (routers are mounted at the root). */
function registeredRoutes(app: Express): string[] {
  const out: string[] = [];
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; slash?: boolean };
  const walk = (stack: Layer[], mounted: boolean) => {
    for (const layer of stack) {
      if (layer.route) {
        // A router mounted under a prefix would hide it from route.path: list such routes by hand.
        if (!mounted) throw new Error(`route ${layer.route.path} sits in a router mounted under a path prefix; this test reads only root-mounted routers`);
        for (const m of Object.keys(layer.route.methods)) if (m !== '_all') out.push(`${m.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack, mounted && layer.slash === true);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, true);
  return out;
}

describe('sign-in and roles', () => {
  let stack: Stack;
  let server: Awaited<ReturnType<typeof startApi>>;
  let api: string;
  const secrets: Record<string, string> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const database = await freshDatabase();
    await seedSmall(database);
    stack = await startStack({ namespace: 'll-auth', database, queues: [] });
    server = await startApi(stack);
    api = server.url;
    const tokens = tokensRepository(database);
    const make = async (key: string, name: string, role: TokenRole, scopes: string[] | null = null) => {
      const { token, secret } = await createToken(tokens, { name, role, scopes, createdBy: 'test' });
      secrets[key] = secret;
      return token;
    };
    for (const role of TOKEN_ROLES) await make(role, `${role} token`, role);
    // Admin role, so only the scope decides; limited to another scope than the one requests touch.
    await make('limited', 'west admin', 'admin', ['electronics/west', 'toys/*']);
    await make('groupLimited', 'electronics admin', 'admin', ['electronics/*']);
    const revoked = await make('revoked', 'revoked admin', 'admin');
    await tokens.revoke(revoked.id);
    const expired = await make('expired', 'expired admin', 'admin');
    await database.sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${expired.id}`;
    secrets.unknown = `ll_00000000_${'A'.repeat(43)}`;
    ids.victimToken = String((await make('victim', 'to be revoked', 'viewer')).id);

    // One plan and one reorder of the scope, so routes by id have something in SCOPE to point at.
    const [set] = await database.sql<{ id: number }[]>`
      insert into forecast_sets (scope_id, run_id, horizon, start_week, method) values (${SCOPE}, 'test', 26, '2027-01-04', 'test') returning id`;
    // Owned by a workflow that does not run, so decisions answer 409 at once instead of waiting on one.
    const plan = await plansRepository(database).create({ scopeId: SCOPE, runId: `replan/${SCOPE}/auth-test-owner`, forecastSetId: set.id, method: 'greedy', objective: 1, gap: null, summary: {}, diff: null, items: [] });
    ids.plan = String(plan.id);
    const [candidate] = await database.sql<{ id: string }[]>`select id from candidates where scope_id = ${SCOPE} order by id limit 1`;
    ids.candidate = candidate.id;
    const [reorder] = await database.sql<{ id: number }[]>`
      insert into purchase_orders (scope_id, candidate_id, order_week, arrival_week, quantity) values (${SCOPE}, ${candidate.id}, '2027-01-04', '2027-01-11', 10) returning id`;
    ids.reorder = String(reorder.id);
  });
  afterAll(async () => {
    await server?.close();
    await stack?.close();
    await stack?.database.close();
  });

  /** A concrete request for a policy line, touching SCOPE. */
  function requestFor(p: RoutePolicy): { method: string; path: string; body?: unknown } {
    const [method, pattern] = p.route.split(' ');
    const idFor = pattern.startsWith('/reorders') ? ids.reorder : pattern.startsWith('/tokens') ? ids.victimToken : ids.plan;
    let path = pattern
      .replace(':group/:region', SCOPE)
      .replace(':candidateId', ids.candidate)
      .replace(':name', 'app.js')
      .replace(':id', idFor)
      .replace('/runs/*id', `/runs/replan/${SCOPE}/auth-test`)
      .replace('/schedules/*id', `/schedules/retrain-schedule/${SCOPE}`)
      .replace(/\*\w+/, 'x');
    if (p.scope === 'query') path += `?scope=${SCOPE}`;
    const body = method === 'GET' || method === 'DELETE' ? undefined : p.scope === 'body' ? { scopeId: SCOPE, every: '7d' } : {};
    return { method, path, body };
  }

  async function call(method: string, path: string, o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers },
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    const text = await res.text();
    let json: { error?: { code: string; message: string } } & Record<string, unknown> = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      // The page and its assets answer HTML or JavaScript.
    }
    return { status: res.status, headers: res.headers, body: json };
  }

  it('lists every route the app registers in the policy table', () => {
    const app = createApp({ database: stack.database, client: stack.client, logger: quiet });
    const listed = new Set(ROUTE_POLICY.map((p) => p.route));
    const registered = registeredRoutes(app);
    expect(registered.length).toBeGreaterThan(15);
    expect(registered.filter((r) => !listed.has(r))).toEqual([]);
  });

  it('walks every route with every role: below the route role 403 naming both roles, at or above it never 401/403', async () => {
    const failures: string[] = [];
    for (const p of ROUTE_POLICY) {
      const req = requestFor(p);
      for (const role of TOKEN_ROLES) {
        const r = await call(req.method, req.path, { token: secrets[role], body: req.body });
        const allowed = p.role === 'public' || roleAtLeast(role, p.role);
        if (allowed && (r.status === 401 || r.status === 403)) failures.push(`${p.route} as ${role}: ${r.status} ${r.body.error?.message}`);
        if (!allowed) {
          if (r.status !== 403 || r.body.error?.code !== 'auth.forbidden') failures.push(`${p.route} as ${role}: expected 403 auth.forbidden, got ${r.status} ${r.body.error?.code}`);
          else if (!r.body.error.message.includes(`needs the ${p.role} role`) || !r.body.error.message.includes(`has the ${role} role`)) failures.push(`${p.route} as ${role}: message "${r.body.error.message}"`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers every protected route 401 without a usable token (none, revoked, expired, unknown) and opens the public ones', async () => {
    const failures: string[] = [];
    for (const p of ROUTE_POLICY) {
      const req = requestFor(p);
      for (const who of ['none', 'revoked', 'expired', 'unknown'] as const) {
        const r = await call(req.method, req.path, { token: who === 'none' ? undefined : secrets[who], body: req.body });
        if (p.role === 'public') {
          if (r.status === 401 || r.status === 403) failures.push(`public ${p.route} as ${who}: ${r.status}`);
          continue;
        }
        const code = who === 'none' ? 'auth.missing_token' : 'auth.invalid_token';
        if (r.status !== 401 || r.body.error?.code !== code) failures.push(`${p.route} as ${who}: expected 401 ${code}, got ${r.status} ${r.body.error?.code}`);
        else if (!r.headers.get('www-authenticate')?.startsWith('Bearer realm="launchloop"')) failures.push(`${p.route} as ${who}: WWW-Authenticate ${r.headers.get('www-authenticate')}`);
      }
    }
    expect(failures).toEqual([]);
    const revoked = await call('GET', '/scopes', { token: secrets.revoked });
    expect(revoked.body.error?.message).toMatch(/"revoked admin"\) was revoked at/);
    const expired = await call('GET', '/scopes', { token: secrets.expired });
    expect(expired.body.error?.message).toMatch(/"expired admin"\) expired at/);
    expect((await call('GET', '/scopes', { headers: { authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' } })).body.error?.code).toBe('auth.invalid_token');
  });

  it('keeps a scope-limited token to its scopes on every route that touches one', async () => {
    const failures: string[] = [];
    for (const p of ROUTE_POLICY.filter((r) => r.role !== 'public')) {
      const req = requestFor(p);
      const outside = await call(req.method, req.path, { token: secrets.limited, body: req.body });
      const inside = await call(req.method, req.path, { token: secrets.groupLimited, body: req.body });
      const blockedOutside = p.scope !== 'none';
      if (blockedOutside && (outside.status !== 403 || !outside.body.error?.message.includes('limited to electronics/west, toys/*')))
        failures.push(`${p.route} outside the token's scopes: ${outside.status} ${outside.body.error?.message}`);
      if (!blockedOutside && (outside.status === 401 || outside.status === 403)) failures.push(`${p.route} (no scope) as a limited token: ${outside.status}`);
      const blockedInside = p.scope === 'all';
      if (blockedInside !== (inside.status === 403)) failures.push(`${p.route} inside the token's scopes: ${inside.status} ${inside.body.error?.message}`);
    }
    expect(failures).toEqual([]);
    // A list without ?scope= would read every scope.
    const unfiltered = await call('GET', '/plans', { token: secrets.groupLimited });
    expect(unfiltered.status).toBe(403);
    expect(unfiltered.body.error?.message).toMatch(/needs \?scope=/);
  });

  it('lets an admin create, list and revoke tokens over the API; the secret is shown once and works at once', async () => {
    const created = await call('POST', '/tokens', { token: secrets.admin, body: { name: 'ana', role: 'merchandiser', scopes: ['electronics/*'], expiresInDays: 30 } });
    expect(created.status).toBe(201);
    const { token, secret } = created.body as unknown as { token: { id: number; createdBy: string; expiresAt: string; scopes: string[] }; secret: string };
    expect(token).toMatchObject({ createdBy: 'admin token', scopes: ['electronics/*'] });
    expect(new Date(token.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect((await call('GET', `/plans?scope=${SCOPE}`, { token: secret })).status).toBe(200);
    expect((await call('PUT', `/scopes/${SCOPE}/rules`, { token: secret, body: {} })).status).toBe(403);

    const list = await call('GET', '/tokens', { token: secrets.admin });
    const text = JSON.stringify(list.body);
    expect(text).toContain('"name":"ana"');
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/secretHash|secret_hash/);

    const bad = await call('POST', '/tokens', { token: secrets.admin, body: { name: 'x', role: 'owner', scopes: ['Electronics'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/role/);
    expect(bad.body.error?.message).toMatch(/"Electronics"/);

    expect((await call('DELETE', `/tokens/${token.id}`, { token: secrets.admin })).status).toBe(204);
    const after = await call('GET', `/plans?scope=${SCOPE}`, { token: secret });
    expect(after.status).toBe(401);
    expect(after.body.error?.code).toBe('auth.invalid_token');
    expect((await call('DELETE', '/tokens/999999', { token: secrets.admin })).status).toBe(404);
  });

  it('answers a mistyped path 404 route.not_found for every signed-in role, and 401 without a token', async () => {
    for (const role of TOKEN_ROLES) {
      const res = await fetch(`${api}/nosuch/thing`, { headers: { authorization: `Bearer ${secrets[role]}` } });
      expect(res.status, role).toBe(404);
      expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: 'route.not_found', message: 'no route for GET /nosuch/thing' });
    }
    expect((await fetch(`${api}/nosuch/thing`)).status).toBe(401);
  });

  it('tells the page who is signed in', async () => {
    const me = await call('GET', '/auth/me', { token: secrets.groupLimited });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: 'electronics admin', role: 'admin', scopes: ['electronics/*'] });
    expect((await call('GET', '/auth/me', { token: secrets.viewer })).body).toMatchObject({ name: 'viewer token', role: 'viewer', scopes: null });
  });

  it('records who called: the last use of a token', async () => {
    await call('GET', '/scopes', { token: secrets.planner });
    const [row] = await stack.database.sql<{ last_used_at: Date | null }[]>`select last_used_at from api_tokens where name = 'planner token'`;
    expect(row.last_used_at).not.toBeNull();
  });

  it('answers a text/plain POST (the cross-site form) with 415 before anything runs', async () => {
    const res = await fetch(`${api}/scopes/${SCOPE}/runs`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${secrets.admin}` }, body: '{}' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('request.unsupported_media_type');
  });

  it('sends security headers: CSP at self, nosniff, no framing, no x-powered-by', async () => {
    const r = await call('GET', '/health');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('x-powered-by')).toBeNull();
    expect(r.headers.get('strict-transport-security')).toBeNull();
  });

  /** A second app on the same stack with its own security options. */
  async function withApp<T>(security: SecurityOptions, fn: (url: string) => Promise<T>): Promise<T> {
    const app = createApp({ database: stack.database, client: stack.client, logger: quiet, security });
    const s = app.listen(0, '127.0.0.1');
    await new Promise((r) => s.once('listening', r));
    try {
      return await fn(`http://127.0.0.1:${(s.address() as { port: number }).port}`);
    } finally {
      await new Promise((r) => s.close(r));
    }
  }

  it('allows browser calls only from CORS_ORIGINS (none by default)', async () => {
    const preflight = (url: string, origin: string) =>
      fetch(`${url}/plans/1/approve`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    const byDefault = await preflight(api, 'https://evil.example');
    expect(byDefault.headers.get('access-control-allow-origin')).toBeNull();
    await withApp({ corsOrigins: ['https://plans.example.com'], tokenRequestsPerMinute: 1000, anonymousRequestsPerMinute: 1000 }, async (url) => {
      const ok = await preflight(url, 'https://plans.example.com');
      expect(ok.status).toBe(204);
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://plans.example.com');
      expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      const other = await preflight(url, 'https://evil.example');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const get = await fetch(`${url}/scopes`, { headers: { origin: 'https://plans.example.com', authorization: `Bearer ${secrets.viewer}` } });
      expect(get.headers.get('access-control-allow-origin')).toBe('https://plans.example.com');
    });
  });

  it('limits requests per token and per address without a token: 429 with Retry-After', async () => {
    await withApp({ corsOrigins: [], tokenRequestsPerMinute: 3, anonymousRequestsPerMinute: 2 }, async (url) => {
      const get = (token?: string) => fetch(`${url}/scopes`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(secrets.viewer)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await get(secrets.viewer);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'request.rate_limited', message: expect.stringContaining('"viewer token"') });
      // Another token has its own budget.
      expect((await get(secrets.planner)).status).toBe(200);
      const anonymous = [];
      for (let i = 0; i < 3; i++) anonymous.push((await get()).status);
      expect(anonymous).toEqual([401, 401, 429]);
      // Public routes are not counted.
      expect((await fetch(`${url}/health`)).status).not.toBe(429);
    });
  });

  /** What a CLI command printed. */
  async function printed(fn: () => Promise<void>): Promise<string> {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((t: unknown) => void lines.push(String(t)));
    try {
      await fn();
    } finally {
      spy.mockRestore();
    }
    return lines.join('\n');
  }

  it('launchloop tokens create|list|revoke work on the database, and the printed secret signs in', async () => {
    const url = (stack.database as unknown as { url: string }).url;
    const out = await printed(() => tokensCommand(['create', '--name', 'cli viewer', '--role', 'viewer', '--scopes', 'electronics/*', '--expires-days', '7', '--database-url', url]));
    const secret = /(ll_[0-9a-f]{8}_[A-Za-z0-9_-]{43})/.exec(out)?.[1];
    expect(secret, out).toBeDefined();
    expect(out).toContain(`/#token=<secret>`);
    expect((await call('GET', `/plans?scope=${SCOPE}`, { token: secret })).status).toBe(200);
    const list = await printed(() => tokensCommand(['list', '--database-url', url]));
    const line = list.split('\n').find((l) => l.includes('cli viewer'))!;
    expect(line).toMatch(/viewer\s+electronics\/\*\s+active/);
    expect(list).not.toContain(secret);
    const id = line.trim().split(/\s+/)[0];
    expect(await printed(() => tokensCommand(['revoke', id, '--database-url', url]))).toMatch(new RegExp(`token ${id} "cli viewer" revoked at`));
    expect((await call('GET', `/plans?scope=${SCOPE}`, { token: secret })).status).toBe(401);
    await expect(tokensCommand(['create', '--name', 'x', '--role', 'owner', '--database-url', url])).rejects.toThrow(/--role must be one of viewer, merchandiser, planner, admin/);
    await expect(tokensCommand(['create', '--name', 'x', '--role', 'viewer', '--scopes', 'electronics', '--database-url', url])).rejects.toThrow(/--scopes: .*"electronics"/);
    await expect(tokensCommand(['list', '--role', 'viewer', '--database-url', url])).rejects.toThrow(/--role is a flag of tokens create/);
  });

  it('a first API start with no admin token creates one and prints it once; LAUNCHLOOP_ADMIN_TOKEN is stored instead when set', async () => {
    const database = await freshDatabase();
    try {
      const tokens = tokensRepository(database);
      const lines: string[] = [];
      await ensureAdminToken(tokens, {}, (l) => lines.push(l), 'http://127.0.0.1:3000');
      const secret = /(ll_[0-9a-f]{8}_[A-Za-z0-9_-]{43})/.exec(lines.join('\n'))?.[1];
      expect(secret).toBeDefined();
      expect(lines.join('\n')).toContain(`http://127.0.0.1:3000/#token=${secret}`);
      const again: string[] = [];
      await ensureAdminToken(tokens, {}, (l) => again.push(l), 'http://127.0.0.1:3000');
      expect(again).toEqual([]);
      expect((await tokens.list()).map((t) => t.role)).toEqual(['admin']);

      const fromEnv = 'x'.repeat(48);
      await ensureAdminToken(tokens, { LAUNCHLOOP_ADMIN_TOKEN: fromEnv }, () => undefined, 'http://127.0.0.1:3000');
      await ensureAdminToken(tokens, { LAUNCHLOOP_ADMIN_TOKEN: fromEnv }, () => undefined, 'http://127.0.0.1:3000');
      expect((await tokens.list()).map((t) => [t.name, t.prefix])).toEqual([
        ['admin (first start)', secret!.slice(3, 11)],
        ['admin (LAUNCHLOOP_ADMIN_TOKEN)', 'custom'],
      ]);
    } finally {
      await database.close();
    }
  });
});

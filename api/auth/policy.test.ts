import { describe, expect, it } from 'vitest';
import { matchPolicy, ROUTE_POLICY } from './policy.js';
import { TOKEN_ROLES } from './tokens.js';

describe('the route policy table', () => {
  it('has one line per route, each METHOD /path with a known role and scope source', () => {
    const routes = ROUTE_POLICY.map((p) => p.route);
    expect(routes.filter((r, i) => routes.indexOf(r) !== i)).toEqual([]);
    for (const p of ROUTE_POLICY) {
      expect(p.route).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/[^\s]*$/);
      expect(['public', ...TOKEN_ROLES]).toContain(p.role);
      expect(['path', 'query', 'body', 'plan', 'reorder', 'run', 'schedule', 'none', 'all']).toContain(p.scope);
      if (p.scope === 'path') expect(p.route).toMatch(/:group\/:region/);
    }
  });

  it('keeps the token routes admin-only and state changes above viewer', () => {
    for (const p of ROUTE_POLICY.filter((r) => r.route.includes('/tokens'))) expect(p).toMatchObject({ role: 'admin', scope: 'all' });
    for (const p of ROUTE_POLICY.filter((r) => !r.route.startsWith('GET '))) expect(['public', 'viewer']).not.toContain(p.role);
  });

  it('matches requests the way Express routes them, with their parameters', () => {
    expect(matchPolicy('GET', '/plans/12')).toMatchObject({ policy: { route: 'GET /plans/:id' }, params: { id: '12' } });
    expect(matchPolicy('POST', '/plans/12/approve')?.policy.role).toBe('merchandiser');
    expect(matchPolicy('GET', '/runs/loop/electronics/east')).toMatchObject({ policy: { route: 'GET /runs/*id' }, params: { id: ['loop', 'electronics', 'east'] } });
    expect(matchPolicy('PUT', '/scopes/electronics/east/rules')).toMatchObject({ policy: { role: 'planner' }, params: { group: 'electronics', region: 'east' } });
    expect(matchPolicy('HEAD', '/health')?.policy.role).toBe('public');
    expect(matchPolicy('GET', '/plans/12/')?.policy.route).toBe('GET /plans/:id');
    expect(matchPolicy('GET', '/PLANS/12')?.policy.route).toBe('GET /plans/:id');
    expect(matchPolicy('GET', '/')?.policy.role).toBe('public');
    expect(matchPolicy('DELETE', '/schedules/retrain-schedule/electronics/east')).toMatchObject({ params: { id: ['retrain-schedule', 'electronics', 'east'] } });
  });

  it('prefers a literal line to a parameter line', () => {
    expect(matchPolicy('POST', '/schedules/retrain')?.policy.route).toBe('POST /schedules/retrain');
  });

  it('lists no unknown route, method or shape (those need admin)', () => {
    expect(matchPolicy('GET', '/runs')?.policy.route).toBe('GET /runs');
    expect(matchPolicy('GET', '/runs/')?.policy.route).toBe('GET /runs');
    expect(matchPolicy('DELETE', '/plans/1')).toBeUndefined();
    expect(matchPolicy('GET', '/plans/1/approve')).toBeUndefined();
    expect(matchPolicy('GET', '/admin')).toBeUndefined();
    expect(matchPolicy('GET', '/plans/%E0%A4%A')).toBeUndefined();
  });
});

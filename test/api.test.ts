import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, seedSmall, startStack, startApi, type Stack } from './helpers.js';

/** Bad requests over HTTP: clear 4xx answers that name the problem, never a stack trace. */
describe('API input validation', () => {
  let stack: Stack;
  let server: Awaited<ReturnType<typeof startApi>>;
  let api: string;

  beforeAll(async () => {
    const database = await freshDatabase();
    await seedSmall(database);
    stack = await startStack({ namespace: 'll-api', database, queues: [] });
    server = await startApi(stack);
    api = server.url;
  });
  afterAll(async () => {
    await server?.close();
    await stack?.close();
    await stack?.database.close();
  });

  const call = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api}${path}`, { method, headers: { 'content-type': 'application/json', ...server.auth, ...headers }, body });
    const text = await res.text();
    expect(text).not.toMatch(/\n\s+at /); // no stack traces, ever
    return { status: res.status, body: text ? (JSON.parse(text) as { error?: { code: string; message: string } } & Record<string, unknown>) : {} };
  };

  it('answers malformed JSON with 400 request.invalid_json', async () => {
    const r = await call('POST', '/plans/1/approve', '{"by": ');
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('request.invalid_json');
  });

  it('names every invalid rule field and keeps the stored rules', async () => {
    const before = await call('GET', '/scopes/electronics/east/rules');
    const r = await call('PUT', '/scopes/electronics/east/rules', JSON.stringify({ maxLaunchesPerWeek: 0, cadence: [{ category: 'phones', maxLaunches: 2 }], typo: true }));
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toMatch(/maxLaunchesPerWeek/);
    expect(r.body.error?.message).toMatch(/cadence\.0\.windowWeeks/);
    expect(r.body.error?.message).toMatch(/typo/);
    const after = await call('GET', '/scopes/electronics/east/rules');
    expect(after.body).toEqual(before.body);
  });

  it('rejects cadence rules for categories outside the scope', async () => {
    const r = await call('PUT', '/scopes/electronics/east/rules', JSON.stringify({ cadence: [{ category: 'furniture', maxLaunches: 1, windowWeeks: 4 }] }));
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toMatch(/furniture/);
  });

  it('stores valid rules and serves them with defaults filled in', async () => {
    const r = await call('PUT', '/scopes/electronics/east/rules', JSON.stringify({ maxLaunchesPerWeek: 2, monthlyBudget: 250000 }));
    expect(r.status).toBe(200);
    const got = await call('GET', '/scopes/electronics/east/rules');
    expect(got.body).toMatchObject({ rules: { maxLaunchesPerWeek: 2, monthlyBudget: 250000, coverageWeeks: 13 } });
  });

  it('requires a well-formed Idempotency-Key and a reason for a replan', async () => {
    const noKey = await call('POST', '/scopes/electronics/east/replans', JSON.stringify({ reason: 'promo', requestedBy: 'ana' }));
    expect(noKey.status).toBe(400);
    expect(noKey.body.error?.message).toMatch(/Idempotency-Key/);
    const badBody = await call('POST', '/scopes/electronics/east/replans', JSON.stringify({ requestedBy: 'ana' }), { 'Idempotency-Key': 'abcdefgh-1' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.error?.message).toMatch(/reason/);
    let replans = 0;
    for await (const _ of stack.client.workflow.list({ query: `WorkflowType = 'replanWorkflow'` })) replans++;
    expect(replans).toBe(0);
  });

  it('answers unknown scopes, plans, runs and routes with 404 and a code', async () => {
    expect((await call('POST', '/scopes/nowhere/east/replans', JSON.stringify({ reason: 'x y z', requestedBy: 'a' }), { 'Idempotency-Key': 'abcdefgh-2' })).status).toBe(404);
    const plan = await call('GET', '/plans/999999');
    expect(plan.status).toBe(404);
    expect(plan.body.error?.code).toBe('plans.not_found');
    expect((await call('GET', '/plans/abc')).status).toBe(400);
    // Only decimal ids: "0x1" is not plan 1; past the serial range a plan cannot exist.
    expect((await call('GET', '/plans/0x1')).status).toBe(400);
    expect((await call('GET', '/plans/1e3')).status).toBe(400);
    const huge = await call('GET', '/plans/2147483648');
    expect([huge.status, huge.body.error?.code]).toEqual([404, 'plans.not_found']);
    expect((await call('GET', '/runs/loop/nowhere/east')).body.error?.code).toBe('runs.not_found');
    expect((await call('GET', '/nope')).body.error?.code).toBe('route.not_found');
  });

  it('refuses sales feedback through a week that is not a real Monday', async () => {
    for (const [throughWeek, why] of [['2026-13-45', 'not a calendar date'], ['2026-12-08', 'must be a Monday']]) {
      const r = await call('POST', '/scopes/electronics/east/sales-feedback', JSON.stringify({ throughWeek }));
      expect(r.status).toBe(400);
      expect(r.body.error?.message).toContain(why);
    }
  });

  it('refuses rules that name promotions or candidates the scope does not have', async () => {
    const before = await call('GET', '/scopes/electronics/east/rules');
    const r = await call('PUT', '/scopes/electronics/east/rules', JSON.stringify({ promotionRides: [{ promotion: 'no-such-sale', candidateIds: ['NOPE-1'] }] }));
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toContain('no-such-sale');
    expect(r.body.error?.message).toContain('NOPE-1');
    expect((await call('GET', '/scopes/electronics/east/rules')).body).toEqual(before.body);
  });

  it('validates retraining schedules', async () => {
    const both = await call('POST', '/schedules/retrain', JSON.stringify({ scopeId: 'electronics/east', cron: '0 3 * * 1', every: '7d' }));
    expect(both.status).toBe(400);
    const badCron = await call('POST', '/schedules/retrain', JSON.stringify({ scopeId: 'electronics/east', cron: 'not a cron' }));
    expect(badCron.status).toBe(400);
    expect(badCron.body.error?.message).toContain('not a cron expression');
    const zero = await call('POST', '/schedules/retrain', JSON.stringify({ scopeId: 'electronics/east', every: '0m' }));
    expect(zero.status).toBe(400);
    expect(zero.body.error?.message).toContain('longer than zero');
    const ok = await call('POST', '/schedules/retrain', JSON.stringify({ scopeId: 'electronics/east', every: '7d' }));
    expect(ok.status).toBe(201);
    const dup = await call('POST', '/schedules/retrain', JSON.stringify({ scopeId: 'electronics/east', every: '7d' }));
    expect(dup.status).toBe(409);
    const del = await fetch(`${api}/schedules/retrain-schedule/electronics/east`, { method: 'DELETE', headers: server.auth });
    expect(del.status).toBe(204);
  });
});

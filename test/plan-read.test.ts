/**
 * The plan page's reads over HTTP on a stored plan (bench/plan-fixture.ts, no loop run): a plan's
 * items with expected sales (capped by stock) beside uncapped demand, one item's weekly launch
 * curve against its observed sales, and paging through the lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURVE_WEEKS, FIXTURE_SCOPE, fixtureCurve, fixtureOpeningQty, seedPlan } from '../bench/plan-fixture.js';
import { plansRepository } from '../db/repositories/plans.repository.js';
import { runsRepository } from '../db/repositories/runs.repository.js';
import { addWeeks } from '../engine/calendar/index.js';
import { itemForecastResponse, pageOf, planRow, planView, runRow, scopeRow } from '../api/schemas.js';
import { freshDatabase, startApi, startStack, type Stack } from './helpers.js';

const ITEMS = 12;

describe('plan reads', () => {
  let stack: Stack;
  let server: Awaited<ReturnType<typeof startApi>>;
  let fixture: Awaited<ReturnType<typeof seedPlan>>;

  beforeAll(async () => {
    const database = await freshDatabase();
    fixture = await seedPlan(database, { items: ITEMS });
    // No workers: these routes only read Postgres.
    stack = await startStack({ namespace: 'll-api', database, queues: [] });
    server = await startApi(stack);
  });
  afterAll(async () => {
    await server?.close();
    await stack?.close();
    await stack?.database.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: server.auth });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string } } };
  };

  const sum = (k: number, field: 'mean' | 'lo80' | 'hi80') => fixtureCurve(k).reduce((a, p) => a + p[field], 0);

  it('serves each item with expected sales capped by its opening quantity and its uncapped demand over the launch curve', async () => {
    const { status, body } = await get(`/plans/${fixture.planId}`);
    expect(status).toBe(200);
    const items = body.items as Array<{
      candidateId: string;
      name: string;
      openingQty: number;
      expectedUnits: { mean: number; lo: number; hi: number; level: number };
      demand: { mean: number; lo80: number; hi80: number; weeks: number } | null;
    }>;
    expect(items).toHaveLength(ITEMS);
    // The answer is what the OpenAPI document says, key for key.
    expect(planView.strict().parse(body)).toEqual(body);
    expect(body).toMatchObject({ id: fixture.planId, scopeId: FIXTURE_SCOPE, status: 'published', forecastSetId: fixture.forecastSetId });
    for (const item of items) {
      const k = fixture.candidateIds.indexOf(item.candidateId);
      expect(item.name).toEqual(expect.any(String));
      expect(item.openingQty).toBe(fixtureOpeningQty(k));
      expect(item.expectedUnits.hi).toBeLessThanOrEqual(item.openingQty);
      expect(item.expectedUnits.level).toBe(80);
      expect(item.demand?.weeks).toBe(CURVE_WEEKS);
      expect(item.demand?.mean).toBeCloseTo(sum(k, 'mean'), 6);
      expect(item.demand?.lo80).toBeCloseTo(sum(k, 'lo80'), 6);
      expect(item.demand?.hi80).toBeCloseTo(sum(k, 'hi80'), 6);
    }
  });

  it("serves one item's weekly demand from its launch week and its observed sales in the scope's region", async () => {
    const k = 3;
    const candidateId = fixture.candidateIds[k];
    const plan = (await get(`/plans/${fixture.planId}`)).body as { items: Array<{ candidateId: string; launchWeek: string; openingQty: number }> };
    const item = plan.items.find((i) => i.candidateId === candidateId)!;

    const before = await get(`/plans/${fixture.planId}/items/${candidateId}/forecast`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ planId: fixture.planId, candidateId, launchWeek: item.launchWeek, openingQty: item.openingQty, sales: [] });
    const demand = before.body.demand as Array<{ week: string; step: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }>;
    expect(demand.map((d) => d.step)).toEqual(fixtureCurve(k).map((p) => p.step));
    expect(demand.map((d) => d.week)).toEqual(fixtureCurve(k).map((p) => addWeeks(item.launchWeek, p.step - 1)));
    demand.forEach((d, i) => {
      const p = fixtureCurve(k)[i];
      for (const f of ['mean', 'lo80', 'hi80', 'lo95', 'hi95'] as const) expect(d[f]).toBeCloseTo(p[f], 9);
    });

    // Once the item sells: its weeks in the scope's region, in order; another region's are not its.
    const week2 = addWeeks(item.launchWeek, 1);
    await stack.database.sql`
      insert into sales (sku, region, week, units, price, promo, stockout) values
        (${candidateId}, 'east', ${week2}, 7, 10, false, true),
        (${candidateId}, 'east', ${item.launchWeek}, 12, 10, false, false),
        (${candidateId}, 'west', ${item.launchWeek}, 99, 10, false, false)`;
    const after = await get(`/plans/${fixture.planId}/items/${candidateId}/forecast`);
    expect(itemForecastResponse.strict().parse(after.body)).toEqual(after.body);
    expect(after.body.sales).toEqual([
      { week: item.launchWeek, units: 12, stockout: false },
      { week: week2, units: 7, stockout: true },
    ]);
  });

  it('answers an unknown plan, an item the plan does not have and a malformed plan id with their codes', async () => {
    const missingPlan = await get(`/plans/999999/items/${fixture.candidateIds[0]}/forecast`);
    expect([missingPlan.status, missingPlan.body.error?.code]).toEqual([404, 'plans.not_found']);
    const missingItem = await get(`/plans/${fixture.planId}/items/no-such-candidate/forecast`);
    expect([missingItem.status, missingItem.body.error?.code]).toEqual([404, 'plans.item_not_found']);
    expect(missingItem.body.error?.message).toMatch(/no-such-candidate/);
    expect((await get(`/plans/0x1/items/${fixture.candidateIds[0]}/forecast`)).status).toBe(400);
  });
  /** Every item of a list, following nextCursor with the given page size; also the pages seen. */
  const walk = async (path: string, limit: number) => {
    const items: Array<Record<string, unknown>> = [];
    let pages = 0;
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const { status, body } = await get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(status).toBe(200);
      expect(Object.keys(body).sort()).toEqual(['items', 'nextCursor']);
      const page = body as unknown as { items: Array<Record<string, unknown>>; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { items, pages };
  };

  it('pages through plans, runs and scopes with limit and cursor, each row once, in the order of one big page', async () => {
    const plans = plansRepository(stack.database);
    const [first] = (await get(`/plans/${fixture.planId}`)).body.items as Array<{ candidateId: string; launchWeek: string }>;
    const item = { candidateId: first.candidateId, launchWeek: first.launchWeek, openingQty: 1, expectedUnits: 1, unitsLo: 0, unitsHi: 1, expectedMargin: 1, rationale: [], fixed: false };
    for (let i = 0; i < 4; i++)
      await plans.create({ scopeId: FIXTURE_SCOPE, parentPlanId: fixture.planId, runId: `fixture/replan-${i}`, forecastSetId: fixture.forecastSetId, method: 'fixture', objective: i, gap: null, summary: {}, diff: null, items: [item] });
    const runs = runsRepository(stack.database);
    for (let i = 0; i < 5; i++) await runs.started({ workflowId: `replan/${FIXTURE_SCOPE}/key-${i}`, scopeId: FIXTURE_SCOPE, kind: 'replan', trigger: 'api' });

    for (const [path, key] of [['/plans', 'id'], [`/plans?scope=${encodeURIComponent(FIXTURE_SCOPE)}&status=draft`, 'id'], ['/runs', 'workflowId'], ['/scopes', 'id']] as const) {
      const all = await walk(path, 200);
      const row = path.startsWith('/plans') ? planRow : path === '/runs' ? runRow : scopeRow;
      expect(pageOf(row.strict()).parse({ items: all.items, nextCursor: null }).items).toEqual(all.items);
      expect(all.pages).toBe(1);
      expect(all.items.length).toBeGreaterThanOrEqual(path.includes('draft') ? 4 : 2);
      const paged = await walk(path, 2);
      expect(paged.pages).toBe(Math.ceil(all.items.length / 2));
      expect(paged.items.map((r) => r[key])).toEqual(all.items.map((r) => r[key]));
    }
    expect((await get('/plans?limit=50')).body.nextCursor).toBeNull();
  });

  it('answers a bad limit or a cursor it did not give out with 400', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=x', 'cursor=%21%21', `cursor=${Buffer.from('[1]').toString('base64url')}`]) {
      for (const list of ['/plans', '/runs', '/scopes']) {
        const r = await get(`${list}?${q}`);
        expect([list, q, r.status, r.body.error?.code]).toEqual([list, q, 400, 'request.invalid']);
      }
    }
  });
});

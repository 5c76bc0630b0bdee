/**
 * Launch audiences through the loop on real data: the real-shop fixture (a slice of the UCI
 * giftware shop) with its customers' real orders (test/fixtures/real-shop-customers, from
 * audience-dev) is imported, the loop forecasts and scores each candidate's audience with the
 * forecast set, and the API serves it per plan item (JSON and CSV) to the roles that may read it.
 *
 * With ../shared/data/audience-dev present, the whole development set (188k orders of 2,979
 * customers, 201 candidates) also goes through the import and the audience activity on Postgres,
 * and the stored audiences are scored against its truth (printed; the engine's own numbers are
 * in engine/audience/README.md).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudienceActivities } from '../activities/audience.activities.js';
import type { AudienceStageResult } from '../activities/types.js';
import { createToken } from '../api/auth/tokens.js';
import { loopStatusQuery } from '../contracts/workflows.js';
import { convertAudienceDev } from '../data/import/convert-audience.js';
import { importCsvFiles, importCsvTexts } from '../data/import/importer.js';
import { FILE_NAMES } from '../data/import/write.js';
import { audiencesRepository } from '../db/repositories/audiences.repository.js';
import { forecastsRepository } from '../db/repositories/forecasts.repository.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { audienceMetrics, buildAudiences, type TruthRow } from '../engine/audience/index.js';
import { startLoop } from '../services/workflow-starts.js';
import { freshDatabase, freshDatabases, startApi, startStack, waitFor, type Stack } from './helpers.js';

const SCOPE = 'giftware/uk';
const SHOP = join(import.meta.dirname, 'fixtures', 'real-shop');
const ORDERS = join(import.meta.dirname, 'fixtures', 'real-shop-customers', FILE_NAMES.customerOrders);

describe('launch audiences in the loop (real-shop fixture with its customers)', () => {
  let stack: Stack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let planId: number;
  let forecastSetId: number;
  let items: string[];

  beforeAll(async () => {
    const database = await freshDatabase();
    const files = Object.fromEntries((['scopes', 'products', 'candidates', 'sales'] as const).map((k) => [k, join(SHOP, FILE_NAMES[k])]));
    await importCsvFiles(database, { ...files, customerOrders: ORDERS });
    // Short training keeps the test quick, as in test/real-shop.test.ts.
    await database.sql`update scopes set rules = rules || ${JSON.stringify({ coldStart: { epochs: 4, checkpointEvery: 1 } })}::jsonb where id = ${SCOPE}`;
    stack = await startStack({ namespace: 'll-audiences', database });
    api = await startApi(stack);
    const handle = await startLoop(stack.client, { scopeId: SCOPE, trigger: 'test', maxIterations: 1, feedbackInterval: '1 hour' });
    const status = await waitFor(
      'a plan awaiting approval',
      async () => {
        const s = await handle.query(loopStatusQuery);
        if (s.lastError) throw new Error(s.lastError);
        return s.stage === 'awaiting-approval' ? s : undefined;
      },
      300_000,
    );
    planId = status.pendingPlanId!;
    const [plan] = await database.sql<{ forecastSetId: number }[]>`select forecast_set_id as "forecastSetId" from plans where id = ${planId}`;
    forecastSetId = plan.forecastSetId;
    items = (await database.sql<{ id: string }[]>`select candidate_id as id from plan_items where plan_id = ${planId} order by candidate_id`).map((r) => r.id);
  }, 600_000);

  afterAll(async () => {
    await api?.close();
    await stack?.close();
    await stack?.database.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${api.url}${path}`, { headers: { ...api.auth, ...headers } });

  it('scores every candidate of the scope after the forecast and stores its audience with the set', async () => {
    const sql = stack.database.sql;
    const [set] = await sql<{ summary: { audiences?: AudienceStageResult } }[]>`select summary from forecast_sets where id = ${forecastSetId}`;
    const [{ candidates, customers }] = await sql<{ candidates: number; customers: number }[]>`
      select (select count(*)::int from candidates where scope_id = ${SCOPE}) as candidates, (select count(*)::int from customers) as customers`;
    expect(set.summary.audiences).toMatchObject({ skipped: false, candidates, customers });
    expect(set.summary.audiences!.summary).toMatch(/^audiences: \d+ candidates scored against \d+ customers/);
    const stored = await sql<{ candidateId: string; size: number; members: number; ranks: number }[]>`
      select a.candidate_id as "candidateId", a.audience_size as size, count(m.rank)::int as members, max(m.rank)::int as ranks
        from candidate_audiences a left join audience_members m using (set_id, candidate_id)
       where a.set_id = ${forecastSetId} group by a.candidate_id, a.audience_size`;
    expect(stored).toHaveLength(candidates);
    for (const s of stored) expect(s).toMatchObject({ size: 500, members: 500, ranks: 500 });
    // The forecast run's record carries the stage's summary line.
    const [run] = await sql<{ workflowId: string; detail: { audiences?: string } }[]>`
      select workflow_id as "workflowId", detail from runs where kind = 'forecast' and scope_id = ${SCOPE} order by started_at desc limit 1`;
    expect(run.detail.audiences).toBe(set.summary.audiences!.summary);
    // The history of a forecast with the audience stage, for workflows/replay.test.ts.
    if (process.env.UPDATE_HISTORIES) {
      const history = await stack.client.workflow.getHandle(run.workflowId).fetchHistory();
      mkdirSync('workflows/__histories__', { recursive: true });
      writeFileSync(`workflows/__histories__/${run.workflowId.replaceAll('/', '~')}.binpb`, temporal.api.history.v1.History.encode(history as never).finish());
    }
  });

  it('carries each launch’s audience size, expected buyers and top segments in the plan', async () => {
    const res = await get(`/plans/${planId}`);
    expect(res.status).toBe(200);
    const plan = (await res.json()) as { items: Array<{ candidateId: string; audience: { size: number; expectedBuyers: number; topSegments: Array<{ key: string; share: number }> } | null }> };
    expect(plan.items.length).toBeGreaterThan(0);
    for (const item of plan.items) {
      expect(item.audience).toMatchObject({ size: 500, expectedBuyers: expect.any(Number) });
      expect(item.audience!.expectedBuyers).toBeGreaterThan(0);
      expect(item.audience!.topSegments.length).toBeGreaterThan(0);
      expect(item.audience!.topSegments.length).toBeLessThanOrEqual(3);
      const shares = item.audience!.topSegments.map((s) => s.share);
      expect([...shares].sort((a, b) => b - a)).toEqual(shares);
    }
  });

  it('serves an item’s ranked customers with region and the demand shares as JSON', async () => {
    const candidate = items[0];
    const res = await get(`/plans/${planId}/items/${encodeURIComponent(candidate)}/audience?limit=20`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      planId: number;
      candidateId: string;
      size: number;
      byRegion: Array<{ key: string; share: number }>;
      bySegment: Array<{ key: string; share: number }>;
      customers: Array<{ rank: number; customerId: string; score: number; region: string }>;
    };
    expect(body).toMatchObject({ planId, candidateId: candidate, forecastSetId, size: 500 });
    expect(body.customers.map((c) => c.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (let i = 1; i < body.customers.length; i++) expect(body.customers[i - 1].score).toBeGreaterThanOrEqual(body.customers[i].score);
    // Regions are the customers' usual countries in the real orders.
    const [{ region }] = await stack.database.sql<{ region: string }[]>`select region from customers where id = ${body.customers[0].customerId}`;
    expect(body.customers[0].region).toBe(region);
    expect(body.byRegion.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 6);
    expect(body.byRegion.map((r) => r.key)).toContain('United Kingdom');
    expect(body.bySegment.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 6);
    // The default limit is 100.
    const all = (await (await get(`/plans/${planId}/items/${encodeURIComponent(candidate)}/audience`)).json()) as { customers: unknown[] };
    expect(all.customers).toHaveLength(100);
  });

  it('exports the audience as CSV for a campaign tool (Accept: text/csv or ?format=csv)', async () => {
    const candidate = items[0];
    const viaAccept = await get(`/plans/${planId}/items/${encodeURIComponent(candidate)}/audience`, { accept: 'text/csv' });
    expect(viaAccept.status).toBe(200);
    expect(viaAccept.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(viaAccept.headers.get('content-disposition')).toMatch(/attachment; filename="audience-plan-\d+-.+\.csv"/);
    const lines = (await viaAccept.text()).trim().split('\n');
    expect(lines[0]).toBe('customer_id,score,rank,region');
    // Every stored customer unless a limit says fewer.
    expect(lines).toHaveLength(501);
    const json = (await (await get(`/plans/${planId}/items/${encodeURIComponent(candidate)}/audience?limit=5`)).json()) as {
      customers: Array<{ rank: number; customerId: string; score: number; region: string }>;
    };
    const viaQuery = await get(`/plans/${planId}/items/${encodeURIComponent(candidate)}/audience?format=csv&limit=5`);
    const csv = (await viaQuery.text()).trim().split('\n');
    expect(csv.slice(1)).toEqual(json.customers.map((c) => `${c.customerId},${c.score.toFixed(6)},${c.rank},${c.region}`));
    expect(lines.slice(1, 6)).toEqual(csv.slice(1));
  });

  it('answers 404 for an unknown plan or candidate and 400 for a bad limit or format', async () => {
    const unknown = await get(`/plans/${planId}/items/NO-SUCH-ITEM/audience`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'plans.item_not_found' } });
    const noPlan = await get(`/plans/999999/items/${encodeURIComponent(items[0])}/audience`);
    expect(noPlan.status).toBe(404);
    expect(await noPlan.json()).toMatchObject({ error: { code: 'plans.not_found' } });
    for (const limit of ['0', '501', 'abc', '2.5']) {
      const bad = await get(`/plans/${planId}/items/${encodeURIComponent(items[0])}/audience?limit=${limit}`);
      expect(bad.status, `limit=${limit}`).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'request.invalid' } });
    }
    expect((await get(`/plans/${planId}/items/${encodeURIComponent(items[0])}/audience?format=xml`)).status).toBe(400);
  });

  it('is readable by a viewer, and by a scope-limited token only inside its scopes', async () => {
    const tokens = tokensRepository(stack.database);
    const path = `/plans/${planId}/items/${encodeURIComponent(items[0])}/audience`;
    const as = async (role: 'viewer', scopes?: string[]) => {
      const { secret } = await createToken(tokens, { name: `audience ${role} ${scopes?.join(',') ?? 'all'}`, role, createdBy: 'test', ...(scopes ? { scopes } : {}) });
      return fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${secret}` } });
    };
    expect((await as('viewer')).status).toBe(200);
    expect((await as('viewer', ['giftware/*'])).status).toBe(200);
    expect((await as('viewer', ['electronics/east'])).status).toBe(403);
    expect((await fetch(`${api.url}${path}`)).status).toBe(401);
  });
});

const DEV = join(import.meta.dirname, '..', '..', 'shared', 'data', 'audience-dev');

describe.skipIf(!existsSync(join(DEV, 'au-dev-orders.csv')))('the whole audience-dev set through the import and the audience activity', () => {
  const fresh = freshDatabases();

  it('imports 188k real orders and stores audiences that score like the engine on the same files', async () => {
    const database = await fresh();
    const read = (f: string) => readFileSync(join(DEV, f), 'utf8');
    const converted = convertAudienceDev({ orders: read('au-dev-orders.csv'), items: read('au-dev-items.csv'), candidates: read('au-dev-candidates.csv') });
    const importStarted = performance.now();
    const result = await importCsvTexts(database, {
      scopes: { file: 'scopes.csv', text: converted.scopes! },
      products: { file: 'products.csv', text: converted.products! },
      candidates: { file: 'candidates.csv', text: converted.candidates! },
      customerOrders: { file: 'customer_orders.csv', text: converted.customerOrders },
    });
    const importMs = performance.now() - importStarted;
    expect(result.inserted).toMatchObject({ customerOrders: converted.counts.orders, customers: 2979, candidates: 201 });
    const [set] = await database.sql<{ id: number }[]>`insert into forecast_sets (scope_id, run_id, horizon, start_week, method) values ('giftware/uk', 'test', 26, '2010-07-05', 'test') returning id`;

    const scoreStarted = performance.now();
    const activity = createAudienceActivities({ audiences: audiencesRepository(database), forecasts: forecastsRepository(database), score: async (input) => buildAudiences(input) });
    const stage = (await new MockActivityEnvironment().run(activity.scoreLaunchAudiences, { forecastSetId: set.id })) as AudienceStageResult;
    const scoreMs = performance.now() - scoreStarted;
    expect(stage).toMatchObject({ skipped: false, candidates: 201, customers: 2979, orders: converted.counts.orders });

    const predictions = await database.sql<{ itemId: string; customerId: string; score: number }[]>`
      select candidate_id as "itemId", customer_id as "customerId", score from audience_members where set_id = ${set.id} and rank <= 50`;
    const truth: TruthRow[] = read('au-dev-truth.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const [itemId, customerId, units] = l.split(',');
        return { itemId, customerId, units: Number(units) };
      });
    const known = new Set((await database.sql<{ id: string }[]>`select id from customers`).map((r) => r.id));
    const m = audienceMetrics({ predictions: [...predictions], truth, known, candidates: converted.candidates!.trim().split('\n').slice(1).map((l) => l.split(',')[0]), k: 50 });
    console.log(
      `audience-dev through Postgres: import ${(importMs / 1000).toFixed(1)} s (${converted.counts.orders} orders), activity ${(scoreMs / 1000).toFixed(1)} s; ` +
        `K=50 recall ${m.recall.toFixed(3)} precision ${m.precision.toFixed(3)} NDCG ${m.ndcg.toFixed(3)} unit recall ${m.unitRecall.toFixed(3)} coverage ${m.coverage.toFixed(3)}`,
    );
    expect(m.coverage).toBe(1);
    // Well above popularity (0.081 recall): the stored audiences are the model's, not a fallback.
    expect(m.recall).toBeGreaterThan(0.12);
  }, 300_000);
});

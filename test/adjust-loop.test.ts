import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { workflowIds } from '../contracts/ids.js';
import { loopStatusQuery, type LoopStatus } from '../contracts/workflows.js';
import { planInputsRepository } from '../db/repositories/plan-inputs.repository.js';
import { addWeeks } from '../engine/calendar/index.js';
import { startLoop } from '../services/workflow-starts.js';
import { freshDatabase, seedSmall, startApi, startStack, waitFor, type Stack } from './helpers.js';

// The adjust stage through the real loop: sales feedback → launched item's curve updated →
// reorder stored (and approved over HTTP) → a repeated batch changes nothing → a tracking signal
// beyond the limit replans the candidates not yet launched early, with the reason in the plan.
// Its own scope (west) so its recorded histories sit beside loop.test.ts's under their own names.

const SCOPE = 'electronics/west';

describe('the adjust stage on a real Temporal server and Postgres', () => {
  let stack: Stack;
  let api: Awaited<ReturnType<typeof startApi>>;
  const loop = () => stack.client.workflow.getHandle(workflowIds.loop(SCOPE));
  const status = () => loop().query(loopStatusQuery);
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json', ...api.auth }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const signalSales = async (throughWeek: string) => expect((await call('POST', `/scopes/${SCOPE}/sales-feedback`, { throughWeek })).status).toBe(202);
  const until = (what: string, ok: (s: LoopStatus) => boolean) =>
    waitFor(what, async () => {
      const s = await status();
      return ok(s) ? s : undefined;
    });

  let publishedPlanId: number;
  let item: { candidateId: string; launchWeek: string; openingQty: number; leadTimeWeeks: number; mean: number[] };

  beforeAll(async () => {
    const database = await freshDatabase();
    // Every reorder waits for approval, so one can be approved over HTTP.
    await seedSmall(database, { reorderApprovalLimit: 0 });
    stack = await startStack({ namespace: 'll-adjust', database });
    api = await startApi(stack);
  });

  afterAll(async () => {
    await api?.close();
    await stack?.close();
    await stack?.database.close();
  });

  it('publishes a first plan and monitors sales', async () => {
    await startLoop(stack.client, { scopeId: SCOPE, trigger: 'test', maxIterations: 1, feedbackInterval: '1 hour' });
    const draft = await until('a plan awaiting approval', (s) => {
      if (s.lastError) throw new Error(s.lastError);
      return s.stage === 'awaiting-approval';
    });
    expect((await call('POST', `/plans/${draft.pendingPlanId}/approve`, { note: 'go' })).status).toBe(200);
    await until('monitoring', (s) => s.stage === 'monitoring');
    publishedPlanId = draft.pendingPlanId!;

    // The launch to follow: the planned item with the most expected units whose reorders can arrive within its 13-week season.
    const [row] = await stack.database.sql<{ candidateId: string; launchWeek: string; openingQty: number; leadTimeWeeks: number; mean: number[] }[]>`
      select i.candidate_id as "candidateId", i.launch_week::text as "launchWeek", i.opening_qty as "openingQty", c.lead_time_weeks as "leadTimeWeeks",
             (select array_agg(fp.mean order by fp.step) from forecast_points fp join plans p on p.id = i.plan_id
               where fp.set_id = p.forecast_set_id and fp.series_key = i.candidate_id and fp.step >= 1) as mean
        from plan_items i join candidates c on c.id = i.candidate_id
       where i.plan_id = ${publishedPlanId} and c.lead_time_weeks <= 8 and i.opening_qty > 0
       order by i.expected_units desc limit 1`;
    expect(row).toBeDefined();
    item = row;
  });

  /** Sales rows of the followed item for weeks-after-launch `from`.. (units per week, sold-out flags). */
  const sell = async (from: number, units: number[], stockout: boolean[] = []) => {
    for (const [k, u] of units.entries())
      await stack.database.sql`insert into sales (sku, region, week, units, price, stockout)
        values (${item.candidateId}, 'west', ${addWeeks(item.launchWeek, from + k)}, ${u}, 100, ${stockout[k] ?? false})`;
  };
  const orders = () =>
    stack.database.sql<{ id: number; orderWeek: string; quantity: number; status: string; planId: number }[]>`
      select id, order_week::text as "orderWeek", quantity, status, plan_id as "planId" from purchase_orders order by id`;
  const planCount = async () => (await stack.database.sql<{ n: number }[]>`select count(*)::int as n from plans where scope_id = ${SCOPE}`)[0].n;
  const curveSets = () => stack.database.sql<{ id: number }[]>`select id from forecast_sets where scope_id = ${SCOPE} and method = 'curve-update' order by id`;

  it('sales feedback updates the launched item\'s curve and stores a reorder for the week after the batch, without a replan', async () => {
    // Two weeks sell the whole opening order, the second sold out: demand was at least that.
    const first = Math.max(1, Math.ceil(item.openingQty * 0.6));
    await sell(0, [first, item.openingQty - first], [false, true]);
    const plansBefore = await planCount();
    const through = addWeeks(item.launchWeek, 1);
    await signalSales(through);
    const s = await until('the adjust of the first batch', (x) => x.lastAdjust?.throughWeek === through && x.stage === 'monitoring');

    expect(s.lastAdjust).toMatchObject({ orderWeek: addWeeks(through, 1), launchedItems: 1, curvesUpdated: 1, earlyReplan: false, maxTrackingSignalItem: item.candidateId });
    expect(s.lastAdjust!.reordersCreated).toBe(1);
    expect(s.lastAdjust!.reordersPending).toBe(1);
    const [launched] = await stack.database.sql<{ launchedWeek: string; committedQty: number }[]>`
      select launched_week::text as "launchedWeek", committed_qty as "committedQty" from candidates where id = ${item.candidateId}`;
    expect(launched).toEqual({ launchedWeek: item.launchWeek, committedQty: item.openingQty });

    // The updated curve: stored with its level, above the launch curve after two weeks that sold out the opening.
    const [curve] = await stack.database.sql<{ params: { level: number; observedWeeks: number }; mean: number[] }[]>`
      select s.params, array_agg(p.mean order by p.step) as mean from forecast_series s join forecast_points p using (set_id, series_key)
       where s.set_id = ${s.lastAdjust!.curveSetId!} and s.series_key = ${item.candidateId} and s.kind = 'launched' group by s.params`;
    expect(curve.params.observedWeeks).toBe(2);
    expect(curve.params.level).toBeGreaterThan(1);
    expect(curve.mean).toHaveLength(item.mean.length);
    expect(curve.mean[2]).toBeGreaterThan(item.mean[2]);

    const [order] = await orders();
    expect(order).toMatchObject({ orderWeek: addWeeks(through, 1), status: 'pending', planId: publishedPlanId });
    expect(order.quantity).toBeGreaterThan(0);
    expect(await planCount()).toBe(plansBefore);
  });

  it('the same sales batch sent twice changes nothing; a batch whose tracking signal is beyond the limit replans early with the reason in the plan', async () => {
    const before = { orders: await orders(), plans: await planCount(), curves: await curveSets() };
    await signalSales(addWeeks(item.launchWeek, 1));
    // Four more weeks, each well above the launch curve: six errors of one sign, signal 6 > 4.
    await sell(2, [2, 3, 4, 5].map((h) => Math.ceil(3 * (item.mean[h] ?? 1)) + 5));
    const through = addWeeks(item.launchWeek, 5);
    await signalSales(through);
    const s = await until('the early replan', (x) => x.stage === 'awaiting-approval' && x.pendingPlanId !== undefined && x.pendingPlanId !== publishedPlanId);

    // The repeated batch (handled before this one) added no order, no curve set and no plan: only this batch's.
    const after = await orders();
    expect(after.slice(0, before.orders.length)).toEqual(before.orders);
    expect((await curveSets()).length).toBe(before.curves.length + 1);
    expect(await planCount()).toBe(before.plans + 1);

    expect(s.lastAdjust).toMatchObject({ throughWeek: through, earlyReplan: true, maxTrackingSignalItem: item.candidateId });
    expect(s.lastAdjust!.maxTrackingSignal).toBeGreaterThan(4);
    const [plan] = await stack.database.sql<{ parentPlanId: number; summary: { reason: string }; diff: unknown; runId: string }[]>`
      select parent_plan_id as "parentPlanId", summary, diff, run_id as "runId" from plans where id = ${s.pendingPlanId!}`;
    expect(plan.parentPlanId).toBe(publishedPlanId);
    expect(plan.runId).toBe(workflowIds.loop(SCOPE));
    expect(plan.summary.reason).toMatch(new RegExp(`adjust: sales observed through ${through}; early replan: tracking signal beyond ±4 .*${item.candidateId} \\+\\d`));
    expect(plan.diff).toBeTruthy();

    // The launched item stays in the replan, fixed at its launch week and committed quantity,
    // planned on the curve the adjust stage updated (sales ~3× the launch curve: more of the
    // fixed quantity is expected to sell), so the diff does not drop it.
    const changes = (plan.diff as { changes: Array<{ candidateId: string; kind: string; why?: string }> }).changes;
    expect(changes.filter((c) => c.candidateId === item.candidateId)).toEqual([]);
    const planItem = (planId: number) =>
      stack.database.sql<{ launchWeek: string; openingQty: number; fixed: boolean; expectedUnits: number }[]>`
        select launch_week::text as "launchWeek", opening_qty as "openingQty", fixed, expected_units as "expectedUnits"
          from plan_items where plan_id = ${planId} and candidate_id = ${item.candidateId}`;
    const [kept] = await planItem(s.pendingPlanId!);
    const [planned] = await planItem(publishedPlanId);
    expect(kept).toMatchObject({ launchWeek: item.launchWeek, openingQty: item.openingQty, fixed: true });
    expect(kept.expectedUnits).toBeGreaterThan(planned.expectedUnits);
  });

  it('a pending reorder is listed, approved over HTTP once, and its decision recorded', async () => {
    const list = await call('GET', `/scopes/${SCOPE}/reorders?status=pending&planId=${publishedPlanId}`);
    expect(list.status).toBe(200);
    const { items: reorders, nextCursor } = (await list.json()) as { items: Array<{ id: number; candidateId: string; status: string }>; nextCursor: string | null };
    expect(nextCursor).toBeNull();
    expect(reorders.length).toBeGreaterThanOrEqual(1);
    expect(reorders.every((r) => r.status === 'pending' && r.candidateId === item.candidateId)).toBe(true);

    const id = reorders[0].id;
    const ok = await call('POST', `/reorders/${id}/approve`, { note: 'supplier confirmed' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id, status: 'published', decidedBy: 'test admin', decisionNote: 'supplier confirmed' });
    expect((await call('POST', `/reorders/${id}/reject`, {})).status).toBe(409);
    expect((await call('POST', '/reorders/999999/approve', {})).status).toBe(404);
    expect((await call('GET', `/scopes/${SCOPE}/reorders?status=nope`)).status).toBe(400);
    // Pages of one: every order of the scope exactly once, latest order week first.
    const seen: Array<{ id: number; orderWeek: string }> = [];
    for (let cursor: string | null = '', pages = 0; cursor !== null && pages < 20; pages++) {
      const page = (await (await call('GET', `/scopes/${SCOPE}/reorders?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { items: Array<{ id: number; orderWeek: string }>; nextCursor: string | null };
      seen.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(seen.map((o) => o.id).sort()).toEqual((await orders()).map((o) => o.id).sort());
    expect(seen.map((o) => o.orderWeek)).toEqual([...seen.map((o) => o.orderWeek)].sort().reverse());
    const one = (await (await call('GET', `/reorders/${id}`)).json()) as { status: string; decidedAt: string | null };
    expect(one.status).toBe('published');
    expect(one.decidedAt).not.toBeNull();
  });

  it('approving the early replan ends the cycle (maxIterations 1)', async () => {
    const s = await status();
    expect((await call('POST', `/plans/${s.pendingPlanId}/approve`, {})).status).toBe(200);
    expect(await loop().result()).toMatchObject({ stage: 'done', publishedPlanId: s.pendingPlanId });
  });

  it('the loop and plan histories replay against the current workflow code (and refresh their replay fixtures on request)', async () => {
    const { Connection, Client } = await import('@temporalio/client');
    const { Worker } = await import('@temporalio/worker');
    const { writeFileSync } = await import('node:fs');
    const { workflowBundle } = await import('../workers/workflow-worker.js');
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const client = new Client({ connection, namespace: 'll-adjust' });
    const histories: Array<{ workflowId: string; history: unknown }> = [];
    for await (const wf of client.workflow.list())
      if (/^(loop|plan)\//.test(wf.workflowId)) histories.push({ workflowId: wf.workflowId, history: await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory() });
    expect(histories.map((h) => h.workflowId).sort()).toEqual([workflowIds.loop(SCOPE), workflowIds.plan(SCOPE, 'cycle-1'), workflowIds.plan(SCOPE, 'cycle-1-adjust')].sort());
    for await (const r of Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories as never)) expect(r.error, `replay of ${r.workflowId}`).toBeUndefined();
    if (process.env.UPDATE_HISTORIES) {
      const { temporal: proto } = await import('@temporalio/proto');
      for (const h of histories) writeFileSync(`workflows/__histories__/${h.workflowId.replaceAll('/', '~')}.binpb`, proto.api.history.v1.History.encode(h.history as never).finish());
    }
    await connection.close();
  });
  it("plans a launched item on its newest updated curve, else on the curve of the published plan it was in", async () => {
    // The early replan's forecast set has no curve of its own for the launched item.
    const [{ setId }] = await stack.database.sql<{ setId: number }[]>`
      select forecast_set_id as "setId" from plans where scope_id = ${SCOPE} and status = 'published'`;
    const curveOf = async () => (await planInputsRepository(stack.database).curves(setId)).find((c) => c.seriesKey === item.candidateId);
    const [newest] = await stack.database.sql<{ mean: number[] }[]>`
      select array_agg(p.mean order by p.step) as mean from forecast_sets f join forecast_points p on p.set_id = f.id
       where f.scope_id = ${SCOPE} and f.method = 'curve-update' and p.series_key = ${item.candidateId}
       group by f.id, f.start_week order by f.start_week desc, f.id desc limit 1`;
    expect(await curveOf()).toMatchObject({ refWeek: item.launchWeek, mean: newest.mean });
    // Without the adjust stage's curves: the launch curve the first published plan was planned on.
    await stack.database.sql`delete from forecast_sets where scope_id = ${SCOPE} and method = 'curve-update'`;
    const planned = await curveOf();
    expect(planned?.mean).toEqual(item.mean);
    expect(planned?.refWeek).not.toBeNull();
  });
});

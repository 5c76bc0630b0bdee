import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIds } from '../contracts/ids.js';
import { loopStatusQuery } from '../contracts/workflows.js';
import { startLoop } from '../services/workflow-starts.js';
import { freshDatabase, seedSmall, startStack, startApi, waitFor, type Stack } from './helpers.js';

const SCOPE = 'electronics/east';

describe('the planning loop on a real Temporal server and Postgres', () => {
  let stack: Stack;
  let server: Awaited<ReturnType<typeof startApi>>;
  let api: string;

  beforeAll(async () => {
    const database = await freshDatabase();
    await seedSmall(database);
    stack = await startStack({ namespace: 'll-loop', database });
    server = await startApi(stack);
    api = server.url;
  });

  afterAll(async () => {
    await server?.close();
    await stack?.close();
    await stack?.database.close();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${api}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...server.auth, ...headers }, body: JSON.stringify(body) });

  it('runs retrain → forecast → plan and persists a draft plan that awaits approval', async () => {
    const handle = await startLoop(stack.client, { scopeId: SCOPE, trigger: 'test', maxIterations: 1, feedbackInterval: '1 hour' });
    expect(handle.workflowId).toBe(workflowIds.loop(SCOPE));
    const status = await waitFor('a plan awaiting approval', async () => {
      const s = await handle.query(loopStatusQuery);
      if (s.lastError) throw new Error(s.lastError);
      return s.stage === 'awaiting-approval' ? s : undefined;
    });
    const [plan] = await stack.database.sql<{ id: number; status: string; run_id: string; items: number }[]>`
      select p.id, p.status, p.run_id, (select count(*)::int from plan_items i where i.plan_id = p.id) as items from plans p`;
    expect(plan.id).toBe(status.pendingPlanId);
    expect(plan.status).toBe('draft');
    expect(plan.run_id).toBe(handle.workflowId);
    expect(plan.items).toBeGreaterThan(0);

    // Every stage left its output in Postgres, keyed by ids the workflows passed around.
    const [counts] = await stack.database.sql<{ snapshots: number; models: number; points: number; runs: number }[]>`
      select (select count(*)::int from dataset_snapshots) as snapshots, (select count(*)::int from models where status = 'ready') as models,
             (select count(*)::int from forecast_points) as points, (select count(*)::int from runs where status = 'completed') as runs`;
    expect(counts.snapshots).toBeGreaterThanOrEqual(1);
    expect(counts.models).toBe(1);
    expect(counts.points).toBeGreaterThan(0);
    expect(counts.runs).toBeGreaterThanOrEqual(3); // retrain, forecast, plan children

    const res = await fetch(`${api}/plans/${plan.id}`, { headers: server.auth });
    const body = (await res.json()) as { items: Array<{ launchWeek: string; openingQty: number; expectedUnits: { mean: number; lo: number; hi: number }; rationale: string[] }> };
    expect(res.status).toBe(200);
    for (const item of body.items) {
      expect(item.launchWeek).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(item.openingQty).toBeGreaterThanOrEqual(0);
      expect(item.expectedUnits.lo).toBeLessThanOrEqual(item.expectedUnits.mean);
      expect(item.expectedUnits.hi).toBeGreaterThanOrEqual(item.expectedUnits.mean);
      expect(item.rationale.length).toBeGreaterThan(0);
    }
  });

  it('approving through the API publishes the plan', async () => {
    const [draft] = await stack.database.sql<{ id: number }[]>`select id from plans where status = 'draft'`;
    const bad = await post(`/plans/${draft.id}/approve`, { note: 5 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/note/);

    const res = await post(`/plans/${draft.id}/approve`, { by: 'merchandiser@test', note: 'looks right' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ planId: draft.id, status: 'published', decidedBy: 'test admin' });
    const [row] = await stack.database.sql<{ status: string; decided_by: string; published_at: string | null }[]>`select status, decided_by, published_at from plans where id = ${draft.id}`;
    expect(row).toMatchObject({ status: 'published', decided_by: 'test admin' }); // the token's name; the body's `by` is ignored
    expect(row.published_at).not.toBeNull();

    const again = await post(`/plans/${draft.id}/approve`, { by: 'someone-else' });
    expect(again.status).toBe(409);
    const loop = stack.client.workflow.getHandle(workflowIds.loop(SCOPE));
    await waitFor('the loop to monitor sales', async () => ((await loop.query(loopStatusQuery)).stage === 'monitoring' ? true : undefined));
  });

  it('a replan through the API with the same Idempotency-Key twice starts one workflow', async () => {
    const body = { reason: 'summer promotion moved forward', requestedBy: 'merchandiser@test' };
    const headers = { 'Idempotency-Key': 'promo-2027-06-replan' };
    const [first, second] = await Promise.all([post(`/scopes/${SCOPE}/replans`, body, headers), post(`/scopes/${SCOPE}/replans`, body, headers)]);
    expect([first.status, second.status].sort()).toEqual([200, 202]);
    const a = (await first.json()) as { workflowId: string; runId: string };
    const b = (await second.json()) as { workflowId: string; runId: string };
    expect(a).toEqual(b);
    const third = await post(`/scopes/${SCOPE}/replans`, body, headers);
    expect(third.status).toBe(200);
    expect(third.headers.get('idempotent-replay')).toBe('true');

    const reused = await post(`/scopes/${SCOPE}/replans`, { ...body, reason: 'something else entirely' }, headers);
    expect(reused.status).toBe(422);

    const missing = await post(`/scopes/${SCOPE}/replans`, body);
    expect(missing.status).toBe(400);

    let replans = 0;
    for await (const _ of stack.client.workflow.list({ query: `WorkflowType = 'replanWorkflow'` })) replans++;
    expect(replans).toBe(1);

    // The replan revises the published plan: it becomes v2 with v1 as parent, and a diff.
    const replan = stack.client.workflow.getHandle(a.workflowId);
    const planId = await waitFor('the replan draft', async () => {
      const [row] = await stack.database.sql<{ id: number; parent_plan_id: number | null; diff: unknown }[]>`
        select id, parent_plan_id, diff from plans where run_id = ${replan.workflowId}`;
      return row;
    });
    expect(planId.parent_plan_id).not.toBeNull();
    expect(planId.diff).toBeTruthy();
    const reject = await post(`/plans/${planId.id}/reject`, { by: 'merchandiser@test', note: 'keep the current plan' });
    expect(reject.status).toBe(200);
    expect(await replan.result()).toMatchObject({ stage: 'rejected', planId: planId.id });
  });

  it('sales feedback makes the loop adjust: a revised plan, approved, then the cycle ends', async () => {
    const loop = stack.client.workflow.getHandle(workflowIds.loop(SCOPE));
    const [published] = await stack.database.sql<{ id: number }[]>`select id from plans where status = 'published'`;
    const res = await post(`/scopes/${SCOPE}/sales-feedback`, { throughWeek: '2026-11-30' });
    expect(res.status).toBe(202);
    const status = await waitFor('the adjusted plan', async () => {
      const s = await loop.query(loopStatusQuery);
      return s.stage === 'awaiting-approval' && s.pendingPlanId !== published.id ? s : undefined;
    });
    expect(status.salesObservedThrough).toBe('2026-11-30');
    const [revised] = await stack.database.sql<{ parent_plan_id: number; summary: { reason: string } }[]>`
      select parent_plan_id, summary from plans where id = ${status.pendingPlanId!}`;
    expect(revised.parent_plan_id).toBe(published.id);
    expect(revised.summary.reason).toMatch(/adjust: sales observed through 2026-11-30/);
    expect((await post(`/plans/${status.pendingPlanId}/approve`, { by: 'merchandiser@test' })).status).toBe(200);
    // maxIterations 1: the cycle ends after the adjustment instead of continuing as new.
    expect(await loop.result()).toMatchObject({ stage: 'done', publishedPlanId: status.pendingPlanId });
    const [old] = await stack.database.sql<{ status: string }[]>`select status from plans where id = ${published.id}`;
    expect(old.status).toBe('superseded');
  });

  it('the GPU worker reports the TensorFlow.js backend it runs on', async () => {
    expect(stack.workers.backend?.name).toMatch(/^(tensorflow-gpu|tensorflow|wasm|cpu)$/);
    const res = await fetch(`${api}/health`);
    const health = (await res.json()) as { status: string; workers: Array<{ queue: string; backend: string }> };
    expect(res.status).toBe(200);
    expect(health.status).toBe('ok');
    expect(health.workers.find((w) => w.queue === 'launchloop-gpu')?.backend).toBe(stack.workers.backend?.name);
    const [model] = await stack.database.sql<{ backend: string }[]>`select backend from models limit 1`;
    expect(model.backend).toBe(`${stack.workers.backend?.name}/${stack.workers.backend?.lstmKernel.name}`);
  });
});

describe('workflow histories of this run', () => {
  it('replay deterministically against the current workflow code (and refresh the replay fixtures on request)', async () => {
    const { Connection, Client } = await import('@temporalio/client');
    const { Worker } = await import('@temporalio/worker');
    const { inject } = await import('vitest');
    const { writeFileSync, mkdirSync } = await import('node:fs');
    const { workflowBundle } = await import('../workers/workflow-worker.js');
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const client = new Client({ connection, namespace: 'll-loop' });
    const histories: Array<{ workflowId: string; history: unknown }> = [];
    for await (const wf of client.workflow.list()) {
      histories.push({ workflowId: wf.workflowId, history: await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory() });
    }
    expect(histories.map((h) => h.workflowId.split('/')[0]).sort()).toEqual(expect.arrayContaining(['forecast', 'loop', 'plan', 'replan', 'retrain']));
    const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle() }, histories as never);
    for await (const r of results) expect(r.error, `replay of ${r.workflowId}`).toBeUndefined();
    if (process.env.UPDATE_HISTORIES) {
      mkdirSync('workflows/__histories__', { recursive: true });
      // Binary protobuf: protobufjs's JSON extension does not load under vitest.
      const { temporal: proto } = await import('@temporalio/proto');
      for (const h of histories)
        writeFileSync(`workflows/__histories__/${h.workflowId.replaceAll('/', '~')}.binpb`, proto.api.history.v1.History.encode(h.history as never).finish());
    }
    await connection.close();
  });
});

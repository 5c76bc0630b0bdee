/**
 * Approving a stale draft over HTTP: the real API, the real replan workflow and its `decidePlan`
 * Update, the real plan decisions on Postgres; only forecasting and the solve are stubbed (they
 * would take minutes and decide nothing here). The Temporal server is a local one of the pinned
 * CLI, as in workflows-mocks.test.ts, so this file needs no namespace of the suite.
 */
import type { AddressInfo } from 'node:net';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanActivities } from '../activities/plan.activities.js';
import type { CpuActivities, GpuActivities } from '../activities/types.js';
import { createApp } from '../api/app.js';
import { workflowIds } from '../contracts/ids.js';
import { expiredNote } from '../contracts/loop-timing.js';
import { TASK_QUEUES } from '../contracts/queues.js';
import { RUN_KIND, SCOPE, STAGE, TRIGGER } from '../contracts/search-attributes.js';
import { decidePlanUpdate, replanStatusQuery, type ReplanStatus } from '../contracts/workflows.js';
import { createToken } from '../api/auth/tokens.js';
import type { Database } from '../db/client.js';
import { plansRepository } from '../db/repositories/plans.repository.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { ensureTemporalCli } from '../services/temporal-cli.js';
import { logger } from '../services/logger.js';
import { workflowBundle } from '../workers/workflow-worker.js';
import type { replanWorkflow } from '../workflows/index.js';
import { freshDatabases, waitFor } from './helpers.js';

const SCOPE_ID = 'phones/east';
const START = '2027-01-04';

describe('approving a stale draft', () => {
  const fresh = freshDatabases();
  let database: Database;
  let env: TestWorkflowEnvironment;
  let workers: Worker[] = [];
  let running: Promise<unknown>;
  let server: import('node:http').Server;
  let api: string;
  let auth: { authorization: string };

  beforeAll(async () => {
    database = await fresh();
    const { sql } = database;
    await sql`insert into scopes (id, region, categories) values (${SCOPE_ID}, 'east', ${['phones']})`;
    await sql`insert into candidates (id, scope_id, name, category, subcategory, brand, price, unit_cost, salvage_value, earliest_week, latest_week)
              values ('a', ${SCOPE_ID}, 'Phone a', 'phones', 'flagship', 'acme', 100, 55, 20, ${START}, '2027-06-28')`;
    const [set] = await sql<{ id: number }[]>`insert into forecast_sets (scope_id, run_id, horizon, start_week, method) values (${SCOPE_ID}, 'test', 26, ${START}, 'test') returning id`;
    const plans = plansRepository(database);

    // The decisions and the parent lookup are the real activities on Postgres.
    const real = createPlanActivities({ plans } as never); // publish, reject and latestPublished use only the plans repository
    const cpu: CpuActivities = {
      recordRunStarted: async () => undefined,
      recordRunFinished: async () => undefined,
      snapshotScope: async () => ({ snapshotId: 1, salesThrough: '2026-12-28', series: 1, candidates: 1 }),
      createForecastSet: async () => ({ forecastSetId: set.id, startWeek: START }),
      forecastScopeSeries: async () => ({ seriesForecast: 1, seriesFailed: 0, models: { ets: 1 } }),
      planForecastShards: async () => ({ shards: 1, series: 1 }),
      forecastSeriesShard: async (i) => ({ shard: i.shard, series: 1, forecast: 1, skipped: 0 }),
      summariseSeriesForecasts: async () => ({ seriesForecast: 1, seriesFailed: 0, models: { ets: 1 } }),
      // A one-item draft of the plan the workflow names as parent, stored as the real activity stores it.
      buildLaunchPlan: async (i) => {
        const item = { candidateId: 'a', launchWeek: '2027-01-18', openingQty: 40, expectedUnits: 30, unitsLo: 20, unitsHi: 40, expectedMargin: 500, rationale: ['test'], fixed: false };
        const created = await plans.create({ scopeId: i.scopeId, parentPlanId: i.parentPlanId, runId: i.runId, forecastSetId: i.forecastSetId, method: 'greedy', objective: 1, gap: null, summary: {}, diff: null, items: [item] });
        return { planId: created.id, version: created.version, method: 'greedy', objective: 1, items: 1, summary: `plan v${created.version}` };
      },
      publishPlan: real.publishPlan,
      rejectPlan: real.rejectPlan,
      latestPublishedPlan: real.latestPublishedPlan,
      scoreLaunchAudiences: async () => ({ skipped: true, candidates: 0, customers: 0, orders: 0, summary: 'audiences skipped: no customer orders' }),
      adjustLaunchedItems: async (i) => ({ throughWeek: i.throughWeek, orderWeek: i.throughWeek, launchedItems: 0, curvesUpdated: 0, curveSetId: null, reordersProposed: 0, reordersCreated: 0, reordersPending: 0, maxTrackingSignal: 0, maxTrackingSignalItem: null, trackingSignalLimit: 4, earlyReplan: false }),
    };
    const gpu: GpuActivities = {
      trainColdStartModel: async () => ({ modelId: 1, version: 1, promoted: true, championId: 1, metrics: {}, backend: 'stub' }),
      forecastCandidates: async () => ({ candidatesForecast: 1, method: 'lstm' }),
    };

    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: ensureTemporalCli() }, searchAttributes: [SCOPE, RUN_KIND, TRIGGER, STAGE] },
    });
    const connection = env.nativeConnection;
    const quiet = logger.child({}, { level: 'silent' });
    workers = await Promise.all([
      Worker.create({ connection, taskQueue: TASK_QUEUES.workflows, workflowBundle: await workflowBundle() }),
      Worker.create({ connection, taskQueue: TASK_QUEUES.cpu, activities: cpu }),
      Worker.create({ connection, taskQueue: TASK_QUEUES.gpu, activities: gpu }),
    ]);
    running = Promise.all(workers.map((w) => w.run()));

    server = createApp({ database, client: env.client, logger: quiet }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    auth = { authorization: `Bearer ${(await createToken(tokensRepository(database), { name: 'ana', role: 'merchandiser', createdBy: 'test' })).secret}` };

    // Plan v1, the scope's first, published.
    const first = await plans.create({ scopeId: SCOPE_ID, runId: 'loop/phones/east', forecastSetId: set.id, method: 'greedy', objective: 1, gap: null, summary: {}, diff: null, items: [] });
    expect(await plans.decide({ planId: first.id, to: 'published', by: 'ana' })).toBeNull();
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    for (const w of workers) w.shutdown();
    await running;
    await env?.teardown();
  });

  const decide = async (planId: number, approve: boolean) => {
    const res = await fetch(`${api}/plans/${planId}/${approve ? 'approve' : 'reject'}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({}),
    });
    return { status: res.status, body: (await res.json()) as { status?: string; error?: { code: string; message: string } } };
  };

  /** A replan (a draft of the currently published plan), waiting for its approval. */
  const replan = async (key: string, approvalTimeout?: string) => {
    const handle = await env.client.workflow.start<typeof replanWorkflow>('replanWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: workflowIds.replan(SCOPE_ID, key),
      args: [{ scopeId: SCOPE_ID, reason: key, requestedBy: 'ana', trigger: 'test', approvalTimeout }],
    });
    const s = await waitFor<ReplanStatus>(`${key} awaiting approval`, async () => {
      const q = await handle.query(replanStatusQuery);
      return q.stage === 'awaiting-approval' ? q : undefined;
    }, 60_000, 100);
    return { handle, planId: s.planId! };
  };
  const statuses = async () =>
    Object.fromEntries((await database.sql<{ id: number; status: string }[]>`select id, status from plans order by id`).map((r) => [r.id, r.status]));

  it('answers 409 plans.stale naming the newer plan, for the draft approved second and for the older one', async () => {
    const [older, b, c] = [await replan('k2'), await replan('k3'), await replan('k4')];

    expect(await decide(b.planId, true)).toEqual({ status: 200, body: expect.objectContaining({ status: 'published' }) });
    const staleC = await decide(c.planId, true);
    expect(staleC.status).toBe(409);
    expect(staleC.body.error?.code).toBe('plans.stale');
    expect(staleC.body.error?.message).toContain(`plan ${b.planId} (v3) is now published for ${SCOPE_ID}`);
    expect(staleC.body.error?.message).toContain(`POST /scopes/${SCOPE_ID}/replans`);
    expect((await decide(older.planId, true)).body.error?.code).toBe('plans.stale');
    expect(await statuses()).toMatchObject({ [older.planId]: 'draft', [b.planId]: 'published', [c.planId]: 'draft' });

    // The refused drafts are still pending in their workflows: a rejection goes through.
    expect(await decide(older.planId, false)).toEqual({ status: 200, body: expect.objectContaining({ status: 'rejected' }) });
    expect(await older.handle.result()).toMatchObject({ stage: 'rejected' });
    await decide(c.planId, false);
  });

  it('refuses a decidePlan Update that finds the draft stale at publish time, keeps the draft pending, then lets it expire', async () => {
    const current = await replan('k5');
    const late = await replan('k6', '20 seconds');
    expect((await decide(current.planId, true)).status).toBe(200);

    // Straight to the workflow, past the API's early check: the publish itself refuses.
    const err = await late.handle.executeUpdate(decidePlanUpdate, { args: [{ planId: late.planId, approve: true, by: 'ana' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (err as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'StalePlan' });
    expect(cause?.message).toContain(`plan ${current.planId}`);
    expect(await statuses()).toMatchObject({ [late.planId]: 'draft', [current.planId]: 'published' });

    // Still pending: a second approval is refused the same way, and the draft expires as any other.
    const again = await late.handle.executeUpdate(decidePlanUpdate, { args: [{ planId: late.planId, approve: true, by: 'bo' }] }).catch((e: unknown) => e);
    expect((again as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'StalePlan' });
    expect(await late.handle.result()).toMatchObject({ stage: 'rejected', planId: late.planId });
    const [row] = await database.sql<{ status: string; decisionNote: string }[]>`select status, decision_note as "decisionNote" from plans where id = ${late.planId}`;
    expect(row).toEqual({ status: 'rejected', decisionNote: expiredNote('20 seconds') });
  });

  it('publishes exactly one of two drafts of the published plan approved at the same moment', async () => {
    const [x, y] = [await replan('k7'), await replan('k8')];
    const answers = await Promise.all([decide(x.planId, true), decide(y.planId, true)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.error?.code).toBe('plans.stale');
    const [{ n }] = await database.sql<{ n: number }[]>`select count(*)::int as n from plans where scope_id = ${SCOPE_ID} and status = 'published'`;
    expect(n).toBe(1);
  });
});

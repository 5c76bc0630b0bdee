import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_QUEUES } from '../contracts/queues.js';
import { freshDatabase, seedSmall, startStack, type Stack } from './helpers.js';

describe('invalid data', () => {
  let stack: Stack;

  beforeAll(async () => {
    const database = await freshDatabase();
    await seedSmall(database);
    // One corrupt row: negative units for one product-week of the scope.
    await database.sql`
      update sales set units = -5 where (sku, region, week) in (
        select s.sku, s.region, s.week from sales s where s.region = 'east' order by s.sku, s.week limit 1)`;
    stack = await startStack({ namespace: 'll-invalid', database });
  });
  afterAll(async () => {
    await stack?.close();
    await stack?.database.close();
  });

  it('fails the activity once, non-retryably, with a message that names the bad rows', async () => {
    const handle = await stack.client.workflow.start('retrainWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: 'retrain/electronics/east/invalid-data-test',
      args: [{ scopeId: 'electronics/east', trigger: 'test' }],
    });
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const activity = (err as WorkflowFailedError).cause;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect((activity as ActivityFailure).activityType).toBe('snapshotScope');
    const app = (activity as ActivityFailure).cause;
    expect(app).toBeInstanceOf(ApplicationFailure);
    expect((app as ApplicationFailure).type).toBe('InvalidScopeData');
    expect((app as ApplicationFailure).nonRetryable).toBe(true);
    expect((app as ApplicationFailure).message).toMatch(/scope electronics\/east has invalid data: sales: units is negative .* in 1 row\(s\), e\.g\. sku \S+ week \d{4}-\d{2}-\d{2} units -5/);

    // One attempt only: retrying could not have fixed the data.
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'snapshotScope');
    const started = events.filter(
      (e) =>
        e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED &&
        String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId),
    );
    expect(started).toHaveLength(1);
    expect(started[0].activityTaskStartedEventAttributes?.attempt).toBe(1);

    // The runs table mirrors the failure for the API, and no snapshot was written.
    const [run] = await stack.database.sql<{ status: string; error: string }[]>`select status, error from runs where workflow_id = ${handle.workflowId}`;
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/units is negative/);
    const [{ n }] = await stack.database.sql<{ n: number }[]>`select count(*)::int as n from dataset_snapshots`;
    expect(n).toBe(0);
  });

  it('rejects a scope that does not exist with a NotFound failure', async () => {
    const handle = await stack.client.workflow.start('retrainWorkflow', {
      taskQueue: TASK_QUEUES.workflows,
      workflowId: 'retrain/nowhere/east/missing-scope-test',
      args: [{ scopeId: 'nowhere/east', trigger: 'test' }],
    });
    const err = (await handle.result().catch((e: unknown) => e)) as WorkflowFailedError;
    const app = (err.cause as ActivityFailure).cause as ApplicationFailure;
    expect(app.type).toBe('NotFound');
    expect(app.message).toMatch(/scope "nowhere\/east" does not exist/);
  });
});

/**
 * Forecast shards on the suite's real Temporal dev server and Postgres: a small scope forced
 * into shards of 5 series, shared by two CPU worker processes (one thread each, as production
 * runs them), stores exactly the forecast rows the one-activity path stores for the same
 * snapshot, each series once. `UPDATE_HISTORIES=1` records the sharded workflow's history as a
 * replay fixture (workflows/replay.test.ts), beside the older single-activity ones.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createForecastActivities, forecastActivityDeps } from '../activities/forecast.activities.js';
import { createSnapshotActivities } from '../activities/snapshot.activities.js';
import { TASK_QUEUES } from '../contracts/queues.js';
import type { ForecastInput, ForecastResult } from '../contracts/workflows.js';
import type { Database } from '../db/client.js';
import { ThreadPool } from '../services/thread-pool.js';
import { freshDatabase, seedSmall, startStack, waitFor, type Stack } from './helpers.js';

const SCOPE = 'electronics/east';
const NAMESPACE = 'll-shards';
const WORKFLOW_ID = `forecast/${SCOPE}/shards`;
const SERIES_PER_SHARD = 5;
const { EVENT_TYPE_ACTIVITY_TASK_STARTED, EVENT_TYPE_ACTIVITY_TASK_SCHEDULED } = temporal.api.enums.v1.EventType;

/** `launchloop worker --queue cpu` in its own process with one thread and one activity at a time. */
function cpuWorkerProcess(databaseUrl: string): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'worker', '--queue', 'cpu'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: NAMESPACE,
      LAUNCHLOOP_THREADS: '1',
      LAUNCHLOOP_CPU_CONCURRENCY: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (b: Buffer) => void (output = (output + b.toString('utf8')).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

/** A set's series and points as comparable rows (set id left out). */
async function setRows(database: Database, setId: number) {
  const series = await database.sql<{ seriesKey: string; kind: string; model: string; params: unknown; backtest: unknown; error: string | null }[]>`
    select series_key as "seriesKey", kind, model, params, backtest, error from forecast_series where set_id = ${setId} and kind = 'product' order by series_key`;
  const points = await database.sql<{ seriesKey: string; step: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }[]>`
    select p.series_key as "seriesKey", p.step, p.mean, p.lo_80 as "lo80", p.hi_80 as "hi80", p.lo_95 as "lo95", p.hi_95 as "hi95"
      from forecast_points p join forecast_series s using (set_id, series_key)
     where p.set_id = ${setId} and s.kind = 'product' order by p.series_key, p.step`;
  return { series: [...series], points: [...points] };
}

describe('forecast shards shared by two CPU worker processes', () => {
  let database: Database & { url: string };
  let stack: Stack;
  const workers: Array<ReturnType<typeof cpuWorkerProcess>> = [];

  beforeAll(async () => {
    database = await freshDatabase();
    await seedSmall(database);
    // The workflow worker and the GPU pool here; the CPU pool only in the two processes.
    stack = await startStack({ namespace: NAMESPACE, database, queues: ['workflows', 'gpu'] });
    workers.push(cpuWorkerProcess(database.url), cpuWorkerProcess(database.url));
    // Both processes polling the CPU queue before any shard is scheduled.
    await waitFor('two CPU workers polling', async () => {
      for (const w of workers) if (w.child.exitCode !== null) throw new Error(`CPU worker exited: ${w.output()}`);
      const { pollers } = await stack.client.workflowService.describeTaskQueue({
        namespace: NAMESPACE,
        taskQueue: { name: TASK_QUEUES.cpu },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      });
      const pids = new Set((pollers ?? []).map((p) => p.identity?.split('@')[0]));
      return workers.every((w) => pids.has(String(w.child.pid))) ? true : undefined;
    }, 120_000);
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => (w.child.exitCode === null ? new Promise((r) => w.child.once('exit', r)) : undefined)));
    await stack?.close();
    await database?.close();
  });

  it('stores exactly the rows of the one-activity path, each series once, shards taken by both workers', async () => {
    const { snapshotId, series: scopeSeries } = await createSnapshotActivities(database).snapshotScope({ scopeId: SCOPE });
    const input: ForecastInput = { scopeId: SCOPE, snapshotId, horizonWeeks: 13, trigger: 'test', seriesPerShard: SERIES_PER_SHARD };
    const handle = await stack.client.workflow.start('forecastWorkflow', { taskQueue: TASK_QUEUES.workflows, workflowId: WORKFLOW_ID, args: [input] });
    const result = (await handle.result()) as ForecastResult;
    expect(result).toMatchObject({ seriesForecast: scopeSeries, seriesFailed: 0 });

    // The history: one activity per shard, each started by one of the two processes, both busy.
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const shardEvents = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'forecastSeriesShard');
    const shards = Math.ceil(scopeSeries / SERIES_PER_SHARD);
    expect(shardEvents).toHaveLength(shards);
    const inputs = shardEvents.map((e) => JSON.parse(Buffer.from(e.activityTaskScheduledEventAttributes!.input!.payloads![0].data!).toString('utf8')) as Record<string, unknown>);
    expect(inputs.map((i) => i.shard).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: shards }, (_, k) => k));
    // Ids and shard numbers only: no series in the history.
    for (const i of inputs) expect(Object.keys(i).sort()).toEqual(['forecastSetId', 'shard', 'shards']);
    const scheduledIds = new Set(shardEvents.map((e) => String(e.eventId)));
    const starters = events
      .filter((e) => e.eventType === EVENT_TYPE_ACTIVITY_TASK_STARTED && scheduledIds.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)))
      .map((e) => e.activityTaskStartedEventAttributes?.identity?.split('@')[0]);
    expect(new Set(starters)).toEqual(new Set(workers.map((w) => String(w.child.pid))));
    expect(events.filter((e) => e.eventType === EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length).toBeGreaterThan(shards);

    // The same snapshot through the one-activity path, into a second set.
    const pool = new ThreadPool(1);
    try {
      const acts = createForecastActivities(forecastActivityDeps(database, pool));
      const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
      const { forecastSetId: referenceSetId } = await acts.createForecastSet({ scopeId: SCOPE, snapshotId, runId: 'unsharded', horizonWeeks: 13 });
      const reference = await env.run(acts.forecastScopeSeries, { forecastSetId: referenceSetId });
      expect(reference).toMatchObject({ seriesForecast: scopeSeries, seriesFailed: 0 });

      const sharded = await setRows(database, result.forecastSetId);
      const unsharded = await setRows(database, referenceSetId);
      expect(sharded.series).toHaveLength(scopeSeries);
      expect(sharded.points).toHaveLength(scopeSeries * 13);
      expect(sharded).toEqual(unsharded);
    } finally {
      await pool.close();
    }

    // Nothing twice (the keys forbid it; this checks no shard wrote under another key either).
    const [{ series, keys }] = await database.sql<{ series: number; keys: number }[]>`
      select count(*)::int as series, count(distinct series_key)::int as keys from forecast_series where set_id = ${result.forecastSetId} and kind = 'product'`;
    expect(series).toBe(keys);
    const [summary] = await database.sql<{ summary: { products: { ok: number } } }[]>`select summary from forecast_sets where id = ${result.forecastSetId}`;
    expect(summary.summary.products.ok).toBe(scopeSeries);

    if (process.env.UPDATE_HISTORIES) {
      mkdirSync('workflows/__histories__', { recursive: true });
      writeFileSync(`workflows/__histories__/${WORKFLOW_ID.replaceAll('/', '~')}.binpb`, temporal.api.history.v1.History.encode(history as never).finish());
    }
  });
});

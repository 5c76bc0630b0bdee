/**
 * The fault suite (issue 15 §7): one real loop cycle of a small scope per case, with one fault
 * injected while it runs: kill -9 of the CPU worker process mid-forecast, of the GPU worker
 * process mid-training, a Postgres crash and restart, a Temporal server crash and restart. Each
 * cycle must still reach its plan, publish it, and leave exactly one plan version, one forecast
 * set without a duplicated or missing point, one model, and a `runs` table that says what
 * Temporal says.
 *
 * Everything is loopback and owned by this file: its own Temporal dev server for the worker and
 * Postgres cases (one namespace each), another one it can crash for the Temporal case, and its
 * own Postgres for the Postgres case. The cases run concurrently: most of their time is waiting
 * for the server to notice a dead worker (heartbeat timeouts of 1 min for CPU statistics, 30 s for
 * training, contracts/loop-timing.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { workflowIds } from '../contracts/ids.js';
import { decidePlanUpdate, loopStatusQuery, type LoopStatus, type RetrainResult } from '../contracts/workflows.js';
import { connect, migrateDatabase, type Database } from '../db/client.js';
import { artifactsRepository } from '../db/repositories/artifacts.repository.js';
import { freePort } from '../services/ports.js';
import { startTemporalDevServer, type TemporalDevServer } from '../services/temporal-server.js';
import { startLoop } from '../services/workflow-starts.js';
import { CrashablePostgres, cycleIntegrity, pendingActivities, runsBesideTemporal, sleep, startInProcess, WorkerProcess, type InProcessStack } from './fault-harness.js';
import { freshDatabase, seedSmall } from './helpers.js';

const SCOPE = 'electronics/east';
/** Fewer weeks than the default 26: every stage is smaller, the faults are the same. */
const HORIZON = 13;
const { EVENT_TYPE_ACTIVITY_TASK_STARTED, EVENT_TYPE_ACTIVITY_TASK_SCHEDULED } = temporal.api.enums.v1.EventType;
const NAMESPACES = { cpu: 'll-fault-cpu', gpu: 'll-fault-gpu', postgres: 'll-fault-postgres', temporal: 'll-fault-temporal' };

/** Thrown inside a wait: what is awaited can no longer happen. */
class GiveUp extends Error {}

describe.concurrent('a loop cycle survives one fault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'launchloop-faults-'));
  let server: TemporalDevServer;
  /** Closed at the end whatever happened: processes, stacks, servers. */
  const cleanups: (() => Promise<unknown>)[] = [];
  /** Loops still running at the end, terminated before their workers and servers go. */
  const loops: WorkflowHandle[] = [];

  beforeAll(async () => {
    server = await startTemporalDevServer({
      port: await freePort(),
      uiPort: await freePort(),
      dbFile: join(dir, 'temporal.db'),
      namespaces: [NAMESPACES.cpu, NAMESPACES.gpu, NAMESPACES.postgres],
      headless: true,
    });
  });
  afterAll(async () => {
    await Promise.all(loops.map((h) => h.terminate('fault suite over').catch(() => undefined)));
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function worker(o: ConstructorParameters<typeof WorkerProcess>[0]): WorkerProcess {
    const w = new WorkerProcess(o);
    cleanups.push(() => w.kill9());
    return w;
  }
  async function inProcess(o: Parameters<typeof startInProcess>[0]): Promise<InProcessStack> {
    const s = await startInProcess(o);
    cleanups.push(() => s.close());
    return s;
  }

  /** Starts the scope's loop for one cycle; it is terminated when the file ends. */
  async function startCycle(client: Client): Promise<WorkflowHandle> {
    const handle = await startLoop(client, { scopeId: SCOPE, trigger: 'test', maxIterations: 1, feedbackInterval: '1 hour', horizonWeeks: HORIZON });
    loops.push(handle);
    return handle;
  }

  /** Where the cycle stands, for failure messages: the loop's status and each child's pending activities. */
  async function cycleState(client: Client): Promise<string> {
    const parts: string[] = [];
    try {
      parts.push(`loop: ${JSON.stringify(await client.workflow.getHandle(workflowIds.loop(SCOPE)).query(loopStatusQuery))}`);
    } catch (err) {
      parts.push(`loop: ${(err as Error).message}`);
    }
    for (const id of [workflowIds.retrain(SCOPE, 'cycle-1'), workflowIds.forecast(SCOPE, 'cycle-1'), workflowIds.plan(SCOPE, 'cycle-1')]) {
      try {
        const h = client.workflow.getHandle(id);
        parts.push(`${id}: ${(await h.describe()).status.name} ${JSON.stringify(await pendingActivities(h))}`);
      } catch (err) {
        parts.push(`${id}: ${(err as Error).message}`);
      }
    }
    return parts.join('\n');
  }

  /**
   * Polls `fn` until it returns a value, like helpers' waitFor, but a `GiveUp` it throws ends the
   * wait at once; a timeout or a GiveUp says where the cycle stands.
   */
  async function waitInCycle<T>(client: Client, what: string, fn: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      try {
        const v = await fn();
        if (v !== undefined) return v;
      } catch (err) {
        if (err instanceof GiveUp) throw new Error(`${what}: ${err.message}\n${await cycleState(client)}`);
        last = err;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}\n${await cycleState(client)}`);
      await sleep(everyMs);
    }
  }

  /** Waits for the cycle's draft (failing at once with the loop's error if a stage failed), approves it. */
  async function approveCycle(expect: ExpectStatic, client: Client, handle: WorkflowHandle, timeoutMs: number): Promise<LoopStatus> {
    const status = await waitInCycle(
      client,
      'the cycle to reach its plan',
      async () => {
        const s = await handle.query(loopStatusQuery);
        if (s.lastError) return s;
        return s.stage === 'awaiting-approval' ? s : undefined;
      },
      timeoutMs,
      500,
    );
    expect(status.lastError, 'a stage of the cycle failed').toBeUndefined();
    const decided = await handle.executeUpdate(decidePlanUpdate, { args: [{ planId: status.pendingPlanId!, approve: true, by: 'fault suite' }] });
    expect(decided).toEqual({ planId: status.pendingPlanId, status: 'published' });
    return status;
  }

  /** One plan version, one forecast set with every point once, one model; `runs` agrees with Temporal. */
  async function expectOneOfEverything(expect: ExpectStatic, database: Database, client: Client, status: LoopStatus): Promise<void> {
    const { plans, sets, points, models } = await cycleIntegrity(database, SCOPE);
    expect(plans).toEqual([{ id: status.pendingPlanId, version: 1, status: 'published', run_id: workflowIds.loop(SCOPE), forecast_set_id: status.lastForecastSetId }]);
    expect(sets).toEqual([{ id: status.lastForecastSetId, run_id: workflowIds.forecast(SCOPE, 'cycle-1'), horizon: HORIZON }]);
    expect(points.series).toBeGreaterThan(0);
    expect(points, 'forecast points repeated, torn or missing').toMatchObject({ points: points.distinct_points, torn: 0, without_points: 0 });
    expect(models.map((m) => m.status)).toEqual(['ready']);
    // The stages record themselves in `runs` (a loop started without the API has no row).
    const runs = await runsBesideTemporal(database, client);
    for (const [id, row, temporalStatus] of runs) expect({ id, row }).toEqual({ id, row: temporalStatus });
    expect(Object.fromEntries(runs.map(([id, row]) => [id, row]))).toEqual({
      [workflowIds.retrain(SCOPE, 'cycle-1')]: 'completed',
      [workflowIds.forecast(SCOPE, 'cycle-1')]: 'completed',
      [workflowIds.plan(SCOPE, 'cycle-1')]: 'completed',
    });
  }

  /** The ActivityTaskStarted events of a workflow's activities of these types (written when each closes). */
  async function startedAttempts(handle: WorkflowHandle, types: RegExp) {
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = new Map(
      events
        .filter((e) => e.eventType === EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && types.test(e.activityTaskScheduledEventAttributes?.activityType?.name ?? ''))
        .map((e) => [String(e.eventId), e.activityTaskScheduledEventAttributes?.activityType?.name ?? '']),
    );
    return events
      .filter((e) => e.eventType === EVENT_TYPE_ACTIVITY_TASK_STARTED && scheduled.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)))
      .map((e) => ({
        type: scheduled.get(String(e.activityTaskStartedEventAttributes?.scheduledEventId)),
        attempt: e.activityTaskStartedEventAttributes?.attempt ?? 1,
        identity: e.activityTaskStartedEventAttributes?.identity ?? '',
        lastFailure: e.activityTaskStartedEventAttributes?.lastFailure?.message ?? '',
      }));
  }

  it('kill -9 of the CPU worker mid-forecast: the forecast is retried on a new worker after its heartbeat timeout', async ({ expect }) => {
    const database = await freshDatabase();
    cleanups.push(() => database.close());
    // ARIMA with Fourier terms is the slowest model per series: the forecast lasts long enough to be caught running.
    await seedSmall(database, { coldStart: { epochs: 2, checkpointEvery: 1 }, forecastModel: 'arima' });
    const stack = await inProcess({ address: server.address, namespace: NAMESPACES.cpu, database, queues: ['workflows', 'gpu'] });
    const first = worker({ queue: 'cpu', databaseUrl: database.url, address: server.address, namespace: NAMESPACES.cpu });
    await first.ready();
    const handle = await startCycle(stack.client);

    const forecast = stack.client.workflow.getHandle(workflowIds.forecast(SCOPE, 'cycle-1'));
    const FORECAST = /^forecast(ScopeSeries|SeriesShard)$/;
    const running = await waitInCycle(
      stack.client,
      'the forecast activity to run on the first CPU worker',
      async () => {
        if (first.exit) throw new GiveUp(`CPU worker exited:\n${first.output}`);
        return (await pendingActivities(forecast)).find((p) => FORECAST.test(p.type) && p.state === 'STARTED');
      },
      150_000,
    );
    await first.kill9();
    expect(first.exit?.signal).toBe('SIGKILL');
    const [{ n: storedBeforeKill }] = await database.sql<{ n: number }[]>`select count(*)::int as n from forecast_series where set_id = (select max(id) from forecast_sets)`;
    const second = worker({ queue: 'cpu', databaseUrl: database.url, address: server.address, namespace: NAMESPACES.cpu });
    await second.ready();

    const status = await approveCycle(expect, stack.client, handle, 200_000);
    await expectOneOfEverything(expect, database, stack.client, status);
    // The killed attempt was timed out on its heartbeat and a later attempt, on the new worker, finished it.
    const attempts = await startedAttempts(forecast, FORECAST);
    const retried = attempts.find((a) => a.type === running.type && a.attempt >= 2);
    expect(retried, `forecast activity attempts: ${JSON.stringify(attempts)}; series stored before the kill: ${storedBeforeKill}`).toBeDefined();
    expect(retried!.lastFailure).toMatch(/heartbeat/i);
    expect(retried!.identity.startsWith(second.identity), `finished by ${retried!.identity}`).toBe(true);
  }, 240_000);

  it('kill -9 of the GPU worker mid-training: training resumes from its checkpoint on a new worker', async ({ expect }) => {
    const database = await freshDatabase();
    cleanups.push(() => database.close());
    const EPOCHS = 300;
    // Every epoch is trained (no early stop) and checkpointed, so the kill lands between checkpoints.
    await seedSmall(database, { coldStart: { epochs: EPOCHS, checkpointEvery: 1, patience: 100_000 } });
    const stack = await inProcess({ address: server.address, namespace: NAMESPACES.gpu, database, queues: ['workflows', 'cpu'] });
    const first = worker({ queue: 'gpu', databaseUrl: database.url, address: server.address, namespace: NAMESPACES.gpu });
    await first.ready();
    const handle = await startCycle(stack.client);

    // A checkpoint in the artifact store a few epochs in: the retry finds it (by its heartbeat,
    // or, if the worker died before that heartbeat reached the server, under the run's fixed URI).
    const checkpointEpoch = await waitInCycle(
      stack.client,
      'a training checkpoint',
      async () => {
        if (first.exit) throw new GiveUp(`GPU worker exited:\n${first.output}`);
        const [c] = await database.sql<{ uri: string }[]>`select uri from artifacts where uri like 'checkpoints/%'`;
        const checkpoint = c && (await artifactsRepository(database).getJson<{ epoch: number }>(c.uri));
        if (checkpoint && checkpoint.epoch >= 1) return checkpoint.epoch;
        const [m] = await database.sql<{ status: string; metrics: unknown }[]>`select status, metrics from models`;
        if (m && m.status !== 'training') throw new GiveUp(`training finished before a checkpoint was seen (raise EPOCHS): ${JSON.stringify(m)}`);
        return undefined;
      },
      150_000,
    );
    await first.kill9();
    expect(first.exit?.signal).toBe('SIGKILL');
    const second = worker({ queue: 'gpu', databaseUrl: database.url, address: server.address, namespace: NAMESPACES.gpu });
    await second.ready();

    const status = await approveCycle(expect, stack.client, handle, 200_000);
    await expectOneOfEverything(expect, database, stack.client, status);
    const retrain = stack.client.workflow.getHandle(workflowIds.retrain(SCOPE, 'cycle-1'));
    const result = (await retrain.result()) as RetrainResult;
    expect(result.metrics.resumedFromEpoch, `the retried attempt started from zero; GPU worker log:\n${second.output}`).toBeGreaterThanOrEqual(checkpointEpoch);
    expect(result.metrics.resumedFromEpoch).toBeGreaterThan(0);
    expect(result.metrics.epochsRun).toBe(EPOCHS);
    const attempts = await startedAttempts(retrain, /^trainColdStartModel$/);
    expect(attempts).toHaveLength(1);
    expect(attempts[0].attempt).toBeGreaterThanOrEqual(2);
    expect(attempts[0].lastFailure).toMatch(/heartbeat/i);
    expect(attempts[0].identity.startsWith(second.identity), `finished by ${attempts[0].identity}`).toBe(true);
    expect(second.output).toMatch(/resuming cold-start training from checkpoint/);
  }, 240_000);

  it('a Postgres crash mid-run (kill -9, down ~12 s, restarted on the same data): the run completes and runs agrees with Temporal', async ({ expect }) => {
    const pg = await CrashablePostgres.start(await freePort(), join(dir, 'pg'));
    cleanups.push(() => pg.stop());
    const url = await pg.server.createDatabase('faults');
    const database = connect(url);
    cleanups.push(() => database.close());
    await migrateDatabase(database);
    await seedSmall(database, { coldStart: { epochs: 12, checkpointEvery: 1 } });
    const stack = await inProcess({ address: server.address, namespace: NAMESPACES.postgres, database, queues: ['workflows', 'cpu', 'gpu'] });
    const handle = await startCycle(stack.client);

    await waitInCycle(stack.client, 'training to start', async () => {
      const [m] = await database.sql`select id from models where status = 'training'`;
      return m;
    }, 150_000);
    await pg.crash();
    await sleep(12_000);
    await pg.restart();

    const status = await approveCycle(expect, stack.client, handle, 200_000);
    await expectOneOfEverything(expect, database, stack.client, status);
  }, 240_000);

  it('a Temporal server crash mid-run (kill -9, restarted on the same SQLite file and port): the run completes', async ({ expect }) => {
    const options = { port: await freePort(), uiPort: await freePort(), dbFile: join(dir, 'temporal-crash.db'), namespaces: [NAMESPACES.temporal], headless: true };
    let crashing = await startTemporalDevServer(options);
    cleanups.push(() => crashing.stop());
    const database = await freshDatabase();
    cleanups.push(() => database.close());
    await seedSmall(database, { coldStart: { epochs: 4, checkpointEvery: 1 } });
    const stack = await inProcess({ address: crashing.address, namespace: NAMESPACES.temporal, database, queues: ['workflows', 'cpu', 'gpu'] });
    const handle = await startCycle(stack.client);

    // Crash while the forecast child runs (its set exists): its activities report to a dead server.
    await waitInCycle(stack.client, 'the forecast stage', async () => {
      const [s] = await database.sql`select id from forecast_sets`;
      return s;
    }, 150_000);
    const [{ plans }] = await database.sql<{ plans: number }[]>`select count(*)::int as plans from plans`;
    expect(plans, 'the crash came after the plan: not mid-run').toBe(0);
    const exited = new Promise((r) => crashing.process.once('exit', r));
    crashing.process.kill('SIGKILL');
    await exited;
    await sleep(3_000);
    crashing = await startTemporalDevServer(options);

    const status = await approveCycle(expect, stack.client, handle, 200_000);
    await expectOneOfEverything(expect, database, stack.client, status);
    // The crash lost nothing of the history: the forecast ran as one child, to completion.
    const forecast = await stack.client.workflow.getHandle(workflowIds.forecast(SCOPE, 'cycle-1')).describe();
    expect(forecast.status.name).toBe('COMPLETED');
  }, 240_000);
});

/**
 * Scale-out benchmark: `npm run bench:scale -- [--series N] [--candidates N] [--shard-size N]
 * [--full-cycle] [--json FILE]`.
 *
 * Generates one large synthetic scope (data/synthetic with `productLineSize`, one region, 104
 * weeks of history; `--series` series, `--candidates` candidates), loads it into a fresh
 * embedded Postgres beside a fresh Temporal dev server, and runs the forecast stage
 * (`forecastWorkflow`, the scope's series in shards on the CPU queue beside the candidates on
 * the GPU queue) twice: with 1 and with 2 CPU worker processes (`launchloop worker --queue cpu`,
 * one thread and one activity each). The workflow and GPU workers run in this process.
 * Series/s is the scope's series over the shard phase, read from the workflow history (first
 * shard scheduled → last shard completed), so start-up and the candidates do not count.
 *
 * `--full-cycle` then times one cycle of the loop's stages as the loop runs them (retrain →
 * forecast → plan, each a workflow) on a second database of 10,000 series and 1,000 candidates
 * over a 26-week horizon, with the same two CPU worker processes.
 *
 * With `--json FILE`: `{"seriesPerSecond": {"1": a, "2": b}, "ratio": b/a, "fullCycleSeconds": s}`
 * (`fullCycleSeconds` null without `--full-cycle`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
// A CommonJS package: under plain Node its namespaces come on the default export only.
import proto from '@temporalio/proto';
import { createSnapshotActivities } from '../activities/snapshot.activities.js';
import { FORECAST_SHARDS } from '../contracts/loop-timing.js';
import { TASK_QUEUES } from '../contracts/queues.js';
import type { ForecastInput, ForecastResult, PlanInput, PlanWorkflowResult, RetrainInput, RetrainResult } from '../contracts/workflows.js';
import { connect, migrateDatabase, type Database } from '../db/client.js';
import { loadMarketplace } from '../data/load.js';
import { CATEGORIES, generateMarketplace } from '../data/synthetic/index.js';
import { loadConfig } from '../services/config.js';
import { logger } from '../services/logger.js';
import { freePort } from '../services/ports.js';
import { startEmbeddedPostgres } from '../services/postgres.js';
import { connectClient } from '../services/temporal-client.js';
import { startTemporalDevServer } from '../services/temporal-server.js';
import { startWorkers, type RunningWorkers } from '../workers/runtime.js';

const { values } = parseArgs({
  options: {
    series: { type: 'string', default: '20000' },
    candidates: { type: 'string', default: '100' },
    'shard-size': { type: 'string', default: String(FORECAST_SHARDS.seriesPerShard) },
    'full-cycle': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const positive = (name: string, raw: string | undefined) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${raw}"`);
  return n;
};
const SERIES = positive('series', values.series);
const CANDIDATES = positive('candidates', values.candidates);
const SHARD_SIZE = positive('shard-size', values['shard-size']);
const CYCLE = { series: 10_000, candidates: 1_000, horizonWeeks: 26 };
const NAMESPACE = 'default';
const REGION = 'east';
const SCOPE = `bench/${REGION}`;
const HORIZON = 26;

const say = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** One scope of `series` series (products, all in one region) and `candidates` candidates. */
async function seedScope(database: Database, series: number, candidates: number): Promise<number> {
  const started = performance.now();
  const marketplace = generateMarketplace({
    seed: 2026,
    group: 'bench',
    regions: [REGION],
    productsPerCategory: Math.ceil(series / CATEGORIES.length),
    // Lines the size of the default catalogue's categories: realistic demand, linear generation.
    productLineSize: 40,
    candidatesPerScope: candidates,
    weeks: 104,
    horizonWeeks: HORIZON,
  });
  // Rules sized to the candidate count the way bench:planner sizes its generated scopes
  // (engine/planner/generate.ts): capacity and cadence let ~60% of the candidates launch over
  // the horizon, and 2% must launch. The defaults suit ~80 launches in 26 weeks; with 1,000
  // candidates (10% must-launch from the generator) they make the plan infeasible.
  const perCategoryIn4Weeks = Math.round(((0.55 * candidates) / CATEGORIES.length / HORIZON) * 4);
  for (const scope of marketplace.scopes)
    scope.rules = { maxLaunchesPerWeek: Math.max(3, Math.ceil((0.6 * candidates) / HORIZON)), defaultCadence: { maxLaunches: Math.max(2, perCategoryIn4Weeks), windowWeeks: 4 } };
  let mustLaunch = 0;
  for (const c of marketplace.candidates) if (c.mustLaunch) c.mustLaunch = ++mustLaunch % 5 === 0;
  const generated = performance.now();
  const { inserted } = await loadMarketplace(database, marketplace, { replace: true });
  say(
    `seeded ${SCOPE}: ${inserted.products} products, ${inserted.candidates} candidates, ${inserted.sales} sales rows ` +
      `(generated in ${seconds(generated - started)} s, loaded in ${seconds(performance.now() - generated)} s)`,
  );
  return inserted.products;
}

/** `launchloop worker --queue cpu` in its own process: one thread, one activity at a time. */
class CpuWorkerProcess {
  readonly child: ChildProcess;
  private output = '';

  constructor(databaseUrl: string, temporalAddress: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'worker', '--queue', 'cpu'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: temporalAddress,
        TEMPORAL_NAMESPACE: NAMESPACE,
        LAUNCHLOOP_THREADS: '1',
        LAUNCHLOOP_CPU_CONCURRENCY: '1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (b: Buffer) => void (this.output = (this.output + b.toString('utf8')).slice(-4000));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
  }

  /**
   * CPU seconds the process (all its threads) has used, from /proc (Linux; undefined elsewhere):
   * on a shared machine, series per CPU second tells whether a second worker scaled or only
   * found no free core.
   */
  cpuSeconds(): number | undefined {
    const stat = `/proc/${this.child.pid}/stat`;
    if (!existsSync(stat)) return undefined;
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(stat, 'utf8').slice(readFileSync(stat, 'utf8').lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  assertAlive(): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`CPU worker ${this.child.pid} exited:\n${this.output}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Starts `count` CPU worker processes and waits until each polls the CPU queue. */
async function startCpuWorkers(count: number, client: Client, databaseUrl: string, temporalAddress: string): Promise<CpuWorkerProcess[]> {
  const workers = Array.from({ length: count }, () => new CpuWorkerProcess(databaseUrl, temporalAddress));
  const deadline = Date.now() + 180_000;
  for (;;) {
    for (const w of workers) w.assertAlive();
    const { pollers } = await client.workflowService.describeTaskQueue({
      namespace: NAMESPACE,
      taskQueue: { name: TASK_QUEUES.cpu },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    const polling = new Set((pollers ?? []).map((p) => p.identity?.split('@')[0]));
    if (workers.every((w) => polling.has(String(w.child.pid)))) return workers;
    if (Date.now() > deadline) throw new Error(`CPU workers did not start polling within 180 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const eventMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(String(t?.seconds ?? 0)) * 1000 + (t?.nanos ?? 0) / 1e6;

/**
 * The shard phase of a finished forecast workflow: first shard scheduled → last shard
 * completed, and per worker process how many shards it ran and for how long (busy seconds).
 */
async function shardPhase(client: Client, workflowId: string): Promise<{ ms: number; shards: number; perWorker: string }> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'forecastSeriesShard');
  const ids = new Set(scheduled.map((e) => String(e.eventId)));
  const completed = events.filter((e) => e.activityTaskCompletedEventAttributes && ids.has(String(e.activityTaskCompletedEventAttributes.scheduledEventId)));
  if (scheduled.length === 0 || completed.length !== scheduled.length) throw new Error(`${workflowId}: ${completed.length} of ${scheduled.length} shards completed`);
  const first = Math.min(...scheduled.map((e) => eventMs(e.eventTime)));
  const last = Math.max(...completed.map((e) => eventMs(e.eventTime)));
  const started = new Map(
    events.filter((e) => e.activityTaskStartedEventAttributes).map((e) => [String(e.eventId), { at: eventMs(e.eventTime), who: e.activityTaskStartedEventAttributes!.identity?.split('@')[0] ?? '?' }]),
  );
  const busy = new Map<string, { shards: number; ms: number }>();
  for (const e of completed) {
    const s = started.get(String(e.activityTaskCompletedEventAttributes!.startedEventId));
    if (!s) continue;
    const b = busy.get(s.who) ?? { shards: 0, ms: 0 };
    busy.set(s.who, { shards: b.shards + 1, ms: b.ms + eventMs(e.eventTime) - s.at });
  }
  const perWorker = [...busy].map(([pid, b]) => `pid ${pid}: ${b.shards} shards, busy ${seconds(b.ms)} s`).join('; ');
  return { ms: last - first, shards: scheduled.length, perWorker };
}

async function snapshot(database: Database): Promise<number> {
  const { snapshotId } = await createSnapshotActivities(database).snapshotScope({ scopeId: SCOPE });
  return snapshotId;
}

const dir = mkdtempSync(join(tmpdir(), 'launchloop-bench-scale-'));
const pg = await startEmbeddedPostgres({ port: await freePort(), dir: join(dir, 'pg') });
const cleanups: Array<() => Promise<void>> = [async () => pg.stop(), async () => rmSync(dir, { recursive: true, force: true })];
const result: { seriesPerSecond: Record<'1' | '2', number>; ratio: number; fullCycleSeconds: number | null } = {
  seriesPerSecond: { '1': 0, '2': 0 },
  ratio: 0,
  fullCycleSeconds: null,
};
try {
  say(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const temporalServer = await startTemporalDevServer({
    port: await freePort(),
    uiPort: await freePort(),
    dbFile: join(dir, 'temporal.db'),
    logFile: join(dir, 'temporal.log'),
    headless: true,
  });
  cleanups.unshift(() => temporalServer.stop());
  const address = temporalServer.address;
  const openDatabase = async (name: string) => {
    const url = await pg.createDatabase(name);
    const database = connect(url);
    await migrateDatabase(database);
    cleanups.unshift(() => database.close());
    return { database, url };
  };
  const client = await connectClient(address, NAMESPACE);
  cleanups.unshift(() => client.connection.close());
  // Workflows and the GPU pool here, with one thread: the CPU pool is what is measured.
  const inProcess = async (database: Database): Promise<RunningWorkers> => {
    const config = { ...loadConfig({}), temporalNamespace: NAMESPACE, threads: 1 };
    const workers = await startWorkers({ queues: ['workflows', 'gpu'], address, config, database, logger: logger.child({}, { level: 'warn' }) });
    return workers;
  };

  // The forecast stage with 1, then 2 CPU worker processes, on the same data.
  {
    const { database, url } = await openDatabase('bench_scale');
    const series = await seedScope(database, SERIES, CANDIDATES);
    const workers = await inProcess(database);
    try {
      for (const count of [1, 2] as const) {
        const cpu = await startCpuWorkers(count, client, url, address);
        try {
          const snapshotId = await snapshot(database);
          const cpuBefore = cpu.map((w) => w.cpuSeconds());
          const workflowId = `forecast/${SCOPE}/workers-${count}`;
          const input: ForecastInput = { scopeId: SCOPE, snapshotId, horizonWeeks: HORIZON, trigger: 'cli', seriesPerShard: SHARD_SIZE };
          const started = performance.now();
          const out = (await client.workflow.execute('forecastWorkflow', { taskQueue: TASK_QUEUES.workflows, workflowId, args: [input] })) as ForecastResult;
          const stageMs = performance.now() - started;
          if (out.seriesForecast + out.seriesFailed !== series) throw new Error(`${workflowId} forecast ${out.seriesForecast + out.seriesFailed} of ${series} series`);
          const phase = await shardPhase(client, workflowId);
          result.seriesPerSecond[count] = Math.round((series / (phase.ms / 1000)) * 10) / 10;
          say(
            `${count} CPU worker process${count > 1 ? 'es' : ''}: ${series} series in ${phase.shards} shards in ${seconds(phase.ms)} s = ` +
              `${result.seriesPerSecond[count]} series/s (whole stage ${seconds(stageMs)} s, ${out.candidatesForecast} candidates by ${out.coldStartMethod}, ` +
              `${out.seriesFailed} series failed; load ${loadavg()[0].toFixed(2)})`,
          );
          const cpuUsed = cpu.reduce((sum, w, i) => sum + (w.cpuSeconds() ?? Number.NaN) - (cpuBefore[i] ?? Number.NaN), 0);
          say(`  ${phase.perWorker}; worker CPU ${seconds(cpuUsed * 1000)} s = ${Math.round((series / cpuUsed) * 10) / 10} series per CPU second`);
        } finally {
          await Promise.all(cpu.map((w) => w.stop()));
        }
      }
    } finally {
      await workers.shutdown();
    }
    result.ratio = Math.round((result.seriesPerSecond['2'] / result.seriesPerSecond['1']) * 100) / 100;
    say(`2 workers / 1 worker: ${result.ratio}× the series/s (target ≥ 1.7)`);
  }

  // One cycle of the loop's stages: retrain → forecast → plan.
  if (values['full-cycle']) {
    const { database, url } = await openDatabase('bench_cycle');
    await seedScope(database, CYCLE.series, CYCLE.candidates);
    const workers = await inProcess(database);
    const cpu = await startCpuWorkers(2, client, url, address);
    try {
      const started = performance.now();
      const lap = (what: string, since: number) => say(`  ${what}: ${seconds(performance.now() - since)} s`);
      let t = performance.now();
      const retrain = (await client.workflow.execute('retrainWorkflow', {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: `retrain/${SCOPE}/bench`,
        args: [{ scopeId: SCOPE, trigger: 'cli' } satisfies RetrainInput],
      })) as RetrainResult;
      lap(`retrain (model v${retrain.version}, ${retrain.promoted ? 'promoted' : 'not promoted'}, ${retrain.backend})`, t);
      t = performance.now();
      const forecast = (await client.workflow.execute('forecastWorkflow', {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: `forecast/${SCOPE}/bench`,
        args: [{ scopeId: SCOPE, snapshotId: retrain.snapshotId, horizonWeeks: CYCLE.horizonWeeks, trigger: 'cli' } satisfies ForecastInput],
      })) as ForecastResult;
      lap(`forecast (${forecast.seriesForecast} series, ${forecast.candidatesForecast} candidates by ${forecast.coldStartMethod})`, t);
      t = performance.now();
      const plan = (await client.workflow.execute('planWorkflow', {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: `plan/${SCOPE}/bench`,
        args: [{ scopeId: SCOPE, forecastSetId: forecast.forecastSetId, ownerWorkflowId: 'bench', reason: 'bench:scale full cycle', trigger: 'cli' } satisfies PlanInput],
      })) as PlanWorkflowResult;
      lap(`plan (${plan.method}, ${plan.items} launches)`, t);
      result.fullCycleSeconds = seconds(performance.now() - started);
      say(`full cycle, ${CYCLE.series} series + ${CYCLE.candidates} candidates × ${CYCLE.horizonWeeks} weeks: ${result.fullCycleSeconds} s (target < 600 s)`);
    } finally {
      await Promise.all(cpu.map((w) => w.stop()));
      await workers.shutdown();
    }
  }

  if (values.json) writeFileSync(values.json, JSON.stringify(result) + '\n');
} finally {
  for (const cleanup of cleanups) await cleanup().catch((err: unknown) => say(`cleanup: ${(err as Error).message}`));
}

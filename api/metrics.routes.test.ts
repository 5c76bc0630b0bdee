import type { AddressInfo } from 'node:net';
import express, { Router } from 'express';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { DomainMetricsSnapshot } from '../db/repositories/metrics.repository.js';
import { createApiMetrics } from '../services/metrics.js';
import { currentRequestId } from '../services/tracing.js';
import { observabilityRoutes } from './metrics.routes.js';

const SNAPSHOT: DomainMetricsSnapshot = {
  runs: [
    { stage: 'forecast', status: 'completed', count: 3 },
    { stage: 'plan', status: 'failed', count: 1 },
  ],
  runDurations: [{ stage: 'forecast', status: 'completed', buckets: [0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3], sum: 31.5, count: 3 }],
  lastPlanGap: [{ scope: 'electronics/east', gap: 0.004 }],
  championBacktest: [{ scope: 'electronics/east', kind: 'coldstart-lstm', wape: 0.31 }],
  reorders: [{ scope: 'electronics/east', status: 'pending', count: 2, units: 140 }],
};

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** The observability router in front of a plans route, the way api/app.ts mounts it. */
async function serve(domain: () => Promise<DomainMetricsSnapshot>) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const app = express();
  app.use(observabilityRoutes({ database: undefined as never, logger, metrics: createApiMetrics({ domain }) }));
  const plans = Router();
  plans.get('/plans/:id', (req, res) => {
    if (req.params.id === '500') throw new Error('boom');
    res.json({ id: req.params.id, requestId: currentRequestId() });
  });
  app.use(plans);
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).json({ error: 'internal' }));
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, lines, metrics: () => fetch(`${url}/metrics`).then((r) => r.text()) };
}

describe('request id', () => {
  it('echoes a caller X-Request-Id and gives it to the handlers', async () => {
    const api = await serve(async () => SNAPSHOT);
    const res = await fetch(`${api.url}/plans/7`, { headers: { 'x-request-id': 'abc-123.trace:9' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123.trace:9');
    expect(await res.json()).toEqual({ id: '7', requestId: 'abc-123.trace:9' });
  });

  it('generates a UUID when the caller sends none or one that is not an id', async () => {
    const api = await serve(async () => SNAPSHOT);
    const none = await fetch(`${api.url}/plans/7`);
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const odd = await fetch(`${api.url}/plans/7`, { headers: { 'x-request-id': 'x'.repeat(200) } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await odd.json()) as { requestId: string }).requestId).toBe(odd.headers.get('x-request-id'));
  });

  it('logs one line per request with its id, method, URL and status, and no headers', async () => {
    const api = await serve(async () => SNAPSHOT);
    await fetch(`${api.url}/plans/7`, { headers: { 'x-request-id': 'r-1', authorization: 'Bearer secret-token' } });
    await fetch(`${api.url}/plans/500`);
    await api.metrics();
    const completed = api.lines.filter((l) => l.msg === 'request completed' || l.msg === 'request errored');
    expect(completed).toHaveLength(2);
    expect(completed[0]).toMatchObject({ level: 30, req: { id: 'r-1', method: 'GET', url: '/plans/7' }, res: { statusCode: 200 } });
    expect(completed[1]).toMatchObject({ level: 50, res: { statusCode: 500 } });
    expect(JSON.stringify(api.lines)).not.toContain('secret-token');
  });
});

describe('GET /metrics', () => {
  it('counts requests by route pattern and status, never by raw path', async () => {
    const api = await serve(async () => SNAPSHOT);
    await fetch(`${api.url}/plans/123456`);
    await fetch(`${api.url}/plans/654321`);
    await fetch(`${api.url}/plans/500`);
    await fetch(`${api.url}/nowhere/987654`);
    const text = await api.metrics();
    expect(text).toContain('launchloop_http_request_duration_seconds_count{method="GET",route="/plans/:id",status="200"} 2');
    expect(text).toContain('launchloop_http_request_duration_seconds_count{method="GET",route="/plans/:id",status="500"} 1');
    expect(text).toContain('launchloop_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(/launchloop_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/plans\/:id",status="200"\} \d/);
    for (const raw of ['123456', '654321', '987654', 'nowhere']) expect(text).not.toContain(raw);
  });

  it('serves process metrics and the domain metrics read at scrape time', async () => {
    let reads = 0;
    const api = await serve(async () => {
      reads++;
      return SNAPSHOT;
    });
    const text = await api.metrics();
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('launchloop_domain_metrics_up 1');
    expect(text).toContain('launchloop_runs{stage="forecast",status="completed"} 3');
    expect(text).toContain('launchloop_runs{stage="plan",status="failed"} 1');
    expect(text).toContain('launchloop_run_duration_seconds_bucket{stage="forecast",status="completed",le="15"} 2');
    expect(text).toContain('launchloop_run_duration_seconds_bucket{stage="forecast",status="completed",le="+Inf"} 3');
    expect(text).toContain('launchloop_run_duration_seconds_sum{stage="forecast",status="completed"} 31.5');
    expect(text).toContain('launchloop_last_plan_gap{scope="electronics/east"} 0.004');
    expect(text).toContain('launchloop_champion_backtest_wape{scope="electronics/east",kind="coldstart-lstm"} 0.31');
    expect(text).toContain('launchloop_reorders{scope="electronics/east",status="pending"} 2');
    expect(text).toContain('launchloop_reorder_units{scope="electronics/east",status="pending"} 140');
    // Every gauge of a scrape, and the next scrape within the cache window, share one read.
    await api.metrics();
    expect(reads).toBe(1);
  });

  it('still answers, without domain series, when the database fails', async () => {
    const api = await serve(() => Promise.reject(new Error('connect ECONNREFUSED')));
    const res = await fetch(`${api.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('launchloop_domain_metrics_up 0');
    expect(text).not.toMatch(/^launchloop_runs\{/m);
    expect(text).toContain('process_cpu_seconds_total');
  });
});

import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { RUN_DURATION_BUCKETS, type DomainMetricsSnapshot } from '../db/repositories/metrics.repository.js';

/** How long a domain snapshot is reused: scrapes every few seconds cost one set of aggregate queries at most. */
export const DOMAIN_CACHE_MS = 5_000;
/** A scrape never waits longer than this for the database; it answers without domain metrics instead. */
export const DOMAIN_TIMEOUT_MS = 1_000;

export interface ApiMetrics {
  registry: Registry;
  /** Request latency by method, route pattern (never a raw path: ids would explode the series) and status. */
  httpDuration: Histogram<'method' | 'route' | 'status'>;
}

/**
 * The API's Prometheus registry: request latency, the process's own metrics (CPU, memory, event
 * loop lag, GC, handles; prom-client's standard names) and the domain read from Postgres at
 * scrape time through `domain` (metricsRepository().snapshot):
 * - `launchloop_runs{stage,status}`: runs recorded in `runs` (stage = the run's kind);
 * - `launchloop_run_duration_seconds_bucket{stage,status,le}` with `_sum` and `_count`: durations
 *   of finished runs, cumulative over the table, so `histogram_quantile` works on them directly;
 * - `launchloop_last_plan_gap{scope}`: the optimality gap of each scope's newest plan;
 * - `launchloop_champion_backtest_wape{scope,kind}`: each champion model's backtest WAPE;
 * - `launchloop_reorders{scope,status}` and `launchloop_reorder_units{scope,status}`: purchase orders;
 * - `launchloop_domain_metrics_up`: 1 when the last read succeeded, 0 when the database did not answer.
 */
export function createApiMetrics(o: { domain?: () => Promise<DomainMetricsSnapshot>; now?: () => number } = {}): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'launchloop_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  if (o.domain) registerDomainMetrics(registry, o.domain, o.now ?? Date.now);
  return { registry, httpDuration };
}

function registerDomainMetrics(registry: Registry, read: () => Promise<DomainMetricsSnapshot>, now: () => number): void {
  let cached: { at: number; value: Promise<DomainMetricsSnapshot | undefined> } | undefined;
  /** One read per DOMAIN_CACHE_MS shared by every gauge of a scrape; undefined when the database failed or was slow. */
  const snapshot = () => {
    if (cached && now() - cached.at < DOMAIN_CACHE_MS) return cached.value;
    let timer: NodeJS.Timeout | undefined;
    const value = Promise.race([
      read(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), DOMAIN_TIMEOUT_MS);
      }),
    ])
      .catch(() => undefined)
      .finally(() => clearTimeout(timer));
    cached = { at: now(), value };
    return value;
  };
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (g: Gauge<L>, s: DomainMetricsSnapshot) => void) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const s = await snapshot();
        if (s) fill(this, s);
      },
    });

  new Gauge({
    name: 'launchloop_domain_metrics_up',
    help: '1 when the domain metrics were read from Postgres, 0 when it did not answer in time',
    registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  gauge('launchloop_runs', 'Runs recorded in the runs table by stage (run kind) and status', ['stage', 'status'], (g, s) => {
    for (const r of s.runs) g.set({ stage: r.stage, status: r.status }, r.count);
  });
  gauge('launchloop_run_duration_seconds_bucket', 'Finished runs by stage and status that took at most le seconds (cumulative)', ['stage', 'status', 'le'], (g, s) => {
    for (const r of s.runDurations) {
      RUN_DURATION_BUCKETS.forEach((le, i) => g.set({ stage: r.stage, status: r.status, le: String(le) }, r.buckets[i]!));
      g.set({ stage: r.stage, status: r.status, le: '+Inf' }, r.count);
    }
  });
  gauge('launchloop_run_duration_seconds_sum', 'Total seconds of finished runs by stage and status', ['stage', 'status'], (g, s) => {
    for (const r of s.runDurations) g.set({ stage: r.stage, status: r.status }, r.sum);
  });
  gauge('launchloop_run_duration_seconds_count', 'Finished runs by stage and status', ['stage', 'status'], (g, s) => {
    for (const r of s.runDurations) g.set({ stage: r.stage, status: r.status }, r.count);
  });
  gauge('launchloop_last_plan_gap', "Optimality gap of each scope's newest plan (0 = proven optimal)", ['scope'], (g, s) => {
    for (const r of s.lastPlanGap) g.set({ scope: r.scope }, r.gap);
  });
  gauge('launchloop_champion_backtest_wape', "Backtest WAPE of each scope's champion model, by model kind", ['scope', 'kind'], (g, s) => {
    for (const r of s.championBacktest) g.set({ scope: r.scope, kind: r.kind }, r.wape);
  });
  gauge('launchloop_reorders', 'Reorders (purchase orders) proposed by the adjust stage, by scope and status', ['scope', 'status'], (g, s) => {
    for (const r of s.reorders) g.set({ scope: r.scope, status: r.status }, r.count);
  });
  gauge('launchloop_reorder_units', 'Units on reorders by scope and status', ['scope', 'status'], (g, s) => {
    for (const r of s.reorders) g.set({ scope: r.scope, status: r.status }, r.units);
  });
}

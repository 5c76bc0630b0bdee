import type { Database } from '../client.js';

/** Upper bounds (seconds) of the run-duration buckets, a stage taking from seconds to hours. */
export const RUN_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600] as const;

export interface DomainMetricsSnapshot {
  /** Runs by stage (`runs.kind`) and status, running ones included. */
  runs: Array<{ stage: string; status: string; count: number }>;
  /** Finished runs by stage and status: cumulative bucket counts over RUN_DURATION_BUCKETS, sum and count of seconds. */
  runDurations: Array<{ stage: string; status: string; buckets: number[]; sum: number; count: number }>;
  /** The optimality gap of each scope's newest plan (null when the solver reported none). */
  lastPlanGap: Array<{ scope: string; gap: number }>;
  /** Each champion model's backtest WAPE, by scope and model kind. */
  championBacktest: Array<{ scope: string; kind: string; wape: number }>;
  /** Reorders (purchase orders) by scope and status: how many and how many units. */
  reorders: Array<{ scope: string; status: string; count: number; units: number }>;
}

/**
 * What the API's /metrics reads at scrape time (services/metrics.ts caches it for a few seconds):
 * aggregates only, a handful of rows per scope, from the runs, plans, models and purchase_orders tables.
 */
export function metricsRepository({ sql }: Database) {
  return {
    async snapshot(): Promise<DomainMetricsSnapshot> {
      const [runs, durations, gaps, champions, reorders] = await Promise.all([
        sql<Array<{ stage: string; status: string; count: number }>>`
          select kind as stage, status, count(*)::int as count from runs group by kind, status`,
        sql<Array<{ stage: string; status: string; le: number; below: number; sum: number; count: number }>>`
          with finished as (
            select kind as stage, status, extract(epoch from (finished_at - started_at))::float8 as seconds
            from runs where finished_at is not null
          )
          select stage, status, u.le, count(*) filter (where seconds <= u.le)::int as below,
                 sum(seconds)::float8 as sum, count(*)::int as count
          from finished cross join unnest(${[...RUN_DURATION_BUCKETS]}::float8[]) as u(le)
          group by stage, status, u.le`,
        sql<Array<{ scope: string; gap: number }>>`
          select scope, gap from (
            select distinct on (scope_id) scope_id as scope, gap from plans order by scope_id, created_at desc, id desc
          ) latest where gap is not null`,
        sql<Array<{ scope: string; kind: string; wape: number }>>`
          select scope_id as scope, kind, (metrics->>'backtestWape')::float8 as wape
          from models where is_champion and metrics ? 'backtestWape'`,
        sql<Array<{ scope: string; status: string; count: number; units: number }>>`
          select scope_id as scope, status, count(*)::int as count, coalesce(sum(quantity), 0)::float8 as units
          from purchase_orders group by scope_id, status`,
      ]);
      const byRun = new Map<string, DomainMetricsSnapshot['runDurations'][number]>();
      for (const d of durations) {
        const key = `${d.stage}\u0000${d.status}`;
        let entry = byRun.get(key);
        if (!entry) byRun.set(key, (entry = { stage: d.stage, status: d.status, buckets: RUN_DURATION_BUCKETS.map(() => 0), sum: d.sum, count: d.count }));
        entry.buckets[RUN_DURATION_BUCKETS.indexOf(d.le as (typeof RUN_DURATION_BUCKETS)[number])] = d.below;
      }
      return { runs: [...runs], runDurations: [...byRun.values()], lastPlanGap: [...gaps], championBacktest: [...champions], reorders: [...reorders] };
    },
  };
}

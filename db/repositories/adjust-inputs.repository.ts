import { insertForecastPoints } from '../bulk.js';
import type { Database, Sql } from '../client.js';
import type { Candidate, forecastPoints } from '../schema.js';

type Point = Pick<typeof forecastPoints.$inferSelect, 'step' | 'mean' | 'lo80' | 'hi80' | 'lo95' | 'hi95'>;

/** A launched item's updated launch curve, stored as a series of kind 'launched'. */
export interface UpdatedCurveRow {
  candidateId: string;
  params: Record<string, unknown>;
  points: Point[];
}

/** What the adjust stage reads about launched items, and where it keeps their updated curves. */
export function adjustInputsRepository({ sql }: Database) {
  return {
    /** Candidates of the scope that have started selling (launched_week set by the snapshot). */
    async launchedItems(scopeId: string) {
      return sql<
        (Pick<Candidate, 'id' | 'category' | 'price' | 'unitCost' | 'salvageValue' | 'moq' | 'leadTimeWeeks' | 'committedQty'> & { launchedWeek: string })[]
      >`select id, category, price, unit_cost as "unitCost", salvage_value as "salvageValue", moq, lead_time_weeks as "leadTimeWeeks",
               committed_qty as "committedQty", launched_week::text as "launchedWeek"
          from candidates where scope_id = ${scopeId} and launched_week is not null order by id`;
    },

    /**
     * The launch curve each item was planned on: its latest cold-start curve (kind 'candidate'),
     * which is the last one forecast before it launched (launched items are not forecast again).
     */
    async launchCurves(scopeId: string, candidateIds: string[]) {
      if (candidateIds.length === 0) return [];
      return sql<{ candidateId: string; setId: number; errorCorrelation: number | null; steps: number[]; mean: number[]; lo80: number[]; hi80: number[] }[]>`
        select distinct on (s.series_key) s.series_key as "candidateId", s.set_id as "setId",
               (s.params->>'errorCorrelation')::float8 as "errorCorrelation",
               array_agg(p.step order by p.step) as steps, array_agg(p.mean order by p.step) as mean,
               array_agg(p.lo_80 order by p.step) as lo80, array_agg(p.hi_80 order by p.step) as hi80
          from forecast_series s
          join forecast_sets f on f.id = s.set_id
          join forecast_points p on p.set_id = s.set_id and p.series_key = s.series_key and p.step >= 1
         where f.scope_id = ${scopeId} and s.kind = 'candidate' and s.error is null and s.series_key = any(${candidateIds})
         group by s.series_key, s.set_id, s.params
         order by s.series_key, s.set_id desc`;
    },

    /** Weekly sales of the items in the region through `through` (inclusive), stock-out flags included. */
    async sales(region: string, candidateIds: string[], through: string) {
      if (candidateIds.length === 0) return [];
      return sql<{ sku: string; week: string; units: number; stockout: boolean }[]>`
        select sku, week::text, units, stockout from sales
         where region = ${region} and sku = any(${candidateIds}) and week <= ${through}::date
         order by sku, week`;
    },

    /**
     * Each item's tracking signal at its latest adjust before the order week `before` (stored
     * with its updated curve), so a signal alarms when it crosses the limit, not at every batch.
     */
    async previousSignals(scopeId: string, candidateIds: string[], before: string) {
      if (candidateIds.length === 0) return [];
      return sql<{ candidateId: string; signal: number }[]>`
        select distinct on (s.series_key) s.series_key as "candidateId", (s.params->>'trackingSignal')::float8 as signal
          from forecast_series s join forecast_sets f on f.id = s.set_id
         where f.scope_id = ${scopeId} and f.method = 'curve-update' and s.kind = 'launched' and s.series_key = any(${candidateIds})
           and f.start_week < ${before}::date and s.params ? 'trackingSignal'
         order by s.series_key, f.start_week desc, f.id desc`;
    },

    /**
     * Stores one adjust's updated curves as a forecast set (method 'curve-update', start = the
     * order week). One set per `runId`: a retried or repeated adjust finds the set it stored.
     */
    async storeUpdatedCurves(input: { scopeId: string; runId: string; startWeek: string; horizon: number; summary: Record<string, unknown>; curves: UpdatedCurveRow[] }): Promise<{ setId: number; created: boolean }> {
      return sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        // Serialises concurrent attempts of one adjust (a retry racing a slow first attempt).
        await t`select pg_advisory_xact_lock(hashtext(${input.runId}))`;
        const [existing] = await t<{ id: number }[]>`select id from forecast_sets where scope_id = ${input.scopeId} and run_id = ${input.runId} and method = 'curve-update'`;
        if (existing) return { setId: existing.id, created: false };
        const [set] = await t<{ id: number }[]>`
          insert into forecast_sets (scope_id, run_id, horizon, start_week, method, summary)
          values (${input.scopeId}, ${input.runId}, ${input.horizon}, ${input.startWeek}, 'curve-update', ${JSON.stringify(input.summary)}::jsonb)
          returning id`;
        if (input.curves.length > 0) {
          await t`
            insert into forecast_series (set_id, series_key, kind, model, params)
            select ${set.id}, k, 'launched', 'curve-update', p::jsonb
              from unnest(${t.array(input.curves.map((c) => c.candidateId))}::text[], ${t.array(input.curves.map((c) => JSON.stringify(c.params)))}::text[]) as u(k, p)`;
          await insertForecastPoints(t, input.curves.flatMap((c) => c.points.map((p) => ({ setId: set.id, seriesKey: c.candidateId, ...p }))));
        }
        return { setId: set.id, created: true };
      });
    },
  };
}

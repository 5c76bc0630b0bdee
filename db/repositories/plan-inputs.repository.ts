import type { Database } from '../client.js';
import type { Candidate, PlanItem, promotions } from '../schema.js';

/** Reads the planner's inputs for a scope. */
export function planInputsRepository({ sql }: Database) {
  return {
    async candidates(scopeId: string) {
      return sql<
        Pick<
          Candidate,
          | 'id' | 'name' | 'category' | 'subcategory' | 'price' | 'unitCost' | 'salvageValue' | 'moq' | 'leadTimeWeeks'
          | 'earliestWeek' | 'latestWeek' | 'mustLaunch' | 'launchedWeek' | 'committedQty'
        >[]
      >`select id, name, category, subcategory, price, unit_cost as "unitCost", salvage_value as "salvageValue", moq,
               lead_time_weeks as "leadTimeWeeks", earliest_week::text as "earliestWeek", latest_week::text as "latestWeek",
               must_launch as "mustLaunch", launched_week::text as "launchedWeek", committed_qty as "committedQty"
          from candidates where scope_id = ${scopeId} order by id`;
    },

    /**
     * The launch curve of every candidate the plan of forecast set `setId` can plan: the set's
     * cold-start curves (kind 'candidate'), and for each launched candidate of the scope (which the
     * cold-start stage no longer forecasts) its latest curve, so a replan keeps it fixed instead of
     * dropping it: the newest curve the adjust stage updated from its sales (method 'curve-update',
     * kind 'launched'; its weeks are weeks after the real launch, so its reference week is the
     * launch week), else the curve of the newest published (or since superseded) plan it was
     * planned in. The newest, not the newest before the set's start week: a set starts after the
     * scope's product sales, which need not include the launched candidates' own weeks.
     */
    async curves(setId: number) {
      type CurveRow = { seriesKey: string; refWeek: string | null; errorCorrelation: number | null; steps: number[]; mean: number[]; lo80: number[]; hi80: number[] };
      const own = await sql<CurveRow[]>`
        select s.series_key as "seriesKey", s.params->>'refWeek' as "refWeek",
               (s.params->>'errorCorrelation')::float8 as "errorCorrelation",
               array_agg(p.step order by p.step) as steps, array_agg(p.mean order by p.step) as mean,
               array_agg(p.lo_80 order by p.step) as lo80, array_agg(p.hi_80 order by p.step) as hi80
          from forecast_series s join forecast_points p on p.set_id = s.set_id and p.series_key = s.series_key
         where s.set_id = ${setId} and s.kind = 'candidate' and s.error is null
         group by s.series_key, s.params`;
      const launched = await sql<{ id: string; scopeId: string }[]>`
        select c.id, f.scope_id as "scopeId"
          from forecast_sets f join candidates c on c.scope_id = f.scope_id and c.launched_week is not null
         where f.id = ${setId} order by c.id`;
      if (launched.length === 0) return own;
      const { scopeId } = launched[0];
      const updated = await sql<CurveRow[]>`
        select distinct on (s.series_key) s.series_key as "seriesKey", s.params->>'launchWeek' as "refWeek",
               null::float8 as "errorCorrelation",
               array_agg(p.step order by p.step) as steps, array_agg(p.mean order by p.step) as mean,
               array_agg(p.lo_80 order by p.step) as lo80, array_agg(p.hi_80 order by p.step) as hi80
          from forecast_series s
          join forecast_sets f on f.id = s.set_id
          join forecast_points p on p.set_id = s.set_id and p.series_key = s.series_key and p.step >= 1
         where f.scope_id = ${scopeId} and f.method = 'curve-update' and s.kind = 'launched' and s.error is null
           and s.series_key = any(${launched.map((l) => l.id)})
         group by s.series_key, s.set_id, s.params, f.start_week
         order by s.series_key, f.start_week desc, s.set_id desc`;
      const have = new Set(updated.map((u) => u.seriesKey));
      const rest = launched.map((l) => l.id).filter((id) => !have.has(id));
      const planned = rest.length
        ? await sql<CurveRow[]>`
            select distinct on (i.candidate_id) i.candidate_id as "seriesKey", s.params->>'refWeek' as "refWeek",
                   (s.params->>'errorCorrelation')::float8 as "errorCorrelation",
                   array_agg(p.step order by p.step) as steps, array_agg(p.mean order by p.step) as mean,
                   array_agg(p.lo_80 order by p.step) as lo80, array_agg(p.hi_80 order by p.step) as hi80
              from plan_items i
              join plans pl on pl.id = i.plan_id
              join forecast_series s on s.set_id = pl.forecast_set_id and s.series_key = i.candidate_id and s.kind = 'candidate' and s.error is null
              join forecast_points p on p.set_id = s.set_id and p.series_key = s.series_key and p.step >= 1
             where pl.scope_id = ${scopeId} and pl.status in ('published', 'superseded') and i.candidate_id = any(${rest})
             group by i.candidate_id, pl.id, s.params
             order by i.candidate_id, pl.id desc`
        : [];
      // A launched item's own curve in this set (forecast before it was marked launched) is the last resort.
      const latest = new Map([...updated, ...planned].map((r) => [r.seriesKey, r]));
      return [...own.filter((r) => !latest.has(r.seriesKey)), ...latest.values()];
    },

    async categoryHistory(scope: { region: string; categories: string[] }, through: string) {
      return sql<{ category: string; week: string; units: number }[]>`
        select p.category, s.week::text, sum(s.units)::float8 as units
          from sales s join products p using (sku)
         where s.region = ${scope.region} and p.category = any(${scope.categories}) and s.week <= ${through}::date
         group by p.category, s.week order by p.category, s.week`;
    },

    async promotions(region: string) {
      return sql<Pick<typeof promotions.$inferSelect, 'name' | 'category' | 'startWeek' | 'endWeek' | 'kind'>[]>`
        select name, category, start_week::text as "startWeek", end_week::text as "endWeek", kind
          from promotions where region = ${region} order by start_week`;
    },

    async competitorLaunches(scope: { region: string; categories: string[] }) {
      return sql<{ category: string; week: string }[]>`
        select category, week::text from competitor_events
         where region = ${scope.region} and category = any(${scope.categories}) and kind = 'launch' order by week`;
    },

    /** Our launches inside the history with their first 13 weeks of units and unit margin. */
    async ourLaunches(scope: { region: string; categories: string[] }, through: string) {
      return sql<{ category: string; week: string; units: number; unitMargin: number }[]>`
        select p.category, p.launch_week::text as week, (p.price - p.unit_cost)::float8 as "unitMargin",
               coalesce(sum(s.units) filter (where s.week < p.launch_week + 91), 0)::float8 as units
          from products p join sales s on s.sku = p.sku and s.region = ${scope.region}
         where p.category = any(${scope.categories})
           and p.launch_week >= (select min(week) + 28 from sales where region = ${scope.region})
           and p.launch_week + 91 <= ${through}::date
         group by p.sku, p.category, p.launch_week, p.price, p.unit_cost`;
    },

    /**
     * Weeks of cover (on hand / trailing 8-week mean units) per product and week over the last
     * year, the observations of the inventory Markov chain; plus the weekly margin at stake.
     */
    async coverSequences(scope: { region: string; categories: string[] }, through: string) {
      return sql<{ category: string; sku: string; covers: number[]; weeklyMargin: number }[]>`
        with weekly as (
          select p.category, i.sku, i.week, i.on_hand, (p.price - p.unit_cost) as unit_margin,
                 avg(coalesce(s.units, 0)) over (partition by i.sku order by i.week rows between 8 preceding and 1 preceding) as rate
            from inventory_snapshots i
            join products p on p.sku = i.sku
            left join sales s on s.sku = i.sku and s.region = i.region and s.week = i.week
           where i.region = ${scope.region} and p.category = any(${scope.categories})
             and i.week > ${through}::date - 364 and i.week <= ${through}::date)
        select category, sku, array_agg(on_hand / greatest(rate, 0.1) order by week)::float8[] as covers,
               avg(rate * unit_margin)::float8 as "weeklyMargin"
          from weekly where rate is not null group by category, sku`;
    },

    async parentItems(planId: number) {
      return sql<Pick<PlanItem, 'candidateId' | 'launchWeek' | 'openingQty'>[]>`
        select candidate_id as "candidateId", launch_week::text as "launchWeek", opening_qty as "openingQty"
          from plan_items where plan_id = ${planId}`;
    },
  };
}

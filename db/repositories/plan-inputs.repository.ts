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

    /** Launch curves stored by the cold-start stage (kind 'candidate'), with their reference week. */
    async curves(setId: number) {
      return sql<{
        seriesKey: string;
        refWeek: string | null;
        errorCorrelation: number | null;
        steps: number[];
        mean: number[];
        lo80: number[];
        hi80: number[];
      }[]>`
        select s.series_key as "seriesKey", s.params->>'refWeek' as "refWeek",
               (s.params->>'errorCorrelation')::float8 as "errorCorrelation",
               array_agg(p.step order by p.step) as steps, array_agg(p.mean order by p.step) as mean,
               array_agg(p.lo_80 order by p.step) as lo80, array_agg(p.hi_80 order by p.step) as hi80
          from forecast_series s join forecast_points p on p.set_id = s.set_id and p.series_key = s.series_key
         where s.set_id = ${setId} and s.kind = 'candidate' and s.error is null
         group by s.series_key, s.params`;
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

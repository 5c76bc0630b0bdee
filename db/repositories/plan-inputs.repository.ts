import type { Database } from '../client.js';

/** Reads the planner's inputs for a scope. */
export function planInputsRepository({ sql }: Database) {
  return {
    async candidates(scopeId: string) {
      return sql<
        {
          id: string;
          name: string;
          category: string;
          subcategory: string;
          price: number;
          unitCost: number;
          salvageValue: number;
          moq: number;
          leadTimeWeeks: number;
          earliestWeek: string;
          latestWeek: string;
          mustLaunch: boolean;
          launchedWeek: string | null;
          committedQty: number | null;
        }[]
      >`select id, name, category, subcategory, price, unit_cost as "unitCost", salvage_value as "salvageValue", moq,
               lead_time_weeks as "leadTimeWeeks", earliest_week::text as "earliestWeek", latest_week::text as "latestWeek",
               must_launch as "mustLaunch", launched_week::text as "launchedWeek", committed_qty as "committedQty"
          from candidates where scope_id = ${scopeId} order by id`;
    },

    /** Launch curves stored by the cold-start stage (kind 'candidate'), with their reference week. */
    async curves(setId: number) {
      return sql<{ series_key: string; ref_week: string | null; steps: number[]; mean: number[]; lo80: number[]; hi80: number[] }[]>`
        select s.series_key, s.params->>'refWeek' as ref_week,
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
      return sql<{ name: string; category: string | null; startWeek: string; endWeek: string; kind: string }[]>`
        select name, category, start_week::text as "startWeek", end_week::text as "endWeek", kind
          from promotions where region = ${region} order by start_week`;
    },

    async competitorLaunches(scope: { region: string; categories: string[] }) {
      return sql<{ category: string; week: string; competitor: string }[]>`
        select category, week::text, competitor from competitor_events
         where region = ${scope.region} and category = any(${scope.categories}) and kind = 'launch' order by week`;
    },

    async ourLaunches(scope: { region: string; categories: string[] }) {
      return sql<{ sku: string; category: string; week: string }[]>`
        select sku, category, launch_week::text as week from products
         where category = any(${scope.categories})
           and exists (select 1 from sales s where s.sku = products.sku and s.region = ${scope.region})`;
    },

    async parentItems(planId: number) {
      return sql<{ candidateId: string; launchWeek: string; openingQty: number }[]>`
        select candidate_id as "candidateId", launch_week::text as "launchWeek", opening_qty as "openingQty"
          from plan_items where plan_id = ${planId}`;
    },
  };
}

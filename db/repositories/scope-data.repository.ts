import type { Database } from '../client.js';

/** Problems found in a scope's data, each with a count and a few example rows. */
export interface DataIssue {
  table: string;
  problem: string;
  count: number;
  examples: string[];
}

/**
 * Read-side queries over a scope's inputs (scope = categories × region). Everything the
 * activities read for a scope goes through here, so the scoping rule lives in one place.
 */
export function scopeDataRepository({ sql }: Database) {
  return {
    /** Checks that retrying cannot fix; the messages name table, column and example rows. */
    async findIssues(scope: { id: string; region: string; categories: string[] }): Promise<DataIssue[]> {
      const checks = await sql<{ table: string; problem: string; count: number; examples: string[] }[]>`
        with scoped_sales as (
          select s.* from sales s join products p using (sku)
          where s.region = ${scope.region} and p.category = any(${scope.categories})
        )
        select 'sales' as table, 'units is negative or not a number' as problem, count(*)::int as count,
               (array_agg(format('sku %s week %s units %s', sku, week, units) order by sku, week))[1:3] as examples
          from scoped_sales where units < 0 or units = 'NaN'::float8
        union all
        select 'sales', 'price is not positive', count(*)::int,
               (array_agg(format('sku %s week %s price %s', sku, week, price) order by sku, week))[1:3]
          from scoped_sales where not (price > 0)
        union all
        select 'sales', 'week is not a Monday', count(*)::int,
               (array_agg(format('sku %s week %s', sku, week) order by sku, week))[1:3]
          from scoped_sales where extract(isodow from week) <> 1
        union all
        select 'candidates', 'earliest_week is after latest_week', count(*)::int,
               (array_agg(format('candidate %s: %s > %s', id, earliest_week, latest_week) order by id))[1:3]
          from candidates where scope_id = ${scope.id} and earliest_week > latest_week
        union all
        select 'candidates', 'price or unit_cost is not positive', count(*)::int,
               (array_agg(format('candidate %s: price %s, unit_cost %s', id, price, unit_cost) order by id))[1:3]
          from candidates where scope_id = ${scope.id} and not (price > 0 and unit_cost > 0)
      `;
      return checks.filter((c) => c.count > 0);
    },

    async counts(scope: { id: string; region: string; categories: string[] }) {
      const [row] = await sql<{ series: number; candidates: number; salesThrough: string | null }[]>`
        select
          (select count(distinct s.sku)::int from sales s join products p using (sku)
            where s.region = ${scope.region} and p.category = any(${scope.categories})) as series,
          (select count(*)::int from candidates where scope_id = ${scope.id}) as candidates,
          (select max(s.week)::text from sales s join products p using (sku)
            where s.region = ${scope.region} and p.category = any(${scope.categories})) as "salesThrough"`;
      return row;
    },

    /**
     * A candidate that has started selling is launched: replans keep it fixed from now on, with
     * the opening quantity of the latest published plan that had it.
     */
    async markLaunchedCandidates(scope: { id: string; region: string }): Promise<void> {
      await sql`
        update candidates c set launched_week = f.first_week,
               committed_qty = coalesce(c.committed_qty, (select i.opening_qty from plan_items i join plans p on p.id = i.plan_id
                                 where i.candidate_id = c.id and p.status in ('published', 'superseded') order by p.version desc limit 1))
          from (select sku, min(week) as first_week from sales where region = ${scope.region} group by sku) f
         where c.scope_id = ${scope.id} and c.launched_week is null and f.sku = c.id`;
    },
  };
}

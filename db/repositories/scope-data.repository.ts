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
    async scope(scopeId: string) {
      const [row] = await sql<{ id: string; region: string; categories: string[]; rules: Record<string, unknown> }[]>`
        select id, region, categories, rules from scopes where id = ${scopeId}`;
      return row;
    },

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
      const [row] = await sql<{ series: number; candidates: number; sales_through: string | null }[]>`
        select
          (select count(distinct s.sku)::int from sales s join products p using (sku)
            where s.region = ${scope.region} and p.category = any(${scope.categories})) as series,
          (select count(*)::int from candidates where scope_id = ${scope.id}) as candidates,
          (select max(s.week)::text from sales s join products p using (sku)
            where s.region = ${scope.region} and p.category = any(${scope.categories})) as sales_through`;
      return row;
    },
  };
}

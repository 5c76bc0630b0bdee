import type { Database } from '../client.js';
import type { Candidate } from '../schema.js';
import { indicatorCovariates, promotionCovariates, type AttributeSchema, type CovariateRow, type ItemRow, type SalesRow } from '../../engine/coldstart/index.js';

/** The scope's catalogue in the cold-start engine's generic format. */
export function catalogueRepository({ sql }: Database) {
  return {
    async sales(scope: { region: string; categories: string[] }, through: string): Promise<SalesRow[]> {
      const rows = await sql<{ itemId: string; week: string; units: number }[]>`
        select s.sku as "itemId", s.week::text as week, s.units
          from sales s join products p using (sku)
         where s.region = ${scope.region} and p.category = any(${scope.categories}) and s.week <= ${through}::date
         order by s.sku, s.week`;
      return rows.map((r) => ({ itemId: r.itemId, week: r.week, units: r.units }));
    },

    async items(scope: { categories: string[] }): Promise<{ items: ItemRow[]; schema: AttributeSchema }> {
      const rows = await sql<{ sku: string; category: string; subcategory: string; brand: string; price: number; attributes: Record<string, string | number> }[]>`
        select sku, category, subcategory, brand, price, attributes from products where category = any(${scope.categories}) order by sku`;
      return toCatalogue(rows.map((r) => ({ itemId: r.sku, ...r })));
    },

    /**
     * What is known ahead about launch weeks: the region's promotions and festivals in the
     * scope's categories (or shop-wide), and (unless `indicators` is false) the market
     * indicators published through `through`.
     */
    async covariates(scope: { region: string; categories: string[] }, through: string, o: { indicators: boolean } = { indicators: true }): Promise<CovariateRow[]> {
      const [promotions, indicators] = await Promise.all([
        sql<{ category: string | null; startWeek: string; endWeek: string; discount: number; kind: string }[]>`
          select category, start_week::text as "startWeek", end_week::text as "endWeek", discount, kind
            from promotions where region = ${scope.region} and (category is null or category = any(${scope.categories}))
           order by start_week, id`,
        sql<{ name: string; week: string; value: number }[]>`
          select name, week::text as week, value from indicators where week <= ${through}::date order by name, week`,
      ]);
      return [...promotionCovariates(promotions), ...(o.indicators ? indicatorCovariates(indicators) : [])];
    },

    /** Names and categories of the given candidates (plan items show them). */
    async candidatesById(ids: string[]) {
      return sql<Pick<Candidate, 'id' | 'name' | 'category'>[]>`select id, name, category from candidates where id = any(${ids})`;
    },

    async candidateNames(scopeId: string) {
      return sql<Pick<Candidate, 'id' | 'name'>[]>`select id, name from candidates where scope_id = ${scopeId}`;
    },

    async candidates(scopeId: string) {
      return sql<Pick<Candidate, 'id' | 'category' | 'subcategory' | 'brand' | 'price' | 'attributes' | 'earliestWeek'>[]>`select id, category, subcategory, brand, price, attributes, earliest_week::text as "earliestWeek"
          from candidates where scope_id = ${scopeId} and launched_week is null order by id`;
    },
  };
}

/** Fixed columns plus whatever extra attributes the catalogue stores, typed by their values. */
export function toCatalogue(
  rows: Array<{ itemId: string; category: string; subcategory: string; brand: string; price: number; attributes: Record<string, string | number> }>,
): { items: ItemRow[]; schema: AttributeSchema } {
  const extra = new Map<string, 'categorical' | 'numeric'>();
  for (const r of rows)
    for (const [k, v] of Object.entries(r.attributes ?? {})) {
      if (['category', 'subcategory', 'brand', 'price'].includes(k)) continue;
      const kind = typeof v === 'number' ? 'numeric' : 'categorical';
      extra.set(k, extra.get(k) === 'categorical' ? 'categorical' : kind);
    }
  const schema: AttributeSchema = {
    columns: ['category', 'subcategory', 'brand', 'price', ...extra.keys()],
    kinds: { category: 'categorical', subcategory: 'categorical', brand: 'categorical', price: 'numeric', ...Object.fromEntries(extra) },
  };
  const items = rows.map((r) => {
    const attributes: Record<string, string | number> = { category: r.category, subcategory: r.subcategory, brand: r.brand, price: r.price };
    for (const [k, kind] of extra) {
      const v = r.attributes?.[k];
      if (v !== undefined) attributes[k] = kind === 'numeric' ? Number(v) : String(v);
    }
    return { itemId: r.itemId, attributes };
  });
  return { items, schema };
}

import { eq } from 'drizzle-orm';
import type { Database } from '../client.js';
import { datasetSnapshots, scopes, type Scope } from '../schema.js';

export type DatasetSnapshot = typeof datasetSnapshots.$inferSelect;

/** Dataset snapshots: the fingerprint of a scope's data that models and forecasts refer to. */
export function snapshotsRepository({ db, sql }: Database) {
  return {
    /**
     * Records what a scope's data looks like now: last sales week, row counts and an md5 over
     * the scope's sales (its region, its categories) in a fixed order, so two snapshots of the
     * same data have the same checksum and any change to a sales row changes it.
     */
    async create(scopeId: string): Promise<DatasetSnapshot> {
      const [scope] = await db.select().from(scopes).where(eq(scopes.id, scopeId));
      if (!scope) throw new Error(`unknown scope "${scopeId}"`);
      const [stats] = await sql<{ salesThrough: string | null; sales: string; checksum: string | null }[]>`
        select max(s.week)::text as "salesThrough", count(*)::text as sales,
          md5(string_agg(concat_ws('|', s.sku, s.week, s.units, s.price, s.promo, s.stockout), E'\\n' order by s.sku, s.week)) as checksum
        from sales s join products p on p.sku = s.sku
        where s.region = ${scope.region} and p.category = any(${sql.array(scope.categories)}::text[])`;
      if (!stats.salesThrough || !stats.checksum) throw new Error(`scope "${scopeId}" has no sales to snapshot`);
      const [counts] = await sql<{ products: string; candidates: string; inventory: string; indicators: string; promotions: string; competitorEvents: string }[]>`
        select
          (select count(*) from products where category = any(${sql.array(scope.categories)}::text[]))::text as products,
          (select count(*) from candidates where scope_id = ${scopeId})::text as candidates,
          (select count(*) from inventory_snapshots i join products p on p.sku = i.sku
            where i.region = ${scope.region} and p.category = any(${sql.array(scope.categories)}::text[]))::text as inventory,
          (select count(*) from indicators)::text as indicators,
          (select count(*) from promotions where region = ${scope.region})::text as promotions,
          (select count(*) from competitor_events where region = ${scope.region})::text as "competitorEvents"`;
      const rowCounts: Record<string, number> = { sales: Number(stats.sales) };
      for (const [k, v] of Object.entries(counts)) rowCounts[k] = Number(v);
      const [row] = await db.insert(datasetSnapshots).values({ scopeId, salesThrough: stats.salesThrough, rowCounts, checksum: stats.checksum }).returning();
      return row;
    },

    /** The last sales week a snapshot covers; undefined when there is no such snapshot. */
    async salesThrough(snapshotId: number): Promise<string | undefined> {
      const [row] = await db.select({ salesThrough: datasetSnapshots.salesThrough }).from(datasetSnapshots).where(eq(datasetSnapshots.id, snapshotId));
      return row?.salesThrough;
    },

    /** A scope as of one of its snapshots: what training reads. */
    async scopeAt(scopeId: string, snapshotId: number): Promise<(Pick<Scope, 'region' | 'categories' | 'rules'> & Pick<DatasetSnapshot, 'salesThrough'>) | undefined> {
      const [row] = await sql<{ region: string; categories: string[]; rules: Record<string, unknown>; salesThrough: string }[]>`
        select s.region, s.categories, s.rules, d.sales_through::text as "salesThrough" from scopes s join dataset_snapshots d on d.scope_id = s.id
         where s.id = ${scopeId} and d.id = ${snapshotId}`;
      return row;
    },
  };
}

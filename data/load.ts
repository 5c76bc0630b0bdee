/**
 * Loading a marketplace (synthetic or imported) into Postgres in one transaction, and
 * fingerprinting a scope's data as a dataset snapshot that models and forecasts refer to.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { datasetSnapshots, scopes } from '../db/schema.js';
import {
  DEFAULT_CHUNK,
  insertCandidates,
  insertCompetitorEvents,
  insertIndicators,
  insertInventory,
  insertProducts,
  insertPromotions,
  insertSales,
  insertScopes,
  type Tx,
} from './bulk.js';
import type { Marketplace } from './synthetic/types.js';

/** The table rows of a marketplace; every table is optional so imports can load a subset. */
export type MarketplaceRows = Partial<
  Pick<Marketplace, 'scopes' | 'products' | 'candidates' | 'sales' | 'indicators' | 'inventory' | 'competitorEvents' | 'promotions'>
>;

export interface LoadOptions {
  /**
   * Empty the marketplace tables first (TRUNCATE … CASCADE): this also empties everything that
   * references scopes or candidates — dataset snapshots, models, forecasts, plans. Runs,
   * artifacts and idempotency keys are kept. Use for reseeding.
   */
  replace?: boolean;
  /** Rows per bulk statement (default 50 000). */
  chunkSize?: number;
}

export interface LoadResult {
  inserted: Record<string, number>;
  ms: number;
}

export const MARKETPLACE_TABLES = [
  'scopes',
  'products',
  'candidates',
  'sales',
  'inventory_snapshots',
  'indicators',
  'competitor_events',
  'promotions',
] as const;

/** Inserts rows in foreign-key order inside an open transaction. */
export async function insertMarketplaceRows(tx: Tx, rows: MarketplaceRows, chunk = DEFAULT_CHUNK): Promise<Record<string, number>> {
  return {
    scopes: await insertScopes(tx, rows.scopes ?? []),
    products: await insertProducts(tx, rows.products ?? [], chunk),
    candidates: await insertCandidates(tx, rows.candidates ?? [], chunk),
    sales: await insertSales(tx, rows.sales ?? [], chunk),
    inventory: await insertInventory(tx, rows.inventory ?? [], chunk),
    indicators: await insertIndicators(tx, rows.indicators ?? [], chunk),
    competitorEvents: await insertCompetitorEvents(tx, rows.competitorEvents ?? [], chunk),
    promotions: await insertPromotions(tx, rows.promotions ?? [], chunk),
  };
}

/** Loads all rows in ONE transaction: on any error nothing is written. */
export async function loadMarketplace(database: Database, marketplace: MarketplaceRows, options: LoadOptions = {}): Promise<LoadResult> {
  const started = performance.now();
  const inserted = await database.sql
    .begin(async (tx) => {
      if (options.replace) {
        // TRUNCATE waits for every open transaction on these tables; fail clearly instead of hanging.
        await tx`set local lock_timeout = '20s'`;
        await tx.unsafe(`truncate ${MARKETPLACE_TABLES.join(', ')} restart identity cascade`);
      }
      return insertMarketplaceRows(tx, marketplace, options.chunkSize ?? DEFAULT_CHUNK);
    })
    .catch((err: unknown) => {
      if ((err as { code?: string }).code === '55P03')
        throw new Error('could not replace the marketplace: its tables are in use (stop running workers or the API and retry)', { cause: err });
      throw err;
    });
  return { inserted, ms: Math.round(performance.now() - started) };
}

export type DatasetSnapshot = typeof datasetSnapshots.$inferSelect;

/**
 * Records what a scope's data looks like now: last sales week, row counts and an md5 over
 * the scope's sales (its region, its categories) in a fixed order, so two snapshots of the
 * same data have the same checksum and any change to a sales row changes it.
 */
export async function snapshotDataset(database: Database, scopeId: string): Promise<DatasetSnapshot> {
  const [scope] = await database.db.select().from(scopes).where(eq(scopes.id, scopeId));
  if (!scope) throw new Error(`unknown scope "${scopeId}"`);
  const { sql } = database;
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
  const [row] = await database.db
    .insert(datasetSnapshots)
    .values({ scopeId, salesThrough: stats.salesThrough, rowCounts, checksum: stats.checksum })
    .returning();
  return row;
}

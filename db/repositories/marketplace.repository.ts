import type { Database } from '../client.js';
import type { candidates, competitorEvents, indicators, inventorySnapshots, products, promotions, sales, scopes } from '../schema.js';
import { DEFAULT_CHUNK, insertMarketplaceRows, insertSales, type MarketplaceRows as TableRows, type Tx } from '../bulk.js';
import { customerOrdersWriter, type CustomerOrdersWriter } from './audiences.repository.js';
import { insertPrelaunchSignals, storedPrelaunchKeys, type PrelaunchSignalInsert } from './prelaunch-signals.repository.js';

/** The rows of a marketplace by table; every table is optional so imports can load a subset. */
export type MarketplaceRows = TableRows & { prelaunchSignals?: PrelaunchSignalInsert[] };

/** The bulk tables, then the pre-launch signals (prelaunch-signals.repository.ts), in one transaction. */
async function insertAll(tx: Tx, rows: MarketplaceRows, chunk: number): Promise<Record<string, number>> {
  return { ...(await insertMarketplaceRows(tx, rows, chunk)), prelaunchSignals: await insertPrelaunchSignals(tx, rows.prelaunchSignals ?? [], chunk) };
}

/** The rows a marketplace load inserts, one type per table (Drizzle insert types). */
export type ScopeInsert = typeof scopes.$inferInsert;
export type ProductInsert = typeof products.$inferInsert;
export type CandidateInsert = typeof candidates.$inferInsert;
export type SalesInsert = typeof sales.$inferInsert;
export type IndicatorInsert = typeof indicators.$inferInsert;
export type InventoryInsert = typeof inventorySnapshots.$inferInsert;
export type CompetitorEventInsert = typeof competitorEvents.$inferInsert;
export type PromotionInsert = typeof promotions.$inferInsert;

/** Every table a marketplace fills, emptied by a replacing load. */
export const MARKETPLACE_TABLES = [
  'scopes',
  'products',
  'candidates',
  'sales',
  'inventory_snapshots',
  'indicators',
  'competitor_events',
  'promotions',
  // A shop's customers and their orders are marketplace data too: a reseed must not keep another shop's.
  'customer_orders',
  'customers',
  // Signals name items by key without a foreign key, so CASCADE would not empty them.
  'prelaunch_signals',
] as const;

/** Keys an import asks about: the database answers which of them already exist. */
export interface StoredKeysRequest {
  skus: readonly string[];
  candidateIds: readonly string[];
  sales: ReadonlyArray<{ sku: string; region: string; week: string }>;
  inventory: ReadonlyArray<{ sku: string; region: string; week: string }>;
  indicators: ReadonlyArray<{ name: string; week: string }>;
  /** Events and promotions have no unique constraint: their keys are matched on these weeks. */
  competitorEventWeeks: readonly string[];
  promotionStartWeeks: readonly string[];
  prelaunchSignals?: ReadonlyArray<{ itemId: string; week: string }>;
}

/**
 * What exists already, as keys in the import formats' terms: `sku|region|week` for sales and
 * inventory, `name|week` for indicators, `competitor|category|region|week|kind` for events,
 * `name|region|category|start_week` for promotions. Absent when not asked for.
 */
export interface StoredKeys {
  scopes: Set<string>;
  /** Each stored scope's categories (import checks every product falls in some scope). */
  scopeCategories: Map<string, string[]>;
  /** Categories of the stored products and candidates (scope wildcards expand over them). */
  categories: Set<string>;
  /** The last week with stored sales, null when there is none. */
  salesThrough: string | null;
  products: Set<string>;
  candidates: Set<string>;
  sales?: Set<string>;
  inventory?: Set<string>;
  indicators?: Set<string>;
  competitorEvents?: Set<string>;
  promotions?: Set<string>;
  /** `item_id|week`. */
  prelaunchSignals?: Set<string>;
}

/** One transaction of an import: what is checked is what is written against. */
export interface MarketplaceTransaction {
  storedKeys(request: StoredKeysRequest): Promise<StoredKeys>;
  /** Inserts rows in foreign-key order; returns rows written per table. */
  insert(rows: MarketplaceRows, chunkSize?: number): Promise<Record<string, number>>;
  /** Which of these skus are stored products (a streamed sales file's references, a chunk at a time). */
  storedSkus(skus: readonly string[]): Promise<Set<string>>;
  /** Which of these sales keys are stored, as `sku|region|week`. */
  storedSales(keys: ReadonlyArray<{ sku: string; region: string; week: string }>): Promise<Set<string>>;
  /** Inserts sales rows (a chunk of a streamed file; sales refer to no other table by key). */
  insertSales(rows: NonNullable<MarketplaceRows['sales']>): Promise<number>;
  /** The customer orders file's statements (a streamed file, like sales). */
  customerOrders: CustomerOrdersWriter;
}

/** Writes of a whole marketplace (synthetic or imported) and the import's existence checks. */
export function marketplaceRepository({ sql }: Database) {
  return {
    /**
     * Loads all rows in ONE transaction: on any error nothing is written. `replace` empties the
     * marketplace tables first (TRUNCATE … CASCADE, identities restart).
     */
    async load(rows: MarketplaceRows, options: { replace?: boolean; chunkSize?: number } = {}): Promise<Record<string, number>> {
      return sql
        .begin(async (tx) => {
          if (options.replace) {
            // TRUNCATE waits for every open transaction on these tables; fail clearly instead of hanging.
            await tx`set local lock_timeout = '20s'`;
            await tx.unsafe(`truncate ${MARKETPLACE_TABLES.join(', ')} restart identity cascade`);
          }
          return insertAll(tx, rows, options.chunkSize ?? DEFAULT_CHUNK);
        })
        .catch((err: unknown) => {
          if ((err as { code?: string }).code === '55P03')
            throw new Error('could not replace the marketplace: its tables are in use (stop running workers or the API and retry)', { cause: err });
          throw err;
        });
    },

    /** Runs `work` in one transaction; a throw from it writes nothing. */
    /** Rows stored per marketplace table (benchmarks check an import landed whole). */
    async counts(): Promise<Record<string, number>> {
      const rows = await sql.unsafe<{ name: string; n: number }[]>(
        MARKETPLACE_TABLES.map((t) => `select '${t}' as name, count(*)::int as n from ${t}`).join(' union all '),
      );
      return Object.fromEntries(rows.map((r) => [r.name, r.n]));
    },
    async transaction<T>(work: (tx: MarketplaceTransaction) => Promise<T>): Promise<T> {
      // postgres.js types the callback's result as UnwrapPromiseArray<T>; for a non-array T it is T.
      return sql.begin((tx) =>
        work({
          storedKeys: (request) => storedKeys(tx, request),
          insert: (rows, chunk) => insertAll(tx, rows, chunk ?? DEFAULT_CHUNK),
          storedSkus: async (skus) =>
            new Set(skus.length ? (await tx<{ sku: string }[]>`select sku from products where sku = any(${tx.array([...new Set(skus)])}::text[])`).map((x) => x.sku) : []),
          storedSales: (keys) => storedSales(tx, keys),
          insertSales: (rows) => insertSales(tx, rows),
          customerOrders: customerOrdersWriter(tx),
        }),
      ) as Promise<T>;
    },
  };
}

async function storedKeys(tx: Tx, r: StoredKeysRequest): Promise<StoredKeys> {
  const scopeRows = await tx<{ id: string; categories: string[] }[]>`select id, categories from scopes`;
  const categoryRows = await tx<{ category: string }[]>`select distinct category from products union select distinct category from candidates`;
  const [through] = await tx<{ week: string | null }[]>`select max(week)::text as week from sales`;
  const skuRows = r.skus.length ? await tx<{ sku: string }[]>`select sku from products where sku = any(${tx.array([...new Set(r.skus)])}::text[])` : [];
  const candidateRows = r.candidateIds.length
    ? await tx<{ id: string }[]>`select id from candidates where id = any(${tx.array([...r.candidateIds])}::text[])`
    : [];
  const out: StoredKeys = {
    scopes: new Set(scopeRows.map((x) => x.id)),
    scopeCategories: new Map(scopeRows.map((x) => [x.id, x.categories])),
    categories: new Set(categoryRows.map((x) => x.category)),
    salesThrough: through?.week ?? null,
    products: new Set(skuRows.map((x) => x.sku)),
    candidates: new Set(candidateRows.map((x) => x.id)),
  };
  const keys = async (query: Promise<{ key: string }[]>) => new Set((await query).map((x) => x.key));
  if (r.sales.length) out.sales = await storedSales(tx, r.sales);
  if (r.prelaunchSignals?.length) out.prelaunchSignals = await storedPrelaunchKeys(tx, r.prelaunchSignals);
  const inv = r.inventory;
  if (inv.length)
    out.inventory = await keys(tx<{ key: string }[]>`
      select t.sku || '|' || t.region || '|' || t.week::text as key from inventory_snapshots t
      join unnest(${tx.array(inv.map((x) => x.sku))}::text[], ${tx.array(inv.map((x) => x.region))}::text[], ${tx.array(inv.map((x) => x.week))}::date[])
        as k(sku, region, week) on t.sku = k.sku and t.region = k.region and t.week = k.week`);
  const ind = r.indicators;
  if (ind.length)
    out.indicators = await keys(tx<{ key: string }[]>`
      select t.name || '|' || t.week::text as key from indicators t
      join unnest(${tx.array(ind.map((x) => x.name))}::text[], ${tx.array(ind.map((x) => x.week))}::date[]) as k(name, week)
        on t.name = k.name and t.week = k.week`);
  if (r.competitorEventWeeks.length)
    out.competitorEvents = await keys(tx<{ key: string }[]>`
      select concat_ws('|', competitor, category, region, week::text, kind) as key from competitor_events
      where week = any(${tx.array([...new Set(r.competitorEventWeeks)])}::date[])`);
  if (r.promotionStartWeeks.length)
    out.promotions = await keys(tx<{ key: string }[]>`
      select name || '|' || region || '|' || coalesce(category, '') || '|' || start_week::text as key from promotions
      where start_week = any(${tx.array([...new Set(r.promotionStartWeeks)])}::date[])`);
  return out;
}

async function storedSales(tx: Tx, s: ReadonlyArray<{ sku: string; region: string; week: string }>): Promise<Set<string>> {
  if (s.length === 0) return new Set();
  const rows = await tx<{ key: string }[]>`
    select t.sku || '|' || t.region || '|' || t.week::text as key from sales t
    join unnest(${tx.array(s.map((x) => x.sku))}::text[], ${tx.array(s.map((x) => x.region))}::text[], ${tx.array(s.map((x) => x.week))}::date[])
      as k(sku, region, week) on t.sku = k.sku and t.region = k.region and t.week = k.week`;
  return new Set(rows.map((x) => x.key));
}

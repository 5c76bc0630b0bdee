/**
 * Set-based writes, the one bulk-write module: each statement sends one array per column and
 * lets Postgres `unnest` them into rows, so 100k rows cost a handful of round trips instead of
 * 100k (row-by-row inserts of 100k rows took ~10 s here; this takes ~1 s). Large inputs go in
 * chunks to bound message size and memory. Callers pass a transaction so a batch is
 * all-or-nothing. Only repositories call these.
 */
import type postgres from 'postgres';
import type { Sql } from './client.js';
import type {
  candidates,
  competitorEvents,
  indicators,
  inventorySnapshots,
  products,
  promotions,
  sales,
  scopes,
} from './schema.js';

export type Tx = postgres.TransactionSql;

/** The rows of a marketplace by table, as Drizzle insert types; every table is optional so imports can load a subset. */
export type MarketplaceRows = Partial<{
  scopes: Array<typeof scopes.$inferInsert>;
  products: Array<typeof products.$inferInsert>;
  candidates: Array<typeof candidates.$inferInsert>;
  sales: Array<typeof sales.$inferInsert>;
  inventory: Array<typeof inventorySnapshots.$inferInsert>;
  indicators: Array<typeof indicators.$inferInsert>;
  competitorEvents: Array<typeof competitorEvents.$inferInsert>;
  promotions: Array<typeof promotions.$inferInsert>;
}>;
type Rows<K extends keyof MarketplaceRows> = ReadonlyArray<NonNullable<MarketplaceRows[K]>[number]>;

export const DEFAULT_CHUNK = 50_000;

/** Runs `insert` on each slice of `chunk` rows in turn (one statement per slice); returns the rows given. */
export async function inChunks<R>(rows: readonly R[], chunk: number, insert: (part: readonly R[]) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < rows.length; i += chunk) await insert(rows.slice(i, i + chunk));
  return rows.length;
}

const json = (v: unknown) => JSON.stringify(v ?? {});

export async function insertScopes(tx: Tx, rows: Rows<'scopes'>): Promise<number> {
  // A scope may already exist (created by the API); keep its rules, refresh what data defines.
  for (const s of rows) {
    await tx`
      insert into scopes (id, region, categories, rules)
      values (${s.id}, ${s.region}, ${tx.array(s.categories)}::text[], ${json(s.rules)}::jsonb)
      on conflict (id) do update set region = excluded.region, categories = excluded.categories, updated_at = now()`;
  }
  return rows.length;
}

export function insertProducts(tx: Tx, rows: Rows<'products'>, chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into products (sku, name, category, subcategory, brand, price, unit_cost, launch_week, attributes)
    select sku, name, category, subcategory, brand, price, unit_cost, launch_week, attributes::jsonb
    from unnest(
      ${tx.array(p.map((r) => r.sku))}::text[], ${tx.array(p.map((r) => r.name))}::text[],
      ${tx.array(p.map((r) => r.category))}::text[], ${tx.array(p.map((r) => r.subcategory))}::text[],
      ${tx.array(p.map((r) => r.brand))}::text[], ${tx.array(p.map((r) => r.price))}::float8[],
      ${tx.array(p.map((r) => r.unitCost))}::float8[], ${tx.array(p.map((r) => r.launchWeek))}::date[],
      ${tx.array(p.map((r) => json(r.attributes)))}::text[]
    ) as t(sku, name, category, subcategory, brand, price, unit_cost, launch_week, attributes)`);
}

export function insertCandidates(tx: Tx, rows: Rows<'candidates'>, chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into candidates (id, scope_id, name, category, subcategory, brand, price, unit_cost, salvage_value, moq,
      lead_time_weeks, earliest_week, latest_week, must_launch, attributes, launched_week, committed_qty)
    select id, scope_id, name, category, subcategory, brand, price, unit_cost, salvage_value, moq,
      lead_time_weeks, earliest_week, latest_week, must_launch, attributes::jsonb, launched_week, committed_qty
    from unnest(
      ${tx.array(p.map((r) => r.id))}::text[], ${tx.array(p.map((r) => r.scopeId))}::text[],
      ${tx.array(p.map((r) => r.name))}::text[], ${tx.array(p.map((r) => r.category))}::text[],
      ${tx.array(p.map((r) => r.subcategory))}::text[], ${tx.array(p.map((r) => r.brand))}::text[],
      ${tx.array(p.map((r) => r.price))}::float8[], ${tx.array(p.map((r) => r.unitCost))}::float8[],
      ${tx.array(p.map((r) => r.salvageValue))}::float8[], ${tx.array(p.map((r) => r.moq ?? 0))}::int4[],
      ${tx.array(p.map((r) => r.leadTimeWeeks ?? 0))}::int4[], ${tx.array(p.map((r) => r.earliestWeek))}::date[],
      ${tx.array(p.map((r) => r.latestWeek))}::date[], ${tx.array(p.map((r) => r.mustLaunch ?? false))}::bool[],
      ${tx.array(p.map((r) => json(r.attributes)))}::text[], ${tx.array(p.map((r) => r.launchedWeek ?? null))}::date[],
      ${tx.array(p.map((r) => r.committedQty ?? null))}::int4[]
    ) as t(id, scope_id, name, category, subcategory, brand, price, unit_cost, salvage_value, moq,
      lead_time_weeks, earliest_week, latest_week, must_launch, attributes, launched_week, committed_qty)`);
}

export function insertSales(tx: Tx, rows: Rows<'sales'>, chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into sales (sku, region, week, units, price, promo, stockout)
    select * from unnest(
      ${tx.array(p.map((r) => r.sku))}::text[], ${tx.array(p.map((r) => r.region))}::text[],
      ${tx.array(p.map((r) => r.week))}::date[], ${tx.array(p.map((r) => r.units))}::float8[],
      ${tx.array(p.map((r) => r.price))}::float8[], ${tx.array(p.map((r) => r.promo ?? false))}::bool[],
      ${tx.array(p.map((r) => r.stockout ?? false))}::bool[])`);
}

export function insertInventory(tx: Tx, rows: Rows<'inventory'>, chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into inventory_snapshots (sku, region, week, on_hand, on_order)
    select * from unnest(
      ${tx.array(p.map((r) => r.sku))}::text[], ${tx.array(p.map((r) => r.region))}::text[],
      ${tx.array(p.map((r) => r.week))}::date[], ${tx.array(p.map((r) => r.onHand))}::float8[],
      ${tx.array(p.map((r) => r.onOrder ?? 0))}::float8[])`);
}

export function insertIndicators(tx: Tx, rows: Rows<'indicators'>, chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into indicators (name, week, value)
    select * from unnest(
      ${tx.array(p.map((r) => r.name))}::text[], ${tx.array(p.map((r) => r.week))}::date[],
      ${tx.array(p.map((r) => r.value))}::float8[])`);
}

export function insertCompetitorEvents(tx: Tx, rows: Rows<'competitorEvents'>, chunk = DEFAULT_CHUNK): Promise<number> {
  // Ids come from the serial; generated rows do not carry one.
  return inChunks(rows, chunk, (p) => tx`
    insert into competitor_events (competitor, category, region, week, kind, description)
    select * from unnest(
      ${tx.array(p.map((r) => r.competitor))}::text[], ${tx.array(p.map((r) => r.category))}::text[],
      ${tx.array(p.map((r) => r.region))}::text[], ${tx.array(p.map((r) => r.week))}::date[],
      ${tx.array(p.map((r) => r.kind ?? 'launch'))}::text[], ${tx.array(p.map((r) => r.description ?? ''))}::text[])`);
}

export function insertPromotions(tx: Tx, rows: Rows<'promotions'>, chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into promotions (name, region, category, start_week, end_week, discount, kind)
    select * from unnest(
      ${tx.array(p.map((r) => r.name))}::text[], ${tx.array(p.map((r) => r.region))}::text[],
      ${tx.array(p.map((r) => r.category ?? null))}::text[], ${tx.array(p.map((r) => r.startWeek))}::date[],
      ${tx.array(p.map((r) => r.endWeek))}::date[], ${tx.array(p.map((r) => r.discount ?? 0))}::float8[],
      ${tx.array(p.map((r) => r.kind ?? 'promotion'))}::text[])`);
}

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

export async function insertForecastPoints(
  sql: Sql,
  rows: Array<{ setId: number; seriesKey: string; step: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }>,
): Promise<void> {
  const CHUNK = 20_000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await sql`
      insert into forecast_points (set_id, series_key, step, mean, lo_80, hi_80, lo_95, hi_95)
      select * from unnest(
        ${part.map((r) => r.setId)}::int[], ${part.map((r) => r.seriesKey)}::text[], ${part.map((r) => r.step)}::int[],
        ${part.map((r) => r.mean)}::float8[], ${part.map((r) => r.lo80)}::float8[], ${part.map((r) => r.hi80)}::float8[],
        ${part.map((r) => r.lo95)}::float8[], ${part.map((r) => r.hi95)}::float8[])
      on conflict do nothing`;
  }
}

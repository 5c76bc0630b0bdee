/**
 * Set-based inserts for the catalogue and history tables: each statement sends one array per
 * column and lets Postgres `unnest` them into rows, so 100k rows cost a handful of round trips
 * instead of 100k. Large inputs go in chunks to bound message size and memory. Callers pass a
 * transaction so a batch is all-or-nothing.
 */
import type postgres from 'postgres';
import type {
  CandidateRow,
  CompetitorEventRow,
  IndicatorRow,
  InventoryRow,
  ProductRow,
  PromotionRow,
  SalesRow,
  ScopeRow,
} from './synthetic/types.js';

export type Tx = postgres.TransactionSql;

export const DEFAULT_CHUNK = 50_000;

async function inChunks<R>(rows: readonly R[], chunk: number, insert: (part: readonly R[]) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < rows.length; i += chunk) await insert(rows.slice(i, i + chunk));
  return rows.length;
}

const json = (v: unknown) => JSON.stringify(v ?? {});

export async function insertScopes(tx: Tx, rows: readonly ScopeRow[]): Promise<number> {
  // A scope may already exist (created by the API); keep its rules, refresh what data defines.
  for (const s of rows) {
    await tx`
      insert into scopes (id, region, categories, rules)
      values (${s.id}, ${s.region}, ${tx.array(s.categories)}::text[], ${json(s.rules)}::jsonb)
      on conflict (id) do update set region = excluded.region, categories = excluded.categories, updated_at = now()`;
  }
  return rows.length;
}

export function insertProducts(tx: Tx, rows: readonly ProductRow[], chunk = DEFAULT_CHUNK): Promise<number> {
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

export function insertCandidates(tx: Tx, rows: readonly CandidateRow[], chunk = DEFAULT_CHUNK): Promise<number> {
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

export function insertSales(tx: Tx, rows: readonly SalesRow[], chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into sales (sku, region, week, units, price, promo, stockout)
    select * from unnest(
      ${tx.array(p.map((r) => r.sku))}::text[], ${tx.array(p.map((r) => r.region))}::text[],
      ${tx.array(p.map((r) => r.week))}::date[], ${tx.array(p.map((r) => r.units))}::float8[],
      ${tx.array(p.map((r) => r.price))}::float8[], ${tx.array(p.map((r) => r.promo ?? false))}::bool[],
      ${tx.array(p.map((r) => r.stockout ?? false))}::bool[])`);
}

export function insertInventory(tx: Tx, rows: readonly InventoryRow[], chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into inventory_snapshots (sku, region, week, on_hand, on_order)
    select * from unnest(
      ${tx.array(p.map((r) => r.sku))}::text[], ${tx.array(p.map((r) => r.region))}::text[],
      ${tx.array(p.map((r) => r.week))}::date[], ${tx.array(p.map((r) => r.onHand))}::float8[],
      ${tx.array(p.map((r) => r.onOrder ?? 0))}::float8[])`);
}

export function insertIndicators(tx: Tx, rows: readonly IndicatorRow[], chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into indicators (name, week, value)
    select * from unnest(
      ${tx.array(p.map((r) => r.name))}::text[], ${tx.array(p.map((r) => r.week))}::date[],
      ${tx.array(p.map((r) => r.value))}::float8[])`);
}

export function insertCompetitorEvents(tx: Tx, rows: readonly CompetitorEventRow[], chunk = DEFAULT_CHUNK): Promise<number> {
  // Ids come from the serial; generated rows do not carry one.
  return inChunks(rows, chunk, (p) => tx`
    insert into competitor_events (competitor, category, region, week, kind, description)
    select * from unnest(
      ${tx.array(p.map((r) => r.competitor))}::text[], ${tx.array(p.map((r) => r.category))}::text[],
      ${tx.array(p.map((r) => r.region))}::text[], ${tx.array(p.map((r) => r.week))}::date[],
      ${tx.array(p.map((r) => r.kind ?? 'launch'))}::text[], ${tx.array(p.map((r) => r.description ?? ''))}::text[])`);
}

export function insertPromotions(tx: Tx, rows: readonly PromotionRow[], chunk = DEFAULT_CHUNK): Promise<number> {
  return inChunks(rows, chunk, (p) => tx`
    insert into promotions (name, region, category, start_week, end_week, discount, kind)
    select * from unnest(
      ${tx.array(p.map((r) => r.name))}::text[], ${tx.array(p.map((r) => r.region))}::text[],
      ${tx.array(p.map((r) => r.category ?? null))}::text[], ${tx.array(p.map((r) => r.startWeek))}::date[],
      ${tx.array(p.map((r) => r.endWeek))}::date[], ${tx.array(p.map((r) => r.discount ?? 0))}::float8[],
      ${tx.array(p.map((r) => r.kind ?? 'promotion'))}::text[])`);
}

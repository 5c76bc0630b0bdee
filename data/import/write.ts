/**
 * Writes table rows in the import CSV formats: the inverse of the formats, used to hand a
 * synthetic marketplace to the import path (tests, examples) and to export data for others.
 */
import type { MarketplaceRows } from '../load.js';
import type { FileKind, ImportKind } from './formats.js';

type Value = string | number | boolean | null | undefined | Record<string, unknown> | string[];

function cell(v: Value): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join(';') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of a header and rows of cells (the converters write their files with it). */
export function csvText(header: readonly string[], rows: ReadonlyArray<readonly Value[]>): string {
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

function table<R>(columns: Array<[string, (r: R) => Value]>, rows: readonly R[]): string {
  const lines = [columns.map(([name]) => name).join(',')];
  for (const r of rows) lines.push(columns.map(([, get]) => cell(get(r))).join(','));
  return lines.join('\n') + '\n';
}

/** CSV text per table present in `rows`. */
export function toCsv(rows: MarketplaceRows): Partial<Record<ImportKind, string>> {
  const out: Partial<Record<ImportKind, string>> = {};
  if (rows.scopes) out.scopes = table([['id', (r) => r.id], ['region', (r) => r.region], ['categories', (r) => r.categories]], rows.scopes);
  if (rows.products)
    out.products = table(
      [
        ['sku', (r) => r.sku],
        ['name', (r) => r.name],
        ['category', (r) => r.category],
        ['subcategory', (r) => r.subcategory],
        ['brand', (r) => r.brand],
        ['price', (r) => r.price],
        ['unit_cost', (r) => r.unitCost],
        ['launch_week', (r) => r.launchWeek],
        ['attributes', (r) => r.attributes ?? {}],
      ],
      rows.products,
    );
  if (rows.candidates)
    out.candidates = table(
      [
        ['id', (r) => r.id],
        ['scope_id', (r) => r.scopeId],
        ['name', (r) => r.name],
        ['category', (r) => r.category],
        ['subcategory', (r) => r.subcategory],
        ['brand', (r) => r.brand],
        ['price', (r) => r.price],
        ['unit_cost', (r) => r.unitCost],
        ['salvage_value', (r) => r.salvageValue],
        ['moq', (r) => r.moq],
        ['lead_time_weeks', (r) => r.leadTimeWeeks],
        ['earliest_week', (r) => r.earliestWeek],
        ['latest_week', (r) => r.latestWeek],
        ['must_launch', (r) => r.mustLaunch],
        ['attributes', (r) => r.attributes ?? {}],
      ],
      rows.candidates,
    );
  if (rows.sales)
    out.sales = table(
      [
        ['sku', (r) => r.sku],
        ['region', (r) => r.region],
        ['week', (r) => r.week],
        ['units', (r) => r.units],
        ['price', (r) => r.price],
        ['promo', (r) => r.promo],
        ['stockout', (r) => r.stockout],
      ],
      rows.sales,
    );
  if (rows.inventory)
    out.inventory = table(
      [
        ['sku', (r) => r.sku],
        ['region', (r) => r.region],
        ['week', (r) => r.week],
        ['on_hand', (r) => r.onHand],
        ['on_order', (r) => r.onOrder],
      ],
      rows.inventory,
    );
  if (rows.indicators) out.indicators = table([['name', (r) => r.name], ['week', (r) => r.week], ['value', (r) => r.value]], rows.indicators);
  if (rows.competitorEvents)
    out.competitorEvents = table(
      [
        ['competitor', (r) => r.competitor],
        ['category', (r) => r.category],
        ['region', (r) => r.region],
        ['week', (r) => r.week],
        ['kind', (r) => r.kind],
        ['description', (r) => r.description],
      ],
      rows.competitorEvents,
    );
  if (rows.promotions)
    out.promotions = table(
      [
        ['name', (r) => r.name],
        ['region', (r) => r.region],
        ['category', (r) => r.category],
        ['start_week', (r) => r.startWeek],
        ['end_week', (r) => r.endWeek],
        ['discount', (r) => r.discount],
        ['kind', (r) => r.kind],
      ],
      rows.promotions,
    );
  if (rows.prelaunchSignals)
    out.prelaunchSignals = table(
      [
        ['item_id', (r) => r.itemId],
        ['week', (r) => r.week],
        ['views', (r) => r.views],
        ['wishlists', (r) => r.wishlists],
        ['preorders', (r) => r.preorders],
        ['notify_signups', (r) => r.notifySignups],
      ],
      rows.prelaunchSignals,
    );
  return out;
}

/** Conventional file name of each table's CSV. */
export const FILE_NAMES: Record<FileKind, string> = {
  scopes: 'scopes.csv',
  products: 'products.csv',
  candidates: 'candidates.csv',
  sales: 'sales.csv',
  inventory: 'inventory.csv',
  indicators: 'indicators.csv',
  competitorEvents: 'competitor_events.csv',
  promotions: 'promotions.csv',
  customerOrders: 'customer_orders.csv',
  prelaunchSignals: 'prelaunch_signals.csv',
};

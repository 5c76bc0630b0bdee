/**
 * The CSV formats accepted by `launchloop import`, one per table (documented in FORMATS.md).
 * Each format names its columns, parses a record with zod, says which columns form its
 * unique key, and maps the parsed record to the table's Drizzle insert type.
 */
import { z } from 'zod';
import type {
  CandidateInsert,
  CompetitorEventInsert,
  IndicatorInsert,
  InventoryInsert,
  ProductInsert,
  PromotionInsert,
  SalesInsert,
  ScopeInsert,
} from '../../db/repositories/marketplace.repository.js';
import type { PrelaunchSignalInsert } from '../../db/repositories/prelaunch-signals.repository.js';
import { isValidScopeId, scopeIdProblem } from '../../contracts/ids.js';
import { attributes, boolean, number, optional, text, week } from './cells.js';

export interface Format<Row> {
  /** Key of the files argument and of `inserted`. */
  kind: ImportKind;
  required: readonly string[];
  optional: readonly string[];
  schema: z.ZodType<Row, Record<string, string>>;
  /** Columns whose values must be unique within the files and not yet in the database. */
  key: readonly string[];
  keyOf(row: Row): string;
  /**
   * The same key as a group and a week, for the tables with a row per week (sales, inventory):
   * the duplicate check then holds one small number per row instead of one string, which is
   * most of a million-row import's memory.
   */
  weekKeyOf?(row: Row): { group: string; week: string };
}

export type ImportKind =
  | 'scopes'
  | 'products'
  | 'candidates'
  | 'sales'
  | 'indicators'
  | 'inventory'
  | 'competitorEvents'
  | 'promotions'
  | 'prelaunchSignals';

/**
 * Every file an import takes: the formats above plus the customer orders file, which has its
 * own streamed reader (customer-orders.ts) because its extra columns are customer attributes.
 */
export type FileKind = ImportKind | 'customerOrders';

function format<Row>(f: Format<Row>): Format<Row> {
  return f;
}

const list = () =>
  text().transform((v) =>
    v
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );

export const scopesFormat = format<ScopeInsert>({
  kind: 'scopes',
  required: ['id', 'region', 'categories'],
  optional: [],
  schema: z
    .object({ id: text(), region: text(), categories: list() })
    .superRefine((r, ctx) => {
      if (!isValidScopeId(r.id)) ctx.addIssue({ code: 'custom', path: ['id'], message: scopeIdProblem(r.id) });
    })
    .transform((r): ScopeInsert => ({ id: r.id, region: r.region, categories: r.categories, rules: {} })),
  key: ['id'],
  keyOf: (r) => r.id,
});

/**
 * Filled in by `applyDefaults` (defaults.ts) once every file is parsed: a unit cost from the
 * margin rule, a launch week from the product's first sale. The format cannot know either.
 */
export const DEFERRED = Object.freeze({ unitCost: -1, week: '' });

export const productsFormat = format<ProductInsert>({
  kind: 'products',
  required: ['sku', 'category', 'price'],
  optional: ['name', 'description', 'subcategory', 'brand', 'unit_cost', 'launch_week', 'attributes'],
  schema: z
    .object({
      sku: text(),
      name: optional(text(), ''),
      description: optional(text(), ''),
      category: text(),
      subcategory: optional(text(), ''),
      brand: optional(text(), ''),
      price: number({ min: 0 }),
      unit_cost: optional(number({ min: 0 }), DEFERRED.unitCost),
      launch_week: optional(week(), DEFERRED.week),
      attributes: optional(attributes(), {}),
    })
    .transform(
      (r): ProductInsert => ({
        sku: r.sku,
        name: r.name || r.description || r.sku,
        category: r.category,
        subcategory: r.subcategory || r.category,
        brand: r.brand,
        price: r.price,
        unitCost: r.unit_cost,
        launchWeek: r.launch_week,
        attributes: r.attributes,
      }),
    ),
  key: ['sku'],
  keyOf: (r) => r.sku,
});

export const candidatesFormat = format<CandidateInsert>({
  kind: 'candidates',
  required: ['id', 'scope_id', 'category', 'price'],
  optional: ['name', 'description', 'subcategory', 'brand', 'unit_cost', 'salvage_value', 'moq', 'lead_time_weeks', 'earliest_week', 'latest_week', 'must_launch', 'attributes'],
  schema: z
    .object({
      id: text(),
      scope_id: text(),
      name: optional(text(), ''),
      description: optional(text(), ''),
      category: text(),
      subcategory: optional(text(), ''),
      brand: optional(text(), ''),
      price: number({ min: 0 }),
      unit_cost: optional(number({ min: 0 }), DEFERRED.unitCost),
      salvage_value: optional(number({ min: 0 }), 0),
      moq: optional(number({ min: 0, integer: true }), 0),
      lead_time_weeks: optional(number({ min: 0, integer: true }), 0),
      earliest_week: optional(week(), DEFERRED.week),
      latest_week: optional(week(), DEFERRED.week),
      must_launch: optional(boolean(), false),
      attributes: optional(attributes(), {}),
    })
    .superRefine((r, ctx) => {
      if (!isValidScopeId(r.scope_id))
        ctx.addIssue({ code: 'custom', path: ['scope_id'], message: scopeIdProblem(r.scope_id) });
      if (r.earliest_week !== DEFERRED.week && r.latest_week !== DEFERRED.week && r.latest_week < r.earliest_week)
        ctx.addIssue({ code: 'custom', path: ['latest_week'], message: `${r.latest_week} is before earliest_week ${r.earliest_week}` });
    })
    .transform(
      (r): CandidateInsert => ({
        id: r.id,
        scopeId: r.scope_id,
        name: r.name || r.description || r.id,
        category: r.category,
        subcategory: r.subcategory || r.category,
        brand: r.brand,
        price: r.price,
        unitCost: r.unit_cost,
        salvageValue: r.salvage_value,
        moq: r.moq,
        leadTimeWeeks: r.lead_time_weeks,
        earliestWeek: r.earliest_week,
        latestWeek: r.latest_week,
        mustLaunch: r.must_launch,
        attributes: r.attributes,
      }),
    ),
  key: ['id'],
  keyOf: (r) => r.id,
});

export const salesFormat = format<SalesInsert>({
  kind: 'sales',
  required: ['sku', 'region', 'week', 'units', 'price'],
  optional: ['promo', 'stockout'],
  schema: z
    .object({
      sku: text(),
      region: text(),
      week: week(),
      units: number({ min: 0 }),
      price: number({ min: 0 }),
      promo: optional(boolean(), false),
      stockout: optional(boolean(), false),
    })
    .transform((r): SalesInsert => ({ ...r })),
  key: ['sku', 'region', 'week'],
  keyOf: (r) => `${r.sku}|${r.region}|${r.week}`,
  weekKeyOf: (r) => ({ group: `${r.sku}|${r.region}`, week: r.week }),
});

export const indicatorsFormat = format<IndicatorInsert>({
  kind: 'indicators',
  required: ['name', 'week', 'value'],
  optional: [],
  schema: z.object({ name: text(), week: week(), value: number() }).transform((r): IndicatorInsert => ({ ...r })),
  key: ['name', 'week'],
  keyOf: (r) => `${r.name}|${r.week}`,
});

export const inventoryFormat = format<InventoryInsert>({
  kind: 'inventory',
  required: ['sku', 'region', 'week', 'on_hand'],
  optional: ['on_order'],
  schema: z
    .object({ sku: text(), region: text(), week: week(), on_hand: number({ min: 0 }), on_order: optional(number({ min: 0 }), 0) })
    .transform((r): InventoryInsert => ({ sku: r.sku, region: r.region, week: r.week, onHand: r.on_hand, onOrder: r.on_order })),
  key: ['sku', 'region', 'week'],
  keyOf: (r) => `${r.sku}|${r.region}|${r.week}`,
  weekKeyOf: (r) => ({ group: `${r.sku}|${r.region}`, week: r.week }),
});

export const competitorEventsFormat = format<CompetitorEventInsert>({
  kind: 'competitorEvents',
  required: ['competitor', 'category', 'region', 'week'],
  optional: ['kind', 'description'],
  schema: z
    .object({
      competitor: text(),
      category: text(),
      region: text(),
      week: week(),
      kind: optional(text(), 'launch'),
      description: optional(text(), ''),
    })
    .transform((r): CompetitorEventInsert => ({ ...r })),
  key: ['competitor', 'category', 'region', 'week', 'kind'],
  keyOf: (r) => `${r.competitor}|${r.category}|${r.region}|${r.week}|${r.kind}`,
});

export const promotionsFormat = format<PromotionInsert>({
  kind: 'promotions',
  required: ['name', 'region', 'start_week', 'end_week'],
  optional: ['category', 'discount', 'kind'],
  schema: z
    .object({
      name: text(),
      region: text(),
      category: optional(text(), null as string | null),
      start_week: week(),
      end_week: week(),
      discount: optional(number({ min: 0, below: 1 }), 0),
      kind: optional(text(), 'promotion'),
    })
    .superRefine((r, ctx) => {
      if (r.end_week < r.start_week)
        ctx.addIssue({ code: 'custom', path: ['end_week'], message: `${r.end_week} is before start_week ${r.start_week}` });
    })
    .transform(
      (r): PromotionInsert => ({
        name: r.name,
        region: r.region,
        category: r.category,
        startWeek: r.start_week,
        endWeek: r.end_week,
        discount: r.discount,
        kind: r.kind,
      }),
    ),
  key: ['name', 'region', 'category', 'start_week'],
  keyOf: (r) => `${r.name}|${r.region}|${r.category ?? ''}|${r.startWeek}`,
});

const SIGNAL_COLUMNS = ['views', 'wishlists', 'preorders', 'notify_signups'] as const;

export const prelaunchSignalsFormat = format<PrelaunchSignalInsert>({
  kind: 'prelaunchSignals',
  required: ['item_id', 'week'],
  optional: [...SIGNAL_COLUMNS],
  schema: z
    .object({
      item_id: text(),
      week: week(),
      views: optional(number({ min: 0 }), null as number | null),
      wishlists: optional(number({ min: 0 }), null as number | null),
      preorders: optional(number({ min: 0 }), null as number | null),
      notify_signups: optional(number({ min: 0 }), null as number | null),
    })
    .superRefine((r, ctx) => {
      if (SIGNAL_COLUMNS.every((c) => r[c] === null))
        ctx.addIssue({ code: 'custom', message: `records nothing: at least one of ${SIGNAL_COLUMNS.join(', ')} must have a value` });
    })
    .transform(
      (r): PrelaunchSignalInsert => ({ itemId: r.item_id, week: r.week, views: r.views, wishlists: r.wishlists, preorders: r.preorders, notifySignups: r.notify_signups }),
    ),
  key: ['item_id', 'week'],
  keyOf: (r) => `${r.itemId}|${r.week}`,
  weekKeyOf: (r) => ({ group: r.itemId, week: r.week }),
});

/** In foreign-key order: a file may refer to rows of the files before it. */
export const FORMATS = {
  scopes: scopesFormat,
  products: productsFormat,
  candidates: candidatesFormat,
  sales: salesFormat,
  inventory: inventoryFormat,
  indicators: indicatorsFormat,
  competitorEvents: competitorEventsFormat,
  promotions: promotionsFormat,
  prelaunchSignals: prelaunchSignalsFormat,
} as const;

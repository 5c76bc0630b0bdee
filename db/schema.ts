/**
 * The whole of launchloop's state. Row types are inferred from these tables
 * (`typeof table.$inferSelect`), never written twice. Weeks are ISO Monday dates
 * stored as `date` and handled as 'YYYY-MM-DD' strings everywhere.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();

/** A planning scope: a category group in a region, e.g. `electronics/east`, with its rules. */
export const scopes = pgTable('scopes', {
  id: text('id').primaryKey(),
  region: text('region').notNull(),
  categories: text('categories').array().notNull(),
  /** Planner rules (cadence, budget, capacity, promotion rules), editable through the API. */
  rules: jsonb('rules').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
});

/** Products already in the catalogue (they have sales history). */
export const products = pgTable(
  'products',
  {
    sku: text('sku').primaryKey(),
    name: text('name').notNull(),
    category: text('category').notNull(),
    subcategory: text('subcategory').notNull(),
    brand: text('brand').notNull(),
    price: doublePrecision('price').notNull(),
    unitCost: doublePrecision('unit_cost').notNull(),
    launchWeek: date('launch_week', { mode: 'string' }).notNull(),
    attributes: jsonb('attributes').$type<Record<string, string | number>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index('products_category_idx').on(t.category)],
);

/** New products that could be launched in a scope: the planner's decision set. */
export const candidates = pgTable(
  'candidates',
  {
    id: text('id').primaryKey(),
    scopeId: text('scope_id')
      .notNull()
      .references(() => scopes.id),
    name: text('name').notNull(),
    category: text('category').notNull(),
    subcategory: text('subcategory').notNull(),
    brand: text('brand').notNull(),
    price: doublePrecision('price').notNull(),
    unitCost: doublePrecision('unit_cost').notNull(),
    salvageValue: doublePrecision('salvage_value').notNull(),
    moq: integer('moq').notNull().default(0),
    leadTimeWeeks: integer('lead_time_weeks').notNull().default(0),
    earliestWeek: date('earliest_week', { mode: 'string' }).notNull(),
    latestWeek: date('latest_week', { mode: 'string' }).notNull(),
    mustLaunch: boolean('must_launch').notNull().default(false),
    attributes: jsonb('attributes').$type<Record<string, string | number>>().notNull().default(sql`'{}'::jsonb`),
    /** Set once a launch is published and happens; a replan keeps it fixed. */
    launchedWeek: date('launched_week', { mode: 'string' }),
    committedQty: integer('committed_qty'),
  },
  (t) => [index('candidates_scope_idx').on(t.scopeId)],
);

/** Weekly sales per product and region. `stockout` marks censored weeks (demand > units). */
export const sales = pgTable(
  'sales',
  {
    sku: text('sku').notNull(),
    region: text('region').notNull(),
    week: date('week', { mode: 'string' }).notNull(),
    units: doublePrecision('units').notNull(),
    price: doublePrecision('price').notNull(),
    promo: boolean('promo').notNull().default(false),
    stockout: boolean('stockout').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.sku, t.region, t.week] }), index('sales_region_week_idx').on(t.region, t.week)],
);

/** Market indicators (e.g. a consumer-electronics demand index), weekly. */
export const indicators = pgTable(
  'indicators',
  {
    name: text('name').notNull(),
    week: date('week', { mode: 'string' }).notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.week] })],
);

export const inventorySnapshots = pgTable(
  'inventory_snapshots',
  {
    sku: text('sku').notNull(),
    region: text('region').notNull(),
    week: date('week', { mode: 'string' }).notNull(),
    onHand: doublePrecision('on_hand').notNull(),
    onOrder: doublePrecision('on_order').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.sku, t.region, t.week] })],
);

export const competitorEvents = pgTable(
  'competitor_events',
  {
    id: serial('id').primaryKey(),
    competitor: text('competitor').notNull(),
    category: text('category').notNull(),
    region: text('region').notNull(),
    week: date('week', { mode: 'string' }).notNull(),
    kind: text('kind').notNull().default('launch'),
    description: text('description').notNull().default(''),
  },
  (t) => [index('competitor_events_cat_week_idx').on(t.category, t.week)],
);

/** Promotions and shopping festivals; `category` null means site-wide. */
export const promotions = pgTable('promotions', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  region: text('region').notNull(),
  category: text('category'),
  startWeek: date('start_week', { mode: 'string' }).notNull(),
  endWeek: date('end_week', { mode: 'string' }).notNull(),
  discount: doublePrecision('discount').notNull().default(0),
  kind: text('kind').notNull().default('promotion'),
});

/** What a model was trained / a forecast was made on: a fingerprint of the inputs. */
export const datasetSnapshots = pgTable('dataset_snapshots', {
  id: serial('id').primaryKey(),
  scopeId: text('scope_id')
    .notNull()
    .references(() => scopes.id),
  salesThrough: date('sales_through', { mode: 'string' }).notNull(),
  rowCounts: jsonb('row_counts').$type<Record<string, number>>().notNull(),
  checksum: text('checksum').notNull(),
  createdAt: createdAt(),
});

/** Content-addressed blobs: model weights and training checkpoints. */
export const artifacts = pgTable('artifacts', {
  uri: text('uri').primaryKey(),
  content: bytea('content').notNull(),
  bytes: integer('bytes').notNull(),
  createdAt: createdAt(),
});

/** Model registry: every trained model, its data, settings, backtest and champion flag. */
export const models = pgTable(
  'models',
  {
    id: serial('id').primaryKey(),
    scopeId: text('scope_id')
      .notNull()
      .references(() => scopes.id),
    kind: text('kind').notNull(),
    version: integer('version').notNull(),
    snapshotId: integer('snapshot_id').references(() => datasetSnapshots.id),
    hyper: jsonb('hyper').$type<Record<string, unknown>>().notNull(),
    metrics: jsonb('metrics').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
    artifactUri: text('artifact_uri'),
    backend: text('backend'),
    status: text('status').notNull().default('training'),
    isChampion: boolean('is_champion').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('models_scope_kind_version_uq').on(t.scopeId, t.kind, t.version),
    // At most one champion per scope and kind.
    uniqueIndex('models_one_champion_uq').on(t.scopeId, t.kind).where(sql`${t.isChampion}`),
  ],
);

/** One forecasting pass over a scope (existing products and candidates). */
export const forecastSets = pgTable('forecast_sets', {
  id: serial('id').primaryKey(),
  scopeId: text('scope_id')
    .notNull()
    .references(() => scopes.id),
  runId: text('run_id').notNull(),
  snapshotId: integer('snapshot_id').references(() => datasetSnapshots.id),
  horizon: integer('horizon').notNull(),
  startWeek: date('start_week', { mode: 'string' }).notNull(),
  method: text('method').notNull(),
  summary: jsonb('summary').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  createdAt: createdAt(),
});

/** Per series of a forecast set: which model, its parameters, backtest errors, or why it failed. */
export const forecastSeries = pgTable(
  'forecast_series',
  {
    setId: integer('set_id')
      .notNull()
      .references(() => forecastSets.id, { onDelete: 'cascade' }),
    seriesKey: text('series_key').notNull(),
    kind: text('kind').notNull(),
    model: text('model').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    backtest: jsonb('backtest').$type<Record<string, number>>(),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.setId, t.seriesKey] })],
);

/**
 * Forecast values. For existing products `step` counts weeks after the set's start week; for
 * candidates it counts weeks after launch (1 = launch week), the launch curve.
 */
export const forecastPoints = pgTable(
  'forecast_points',
  {
    setId: integer('set_id')
      .notNull()
      .references(() => forecastSets.id, { onDelete: 'cascade' }),
    seriesKey: text('series_key').notNull(),
    step: integer('step').notNull(),
    mean: doublePrecision('mean').notNull(),
    lo80: doublePrecision('lo_80').notNull(),
    hi80: doublePrecision('hi_80').notNull(),
    lo95: doublePrecision('lo_95').notNull(),
    hi95: doublePrecision('hi_95').notNull(),
  },
  (t) => [primaryKey({ columns: [t.setId, t.seriesKey, t.step] })],
);

/** Every status a plan can hold; the CHECK constraint and the API's filter use this list. */
export const PLAN_STATUSES = ['draft', 'published', 'rejected', 'superseded'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** Weeks are ISO weeks stored as their Monday. */
const isMonday = (column: AnyPgColumn) => sql`extract(isodow from ${column}) = 1`;

/** A versioned launch plan for a scope; each replan is a child of the plan it revises. */
export const plans = pgTable(
  'plans',
  {
    id: serial('id').primaryKey(),
    scopeId: text('scope_id')
      .notNull()
      .references(() => scopes.id),
    version: integer('version').notNull(),
    parentPlanId: integer('parent_plan_id').references((): AnyPgColumn => plans.id),
    /** The workflow that owns the draft and receives its approval (several plans over a loop's cycles). */
    runId: text('run_id').notNull(),
    /**
     * The activity execution that built the plan (workflow id, run id, activity id): a retried
     * `buildLaunchPlan` finds the plan its earlier attempt committed instead of adding another.
     * Null for plans written before the key existed.
     */
    attemptKey: text('attempt_key'),
    forecastSetId: integer('forecast_set_id').references(() => forecastSets.id),
    /**
     * draft → published, or draft → rejected; published → superseded by a newer publish. Only a
     * draft revising the scope's published plan (or a scope's first plan) can be published.
     */
    status: text('status').$type<PlanStatus>().notNull().default('draft'),
    method: text('method').notNull(),
    objective: doublePrecision('objective').notNull(),
    gap: doublePrecision('gap'),
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    diff: jsonb('diff').$type<Record<string, unknown>>(),
    /**
     * Rule overrides that applied to this plan only (a replan's one-off changes, e.g. a larger
     * budget before a promotion); the scope's stored rules are unchanged. Null when none.
     */
    ruleOverrides: jsonb('rule_overrides').$type<Record<string, unknown>>(),
    decidedBy: text('decided_by'),
    decisionNote: text('decision_note'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'string' }),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('plans_scope_version_uq').on(t.scopeId, t.version),
    index('plans_run_idx').on(t.runId),
    uniqueIndex('plans_attempt_key_uq').on(t.attemptKey),
    // At most one published plan per scope: the approval check's backstop under concurrency.
    uniqueIndex('plans_one_published_uq').on(t.scopeId).where(sql`${t.status} = 'published'`),
    check('plans_status_ck', sql`${t.status} in (${sql.raw(PLAN_STATUSES.map((s) => `'${s}'`).join(', '))})`),
    check('plans_version_ck', sql`${t.version} >= 1`),
    check('plans_parent_ck', sql`${t.parentPlanId} <> ${t.id}`),
  ],
);

export const planItems = pgTable(
  'plan_items',
  {
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'cascade' }),
    candidateId: text('candidate_id')
      .notNull()
      .references(() => candidates.id),
    launchWeek: date('launch_week', { mode: 'string' }).notNull(),
    openingQty: integer('opening_qty').notNull(),
    expectedUnits: doublePrecision('expected_units').notNull(),
    unitsLo: doublePrecision('units_lo').notNull(),
    unitsHi: doublePrecision('units_hi').notNull(),
    expectedMargin: doublePrecision('expected_margin').notNull(),
    rationale: jsonb('rationale').$type<string[]>().notNull(),
    fixed: boolean('fixed').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.candidateId] }),
    check('plan_items_opening_qty_ck', sql`${t.openingQty} >= 0`),
    check('plan_items_units_ck', sql`${t.expectedUnits} >= 0 and ${t.unitsLo} >= 0 and ${t.unitsHi} >= 0 and ${t.unitsLo} <= ${t.unitsHi}`),
    check('plan_items_launch_week_ck', isMonday(t.launchWeek)),
  ],
);

/** Every workflow run the system started, mirrored for the API (Temporal keeps the history). */
export const runs = pgTable(
  'runs',
  {
    workflowId: text('workflow_id').primaryKey(),
    scopeId: text('scope_id').notNull(),
    kind: text('kind').notNull(),
    trigger: text('trigger').notNull(),
    status: text('status').notNull().default('running'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('runs_scope_idx').on(t.scopeId)],
);

/** API idempotency: one key, one request body, one workflow, one response. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  key: text('key').primaryKey(),
  route: text('route').notNull(),
  requestHash: text('request_hash').notNull(),
  workflowId: text('workflow_id').notNull(),
  response: jsonb('response').$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});

/** Workers that registered themselves: the GPU pool records the TensorFlow.js backend it runs. */
export const workerStatus = pgTable(
  'worker_status',
  {
    queue: text('queue').notNull(),
    identity: text('identity').notNull(),
    backend: text('backend'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.queue, t.identity] })],
);

/**
 * In-season reorders proposed by the adjust stage for launched items. One order per item and
 * order week (a re-run of the same week's adjust finds it instead of adding another). Orders
 * above the scope's approval limit wait as `pending` until a merchandiser decides; the others
 * are `published` at once.
 */
export const PURCHASE_ORDER_STATUSES = ['pending', 'published', 'rejected', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: serial('id').primaryKey(),
    scopeId: text('scope_id')
      .notNull()
      .references(() => scopes.id),
    candidateId: text('candidate_id')
      .notNull()
      .references(() => candidates.id),
    /** The plan version whose policy proposed the order. */
    planId: integer('plan_id').references(() => plans.id),
    orderWeek: date('order_week', { mode: 'string' }).notNull(),
    arrivalWeek: date('arrival_week', { mode: 'string' }).notNull(),
    quantity: integer('quantity').notNull(),
    status: text('status').$type<PurchaseOrderStatus>().notNull().default('pending'),
    /** Why this quantity: position, order-up-to level, forecast over lead time + review. */
    rationale: jsonb('rationale').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    decidedBy: text('decided_by'),
    decisionNote: text('decision_note'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('purchase_orders_item_week_uq').on(t.candidateId, t.orderWeek),
    index('purchase_orders_scope_idx').on(t.scopeId, t.status),
    check('purchase_orders_quantity_ck', sql`${t.quantity} > 0`),
    check('purchase_orders_status_ck', sql`${t.status} in (${sql.raw(PURCHASE_ORDER_STATUSES.map((s) => `'${s}'`).join(', '))})`),
    check('purchase_orders_order_week_ck', isMonday(t.orderWeek)),
    check('purchase_orders_arrival_week_ck', sql`${isMonday(t.arrivalWeek)} and ${t.arrivalWeek} >= ${t.orderWeek}`),
  ],
);

/**
 * API bearer tokens. Only a SHA-256 hash of the secret is stored; `prefix` (the secret's first
 * characters) lets people tell tokens apart in listings. `scopes` holds scope patterns
 * (`electronics/*`); null means every scope.
 */
export const TOKEN_ROLES = ['viewer', 'merchandiser', 'planner', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    role: text('role').$type<TokenRole>().notNull(),
    scopes: text('scopes').array(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'string' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    uniqueIndex('api_tokens_secret_hash_uq').on(t.secretHash),
    check('api_tokens_role_ck', sql`${t.role} in (${sql.raw(TOKEN_ROLES.map((s) => `'${s}'`).join(', '))})`),
  ],
);

/**
 * Customers known from order histories (the audience import). `region` is the customer's most
 * frequent region; `attributes` holds optional columns of the import (e.g. loyalty tier).
 */
export const customers = pgTable('customers', {
  id: text('id').primaryKey(),
  region: text('region').notNull(),
  attributes: jsonb('attributes').$type<Record<string, string | number>>().notNull().default(sql`'{}'::jsonb`),
});

/** One customer's units of one product in one week (summed over the week's orders). */
export const customerOrders = pgTable(
  'customer_orders',
  {
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    sku: text('sku').notNull(),
    week: date('week', { mode: 'string' }).notNull(),
    units: doublePrecision('units').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.sku, t.week] }),
    index('customer_orders_sku_idx').on(t.sku),
    check('customer_orders_units_ck', sql`${t.units} > 0`),
    check('customer_orders_week_ck', isMonday(t.week)),
  ],
);

/**
 * A candidate's audience as scored with a forecast set: its summary (expected buyers among
 * existing customers, demand shares per region and per segment).
 */
export const candidateAudiences = pgTable(
  'candidate_audiences',
  {
    setId: integer('set_id')
      .notNull()
      .references(() => forecastSets.id, { onDelete: 'cascade' }),
    candidateId: text('candidate_id')
      .notNull()
      .references(() => candidates.id),
    /** Customers stored in `audience_members` for this candidate (the top K). */
    audienceSize: integer('audience_size').notNull(),
    expectedBuyers: doublePrecision('expected_buyers').notNull(),
    byRegion: jsonb('by_region').$type<{ key: string; share: number }[]>().notNull(),
    bySegment: jsonb('by_segment').$type<{ key: string; share: number }[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.setId, t.candidateId] }), check('candidate_audiences_size_ck', sql`${t.audienceSize} >= 0`)],
);

/** The ranked customers of a candidate's audience (rank 1 = most likely to buy). */
export const audienceMembers = pgTable(
  'audience_members',
  {
    setId: integer('set_id')
      .notNull()
      .references(() => forecastSets.id, { onDelete: 'cascade' }),
    candidateId: text('candidate_id')
      .notNull()
      .references(() => candidates.id),
    rank: integer('rank').notNull(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    score: doublePrecision('score').notNull(),
  },
  (t) => [primaryKey({ columns: [t.setId, t.candidateId, t.rank] }), check('audience_members_rank_ck', sql`${t.rank} >= 1`)],
);

/**
 * Interest recorded before a product's launch (page views, wish-lists, pre-orders, notify-me
 * sign-ups) per week, for candidates and for past launches alike (`item_id` is a candidate id or
 * a sku). Any measure may be missing (null): shops record different ones.
 */
export const prelaunchSignals = pgTable(
  'prelaunch_signals',
  {
    itemId: text('item_id').notNull(),
    week: date('week', { mode: 'string' }).notNull(),
    views: doublePrecision('views'),
    wishlists: doublePrecision('wishlists'),
    preorders: doublePrecision('preorders'),
    notifySignups: doublePrecision('notify_signups'),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.week] }),
    check('prelaunch_signals_week_ck', isMonday(t.week)),
    check(
      'prelaunch_signals_nonneg_ck',
      sql`coalesce(${t.views}, 0) >= 0 and coalesce(${t.wishlists}, 0) >= 0 and coalesce(${t.preorders}, 0) >= 0 and coalesce(${t.notifySignups}, 0) >= 0`,
    ),
  ],
);

export type Scope = typeof scopes.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Candidate = typeof candidates.$inferSelect;
export type NewCandidate = typeof candidates.$inferInsert;
export type Plan = typeof plans.$inferSelect;
export type PlanItem = typeof planItems.$inferSelect;
export type Run = typeof runs.$inferSelect;
export type ModelRow = typeof models.$inferSelect;
export type PurchaseOrder = typeof purchaseOrders.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type CustomerOrder = typeof customerOrders.$inferSelect;
export type CandidateAudienceRow = typeof candidateAudiences.$inferSelect;
export type AudienceMemberRow = typeof audienceMembers.$inferSelect;
export type PrelaunchSignal = typeof prelaunchSignals.$inferSelect;

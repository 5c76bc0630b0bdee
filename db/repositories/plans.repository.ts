import { and, desc, eq, sql as dsql } from 'drizzle-orm';
import type { Database, Sql } from '../client.js';
import { planItems, plans, type Plan, type PlanItem, type PlanStatus } from '../schema.js';

// The API validates status filters against the list the CHECK constraint is built from.
export { PLAN_STATUSES, type PlanStatus } from '../schema.js';

export interface NewPlan {
  scopeId: string;
  parentPlanId?: number;
  runId: string;
  /** The activity execution building the plan; a second create with the same key returns the first plan. */
  attemptKey?: string;
  forecastSetId: number;
  method: string;
  objective: number;
  gap: number | null;
  summary: Record<string, unknown>;
  diff: Record<string, unknown> | null;
  /** A replan's rule overrides that applied to this plan only; absent or null when none. */
  ruleOverrides?: Record<string, unknown> | null;
  items: Array<Omit<PlanItem, 'planId'>>;
}

/** The scope's published plan a stale draft would have overwritten. */
export interface StaleDetails {
  parentPlanId: number | null;
  publishedPlanId: number;
  publishedVersion: number;
}

export type PlanTransitionError =
  | { code: 'plans.not_found' | 'plans.not_draft'; message: string }
  | { code: 'plans.stale'; message: string; details: StaleDetails };

/** Why a draft can no longer be published, naming the newer plan and the way out. */
export function staleMessage(plan: { id: number; version: number; scopeId: string }, d: StaleDetails): string {
  const built = d.parentPlanId === null ? 'as the first plan of the scope' : `on plan ${d.parentPlanId}`;
  return (
    `plan ${plan.id} (v${plan.version}) is stale: it was built ${built}, but plan ${d.publishedPlanId} (v${d.publishedVersion}) ` +
    `is now published for ${plan.scopeId}; replan on top of it with POST /scopes/${plan.scopeId}/replans`
  );
}

/** A plan item as the API shows it (GET /plans/{id}). */
export interface PlanViewItem {
  candidateId: string;
  name: string | null;
  category: string | null;
  launchWeek: string;
  openingQty: number;
  /** Expected sales: demand capped by the opening quantity (hi is at most openingQty). */
  expectedUnits: { mean: number; lo: number; hi: number; level: 80 };
  /** Uncapped demand over the launch curve's weeks: sums of the weekly mean and 80% bounds. */
  demand: { mean: number; lo80: number; hi80: number; weeks: number } | null;
  expectedNetMargin: number;
  fixed: boolean;
  rationale: string[];
  /** Its launch audience scored with the plan's forecast set; null without one (no customer orders). */
  audience: { size: number; expectedBuyers: number; topSegments: Array<{ key: string; share: number }> } | null;
}

/** Timestamps come as Postgres writes them (drizzle's client leaves them as text), as everywhere in the API. */
export type PlanView = Plan & { items: PlanViewItem[] };

/** A plan item's weekly launch curve (uncapped demand) and its observed sales. */
export interface ItemForecast {
  planId: number;
  candidateId: string;
  launchWeek: string;
  openingQty: number;
  demand: Array<{ week: string; step: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }>;
  sales: Array<{ week: string; units: number; stockout: boolean }>;
}

type Tx = Sql;

/**
 * Null when `plan` revises the scope's published plan (or none is published and it is a first
 * plan); otherwise the newer published plan. Called inside the publishing transaction, after the
 * scope is locked, so no other publish can slip in between the check and the write.
 */
async function staleness(t: Tx, plan: { scopeId: string; parentPlanId: number | null }): Promise<StaleDetails | null> {
  const [published] = await t<{ id: number; version: number }[]>`
    select id, version from plans where scope_id = ${plan.scopeId} and status = 'published' order by version desc limit 1`;
  if (!published) return null;
  if (plan.parentPlanId === published.id) return null;
  return { parentPlanId: plan.parentPlanId, publishedPlanId: published.id, publishedVersion: published.version };
}

/** The only place that writes plans: versions are allocated and items stored atomically. */
export function plansRepository({ db, sql }: Database) {
  return {
    /**
     * Stores a draft with the next version; `existing` is true when a plan with the same attempt
     * key was already stored (a retried activity whose first attempt committed), which is returned
     * unchanged.
     */
    async create(p: NewPlan): Promise<{ id: number; version: number; existing: boolean }> {
      return sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        // Serialise version allocation per scope (two replans at once get 3 and 4, not 3 twice).
        await t`select pg_advisory_xact_lock(hashtext(${p.scopeId}))`;
        if (p.attemptKey) {
          // Under the scope's lock: an attempt of the same key either committed before or waits here.
          const [found] = await t<{ id: number; version: number }[]>`select id, version from plans where attempt_key = ${p.attemptKey}`;
          if (found) return { ...found, existing: true };
        }
        const [{ next }] = await t<{ next: number }[]>`select coalesce(max(version), 0) + 1 as next from plans where scope_id = ${p.scopeId}`;
        const [row] = await t<{ id: number }[]>`
          insert into plans (scope_id, version, parent_plan_id, run_id, attempt_key, forecast_set_id, status, method, objective, gap, summary, diff, rule_overrides)
          values (${p.scopeId}, ${next}, ${p.parentPlanId ?? null}, ${p.runId}, ${p.attemptKey ?? null}, ${p.forecastSetId}, 'draft', ${p.method},
                  ${p.objective}, ${p.gap}, ${JSON.stringify(p.summary)}::jsonb, ${p.diff ? JSON.stringify(p.diff) : null}::jsonb,
                  ${p.ruleOverrides ? JSON.stringify(p.ruleOverrides) : null}::jsonb)
          returning id`;
        if (p.items.length > 0) {
          const it = p.items;
          // Booleans travel as text: postgres.js sends a JS boolean[] as a scalar boolean.
          await t`
            insert into plan_items (plan_id, candidate_id, launch_week, opening_qty, expected_units, units_lo, units_hi, expected_margin, rationale, fixed)
            select ${row.id}, c, w, q, e, lo, hi, m, r::jsonb, f::bool from unnest(
              ${it.map((i) => i.candidateId)}::text[], ${it.map((i) => i.launchWeek)}::text[]::date[], ${it.map((i) => i.openingQty)}::int[],
              ${it.map((i) => i.expectedUnits)}::float8[], ${it.map((i) => i.unitsLo)}::float8[], ${it.map((i) => i.unitsHi)}::float8[],
              ${it.map((i) => i.expectedMargin)}::float8[], ${it.map((i) => JSON.stringify(i.rationale))}::text[],
              ${it.map((i) => String(i.fixed))}::text[]) as u(c, w, q, e, lo, hi, m, r, f)`;
        }
        return { id: row.id, version: next, existing: false };
      });
    },

    async get(id: number): Promise<(Plan & { items: PlanItem[] }) | undefined> {
      const [plan] = await db.select().from(plans).where(eq(plans.id, id));
      if (!plan) return undefined;
      const items = await db.select().from(planItems).where(eq(planItems.planId, id)).orderBy(planItems.launchWeek, planItems.candidateId);
      return { ...plan, items };
    },

    /**
     * A plan as the API shows it, in one round trip: the plan row and its items in launch order,
     * each with the candidate's name and category and `demand`, the uncapped launch-curve
     * forecast of the plan's forecast set summed over the curve's weeks (null without a curve).
     * The items' expected units are sales: demand capped by the opening quantity.
     */
    async view(id: number): Promise<PlanView | undefined> {
      const [row] = await sql<PlanView[]>`
        select p.id, p.scope_id as "scopeId", p.version, p.parent_plan_id as "parentPlanId", p.run_id as "runId", p.attempt_key as "attemptKey",
               p.forecast_set_id as "forecastSetId", p.status, p.method, p.objective, p.gap, p.summary, p.diff, p.rule_overrides as "ruleOverrides",
               p.decided_by as "decidedBy", p.decision_note as "decisionNote", p.decided_at as "decidedAt", p.published_at as "publishedAt", p.created_at as "createdAt",
               coalesce((
                 select json_agg(json_build_object(
                          'candidateId', i.candidate_id, 'name', c.name, 'category', c.category, 'launchWeek', i.launch_week::text, 'openingQty', i.opening_qty,
                          'expectedUnits', json_build_object('mean', i.expected_units, 'lo', i.units_lo, 'hi', i.units_hi, 'level', 80),
                          'demand', case when d.weeks > 0 then json_build_object('mean', d.mean, 'lo80', d.lo80, 'hi80', d.hi80, 'weeks', d.weeks) end,
                          'expectedNetMargin', i.expected_margin, 'fixed', i.fixed, 'rationale', i.rationale,
                          'audience', case when a.candidate_id is not null then json_build_object('size', a.audience_size, 'expectedBuyers', a.expected_buyers,
                                        'topSegments', jsonb_path_query_array(a.by_segment, '$[0 to 2]')) end) order by i.launch_week, i.candidate_id)
                   from plan_items i
                   left join candidates c on c.id = i.candidate_id
                   left join candidate_audiences a on a.set_id = p.forecast_set_id and a.candidate_id = i.candidate_id
                   left join lateral (
                     select count(*)::int as weeks, sum(fp.mean) as mean, sum(fp.lo_80) as lo80, sum(fp.hi_80) as hi80
                       from forecast_series fs join forecast_points fp on fp.set_id = fs.set_id and fp.series_key = fs.series_key
                      where fs.set_id = p.forecast_set_id and fs.series_key = i.candidate_id and fs.kind = 'candidate' and fs.error is null and fp.step >= 1) d on true
                  where i.plan_id = p.id), '[]'::json) as items
          from plans p where p.id = ${id}`;
      return row;
    },

    /**
     * One plan item's launch curve against what happened: the uncapped weekly demand forecast of
     * the plan's forecast set (step 1 = the launch week) and the observed weekly sales of the
     * item in the scope's region once it launched. `plan` is undefined when the plan does not
     * exist, `item` when the plan has no such candidate. One round trip.
     */
    async itemForecast(planId: number, candidateId: string): Promise<{ plan?: { id: number }; item?: ItemForecast }> {
      const [row] = await sql<
        { id: number; launchWeek: string | null; openingQty: number | null; demand: ItemForecast['demand']; sales: ItemForecast['sales'] }[]
      >`
        select p.id, i.launch_week::text as "launchWeek", i.opening_qty as "openingQty",
               coalesce((select json_agg(json_build_object('week', (i.launch_week + (fp.step - 1) * 7)::text, 'step', fp.step, 'mean', fp.mean,
                                                           'lo80', fp.lo_80, 'hi80', fp.hi_80, 'lo95', fp.lo_95, 'hi95', fp.hi_95) order by fp.step)
                           from forecast_series fs join forecast_points fp on fp.set_id = fs.set_id and fp.series_key = fs.series_key
                          where fs.set_id = p.forecast_set_id and fs.series_key = i.candidate_id and fs.kind = 'candidate' and fs.error is null
                            and fp.step >= 1), '[]'::json) as demand,
               coalesce((select json_agg(json_build_object('week', s.week::text, 'units', s.units, 'stockout', s.stockout) order by s.week)
                           from sales s where s.sku = i.candidate_id and s.region = sc.region), '[]'::json) as sales
          from plans p join scopes sc on sc.id = p.scope_id
          left join plan_items i on i.plan_id = p.id and i.candidate_id = ${candidateId}
         where p.id = ${planId}`;
      if (!row) return {};
      if (row.launchWeek === null || row.openingQty === null) return { plan: { id: row.id } };
      return {
        plan: { id: row.id },
        item: { planId: row.id, candidateId, launchWeek: row.launchWeek, openingQty: row.openingQty, demand: row.demand, sales: row.sales },
      };
    },

    /** The plan an earlier attempt of the same activity execution stored, if any. */
    async byAttemptKey(attemptKey: string): Promise<Plan | undefined> {
      const [plan] = await db.select().from(plans).where(eq(plans.attemptKey, attemptKey));
      return plan;
    },

    /**
     * Plans newest first (created_at, then id, descending); `after` is the sort key of the last
     * plan of the previous page, and the page starts strictly after it.
     */
    async list(filter: { scopeId?: string; status?: PlanStatus; limit?: number; after?: readonly [createdAt: string, id: number] }) {
      const conds = [
        filter.scopeId ? eq(plans.scopeId, filter.scopeId) : undefined,
        filter.status ? eq(plans.status, filter.status) : undefined,
        filter.after ? dsql`(${plans.createdAt}, ${plans.id}) < (${filter.after[0]}::timestamptz, ${filter.after[1]}::int)` : undefined,
      ].filter((c) => c !== undefined);
      return db
        .select()
        .from(plans)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(plans.createdAt), desc(plans.id))
        .limit(filter.limit ?? 50);
    },

    async latestPublished(scopeId: string): Promise<number | null> {
      const [row] = await db
        .select({ id: plans.id })
        .from(plans)
        .where(and(eq(plans.scopeId, scopeId), eq(plans.status, 'published')))
        .orderBy(desc(plans.version))
        .limit(1);
      return row?.id ?? null;
    },

    /**
     * Why the draft `planId` cannot be published now (a newer plan is published than the one it
     * revises), or null. A read for answering early; `decide` checks again under the scope's lock.
     */
    async stalePublish(planId: number): Promise<PlanTransitionError | null> {
      const [plan] = await sql<{ id: number; version: number; scopeId: string; parentPlanId: number | null }[]>`
        select id, version, scope_id as "scopeId", parent_plan_id as "parentPlanId" from plans where id = ${planId}`;
      if (!plan) return null;
      const details = await staleness(sql, plan);
      return details ? { code: 'plans.stale', message: staleMessage(plan, details), details } : null;
    },

    /**
     * draft → published (the scope's previous published plan becomes superseded) or
     * draft → rejected. Only a draft revising the scope's published plan (or, while none is
     * published, a first plan) can be published: `plans.stale` otherwise. Idempotent for a
     * retried activity: repeating the same transition is a no-op.
     */
    async decide(input: { planId: number; to: 'published' | 'rejected'; by: string; note?: string }): Promise<PlanTransitionError | null> {
      return sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        const [head] = await t<{ scopeId: string }[]>`select scope_id as "scopeId" from plans where id = ${input.planId}`;
        if (!head) return { code: 'plans.not_found', message: `plan ${input.planId} does not exist` } as const;
        // Publishes of one scope take turns on the scope's row (no key update: inserts that
        // reference the scope are not blocked), so the staleness check below sees every earlier
        // publish committed. The plan row is locked after it, in the same order by every decide.
        await t`select id from scopes where id = ${head.scopeId} for no key update`;
        const [plan] = await t<{ id: number; version: number; scopeId: string; status: string; parentPlanId: number | null }[]>`
          select id, version, scope_id as "scopeId", status, parent_plan_id as "parentPlanId" from plans where id = ${input.planId} for update`;
        if (plan.status === input.to) return null;
        if (plan.status !== 'draft')
          return { code: 'plans.not_draft', message: `plan ${input.planId} is ${plan.status}, only a draft plan can be ${input.to}` } as const;
        if (input.to === 'published') {
          const details = await staleness(t, plan);
          if (details) return { code: 'plans.stale', message: staleMessage(plan, details), details } as const;
          await t`update plans set status = 'superseded' where scope_id = ${plan.scopeId} and status = 'published'`;
          await t`update plans set status = 'published', decided_by = ${input.by}, decision_note = ${input.note ?? null},
                         decided_at = now(), published_at = now() where id = ${input.planId}`;
        } else {
          await t`update plans set status = 'rejected', decided_by = ${input.by}, decision_note = ${input.note ?? null},
                         decided_at = now() where id = ${input.planId}`;
        }
        return null;
      });
    },

    async count(scopeId: string) {
      const [row] = await db.select({ n: dsql<number>`count(*)::int` }).from(plans).where(eq(plans.scopeId, scopeId));
      return row.n;
    },
  };
}

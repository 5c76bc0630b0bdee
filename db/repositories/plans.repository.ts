import { and, desc, eq, sql as dsql } from 'drizzle-orm';
import type { Database, Sql } from '../client.js';
import { planItems, plans, type Plan, type PlanItem } from '../schema.js';

export interface NewPlan {
  scopeId: string;
  parentPlanId?: number;
  runId: string;
  forecastSetId: number;
  method: string;
  objective: number;
  gap: number | null;
  summary: Record<string, unknown>;
  diff: Record<string, unknown> | null;
  items: Array<Omit<PlanItem, 'planId'>>;
}

export type PlanTransitionError = { code: 'plans.not_found' | 'plans.not_draft'; message: string };

/** The only place that writes plans: versions are allocated and items stored atomically. */
export function plansRepository({ db, sql }: Database) {
  return {
    async create(p: NewPlan): Promise<{ id: number; version: number }> {
      return sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        // Serialise version allocation per scope (two replans at once get 3 and 4, not 3 twice).
        await t`select pg_advisory_xact_lock(hashtext(${p.scopeId}))`;
        const [{ next }] = await t<{ next: number }[]>`select coalesce(max(version), 0) + 1 as next from plans where scope_id = ${p.scopeId}`;
        const [row] = await t<{ id: number }[]>`
          insert into plans (scope_id, version, parent_plan_id, run_id, forecast_set_id, status, method, objective, gap, summary, diff)
          values (${p.scopeId}, ${next}, ${p.parentPlanId ?? null}, ${p.runId}, ${p.forecastSetId}, 'draft', ${p.method},
                  ${p.objective}, ${p.gap}, ${JSON.stringify(p.summary)}::jsonb, ${p.diff ? JSON.stringify(p.diff) : null}::jsonb)
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
        return { id: row.id, version: next };
      });
    },

    async get(id: number): Promise<(Plan & { items: PlanItem[] }) | undefined> {
      const [plan] = await db.select().from(plans).where(eq(plans.id, id));
      if (!plan) return undefined;
      const items = await db.select().from(planItems).where(eq(planItems.planId, id)).orderBy(planItems.launchWeek, planItems.candidateId);
      return { ...plan, items };
    },

    async list(filter: { scopeId?: string; status?: string; limit?: number }) {
      const conds = [filter.scopeId ? eq(plans.scopeId, filter.scopeId) : undefined, filter.status ? eq(plans.status, filter.status) : undefined].filter(
        (c) => c !== undefined,
      );
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
     * draft → published (the scope's previous published plan becomes superseded) or
     * draft → rejected. Idempotent for a retried activity: repeating the same transition is a no-op.
     */
    async decide(input: { planId: number; to: 'published' | 'rejected'; by: string; note?: string }): Promise<PlanTransitionError | null> {
      return sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        const [plan] = await t<{ id: number; scopeId: string; status: string }[]>`select id, scope_id as "scopeId", status from plans where id = ${input.planId} for update`;
        if (!plan) return { code: 'plans.not_found', message: `plan ${input.planId} does not exist` } as const;
        if (plan.status === input.to) return null;
        if (plan.status !== 'draft')
          return { code: 'plans.not_draft', message: `plan ${input.planId} is ${plan.status}, only a draft plan can be ${input.to}` } as const;
        if (input.to === 'published') {
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

import { Context } from '@temporalio/activity';
import { scopeRulesSchema, formatZodIssues } from '../contracts/scope-rules.js';
import type { Database } from '../db/client.js';
import { artifactsRepository } from '../db/repositories/artifacts.repository.js';
import { forecastsRepository } from '../db/repositories/forecasts.repository.js';
import { planInputsRepository } from '../db/repositories/plan-inputs.repository.js';
import { plansRepository } from '../db/repositories/plans.repository.js';
import type { PromotionWindow, WeeklyTotal } from '../engine/demand/calendar-multipliers.js';
import { diffPlans, type PlanResult as PlannerResult } from '../engine/planner/index.js';
import type { ThreadPool } from '../services/thread-pool.js';
import { clashPenalties } from './competition.js';
import { failures } from './errors.js';
import { buildScenario } from './plan-scenario.js';
import type { CpuActivities } from './types.js';

const resultUri = (planId: number) => `plans/${planId}/result.json`;

/** Planning: build the scenario from the database, optimise off the event loop, store the draft. */
export function createPlanActivities(
  database: Database,
  pool: ThreadPool,
): Pick<CpuActivities, 'buildLaunchPlan' | 'publishPlan' | 'rejectPlan' | 'latestPublishedPlan'> {
  const plans = plansRepository(database);
  const inputs = planInputsRepository(database);
  const forecasts = forecastsRepository(database);
  const artifacts = artifactsRepository(database);

  return {
    async buildLaunchPlan({ scopeId, forecastSetId, parentPlanId, runId, reason }) {
      const ctx = Context.current();
      const set = await forecasts.getSet(forecastSetId);
      if (!set) throw failures.notFound(`forecast set ${forecastSetId} does not exist`);
      if (set.scope_id !== scopeId) throw failures.invalidData(`forecast set ${forecastSetId} belongs to scope ${set.scope_id}, not ${scopeId}`);
      const parsedRules = scopeRulesSchema.safeParse(set.rules ?? {});
      if (!parsedRules.success)
        throw failures.invalidData(`scope ${scopeId} has invalid planning rules: ${formatZodIssues(parsedRules.error).join('; ')}`);
      const rules = parsedRules.data;

      const [candidates, curveRows, historyRows, promotionRows, parentRows] = await Promise.all([
        inputs.candidates(scopeId),
        inputs.curves(forecastSetId),
        inputs.categoryHistory(set, set.sales_through),
        inputs.promotions(set.region),
        parentPlanId ? inputs.parentItems(parentPlanId) : Promise.resolve([]),
      ]);
      const categoryHistory = new Map<string, WeeklyTotal[]>();
      for (const r of historyRows) {
        const list = categoryHistory.get(r.category) ?? [];
        list.push({ week: r.week, units: r.units });
        categoryHistory.set(r.category, list);
      }
      const promotions: Array<PromotionWindow & { name: string }> = promotionRows.map((p) => ({
        name: p.name,
        category: p.category,
        startWeek: p.startWeek,
        endWeek: p.endWeek,
        recurring: p.kind === 'festival',
      }));
      const curves = new Map(
        curveRows.map((r) => [
          r.series_key,
          {
            refWeek: r.ref_week ?? set.start_week,
            mean: r.mean,
            lo80: r.lo80,
            hi80: r.hi80,
            ...(r.error_correlation !== null ? { errorCorrelation: r.error_correlation } : {}),
          },
        ]),
      );
      const [clash, inventory] = await Promise.all([clashPenalties(database, set, rules), inputs.coverSequences(set, set.sales_through)]);
      const { scenario, skipped } = buildScenario({
        scopeId,
        startWeek: set.start_week,
        rules,
        candidates,
        curves,
        categoryHistory,
        promotions,
        parentItems: parentRows,
        clashPenalty: clash,
        inventory,
      });
      if (scenario.candidates.length === 0)
        throw failures.invalidData(
          `scope ${scopeId} has no candidate that can be planned: ${skipped.map((s) => `${s.candidateId} (${s.reason})`).join(', ') || 'none stored'}`,
        );

      // The solve runs on a worker thread; the heartbeat keeps flowing meanwhile.
      ctx.heartbeat({ stage: 'solving', candidates: scenario.candidates.length, weeks: scenario.weeks.length });
      const beat = setInterval(() => ctx.heartbeat({ stage: 'solving' }), 5_000);
      let result: PlannerResult;
      try {
        result = await pool.run('planScenario', { scenario, options: rules.solver });
      } finally {
        clearInterval(beat);
      }
      if (result.status === 'infeasible') {
        const text = result.conflicts.map((c) => c.message).join('; ') || 'the rules cannot all be met';
        throw failures.infeasible(`no launch plan meets the rules of ${scopeId}: ${text}`, result.conflicts);
      }

      const previous = parentPlanId ? await artifacts.getJson<PlannerResult>(resultUri(parentPlanId)) : undefined;
      const diff = previous ? diffPlans(previous, result) : null;
      const summary = {
        reason,
        status: result.status,
        method: result.method,
        objective: result.objective,
        solver: result.solver ?? null,
        fallbackReason: result.fallbackReason ?? null,
        notLaunched: [...result.notLaunched, ...skipped.map((s) => ({ candidateId: s.candidateId, reason: s.reason }))],
        warnings: result.warnings,
        launches: result.items.length,
        startWeek: set.start_week,
      };
      const created = await plans.create({
        scopeId,
        parentPlanId,
        runId,
        forecastSetId,
        method: result.method,
        objective: result.objective.total,
        gap: result.solver?.gap ?? null,
        summary,
        diff: diff as unknown as Record<string, unknown> | null,
        items: result.items.map((i) => ({
          candidateId: i.candidateId,
          launchWeek: i.weekStart,
          openingQty: i.openingQty,
          expectedUnits: i.expectedUnits,
          unitsLo: i.unitsInterval.lo,
          unitsHi: i.unitsInterval.hi,
          expectedMargin: i.netValue,
          // The summary already states the main driver; the rest follow it.
          rationale: [i.rationale.summary, ...i.rationale.drivers.slice(1).map((d) => d.detail)],
          fixed: i.fixed,
        })),
      });
      await artifacts.putJson(resultUri(created.id), result);
      const text =
        `plan v${created.version} for ${scopeId}: ${result.items.length} launches, expected net value ` +
        `${Math.round(result.objective.total).toLocaleString('en-US')} (${result.method}${result.solver?.gap != null ? `, gap ${(result.solver.gap * 100).toFixed(2)}%` : ''})` +
        (diff ? `; vs previous: ${diff.summary}` : '');
      return { planId: created.id, version: created.version, method: result.method, objective: result.objective.total, items: result.items.length, summary: text };
    },

    async publishPlan({ planId, by, note }) {
      const err = await plans.decide({ planId, to: 'published', by, note });
      if (err) throw err.code === 'plans.not_found' ? failures.notFound(err.message) : failures.invalidDecision(err.message);
      return { planId, status: 'published' };
    },

    async rejectPlan({ planId, by, note }) {
      const err = await plans.decide({ planId, to: 'rejected', by, note });
      if (err) throw err.code === 'plans.not_found' ? failures.notFound(err.message) : failures.invalidDecision(err.message);
      return { planId, status: 'rejected' };
    },

    async latestPublishedPlan({ scopeId }) {
      return { planId: await plans.latestPublished(scopeId) };
    },
  };
}

import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { applyRuleOverrides, describeRuleOverrides, nonEmptyOverrides, overrideIssues, ruleOverridesSchema, unknownOverrideReferences, type RuleOverrides } from '../contracts/rule-overrides.js';
import { scopeRulesSchema, formatZodIssues, type ScopeRules } from '../contracts/scope-rules.js';
import type { Database } from '../db/client.js';
import { artifactsRepository } from '../db/repositories/artifacts.repository.js';
import { forecastsRepository } from '../db/repositories/forecasts.repository.js';
import { planInputsRepository } from '../db/repositories/plan-inputs.repository.js';
import { plansRepository } from '../db/repositories/plans.repository.js';
import { draftLine, planDraft, planningScenario, type PlanningRows, type PlanResult as PlannerResult } from '../engine/planner/index.js';
import type { ThreadPool } from '../services/thread-pool.js';
import { failures } from './errors.js';
import type { CpuActivities, RepositoryPort } from './types.js';

const resultUri = (planId: number) => `plans/${planId}/result.json`;

/**
 * One activity execution, whatever its attempt: Temporal retries an activity under the same
 * workflow run and activity id, so a retry after a crash between the commit and the completion
 * finds the plan the earlier attempt stored.
 */
function attemptKeyOf(ctx: Context): string | undefined {
  const { workflowExecution, activityId } = ctx.info;
  // Absent only for an activity run outside a workflow, which Temporal does not retry for us.
  return workflowExecution ? `${workflowExecution.workflowId}/${workflowExecution.runId}/${activityId}` : undefined;
}

/**
 * A draft that no longer revises the scope's published plan. Non-retryable: waiting does not
 * make it current. The owner workflow answers the approval with it and keeps the draft pending.
 */
const stalePlan = (message: string, details: unknown) => ApplicationFailure.create({ message, type: 'StalePlan', nonRetryable: true, details: [details] });

/** The run's plan line names the overrides: the merchandiser sees what this plan was built with. */
const forThisReplan = (lines: string[]) => (lines.length ? `; rule overrides: ${lines.join('; ')}` : '');

/**
 * The rules a plan is built with: the scope's, with a replan's overrides on top. The overrides are
 * checked again here (a replan started from the CLI or an older client reaches the activity
 * without the API's check); bad ones fail the plan for good, waiting does not fix them.
 */
function withOverrides(scopeId: string, stored: ScopeRules, raw: RuleOverrides | undefined): { rules: ScopeRules; overrides?: RuleOverrides; overrideLines: string[] } {
  if (!nonEmptyOverrides(raw)) return { rules: stored, overrideLines: [] };
  const checked = ruleOverridesSchema.safeParse(raw);
  if (!checked.success) throw failures.invalidData(`the rule overrides of this replan of ${scopeId} are invalid: ${overrideIssues(checked.error).join('; ')}`);
  const merged = applyRuleOverrides(stored, checked.data);
  if (!merged.success) throw failures.invalidData(`the rules of ${scopeId} with this replan's overrides are invalid: ${formatZodIssues(merged.error).join('; ')}`);
  return { rules: merged.data, overrides: checked.data, overrideLines: describeRuleOverrides(stored, checked.data) };
}

type Repo<F extends (...args: never[]) => unknown, K extends keyof ReturnType<F>> = RepositoryPort<ReturnType<F>, K>;

/** What the plan activities read and write; tests pass fakes, the CPU worker the real ones. */
export interface PlanActivityDeps {
  plans: Repo<typeof plansRepository, 'create' | 'byAttemptKey' | 'decide' | 'latestPublished'>;
  inputs: Repo<typeof planInputsRepository, 'candidates' | 'curves' | 'categoryHistory' | 'promotions' | 'parentItems' | 'coverSequences' | 'ourLaunches' | 'competitorLaunches'>;
  forecasts: Repo<typeof forecastsRepository, 'getSet'>;
  // Not a RepositoryPort: getJson is generic, which a mapped type would erase.
  artifacts: Pick<ReturnType<typeof artifactsRepository>, 'getJson' | 'putJson'>;
  pool: Pick<ThreadPool, 'run'>;
}

export function planActivityDeps(database: Database, pool: ThreadPool): PlanActivityDeps {
  return {
    plans: plansRepository(database),
    inputs: planInputsRepository(database),
    forecasts: forecastsRepository(database),
    artifacts: artifactsRepository(database),
    pool,
  };
}

/** Planning: build the scenario from the database, optimise off the event loop, store the draft. */
export function createPlanActivities({
  plans,
  inputs,
  forecasts,
  artifacts,
  pool,
}: PlanActivityDeps): Pick<CpuActivities, 'buildLaunchPlan' | 'publishPlan' | 'rejectPlan' | 'latestPublishedPlan'> {
  /** Everything the scenario is built from, read as of the forecast set's snapshot. */
  async function loadPlanningRows(set: NonNullable<Awaited<ReturnType<PlanActivityDeps['forecasts']['getSet']>>>, rules: ScopeRules, parentPlanId?: number): Promise<PlanningRows> {
    const through = set.salesThrough;
    const [candidates, curves, categoryHistory, promotions, parentItems, inventory, ourLaunches, competitorLaunches] = await Promise.all([
      inputs.candidates(set.scopeId),
      inputs.curves(set.id),
      inputs.categoryHistory(set, through),
      inputs.promotions(set.region),
      parentPlanId ? inputs.parentItems(parentPlanId) : Promise.resolve([]),
      inputs.coverSequences(set, through),
      inputs.ourLaunches(set, through),
      inputs.competitorLaunches(set),
    ]);
    return {
      scopeId: set.scopeId,
      region: set.region,
      categories: set.categories,
      startWeek: set.startWeek,
      salesThrough: through,
      rules,
      candidates, categoryHistory, promotions, parentItems, inventory, ourLaunches, competitorLaunches,
      curves: curves.map((r) => ({ seriesKey: r.seriesKey, refWeek: r.refWeek, mean: r.mean, lo80: r.lo80, hi80: r.hi80, errorCorrelation: r.errorCorrelation })),
    };
  }

  return {
    async buildLaunchPlan({ scopeId, forecastSetId, parentPlanId, runId, reason, ruleOverrides }) {
      const ctx = Context.current();
      const attemptKey = attemptKeyOf(ctx);
      const stored = attemptKey ? await plans.byAttemptKey(attemptKey) : undefined;
      const storedResult = stored && (await artifacts.getJson<PlannerResult>(resultUri(stored.id)));
      if (stored && storedResult) {
        // An earlier attempt stored everything and only its completion was lost: answer as it would have.
        const diff = stored.diff as unknown as Parameters<typeof draftLine>[3];
        const lines = (stored.summary as { overrideNotes?: string[] } | null)?.overrideNotes ?? [];
        const summary = draftLine(scopeId, stored.version, storedResult, diff) + forThisReplan(lines);
        return { planId: stored.id, version: stored.version, method: storedResult.method, objective: storedResult.objective.total, items: storedResult.items.length, summary };
      }
      const set = await forecasts.getSet(forecastSetId);
      if (!set) throw failures.notFound(`forecast set ${forecastSetId} does not exist`);
      if (set.scopeId !== scopeId) throw failures.invalidData(`forecast set ${forecastSetId} belongs to scope ${set.scopeId}, not ${scopeId}`);
      const parsed = scopeRulesSchema.safeParse(set.rules ?? {});
      if (!parsed.success) throw failures.invalidData(`scope ${scopeId} has invalid planning rules: ${formatZodIssues(parsed.error).join('; ')}`);
      const { rules, overrides, overrideLines } = withOverrides(scopeId, parsed.data, ruleOverrides);

      const rows = await loadPlanningRows(set, rules, parentPlanId);
      // The API checked these names; an override started from the CLI reaches here unchecked.
      const unknown = unknownOverrideReferences(overrides, {
        scopeId,
        categories: set.categories,
        promotions: rows.promotions.map((p) => p.name),
        candidateIds: rows.candidates.map((c) => c.id),
      });
      if (unknown.length) throw failures.invalidData(`the rule overrides of this replan name what ${scopeId} does not have: ${unknown.join('; ')}`);
      const { scenario, skipped } = planningScenario(rows);
      if (scenario.candidates.length === 0)
        throw failures.invalidData(
          `scope ${scopeId} has no candidate that can be planned: ${skipped.map((s) => `${s.candidateId} (${s.reason})`).join(', ') || 'none stored'}`,
        );

      // The solve runs on a worker thread; the heartbeat keeps flowing meanwhile.
      ctx.heartbeat({ stage: 'solving', candidates: scenario.candidates.length, weeks: scenario.weeks.length });
      const beat = setInterval(() => ctx.heartbeat({ stage: 'solving' }), 5_000);
      const result = await pool.run('planScenario', { scenario, options: rules.solver }).finally(() => clearInterval(beat));
      if (result.status === 'infeasible') {
        const text = result.conflicts.map((c) => c.message).join('; ') || 'the rules cannot all be met';
        throw failures.infeasible(`no launch plan meets the rules of ${scopeId}: ${text}`, result.conflicts);
      }

      const previous = parentPlanId ? await artifacts.getJson<PlannerResult>(resultUri(parentPlanId)) : undefined;
      const draft = planDraft({ result, skipped, previous, reason, startWeek: set.startWeek });
      if (overrideLines.length) draft.summary.overrideNotes = overrideLines;
      const created = await plans.create({
        scopeId, parentPlanId, runId, attemptKey, forecastSetId, ...draft,
        diff: draft.diff as unknown as Record<string, unknown> | null,
        ruleOverrides: overrides ?? null,
      });
      // An earlier attempt's plan stands (its items are what gets approved). Its solved result is
      // kept when it got stored; when that attempt died before storing it, this one takes its place.
      const prior = created.existing ? await artifacts.getJson<PlannerResult>(resultUri(created.id)) : undefined;
      if (created.existing) ctx.log.warn('buildLaunchPlan: a plan for this attempt key was already stored; returning it', { planId: created.id, attemptKey });
      const kept = prior ?? result;
      if (!prior) await artifacts.putJson(resultUri(created.id), result);
      const summary = draftLine(scopeId, created.version, kept, draft.diff) + forThisReplan(overrideLines);
      return { planId: created.id, version: created.version, method: kept.method, objective: kept.objective.total, items: kept.items.length, summary };
    },

    async publishPlan({ planId, by, note }) {
      const err = await plans.decide({ planId, to: 'published', by, note });
      if (err?.code === 'plans.stale') throw stalePlan(err.message, err.details);
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

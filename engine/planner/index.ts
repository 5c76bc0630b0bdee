/**
 * Public API of the launch planner. Pure: no Temporal, database or HTTP imports; the MILP
 * solver (HiGHS compiled to wasm) is instantiated on the first MILP plan, not on import.
 */
import { runGreedy } from './greedy.js';
import { buildModel, type PlannerModel } from './model.js';
import { buildResult, launchesOf } from './rationale.js';
import { checkPlan } from './state.js';
import type { Conflict, PlanOptions, PlanResult, Scenario } from './types.js';
import { weekDate } from './model.js';

export type * from './types.js';
export { validateScenario, ScenarioError } from './schema.js';
export { diffPlans } from './diff.js';
export { buildScenario, planningScenario, clashPenalties, weeklyCorrelation, type BuiltScenario, type CandidateInput, type LaunchCurveInput, type PlanningRows, type ScenarioInputs, type ScenarioRules } from './scenario.js';
export { historySizedRules, type HistoryLaunch, type SizedLaunchRules, type SizingOptions } from './rule-sizing.js';
export { planDraft, draftLine, type DraftItem, type PlanDraft } from './draft.js';
export * as markov from './markov.js';
export * as newsvendor from './newsvendor.js';
export * as game from './game.js';
export { generateScenario, type GenerateOptions } from './generate.js';
export { simulateLaunches, naivePlan, comparePlans, launchesOfPlan, type TruthProvider, type Kpis, type SimLaunch, type ComparisonRow } from './simulate.js';
export { exportLp } from './milp.js';
export { configureHighs, type HighsSettings } from './solver.js';
// The model's building blocks, for the benchmark's size and rule-binding report.
export { buildModel, type PlannerModel } from './model.js';
export { buildFormulation } from './formulation.js';
export { runGreedy } from './greedy.js';
import { solveMilp } from './milp.js';

function greedyResult(m: PlannerModel, method: PlanResult['method'], extra: { fallbackReason?: string; warnings?: string[] } = {}): PlanResult {
  const { state, unplaced } = runGreedy(m);
  const launches = launchesOf(state);
  const conflicts: Conflict[] = unplaced.map(({ c, blockers }) => {
    const cand = m.candidates[c];
    const o = m.options[c];
    const kinds = [...new Set(blockers.map((b) => b.rule))];
    return {
      rule: kinds.length === 1 ? kinds[0] : o.length === 0 ? 'window' : 'must-launch',
      message:
        o.length === 0
          ? `must-launch ${cand.name} has no possible launch week (${m.windowNotes[c].join('; ') || 'window outside the horizon'})`
          : `must-launch ${cand.name} could not be placed in ${weekDate(m.scenario, o[0].w)}..${weekDate(m.scenario, o[o.length - 1].w)}: ${blockers[0]?.detail ?? 'no week left'}`,
      candidateIds: [cand.id],
    };
  });
  // Rows the fixed items alone overfill are not violations (checkPlan holds them at the fixed
  // load; buildResult warns about them), so what is left here is a rule the plan itself breaks.
  const violations = checkPlan(m, launches).filter((v) => v.rule !== 'must-launch');
  const warnings = [...(extra.warnings ?? []), ...violations.map((v) => `rule broken: ${v.detail}`)];
  return buildResult(m, launches, {
    method,
    status: conflicts.length > 0 || violations.length > 0 ? 'infeasible' : 'feasible',
    conflicts,
    warnings,
    ...(extra.fallbackReason ? { fallbackReason: extra.fallbackReason } : {}),
  });
}

/** The value-per-cost greedy plan (baseline and fallback). */
export function greedyPlan(scenario: Scenario): PlanResult {
  return greedyResult(buildModel(scenario), 'greedy');
}

/** Plan launches: the MILP with HiGHS, falling back to the greedy plan if it yields nothing. */
export async function planLaunches(scenario: Scenario, options: PlanOptions = {}): Promise<PlanResult> {
  const m = buildModel(scenario);
  if (options.method === 'greedy') return greedyResult(m, 'greedy');
  return solveMilp(m, options, (reason, warnings) => greedyResult(m, 'greedy-fallback', { fallbackReason: reason, warnings }));
}

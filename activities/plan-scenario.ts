/**
 * Turns a scope's stored state (candidates, launch-curve forecasts, category history, rules,
 * the plan being revised) into the planner's Scenario. Pure: the plan activity loads the rows.
 */
import { categoryMultipliers, type PromotionWindow, type WeeklyTotal } from '../engine/demand/calendar-multipliers.js';
import { addWeeks, weeksBetween } from '../engine/calendar/weeks.js';
import { sdFromInterval80 } from '../engine/math/normal.js';
import type { Candidate as PlannerCandidate, CategoryMultiplier, Promotion, Scenario } from '../engine/planner/index.js';
import type { ScopeRules } from '../contracts/scope-rules.js';
import type { planInputsRepository } from '../db/repositories/plan-inputs.repository.js';


/** A candidate as the plan-inputs repository reads it. */
export type CandidateInput = Awaited<ReturnType<ReturnType<typeof planInputsRepository>['candidates']>>[number];

export interface LaunchCurveInput {
  /** The launch week the curve was forecast for (its calendar context). */
  refWeek: string;
  mean: number[];
  lo80: number[];
  hi80: number[];
  /**
   * The correlation of the forecasting model's weekly errors within a launch, measured on its
   * held-out launches (engine/coldstart/backtest.ts backtestModel's errorSpread).
   */
  errorCorrelation?: number;
}

export interface ScenarioInputs {
  scopeId: string;
  startWeek: string;
  rules: ScopeRules;
  candidates: CandidateInput[];
  curves: Map<string, LaunchCurveInput>;
  categoryHistory: Map<string, WeeklyTotal[]>;
  promotions: Array<PromotionWindow & { name: string }>;
  /** Items of the published plan being revised (replans keep launched and ordered ones). */
  parentItems?: Array<{ candidateId: string; launchWeek: string; openingQty: number }>;
  clashPenalty?: Array<{ category: string; values: number[] }>;
  /** Weeks-of-cover sequences per category (inventory Markov chain) and the margin at stake. */
  inventory?: Array<{ category: string; covers: number[]; weeklyMargin: number }>;
}

export interface BuiltScenario {
  scenario: Scenario;
  skipped: Array<{ candidateId: string; reason: string }>;
}

/**
 * The rule's correlation, or with 'auto' the median of what the curves' model measured on its
 * held-out launches; 1 (one level error shared by every week, the cautious end) when nothing
 * was measured, e.g. for baseline curves.
 */
export function weeklyCorrelation(rule: number | 'auto', curves: Map<string, LaunchCurveInput>): number {
  if (rule !== 'auto') return rule;
  const measured = [...curves.values()]
    .map((c) => c.errorCorrelation)
    .filter((v): v is number => v !== undefined && Number.isFinite(v) && v >= 0 && v <= 1)
    .sort((a, b) => a - b);
  if (measured.length === 0) return 1;
  return measured[Math.floor((measured.length - 1) / 2)];
}

export function buildScenario(input: ScenarioInputs): BuiltScenario {
  const { rules } = input;
  const W = rules.planningWeeks;
  const H = rules.coverageWeeks;
  const weeks = Array.from({ length: W }, (_, i) => addWeeks(input.startWeek, i));
  const calendar = Array.from({ length: W + H }, (_, i) => addWeeks(input.startWeek, i));
  const index = (week: string) => weeksBetween(input.startWeek, week);

  const categories = [...new Set(input.candidates.map((c) => c.category))].sort();
  const multipliers: CategoryMultiplier[] = categories.map((category) => ({
    category,
    values: categoryMultipliers({ category, history: input.categoryHistory.get(category) ?? [], promotions: input.promotions, weeks: calendar }).values,
  }));
  const multiplierOf = new Map(multipliers.map((m) => [m.category, m.values]));

  const parent = new Map((input.parentItems ?? []).map((p) => [p.candidateId, p]));
  const skipped: BuiltScenario['skipped'] = [];
  const candidates: PlannerCandidate[] = [];
  for (const c of input.candidates) {
    const curve = input.curves.get(c.id);
    if (!curve) {
      skipped.push({ candidateId: c.id, reason: 'no launch-curve forecast' });
      continue;
    }
    const fixedFrom = parent.get(c.id);
    const launched = c.launchedWeek !== null;
    // An opening order is committed once its lead time has started before the planning start.
    const committed = !launched && fixedFrom !== undefined && index(fixedFrom.launchWeek) - c.leadTimeWeeks < 0;
    const earliest = Math.max(0, index(c.earliestWeek));
    const latest = Math.min(W - 1, index(c.latestWeek));
    if (!launched && !committed && earliest > latest) {
      skipped.push({ candidateId: c.id, reason: `launch window ${c.earliestWeek}..${c.latestWeek} is outside the planning horizon` });
      continue;
    }
    // Curves were forecast in the calendar context of refWeek; divide that context out so the
    // planner can re-apply the context of every other launch week.
    const m = multiplierOf.get(c.category) ?? [];
    const ref = index(curve.refWeek);
    const mean: number[] = [];
    const sd: number[] = [];
    for (let h = 0; h < H; h++) {
      const ctx = m[ref + h] ?? 1;
      const div = ctx > 0 ? ctx : 1;
      const mu = curve.mean[h] ?? curve.mean[curve.mean.length - 1] ?? 0;
      mean.push(Math.max(0, mu) / div);
      // Curves are stored as mean with 80% bounds.
      sd.push(sdFromInterval80(curve.lo80[h] ?? mu, curve.hi80[h] ?? mu) / div);
    }
    const rides = rules.promotionRides.filter((r) => r.candidateIds.includes(c.id)).map((r) => r.promotion);
    candidates.push({
      id: c.id,
      name: c.name,
      category: c.category,
      group: c.subcategory,
      price: c.price,
      unitCost: c.unitCost,
      salvageValue: c.salvageValue,
      holdingCostPerWeek: c.unitCost * rules.holdingCostRate,
      moq: c.moq,
      leadTimeWeeks: c.leadTimeWeeks,
      earliestWeek: launched || committed ? 0 : earliest,
      latestWeek: launched || committed ? W - 1 : latest,
      mustLaunch: c.mustLaunch,
      ...(launched ? { alreadyLaunched: true, fixedWeek: index(c.launchedWeek!), fixedQty: c.committedQty ?? fixedFrom?.openingQty ?? 0 } : {}),
      ...(committed ? { committed: true, fixedWeek: index(fixedFrom!.launchWeek), fixedQty: fixedFrom!.openingQty } : {}),
      ...(rides.length ? { promotions: rides } : {}),
      curve: { mean, sd },
    });
  }

  const promotions: Promotion[] = input.promotions
    .filter((p) => rules.promotionRides.some((r) => r.promotion === p.name))
    .map((p) => ({ id: p.name, name: p.name, week: index(p.startWeek), leadWeeks: rules.promotionLeadWeeks }))
    .filter((p) => p.week >= 0 && p.week < W);

  const cadenceFor = new Map(rules.cadence.map((r) => [r.category, r]));
  const months = [...new Set(weeks.map((w) => w.slice(0, 7)))];
  const scenario: Scenario = {
    id: input.scopeId,
    weeks,
    candidates,
    demand: {
      horizonWeeks: H,
      multipliers,
      distribution: rules.demandUncertainty.distribution,
      weeklyCorrelation: weeklyCorrelation(rules.demandUncertainty.weeklyCorrelation, input.curves),
      intervalLevel: 80,
    },
    rules: {
      maxLaunchesPerWeek: rules.maxLaunchesPerWeek,
      cadence: categories.map((category) => ({ category, ...(cadenceFor.get(category) ?? rules.defaultCadence) })),
      minGapSimilarWeeks: rules.minGapSimilarWeeks,
      ...(rules.monthlyBudget !== undefined ? { monthlyBudget: months.map((month) => ({ month, amount: rules.monthlyBudget! })) } : {}),
      ...(rules.warehouseCapacityUnits !== undefined ? { warehouseCapacityUnits: rules.warehouseCapacityUnits } : {}),
      ...(promotions.length ? { promotions } : {}),
    },
    cannibalisation: rules.cannibalisation,
    ...(input.clashPenalty?.length ? { competition: { clashPenalty: input.clashPenalty } } : {}),
    ...(input.inventory?.length ? { inventoryRisk: inventoryRisk(input.inventory, categories, rules) } : {}),
    solver: rules.solver,
  };
  return { scenario, skipped };
}

/**
 * Markov-chain inputs: per category, the observed weeks-of-cover sequences (the planner estimates
 * the transition matrix by maximum likelihood) and the cost of a stock-out, `stockoutCostWeeks`
 * weeks of the category's average weekly margin per item.
 */
function inventoryRisk(rows: NonNullable<ScenarioInputs['inventory']>, categories: string[], rules: ScopeRules): NonNullable<Scenario['inventoryRisk']> {
  return {
    lowWeeks: 2,
    overstockWeeks: 12,
    horizonWeeks: 8,
    categories: categories
      .map((category) => {
        const mine = rows.filter((r) => r.category === category && r.covers.length > 1);
        const margin = mine.length ? mine.reduce((a, r) => a + r.weeklyMargin, 0) / mine.length : 0;
        return { category, sequences: mine.map((r) => r.covers), stockoutCost: rules.stockoutCostWeeks * margin };
      })
      .filter((c) => c.sequences.length > 0),
  };
}

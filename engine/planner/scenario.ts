/**
 * Turns a scope's stored state (candidates, launch-curve forecasts, category history, rules,
 * competitors' launches, the plan being revised) into the planner's Scenario. Pure: the plan
 * activity loads the rows and hands them to `planningScenario`.
 */
import { addWeeks, weeksBetween } from '../calendar/index.js';
import { categoryMultipliers, type PromotionWindow, type WeeklyTotal } from '../demand/index.js';
import { sdFromInterval80 } from '../math/index.js';
import { clashPenaltyForCategory } from './competition.js';
import type { CadenceRule, CannibalisationInputs, Candidate as PlannerCandidate, CategoryMultiplier, Promotion, Scenario, SolverOptions } from './types.js';

/** A candidate product as stored for the scope. */
export interface CandidateInput {
  id: string;
  name: string;
  category: string;
  subcategory: string;
  price: number;
  unitCost: number;
  salvageValue: number;
  moq: number;
  leadTimeWeeks: number;
  earliestWeek: string;
  latestWeek: string;
  mustLaunch: boolean;
  /** The week it started selling (a launched candidate stays fixed in replans). */
  launchedWeek: string | null;
  committedQty: number | null;
}

/**
 * The scope rules the scenario reads (contracts/scope-rules.ts ScopeRules, after defaults):
 * written out here because the engine does not import the application's contracts.
 */
export interface ScenarioRules {
  planningWeeks: number;
  coverageWeeks: number;
  maxLaunchesPerWeek: number;
  cadence: CadenceRule[];
  defaultCadence: Omit<CadenceRule, 'category'>;
  minGapSimilarWeeks: number;
  monthlyBudget?: number;
  warehouseCapacityUnits?: number;
  holdingCostRate: number;
  promotionLeadWeeks: number;
  promotionRides: Array<{ promotion: string; candidateIds: string[] }>;
  cannibalisation: CannibalisationInputs;
  demandUncertainty: { distribution: 'lognormal' | 'normal'; weeklyCorrelation: number | 'auto' };
  stockoutCostWeeks: number;
  clashWindowWeeks: number;
  solver: SolverOptions;
  /**
   * The scope's reorder policy. With `opening: 'lead-time-and-review'` each opening order covers
   * only lead time + the first review at `serviceLevel`, as the adjust stage reorders after it
   * (Scenario demand.replenishment); 'coverage' (or absent): one order for the coverage horizon.
   */
  replenishment?: { serviceLevel: number; reviewPeriodWeeks: number; opening: 'coverage' | 'lead-time-and-review'; openingServiceLevel?: number; curveSpreadScale?: number };
  /** How the import sized maxLaunchesPerWeek and the cadence from the shop's history (said in the plan's summary). */
  sizedFromHistory?: string;
}

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
  rules: ScenarioRules;
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
  // The scope's budget holds in every month. With reorders, a late launch's planned reorders are
  // ordered up to H − 1 weeks after the last planning week: those months get the budget too, or
  // the plan would park reorders there unconstrained (on the real shop: 29 December launches
  // whose reorders spent 4.5× the monthly budget in January).
  const reordersAfter = rules.replenishment?.opening === 'lead-time-and-review' ? Array.from({ length: H - 1 }, (_, i) => addWeeks(weeks[weeks.length - 1], i + 1)) : [];
  const months = [...new Set([...weeks, ...reordersAfter].map((w) => w.slice(0, 7)))];
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
      ...(rules.replenishment?.opening === 'lead-time-and-review'
        ? {
            // The opening at its own service level and on the calibrated spread, as the KPI simulation's closed loop sizes it.
            replenishment: {
              reviewWeeks: rules.replenishment.reviewPeriodWeeks,
              serviceLevel: rules.replenishment.openingServiceLevel ?? rules.replenishment.serviceLevel,
              ...(rules.replenishment.curveSpreadScale !== undefined ? { spreadScale: rules.replenishment.curveSpreadScale } : {}),
            },
          }
        : {}),
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
    ...(rules.sizedFromHistory ? { notes: [`launch rules ${rules.sizedFromHistory}`] } : {}),
  };
  return { scenario, skipped };
}

/**
 * Markov-chain inputs: per category, the observed weeks-of-cover sequences (the planner estimates
 * the transition matrix by maximum likelihood) and the cost of a stock-out, `stockoutCostWeeks`
 * weeks of the category's average weekly margin per item.
 */
function inventoryRisk(rows: NonNullable<ScenarioInputs['inventory']>, categories: string[], rules: ScenarioRules): NonNullable<Scenario['inventoryRisk']> {
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

/** The rows the plan activity loads, as the repositories return them (renamed to camelCase). */
export interface PlanningRows {
  scopeId: string;
  region: string;
  categories: string[];
  /** First planning week (the forecast set's start week). */
  startWeek: string;
  /** The snapshot's sales cut-off: competition history is read up to it. */
  salesThrough: string;
  rules: ScenarioRules;
  candidates: CandidateInput[];
  curves: Array<{ seriesKey: string; refWeek: string | null; mean: number[]; lo80: number[]; hi80: number[]; errorCorrelation: number | null }>;
  categoryHistory: Array<{ category: string; week: string; units: number }>;
  /** Stored promotions and festivals; festivals recur every year. */
  promotions: Array<{ name: string; category: string | null; startWeek: string; endWeek: string; kind: string }>;
  parentItems: ScenarioInputs['parentItems'];
  /** Our launches with their first 13 weeks of units and unit margin, and competitors' launch weeks. */
  ourLaunches: Array<{ category: string; week: string; units: number; unitMargin: number }>;
  competitorLaunches: Array<{ category: string; week: string }>;
  inventory: ScenarioInputs['inventory'];
}

/** The Scenario of one plan from the loaded rows: calendar context, clash penalties and candidates. */
export function planningScenario(rows: PlanningRows): BuiltScenario {
  const categoryHistory = new Map<string, WeeklyTotal[]>();
  for (const r of rows.categoryHistory) {
    const list = categoryHistory.get(r.category) ?? [];
    list.push({ week: r.week, units: r.units });
    categoryHistory.set(r.category, list);
  }
  const curves = new Map(
    rows.curves.map((r) => [
      r.seriesKey,
      {
        refWeek: r.refWeek ?? rows.startWeek,
        mean: r.mean,
        lo80: r.lo80,
        hi80: r.hi80,
        ...(r.errorCorrelation !== null ? { errorCorrelation: r.errorCorrelation } : {}),
      },
    ]),
  );
  return buildScenario({
    scopeId: rows.scopeId,
    startWeek: rows.startWeek,
    rules: rows.rules,
    candidates: rows.candidates,
    curves,
    categoryHistory,
    promotions: rows.promotions.map((p) => ({ name: p.name, category: p.category, startWeek: p.startWeek, endWeek: p.endWeek, recurring: p.kind === 'festival' })),
    parentItems: rows.parentItems,
    clashPenalty: clashPenalties(rows),
    inventory: rows.inventory,
  });
}

/**
 * Expected competitor-clash penalty per category and planning week, from the launch-timing game
 * estimated on the scope's own launches and its competitors' (competition.ts).
 */
export function clashPenalties(rows: Pick<PlanningRows, 'categories' | 'startWeek' | 'salesThrough' | 'rules' | 'ourLaunches' | 'competitorLaunches'>): Array<{ category: string; values: number[] }> {
  return rows.categories.map((category) => {
    const mine = rows.ourLaunches.filter((o) => o.category === category);
    const margin = mine.length ? mine.reduce((a, o) => a + o.units * o.unitMargin, 0) / mine.length : 0;
    const { values } = clashPenaltyForCategory({
      history: { ours: mine.map((o) => ({ week: o.week, units: o.units })), theirs: rows.competitorLaunches.filter((t) => t.category === category).map((t) => t.week) },
      startWeek: rows.startWeek,
      weeks: rows.rules.planningWeeks,
      asOf: rows.salesThrough,
      windowWeeks: rows.rules.clashWindowWeeks,
      marginPerLaunch: margin,
    });
    return { category, values };
  });
}

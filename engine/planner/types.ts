/**
 * Contracts of the launch planner: the scenario it reads and the plan it returns. These are
 * also the JSON file formats of `launchloop plan` (see README.md). Changes are additive only:
 * the orchestration layer builds scenarios from the database against these shapes.
 *
 * Conventions: weeks are indices 0..W-1 into `Scenario.weeks` (ISO Monday dates); money is in
 * the scenario's currency; quantities are units.
 */

/** Demand of one candidate over the H weeks after launch (week-after-launch 0..H-1). */
export interface LaunchCurve {
  /** Expected units sold in week-after-launch h, at calendar multiplier 1. Length H. */
  mean: number[];
  /** Standard deviation of units in week-after-launch h, at multiplier 1. Length H. */
  sd: number[];
}

export interface Candidate {
  id: string;
  name: string;
  category: string;
  /** Similarity group (subcategory): min-gap and cannibalisation rules apply within a group. */
  group: string;
  price: number;
  unitCost: number;
  /** Value recovered per unsold unit at the end of the coverage horizon (markdown / return). */
  salvageValue: number;
  /** Holding cost per unit on hand per week. */
  holdingCostPerWeek: number;
  /** Minimum order quantity of the opening order. */
  moq: number;
  /** Weeks between placing the opening order and the launch; launch week >= leadTimeWeeks. */
  leadTimeWeeks: number;
  earliestWeek: number;
  latestWeek: number;
  /** Must be launched exactly once within its window. */
  mustLaunch?: boolean;
  /** Replans: already on sale since `fixedWeek` (may be negative: before the horizon). */
  alreadyLaunched?: boolean;
  /** Replans: opening order already placed for `fixedWeek`; the plan keeps it. */
  committed?: boolean;
  fixedWeek?: number;
  fixedQty?: number;
  /** Promotion ids this item should ride (it must launch `leadWeeks` before each). */
  promotions?: string[];
  /** Base launch curve at calendar multiplier 1. */
  curve: LaunchCurve;
  /**
   * Optional samples of total coverage-period demand at multiplier 1 (e.g. from the cold-start
   * model's predictive draws); used when `demand.distribution` is 'empirical'.
   */
  demandSamples?: number[];
}

/** Calendar multiplier for one category ('*' = every category), index = calendar week. */
export interface CategoryMultiplier {
  category: string;
  /**
   * Multiplier per calendar week from week 0 (season x festivals x promotions x trend). Give
   * W + H values so late launches see their whole coverage; weeks past the end use 1.
   */
  values: number[];
}

/** Replaces curve x multiplier for one candidate launched in one week. */
export interface DemandOverride {
  candidateId: string;
  launchWeek: number;
  /** Mean and sd per week-after-launch, already including seasonality. Length H. */
  mean: number[];
  sd: number[];
}

/**
 * Demand of candidate c launched in week w, week-after-launch h:
 *   mean = curve.mean[h] * m(category, w + h),  sd = curve.sd[h] * m(category, w + h)
 * where m is the product of the category's and the '*' multipliers. Weekly errors have a common
 * correlation rho (`weeklyCorrelation`), so the coverage total has variance
 * (1 - rho) sum(sd^2) + rho (sum sd)^2: rho = 0 treats weeks as independent, rho = 1 as one level
 * error shared by every week (what a cold-start forecast mostly gets wrong). Storage is O(C*H + K*W).
 */
export interface DemandModel {
  /** Coverage horizon H in weeks: the opening order must cover launch week .. launch + H - 1. */
  horizonWeeks: number;
  multipliers?: CategoryMultiplier[];
  overrides?: DemandOverride[];
  /**
   * Coverage-demand distribution: 'normal' (default), 'lognormal' (same mean and sd, right-skewed,
   * never negative) or 'empirical' (candidate.demandSamples, when present).
   */
  distribution?: 'normal' | 'lognormal' | 'empirical';
  /** Correlation of weekly demand errors within one launch, in [0, 1] (default 0: independent). */
  weeklyCorrelation?: number;
  /** Coverage of the expected-units interval in percent (default 80). */
  intervalLevel?: number;
  /**
   * In-season replenishment (issue 13 §1). When set, reorders follow each launch, so its opening
   * order covers only the candidate's lead time plus the first review period at `serviceLevel`
   * (engine/replenishment openingQuantity, capped at the coverage newsvendor quantity); the
   * option's value, expected units, budget spend and warehouse use stay those of the coverage
   * newsvendor quantity, i.e. the opening plus the planned reorders. The budget charges the
   * opening to the launch month and the planned reorders to the months they are ordered (the
   * weeks the (R, S) policy orders in on expected demand, review weeks and MOQ included: model.ts
   * `plannedReorderUnits`); warehouse use counts the whole coverage quantity on hand from
   * launch, an upper bound of the policy's stock. Unset: one opening order for the coverage horizon. `spreadScale` multiplies the
   * coverage sd the opening reads (the scope's replenishment.curveSpreadScale; default 1).
   */
  replenishment?: { reviewWeeks: number; serviceLevel: number; spreadScale?: number };
}

export interface CadenceRule {
  category: string;
  /** At most maxLaunches launches of this category in any windowWeeks consecutive weeks. */
  maxLaunches: number;
  windowWeeks: number;
}

export interface MonthlyBudget {
  /** Calendar month 'YYYY-MM' of the launch week's Monday (or of a planned reorder's order week). */
  month: string;
  /**
   * Cap on opening-stock spend (unitCost x opening qty) of launches in that month; with
   * `demand.replenishment`, also on the planned reorders ordered in that month.
   */
  amount: number;
}

export interface Promotion {
  id: string;
  name: string;
  /** Week index of the promotion. */
  week: number;
  /** Riding items must launch at least this many weeks before the promotion week. */
  leadWeeks: number;
  /** Items that should ride it (in addition to candidates listing it in `promotions`). */
  candidateIds?: string[];
}

export interface Rules {
  /** Launch capacity: at most this many launches per week (one number or one per week). */
  maxLaunchesPerWeek?: number | number[];
  cadence?: CadenceRule[];
  /** Two launches of the same similarity group must be at least this many weeks apart (>= 1). */
  minGapSimilarWeeks?: number;
  monthlyBudget?: MonthlyBudget[];
  /**
   * Warehouse capacity in units on hand (one number or one per week). On hand of an item
   * launched in w, in week t, is its expected leftover after expected sales of weeks w..t
   * (deterministic, opening qty - cumulative mean, floored at 0) until w + H - 1.
   */
  warehouseCapacityUnits?: number | number[];
  /** Units already on hand per week from existing assortment (counts against capacity). */
  warehouseBaselineUnits?: number[];
  promotions?: Promotion[];
}

/** Expected cost of launching one item of a category in a week while competitors may launch. */
export interface ClashPenalty {
  category: string;
  /** Money per launch, per planning week. Compute with game.ts `clashPenaltyByWeek`. */
  values: number[];
}

export interface CompetitionInputs {
  clashPenalty: ClashPenalty[];
}

export interface CategoryRisk {
  category: string;
  /** Row-stochastic 4x4 matrix over [stockout, low, healthy, overstock]; or give sequences. */
  transition?: number[][];
  /** Observed weeks-of-cover sequences, one per item, to estimate the transition matrix. */
  sequences?: number[][];
  /** Cost charged per expected stock-out event within the risk horizon. */
  stockoutCost: number;
}

export interface InventoryRiskInputs {
  /** Weeks-of-cover thresholds: cover <= 0 stock-out, < lowWeeks low, > overstockWeeks overstock. */
  lowWeeks: number;
  overstockWeeks: number;
  /** k in "probability of a stock-out within k weeks". */
  horizonWeeks: number;
  categories: CategoryRisk[];
}

export interface CannibalisationInputs {
  /** Share of the smaller margin lost when two same-group items launch in the same week. */
  rate: number;
  /** Launches closer than this many weeks cannibalise, linearly less with distance. */
  windowWeeks: number;
}

export interface SolverOptions {
  /** Wall-clock limit of the MILP solve in seconds (default 30). */
  timeLimitSeconds?: number;
  /** Relative MIP gap at which to stop (default 0.01). */
  gapTarget?: number;
}

export interface Scenario {
  id?: string;
  /** Sentences that travel to the plan's summary (where the rules came from). */
  notes?: string[];
  /** Planning weeks, ISO Monday dates 'YYYY-MM-DD', index 0..W-1. */
  weeks: string[];
  candidates: Candidate[];
  demand: DemandModel;
  rules: Rules;
  competition?: CompetitionInputs;
  inventoryRisk?: InventoryRiskInputs;
  cannibalisation?: CannibalisationInputs;
  solver?: SolverOptions;
}

// ---------------------------------------------------------------------------------------------
// Plan

export type DriverKind =
  | 'seasonal-peak'
  | 'promotion'
  | 'competitor-avoidance'
  | 'budget'
  | 'cadence'
  | 'launch-capacity'
  | 'similar-gap'
  | 'warehouse'
  | 'lead-time'
  | 'window'
  | 'must-launch'
  | 'fixed'
  | 'cannibalisation'
  | 'stockout-risk'
  | 'replenishment';

export interface Driver {
  kind: DriverKind;
  /** One merchandiser sentence. */
  detail: string;
}

export interface Rationale {
  /** Main drivers, most important first. */
  drivers: Driver[];
  summary: string;
}

export interface PlanItem {
  candidateId: string;
  name: string;
  category: string;
  group: string;
  week: number;
  /** ISO Monday date of the launch week (computed for weeks outside the horizon too). */
  weekStart: string;
  openingQty: number;
  /**
   * With `demand.replenishment`: units the coverage needs, opening plus planned reorders (the
   * coverage newsvendor quantity); expected units, margin and costs are of this quantity.
   */
  seasonQty?: number;
  /**
   * With `demand.replenishment`: the budget spend by month (what the monthly budget rule
   * charges): the opening order in the launch month, the planned reorders in the months they
   * are ordered; sums to unitCost x seasonQty.
   */
  spendByMonth?: Array<{ month: string; opening: number; reorders: number }>;
  /** Expected units sold over the coverage horizon, min(D, openingQty). */
  expectedUnits: number;
  /** Interval of units sold at `level` percent coverage. */
  unitsInterval: { lo: number; hi: number; level: number };
  expectedRevenue: number;
  /** Expected sales margin incl. salvage minus purchase cost, before the cost terms below. */
  expectedMargin: number;
  holdingCost: number;
  stockoutRisk: { probability: number; cost: number };
  clashPenalty: number;
  /** This item's share of the cannibalisation cost of its group. */
  cannibalisation: number;
  /** expectedMargin - holdingCost - stockout cost - clashPenalty - cannibalisation. */
  netValue: number;
  /** Replans: already launched or committed, not a decision of this plan. */
  fixed: boolean;
  rationale: Rationale;
}

export interface ObjectiveBreakdown {
  expectedMargin: number;
  holdingCost: number;
  stockoutRisk: number;
  clashPenalty: number;
  cannibalisation: number;
  /** expectedMargin - the four costs. */
  total: number;
}

/** One rule family that cannot be met, in merchandiser words. */
export interface Conflict {
  rule: 'window' | 'lead-time' | 'must-launch' | 'launch-capacity' | 'cadence' | 'similar-gap' | 'budget' | 'warehouse' | 'promotion' | 'fixed';
  message: string;
  /** Candidates involved, when known. */
  candidateIds: string[];
  /** Week range involved (inclusive), when known. */
  weeks?: { from: string; to: string };
}

export interface SolverReport {
  engine: string;
  /** HiGHS model status text, e.g. 'Optimal', 'Time limit reached'. */
  status: string;
  /** Relative gap reached, null when no bound is known. */
  gap: number | null;
  solveSeconds: number;
  buildSeconds: number;
  timeLimitSeconds: number;
  gapTarget: number;
  variables: number;
  constraints: number;
  /** Rounds of lazily added warehouse rows. */
  rounds: number;
}

export interface PlanResult {
  scenarioId?: string;
  /** 'milp', 'greedy' (asked for), or 'greedy-fallback' (the MILP failed; see fallbackReason). */
  method: 'milp' | 'greedy' | 'greedy-fallback';
  /**
   * optimal = proven within the gap target; feasible = a plan meeting every rule (e.g. time
   * limit reached, or a fallback); infeasible = rules conflict (see conflicts).
   */
  status: 'optimal' | 'feasible' | 'infeasible';
  objective: ObjectiveBreakdown;
  items: PlanItem[];
  /** Candidates not launched, with a short reason. */
  notLaunched: { candidateId: string; reason: string }[];
  /** Set when status is 'infeasible'. */
  conflicts: Conflict[];
  solver?: SolverReport;
  fallbackReason?: string;
  warnings: string[];
  /** How much of the candidates' expected demand the plan covers, and what held the rest back. */
  demand?: DemandCoverage;
  /** Where the rules came from (e.g. launch rules sized from the shop's history), from the scenario. */
  notes?: string[];
}

export interface DemandCoverage {
  /** Σ coverage-period demand mean of every candidate at its best week (planned or not). */
  candidateUnits: number;
  /** Σ of the same for the launches planned. */
  plannedUnits: number;
  /** plannedUnits / candidateUnits (1 when there is no demand). */
  share: number;
  /** Unplanned demand per cause (the rule that blocked the best week, unprofitable, no feasible week). */
  unplannedBy: Array<{ cause: string; candidates: number; units: number }>;
  /** Set when less than half the demand is planned: which cause held most of it back. */
  why?: string;
}

export interface PlanOptions {
  timeLimitSeconds?: number;
  gapTarget?: number;
  /** Skip the MILP (the baseline). */
  method?: 'milp' | 'greedy';
}

export interface PlanChange {
  candidateId: string;
  name: string;
  kind: 'moved' | 'added' | 'dropped' | 'requantified';
  fromWeek?: string;
  toWeek?: string;
  fromQty?: number;
  toQty?: number;
  why: string;
}

export interface PlanDiff {
  changes: PlanChange[];
  objectiveDelta: number;
  summary: string;
}

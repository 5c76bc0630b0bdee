/**
 * Pre-computation shared by the MILP, the greedy heuristic and the evaluator: for every
 * candidate and every week it may launch in, the newsvendor opening quantity and the expected
 * value terms of that launch ("options"), plus the rule data in index form. Everything that
 * depends on one launch alone is computed here once; what depends on several launches
 * (capacity, cadence, gaps, budget, warehouse, cannibalisation) is left to the callers.
 */
import { estimateFromCover, coverState, stockoutWithinByState } from './markov.js';
import { demandQuantile, expectedSales, newsvendor, type DemandDistribution } from './newsvendor.js';
import { openingQuantity, reorderQuantity, scaleSpread, validateReplenishmentParams, type ReplenishmentParams, type WeeklyCurve } from '../replenishment/index.js';
import type { Candidate, Scenario } from './types.js';

export interface LaunchOption {
  c: number;
  w: number;
  qty: number;
  /** Coverage-period demand mean and sd. */
  mean: number;
  sd: number;
  expectedUnits: number;
  unitsLo: number;
  unitsHi: number;
  revenue: number;
  margin: number;
  holding: number;
  riskProb: number;
  riskCost: number;
  clash: number;
  /** margin - holding - riskCost - clash: the launch's value before cannibalisation. */
  value: number;
  /**
   * Margin lost when a similar launch takes `cannibalisation.rate` of this launch's demand after
   * its quantity is fixed: (p - s) x (E[min(q, D)] - E[min(q, (1 - rate) D)]). A lost unit of
   * demand turns a sale into a salvaged leftover, so for a low critical ratio this is well
   * above rate x margin.
   */
  cannibalLoss: number;
  /** Opening-stock spend unitCost x qty (budget use). */
  spend: number;
  /**
   * With `demand.replenishment` (and reorders planned, opening < qty): `spend` by budget month,
   * by increasing month: the opening order in the launch week's month (the budget's convention
   * for any opening order) and the planned reorders in the months they are ordered (see
   * `plannedReorderUnits`). The amounts sum to `spend`. Absent: all of `spend` falls in the
   * launch week's month.
   */
  spendByMonth?: MonthSpend[];
  /** Deterministic units on hand at the start of weeks w .. w+H-1 (warehouse use). */
  onHand: Float64Array;
  /** Mean calendar multiplier over the coverage (seasonality for the rationale). */
  avgMultiplier: number;
  moqBinding: boolean;
  /**
   * With `demand.replenishment`: the opening order (lead time + first review, at most `qty`) and
   * why; `qty` is then what the coverage needs, opening plus planned reorders.
   */
  opening?: { qty: number; rationale: string };
}

/** One budget month's share of an option's spend: its opening order and its planned reorders. */
export interface MonthSpend {
  month: string;
  opening: number;
  reorders: number;
}

/**
 * When the planned reorders of a launch are ordered, as units per week after launch (index h:
 * ordered in week w + h): the weeks and relative sizes of the orders the (R, S) policy the adjust
 * stage runs (engine/replenishment `reorderQuantity`, with these params: review weeks, MOQ, case
 * pack, season-end cap) places when each week sells its expected demand, starting from the
 * opening. The reorder units `reorderUnits` (the coverage quantity minus the opening) are spread
 * in proportion to those orders, so they sum to `reorderUnits` exactly: the plan's spend stays
 * unitCost x the coverage quantity, only its months follow the policy. Timing each week's
 * uncovered demand lead time earlier instead charged the orders late: the policy keeps its
 * safety stock (it reorders from the first review, not once the opening's safety stock is sold),
 * orders R weeks of demand at each review, and buys an MOQ in one order. When the policy orders
 * nothing on expected demand (reorders only bring the coverage quantity's upper tail), they are
 * all ordered for the last coverage week.
 */
export function plannedReorderUnits(curve: WeeklyCurve, openingQty: number, reorderUnits: number, params: ReplenishmentParams): Float64Array {
  const H = curve.mean.length;
  const out = new Float64Array(H);
  if (!(reorderUnits > 0) || H === 0) return out;
  const arriving = new Float64Array(H);
  let onHand = openingQty;
  let onOrder = 0;
  let total = 0;
  for (let h = 0; h < H; h++) {
    onHand += arriving[h];
    onOrder -= arriving[h];
    const { qty, arrivalWeek } = reorderQuantity({ curve, reviewWeek: h, onHand, onOrder, params });
    if (qty > 0) {
      out[h] = qty;
      total += qty;
      onOrder += qty;
      // reorderQuantity places no order arriving after the season, so arrivalWeek < H.
      arriving[arrivalWeek] += qty;
    }
    onHand -= Math.min(onHand, Math.max(0, curve.mean[h]));
  }
  if (!(total > 0)) {
    out[Math.max(0, H - 1 - params.leadTimeWeeks)] = reorderUnits;
    return out;
  }
  for (let h = 0; h < H; h++) out[h] = (reorderUnits * out[h]) / total;
  return out;
}

/** A launch of a plan: candidate c in week w with that option (fixed items included). */
export interface Launch {
  c: number;
  w: number;
  option: LaunchOption;
}

export interface CadenceIndex {
  cat: number;
  maxLaunches: number;
  windowWeeks: number;
}

export interface PlannerModel {
  scenario: Scenario;
  W: number;
  H: number;
  candidates: Candidate[];
  /** options[c]: launch options of candidate c by increasing week (empty when fixed). */
  options: LaunchOption[][];
  /** The fixed launch of a replanned candidate, else null. */
  fixed: (LaunchOption | null)[];
  categories: string[];
  catOf: Int32Array;
  groups: string[];
  groupOf: Int32Array;
  /** Launches allowed per week (Infinity = no rule). */
  capPerWeek: number[];
  cadence: CadenceIndex[];
  /** Min gap between launches of one group (0 or 1 = none beyond "not the same week" when 1). */
  minGap: number;
  /** Month key of any week index (also outside the horizon). */
  monthOf: (w: number) => string;
  /** Opening-stock budget per month key. */
  budget: Map<string, number>;
  warehouseCap: number[] | null;
  baseline: number[];
  cannibal: { rate: number; window: number; penalty: number[] } | null;
  /** Per candidate: why its window is narrower than earliest..latest. */
  windowNotes: string[][];
  /** Per candidate: ids of promotions it rides. */
  rides: string[][];
  intervalLevel: number;
}

const DAY = 86_400_000;

export function weekDate(scenario: Scenario, w: number): string {
  if (w >= 0 && w < scenario.weeks.length) return scenario.weeks[w];
  const t = Date.parse(`${scenario.weeks[0]}T00:00:00Z`) + w * 7 * DAY;
  return new Date(t).toISOString().slice(0, 10);
}

function perWeek(v: number | number[] | undefined, W: number, none: number): number[] {
  if (v === undefined) return new Array<number>(W).fill(none);
  if (Array.isArray(v)) return [...v];
  return new Array<number>(W).fill(v);
}

export function buildModel(scenario: Scenario): PlannerModel {
  const W = scenario.weeks.length;
  const H = scenario.demand.horizonWeeks;
  const candidates = scenario.candidates;
  const categories = [...new Set(candidates.map((c) => c.category))];
  const groups = [...new Set(candidates.map((c) => c.group))];
  const catIdx = new Map(categories.map((c, i) => [c, i]));
  const groupIdx = new Map(groups.map((g, i) => [g, i]));
  const catOf = Int32Array.from(candidates.map((c) => catIdx.get(c.category) ?? 0));
  const groupOf = Int32Array.from(candidates.map((c) => groupIdx.get(c.group) ?? 0));

  // Calendar multiplier m(category, t): product of the category's and the '*' series; 1 outside.
  const multSeries = new Map<string, number[]>();
  for (const m of scenario.demand.multipliers ?? []) {
    const prev = multSeries.get(m.category);
    multSeries.set(m.category, prev ? prev.map((v, i) => v * (m.values[i] ?? 1)) : [...m.values]);
  }
  const star = multSeries.get('*');
  const mult = (cat: string, t: number): number => {
    const s = multSeries.get(cat);
    const a = s && t >= 0 && t < s.length ? s[t] : 1;
    const b = star && t >= 0 && t < star.length ? star[t] : 1;
    return a * b;
  };
  const overrides = new Map<string, { mean: number[]; sd: number[] }>();
  for (const o of scenario.demand.overrides ?? []) overrides.set(`${o.candidateId}@${o.launchWeek}`, o);

  const clash = new Map<string, number[]>();
  for (const p of scenario.competition?.clashPenalty ?? []) clash.set(p.category, p.values);

  // Stock-out probability within k weeks by opening state, per category.
  const riskByCat = new Map<string, { prob: number[]; cost: number }>();
  const risk = scenario.inventoryRisk;
  if (risk) {
    for (const rc of risk.categories) {
      const matrix = rc.transition ?? estimateFromCover(rc.sequences ?? [], risk).matrix;
      riskByCat.set(rc.category, { prob: stockoutWithinByState(matrix, risk.horizonWeeks), cost: rc.stockoutCost });
    }
  }

  const level = scenario.demand.intervalLevel ?? 80;
  const empirical = scenario.demand.distribution === 'empirical';
  const lognormal = scenario.demand.distribution === 'lognormal';
  const rho = scenario.demand.weeklyCorrelation ?? 0;
  const replenishment = scenario.demand.replenishment;
  const cannibalRate = scenario.cannibalisation?.rate ?? 0;
  const promos = new Map((scenario.rules.promotions ?? []).map((p) => [p.id, p]));
  const rides: string[][] = candidates.map((c) => [...(c.promotions ?? [])]);
  const cIdx = new Map(candidates.map((c, i) => [c.id, i]));
  for (const p of scenario.rules.promotions ?? [])
    for (const id of p.candidateIds ?? []) {
      const i = cIdx.get(id);
      if (i !== undefined && !rides[i].includes(p.id)) rides[i].push(p.id);
    }

  const monthOf = (w: number) => weekDate(scenario, w).slice(0, 7);
  // The (R, S) params depend on the candidate only (its critical ratio is its costs'), so each
  // candidate's are checked once, by its first option, not once per launch week.
  const replenishmentParams: (ReplenishmentParams | undefined)[] = [];

  const makeOption = (ci: number, w: number, fixedQty?: number): LaunchOption => {
    const c = candidates[ci];
    const ov = overrides.get(`${c.id}@${w}`);
    const means = new Float64Array(H);
    const sds = new Float64Array(H);
    let multSum = 0;
    for (let h = 0; h < H; h++) {
      const m = mult(c.category, w + h);
      multSum += m;
      means[h] = ov ? ov.mean[h] : c.curve.mean[h] * m;
      sds[h] = ov ? ov.sd[h] : c.curve.sd[h] * m;
    }
    // Running sums give the total over weeks 0..h for any h: mean, sum sd^2 and sum sd.
    const totalSd = (sumVar: number, sumSd: number) => Math.sqrt((1 - rho) * sumVar + rho * sumSd * sumSd);
    let mean = 0;
    let sumVar = 0;
    let sumSd = 0;
    for (let h = 0; h < H; h++) {
      mean += means[h];
      sumVar += sds[h] * sds[h];
      sumSd += sds[h];
    }
    const sd = totalSd(sumVar, sumSd);
    const baseMean = c.curve.mean.reduce((a, b) => a + b, 0);
    const parametric = (mu: number, sigma: number): DemandDistribution => ({ kind: lognormal ? 'lognormal' : 'normal', mean: mu, sd: sigma });
    const dist: DemandDistribution =
      empirical && c.demandSamples && c.demandSamples.length > 0
        ? { kind: 'empirical', samples: c.demandSamples.map((x) => (baseMean > 0 ? (x * mean) / baseMean : x)) }
        : parametric(mean, sd);
    const nv = newsvendor({ price: c.price, unitCost: c.unitCost, salvageValue: c.salvageValue, demand: dist, moq: c.moq });
    const qty = fixedQty ?? nv.qty;
    const sales = fixedQty === undefined ? nv.expectedSales : expectedSales(dist, qty);
    const leftover = qty - sales;
    const revenue = c.price * sales;
    const margin = revenue + c.salvageValue * leftover - c.unitCost * qty;
    // Holding: expected end-of-week on hand, E[(q - S_k)+] with S_k the cumulative demand.
    let holding = 0;
    const onHand = new Float64Array(H);
    let cumMean = 0;
    let cumVar = 0;
    let cumSd = 0;
    for (let h = 0; h < H; h++) {
      onHand[h] = Math.max(0, qty - cumMean);
      cumMean += means[h];
      cumVar += sds[h] * sds[h];
      cumSd += sds[h];
      let endStock: number;
      if (dist.kind === 'empirical') {
        const f = mean > 0 ? cumMean / mean : 0;
        let s = 0;
        for (const x of dist.samples) s += Math.max(0, qty - f * x);
        endStock = s / dist.samples.length;
      } else {
        endStock = qty - expectedSales(parametric(cumMean, totalSd(cumVar, cumSd)), qty);
      }
      holding += c.holdingCostPerWeek * endStock;
    }
    let cannibalLoss = 0;
    if (cannibalRate > 0) {
      const shrunk: DemandDistribution =
        dist.kind === 'empirical' ? { kind: 'empirical', samples: dist.samples.map((x) => x * (1 - cannibalRate)) } : { ...dist, mean: dist.mean * (1 - cannibalRate), sd: dist.sd * (1 - cannibalRate) };
      cannibalLoss = Math.max(0, (c.price - c.salvageValue) * (sales - expectedSales(shrunk, qty)));
    }
    const a = (1 - level / 100) / 2;
    const lo = Math.min(qty, demandQuantile(dist, a));
    const hi = Math.min(qty, demandQuantile(dist, 1 - a));
    const rk = riskByCat.get(c.category);
    let riskProb = 0;
    let riskCost = 0;
    if (rk && risk) {
      const weekly = mean / H;
      const cover = weekly > 0 ? qty / weekly : qty > 0 ? Infinity : 0;
      riskProb = rk.prob[coverState(cover, risk)];
      riskCost = riskProb * rk.cost;
    }
    const cl = w >= 0 ? clash.get(c.category)?.[w] ?? 0 : 0;
    let opening: LaunchOption['opening'];
    let spendByMonth: MonthSpend[] | undefined;
    if (replenishment && fixedQty === undefined) {
      const params = (replenishmentParams[ci] ??= validateReplenishmentParams({
        leadTimeWeeks: c.leadTimeWeeks,
        reviewWeeks: replenishment.reviewWeeks,
        serviceLevel: replenishment.serviceLevel,
        weeklyCorrelation: rho,
        moq: c.moq,
        distribution: lognormal ? 'lognormal' : 'normal',
        // Never above the coverage newsvendor quantity: the critical ratio caps the level.
        seasonEndRatio: Math.min(0.999, Math.max(0.001, nv.criticalRatio)),
      }));
      const curve = scaleSpread({ mean: Array.from(means), sd: Array.from(sds) }, replenishment.spreadScale ?? 1);
      const op = openingQuantity(curve, params);
      opening = op.qty < qty ? { qty: op.qty, rationale: op.rationale } : { qty, rationale: `covers the whole ${H}-week coverage: reorders would not lower it (${op.rationale})` };
      if (opening.qty < qty) {
        // Opening in the launch month, planned reorders in the months they are ordered.
        const byMonth = new Map<string, MonthSpend>([[monthOf(w), { month: monthOf(w), opening: c.unitCost * opening.qty, reorders: 0 }]]);
        const units = plannedReorderUnits(curve, opening.qty, qty - opening.qty, params);
        for (let h = 0; h < H; h++) {
          if (!(units[h] > 0)) continue;
          const mo = monthOf(w + h);
          const e = byMonth.get(mo) ?? { month: mo, opening: 0, reorders: 0 };
          e.reorders += c.unitCost * units[h];
          byMonth.set(mo, e);
        }
        spendByMonth = [...byMonth.values()];
      }
    }
    return {
      c: ci,
      w,
      qty,
      mean,
      sd,
      expectedUnits: sales,
      unitsLo: lo,
      unitsHi: hi,
      revenue,
      margin,
      holding,
      riskProb,
      riskCost,
      clash: cl,
      value: margin - holding - riskCost - cl,
      cannibalLoss,
      spend: c.unitCost * qty,
      onHand,
      avgMultiplier: multSum / H,
      moqBinding: fixedQty === undefined && nv.moqBinding,
      ...(opening ? { opening } : {}),
      ...(spendByMonth ? { spendByMonth } : {}),
    };
  };

  const options: LaunchOption[][] = [];
  const fixed: (LaunchOption | null)[] = [];
  const windowNotes: string[][] = [];
  candidates.forEach((c, ci) => {
    const notes: string[] = [];
    if (c.alreadyLaunched || c.committed) {
      fixed.push(makeOption(ci, c.fixedWeek ?? 0, c.fixedQty ?? 0));
      options.push([]);
      windowNotes.push(notes);
      return;
    }
    fixed.push(null);
    let lo = Math.max(c.earliestWeek, 0);
    let hi = Math.min(c.latestWeek, W - 1);
    if (c.leadTimeWeeks > lo) {
      notes.push(`lead time of ${c.leadTimeWeeks} week${c.leadTimeWeeks === 1 ? '' : 's'}: earliest launch ${weekDate(scenario, c.leadTimeWeeks)}`);
      lo = c.leadTimeWeeks;
    }
    for (const pid of rides[ci]) {
      const p = promos.get(pid);
      if (!p) continue;
      const last = p.week - p.leadWeeks;
      if (last < hi) {
        notes.push(`rides ${p.name} (${weekDate(scenario, p.week)}): launch by ${weekDate(scenario, last)}`);
        hi = last;
      }
    }
    const list: LaunchOption[] = [];
    for (let w = lo; w <= hi; w++) list.push(makeOption(ci, w));
    options.push(list);
    windowNotes.push(notes);
  });

  const budget = new Map((scenario.rules.monthlyBudget ?? []).map((b) => [b.month, b.amount]));
  const cadence: CadenceIndex[] = [];
  for (const r of scenario.rules.cadence ?? []) {
    const cat = catIdx.get(r.category);
    if (cat !== undefined) cadence.push({ cat, maxLaunches: r.maxLaunches, windowWeeks: r.windowWeeks });
  }

  let cannibal: PlannerModel['cannibal'] = null;
  const cn = scenario.cannibalisation;
  if (cn && cn.rate > 0) {
    // Linearised per group: an extra launch in the window costs the group's mean cannibalisation
    // loss of its members' best launches (cannibalLoss: demand cut by the rate, quantity fixed).
    const sum = new Array<number>(groups.length).fill(0);
    const cnt = new Array<number>(groups.length).fill(0);
    candidates.forEach((_, ci) => {
      const f = fixed[ci];
      let loss = f ? f.cannibalLoss : 0;
      if (!f && options[ci].length > 0) loss = options[ci].reduce((b, o) => (o.value > b.value ? o : b)).cannibalLoss;
      sum[groupOf[ci]] += loss;
      cnt[groupOf[ci]] += 1;
    });
    cannibal = { rate: cn.rate, window: cn.windowWeeks, penalty: sum.map((s, g) => (cnt[g] > 0 ? s / cnt[g] : 0)) };
  }

  return {
    scenario,
    W,
    H,
    candidates,
    options,
    fixed,
    categories,
    catOf,
    groups,
    groupOf,
    capPerWeek: perWeek(scenario.rules.maxLaunchesPerWeek, W, Infinity),
    cadence,
    minGap: scenario.rules.minGapSimilarWeeks ?? 0,
    monthOf,
    budget,
    warehouseCap: scenario.rules.warehouseCapacityUnits === undefined ? null : perWeek(scenario.rules.warehouseCapacityUnits, W, Infinity),
    baseline: perWeek(scenario.rules.warehouseBaselineUnits, W, 0),
    cannibal,
    windowNotes,
    rides,
    intervalLevel: level,
  };
}

/** Whether the option charges anything to budget month `month` (its launch month, without reorders). */
export function chargesMonth(m: PlannerModel, o: LaunchOption, month: string): boolean {
  return o.spendByMonth ? o.spendByMonth.some((e) => e.month === month) : m.monthOf(o.w) === month;
}

/** The option of candidate c at week w, or undefined. */
export function optionAt(m: PlannerModel, c: number, w: number): LaunchOption | undefined {
  const list = m.options[c];
  if (list.length === 0) return undefined;
  const o = list[w - list[0].w];
  return o && o.w === w ? o : undefined;
}

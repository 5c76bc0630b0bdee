/**
 * Opening quantity by the newsvendor rule (Arrow, Harris & Marschak 1951; Porteus,
 * "Foundations of Stochastic Inventory Theory", ch. 1).
 *
 * Order q to cover demand D over the coverage horizon. Each unit short loses the underage cost
 * cu, each unit left over costs the overage co; the optimum is the smallest q with
 * F(q) >= cu / (cu + co), the critical ratio.
 *   basic:            cu = p - c,       co = c - s                 => CR = (p - c) / (p - s)
 *   with holding:     co = c - s + h*T  (T = expected weeks a leftover unit is held)
 *   with stock-out:   cu = p - c + g    (g = goodwill / lost-future-sales cost per unit short)
 * The opening order is at least the MOQ; when the MOQ exceeds q*, q = MOQ (the planner then
 * decides through the expected margin whether the launch is still worth it).
 * The order is placed leadTimeWeeks before launch, so a launch in week w needs w >= lead time.
 */
import { expectedSalesNormal, normalCdf, normalQuantile } from './normal.js';

export interface CostInputs {
  price: number;
  unitCost: number;
  salvageValue: number;
  /** Holding cost per unit-week and the expected number of weeks a leftover unit is held. */
  holdingCostPerWeek?: number;
  holdingWeeks?: number;
  /** Extra cost per unit short beyond the lost margin (goodwill). */
  stockoutCostPerUnit?: number;
}

/** Critical ratio cu / (cu + co), clamped to [0, 1]. */
export function criticalRatio(k: CostInputs): number {
  const cu = k.price - k.unitCost + (k.stockoutCostPerUnit ?? 0);
  const co = k.unitCost - k.salvageValue + (k.holdingCostPerWeek ?? 0) * (k.holdingWeeks ?? 0);
  if (cu <= 0) return 0;
  if (co <= 0) return 1;
  return cu / (cu + co);
}

/**
 * Coverage demand. 'lognormal' is given by its mean and sd (moment-matched), like 'normal':
 * new-product demand is right-skewed and never negative, and with a coefficient of variation
 * above ~0.4 a normal puts real mass below zero, which understates expected sales.
 */
export type DemandDistribution =
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'lognormal'; mean: number; sd: number }
  | { kind: 'empirical'; samples: number[] };

/** Log-scale parameters of the lognormal with this mean and sd (mean > 0, sd > 0). */
export function lognormalParams(mean: number, sd: number): { mu: number; sigma: number } {
  const s2 = Math.log1p((sd * sd) / (mean * mean));
  return { mu: Math.log(mean) - s2 / 2, sigma: Math.sqrt(s2) };
}

/** E[min(q, D)] for a lognormal D with this mean and sd. */
export function expectedSalesLognormal(q: number, mean: number, sd: number): number {
  if (q <= 0 || mean <= 0) return 0;
  if (sd <= 0) return Math.min(q, mean);
  const { mu, sigma } = lognormalParams(mean, sd);
  const lq = Math.log(q);
  // E[D; D < q] + q P(D >= q), with E[D; D < q] = mean * Phi((ln q - mu - sigma^2) / sigma).
  const s = mean * normalCdf((lq - mu - sigma * sigma) / sigma) + q * (1 - normalCdf((lq - mu) / sigma));
  return Math.min(q, Math.max(0, s));
}

/** The ratio-quantile of the demand distribution (unrounded, >= 0). */
export function demandQuantile(dist: DemandDistribution, ratio: number): number {
  if (dist.kind === 'normal') {
    if (ratio <= 0) return 0;
    if (dist.sd <= 0) return Math.max(0, dist.mean);
    if (ratio >= 1) return Math.max(0, dist.mean + 8 * dist.sd);
    return Math.max(0, dist.mean + dist.sd * normalQuantile(ratio));
  }
  if (dist.kind === 'lognormal') {
    if (ratio <= 0 || dist.mean <= 0) return 0;
    if (dist.sd <= 0) return dist.mean;
    const { mu, sigma } = lognormalParams(dist.mean, dist.sd);
    // ratio 1 has no finite quantile; 8 sigma is as far as the normal branch goes.
    return Math.exp(mu + sigma * (ratio >= 1 ? 8 : normalQuantile(ratio)));
  }
  const xs = [...dist.samples].sort((a, b) => a - b);
  if (xs.length === 0) return 0;
  if (ratio <= 0) return Math.max(0, xs[0]);
  // Smallest sample x with empirical F(x) >= ratio (the discrete newsvendor optimum).
  const idx = Math.min(xs.length - 1, Math.max(0, Math.ceil(ratio * xs.length) - 1));
  return Math.max(0, xs[idx]);
}

/** E[min(q, D)]. */
export function expectedSales(dist: DemandDistribution, q: number): number {
  if (dist.kind === 'normal') return expectedSalesNormal(q, dist.mean, dist.sd);
  if (dist.kind === 'lognormal') return expectedSalesLognormal(q, dist.mean, dist.sd);
  if (dist.samples.length === 0) return 0;
  let s = 0;
  for (const x of dist.samples) s += Math.min(q, Math.max(0, x));
  return s / dist.samples.length;
}

export interface NewsvendorResult {
  /** Unconstrained optimum (rounded up to whole units). */
  unconstrainedQty: number;
  /** Opening quantity after the MOQ. */
  qty: number;
  criticalRatio: number;
  expectedSales: number;
  expectedLeftover: number;
  /** p E[min(q,D)] + s E[(q-D)+] - c q. */
  expectedProfit: number;
  /** True when the MOQ, not the demand quantile, set the quantity. */
  moqBinding: boolean;
}

export interface NewsvendorInput extends CostInputs {
  demand: DemandDistribution;
  moq?: number;
  /** Optional: lead time and launch week; a launch earlier than the lead time is impossible. */
  leadTimeWeeks?: number;
  launchWeek?: number;
}

/** Newsvendor opening quantity and its expected outcomes. Throws when the lead time cannot be met. */
export function newsvendor(input: NewsvendorInput): NewsvendorResult {
  if (input.leadTimeWeeks !== undefined && input.launchWeek !== undefined && input.launchWeek < input.leadTimeWeeks) {
    throw new RangeError(`launch week ${input.launchWeek} is earlier than the lead time of ${input.leadTimeWeeks} weeks`);
  }
  const cr = criticalRatio(input);
  const raw = demandQuantile(input.demand, cr);
  // Whole units: ceil keeps F(q) >= CR; a tolerance avoids 100.0000001 -> 101.
  const unconstrainedQty = Math.max(0, Math.ceil(raw - 1e-9));
  const moq = input.moq ?? 0;
  const qty = Math.max(unconstrainedQty, moq);
  const sales = expectedSales(input.demand, qty);
  const leftover = qty - sales;
  return {
    unconstrainedQty,
    qty,
    criticalRatio: cr,
    expectedSales: sales,
    expectedLeftover: leftover,
    expectedProfit: input.price * sales + input.salvageValue * leftover - input.unitCost * qty,
    moqBinding: qty > unconstrainedQty,
  };
}

/**
 * Periodic-review order-up-to policy (R, S) for a launched item, with the launch curve as the
 * demand forecast (Silver, Pyke & Thomas, "Inventory and Production Management in Supply Chains",
 * 4th ed., ch. 6: the order placed at a review must cover the protection period L + R, until the
 * next order can arrive).
 *
 * Timing (week-after-launch h = 0, 1, ...; the opening order is on hand at the start of h = 0):
 * reviews happen at the start of weeks R, 2R, ... after the sales of the previous weeks are
 * known; an order placed at the start of week t arrives at the start of week t + L and serves
 * weeks t + L onwards. So the order of review t must cover weeks t .. t + L + R - 1 together with
 * what is on hand and on order, and the opening order must cover weeks 0 .. L + R - 1: the first
 * reorder, placed at week R, arrives at R + L. The protection period is cut at the end of the
 * item's season (the curve's length), and no order is placed that would arrive after it.
 *
 * Weekly forecast errors share one correlation rho, as in the planner (engine/planner
 * README.md): the protection-period total has mean sum(mean) and variance
 * (1 - rho) sum(sd^2) + rho (sum sd)^2.
 */
import { pnorm, qnorm } from '../math/index.js';
import type { CoverageDistribution, ReplenishmentParams } from './params.js';

/** Expected weekly units and their sd per week after launch, calendar effects included. */
export interface WeeklyCurve {
  mean: readonly number[];
  sd: readonly number[];
  /**
   * Correlation of this curve's weekly errors when it differs from the policy's (a curve updated
   * from sales has a smaller shared level error left than the launch curve had).
   */
  weeklyCorrelation?: number;
}

export interface CoverageDemand {
  /** First and one-past-last week after launch covered. */
  fromWeek: number;
  toWeek: number;
  mean: number;
  sd: number;
}

/** Demand over weeks from .. from + weeks - 1 of the curve (cut at the curve's end). */
export function coverageDemand(curve: WeeklyCurve, fromWeek: number, weeks: number, rho: number): CoverageDemand {
  const to = Math.min(curve.mean.length, fromWeek + Math.max(0, weeks));
  let mean = 0;
  let sumVar = 0;
  let sumSd = 0;
  for (let h = Math.max(0, fromWeek); h < to; h++) {
    const sd = Math.max(0, curve.sd[h] ?? 0);
    mean += Math.max(0, curve.mean[h] ?? 0);
    sumVar += sd * sd;
    sumSd += sd;
  }
  return { fromWeek, toWeek: Math.max(fromWeek, to), mean, sd: Math.sqrt(Math.max(0, (1 - rho) * sumVar + rho * sumSd * sumSd)) };
}

/** The p-quantile of a demand with this mean and sd (lognormal by moments), never negative. */
export function coverageQuantile(mean: number, sd: number, p: number, distribution: CoverageDistribution): number {
  if (mean <= 0) return 0;
  if (sd <= 0) return mean;
  const z = qnorm(p);
  if (distribution === 'normal') return Math.max(0, mean + sd * z);
  const s2 = Math.log1p((sd * sd) / (mean * mean));
  return Math.exp(Math.log(mean) - s2 / 2 + Math.sqrt(s2) * z);
}

export interface OrderUpToLevel extends CoverageDemand {
  /** S: the `ratio` quantile of the protection-period demand (unrounded). */
  level: number;
  /** The service level, or the season-end ratio when the rest-of-season cap set the level. */
  ratio: number;
  /** True when the rest-of-season newsvendor cap, not the service level, set S. */
  capped: boolean;
  /** The rest-of-season cap itself, when `seasonEndRatio` is given. */
  seasonCap?: number;
}

/**
 * S at the review at the start of week-after-launch `reviewWeek`: the service-level quantile of
 * demand over the L + R weeks from it, capped, when `seasonEndRatio` is given, at that ratio's
 * quantile of demand over the rest of the season. Stock beyond the cap is more likely to be
 * salvaged at a loss than sold, so no order tops up past it (and the season's last order, whose
 * L + R weeks reach the season end, is a plain newsvendor).
 */
export function orderUpToLevel(curve: WeeklyCurve, reviewWeek: number, p: ReplenishmentParams): OrderUpToLevel {
  const rho = curve.weeklyCorrelation ?? p.weeklyCorrelation;
  const cover = coverageDemand(curve, reviewWeek, p.leadTimeWeeks + p.reviewWeeks, rho);
  const level = coverageQuantile(cover.mean, cover.sd, p.serviceLevel, p.distribution);
  if (p.seasonEndRatio === undefined) return { ...cover, level, ratio: p.serviceLevel, capped: false };
  const rest = coverageDemand(curve, reviewWeek, curve.mean.length - reviewWeek, rho);
  const cap = coverageQuantile(rest.mean, rest.sd, p.seasonEndRatio, p.distribution);
  return cap < level ? { ...cover, level: cap, ratio: p.seasonEndRatio, capped: true, seasonCap: cap } : { ...cover, level, ratio: p.serviceLevel, capped: false, seasonCap: cap };
}

/**
 * A wanted quantity as an order the supplier accepts: nothing when nothing is wanted, else at
 * least the MOQ, rounded up to whole case packs (the MOQ first, so a case pack that does not
 * divide the MOQ still yields whole packs).
 */
export function roundOrderQuantity(wanted: number, moq: number, casePack: number): number {
  if (!(wanted > 1e-9)) return 0;
  const q = Math.max(wanted, moq);
  const pack = Math.max(1, casePack);
  // A tolerance keeps 24.0000001 wanted in packs of 12 at 24, not 36.
  return Math.ceil(q / pack - 1e-9) * pack;
}

export interface ReorderInput {
  /** The item's current forecast for its whole season (updated from sales, or the launch curve). */
  curve: WeeklyCurve;
  /** Week after launch of this review (start of the week, before its sales). */
  reviewWeek: number;
  onHand: number;
  /** Units ordered and not yet received. */
  onOrder: number;
  params: ReplenishmentParams;
}

export interface ReorderDecision {
  qty: number;
  /** Week after launch the order arrives (reviewWeek + L). */
  arrivalWeek: number;
  level: number;
  position: number;
  /** Why there is no order, when qty is 0. */
  skipped?: 'not-a-review-week' | 'arrives-after-season' | 'position-at-level' | 'moq-above-season-need';
}

export function isReviewWeek(reviewWeek: number, reviewWeeks: number): boolean {
  return reviewWeek >= reviewWeeks && reviewWeek % reviewWeeks === 0;
}

/**
 * The reorder at a review: S minus the inventory position, as an acceptable order; with a
 * season-end ratio, none when the MOQ would push stock past the rest-of-season cap.
 */
export function reorderQuantity(input: ReorderInput): ReorderDecision {
  const { curve, reviewWeek, params } = input;
  const position = input.onHand + input.onOrder;
  const arrivalWeek = reviewWeek + params.leadTimeWeeks;
  if (!isReviewWeek(reviewWeek, params.reviewWeeks)) return { qty: 0, arrivalWeek, level: 0, position, skipped: 'not-a-review-week' };
  if (arrivalWeek >= curve.mean.length) return { qty: 0, arrivalWeek, level: 0, position, skipped: 'arrives-after-season' };
  const { level, seasonCap } = orderUpToLevel(curve, reviewWeek, params);
  const qty = roundOrderQuantity(level - position, params.moq, params.casePack);
  if (qty <= 0) return { qty: 0, arrivalWeek, level, position, skipped: 'position-at-level' };
  // An order the MOQ inflates past the rest-of-season cap (beyond one case pack of rounding) is
  // a batch: all of it or nothing. It pays in expectation when its units, on average, sell before
  // the season ends with a probability of at least 1 - ratio (each unit sold earns p - s over
  // salvaging it, each unit bought costs c - s over salvage: (p - s) E[units of the batch sold]
  // >= (c - s) q). Requiring every unit to clear the cap instead left a best seller out of stock
  // for want of the last units of one MOQ.
  if (seasonCap !== undefined && params.seasonEndRatio !== undefined && position + qty > seasonCap + params.casePack) {
    const rho = curve.weeklyCorrelation ?? params.weeklyCorrelation;
    const rest = coverageDemand(curve, reviewWeek, curve.mean.length - reviewWeek, rho);
    if (meanSurvival(rest.mean, rest.sd, position, position + qty, params.distribution) < 1 - params.seasonEndRatio + (params.moqBatchHurdle ?? 0)) return { qty: 0, arrivalWeek, level, position, skipped: 'moq-above-season-need' };
  }
  return { qty, arrivalWeek, level, position };
}

/** P(D > u) for a demand with this mean and sd, by the same distribution as coverageQuantile. */
function survival(mean: number, sd: number, u: number, distribution: CoverageDistribution): number {
  if (mean <= 0) return 0;
  if (sd <= 0) return u < mean ? 1 : 0;
  if (distribution === 'normal') return 1 - pnorm((u - mean) / sd);
  if (u <= 0) return 1;
  const s2 = Math.log1p((sd * sd) / (mean * mean));
  return 1 - pnorm((Math.log(u) - (Math.log(mean) - s2 / 2)) / Math.sqrt(s2));
}

/**
 * Mean of P(D > u) over u in [from, to]: the expected share of units from .. to that demand
 * reaches (E[min(to - from, (D - from)+)] / (to - from)), by Simpson's rule on 32 intervals.
 */
export function meanSurvival(mean: number, sd: number, from: number, to: number, distribution: CoverageDistribution): number {
  if (!(to > from)) return survival(mean, sd, from, distribution);
  const n = 32;
  const step = (to - from) / n;
  let acc = 0;
  for (let i = 0; i <= n; i++) acc += (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * survival(mean, sd, from + i * step, distribution);
  return acc / (3 * n);
}

export interface OpeningQuantity {
  qty: number;
  level: number;
  /** Weeks the opening order covers: L + R, or the whole season when it is shorter. */
  coverWeeks: number;
  mean: number;
  sd: number;
  rationale: string;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/**
 * The opening order when reorders follow: it covers lead time plus the first review period at
 * the service level (not the whole season), since the first reorder arrives at week R + L.
 */
export function openingQuantity(curve: WeeklyCurve, params: ReplenishmentParams): OpeningQuantity {
  const s = orderUpToLevel(curve, 0, params);
  const qty = roundOrderQuantity(s.level, params.moq, params.casePack);
  const coverWeeks = s.toWeek - s.fromWeek;
  const service = `${+(params.serviceLevel * 100).toFixed(1)}% service`;
  const parts = s.capped
    ? `covers ${plural(coverWeeks, 'week')} (${plural(params.leadTimeWeeks, 'week')} lead time + ${plural(params.reviewWeeks, 'week')} review) up to the ${+(s.ratio * 100).toFixed(1)}% critical-ratio quantile of the whole season's demand, below ${service}: more would likely be salvaged at a loss`
    : coverWeeks < params.leadTimeWeeks + params.reviewWeeks
      ? `covers ${plural(coverWeeks, 'week')}: the whole season, shorter than ${plural(params.leadTimeWeeks, 'week')} lead time + ${plural(params.reviewWeeks, 'week')} review, at ${service}`
      : `covers ${plural(coverWeeks, 'week')}: ${plural(params.leadTimeWeeks, 'week')} lead time + ${plural(params.reviewWeeks, 'week')} review at ${service}`;
  const unrounded = Math.max(0, Math.ceil(s.level - 1e-9));
  let note = '';
  if (qty > 0 && params.moq > 0 && s.level < params.moq) note = `; raised to the MOQ of ${params.moq}`;
  else if (qty > unrounded && params.casePack > 1) note = `; rounded up to whole case packs of ${params.casePack}`;
  return { qty, level: s.level, coverWeeks, mean: s.mean, sd: s.sd, rationale: `${parts}${note}` };
}

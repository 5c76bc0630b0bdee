/**
 * One launched item in one adjust batch, as the adjust stage (activities/adjust.activities.ts)
 * runs it and bench:adjust times it: the stored launch curve (mean and 80% bounds per week after
 * launch) becomes a weekly curve, the item's (R, S) parameters are checked, `reviewLaunchedItem`
 * updates the curve from the weeks sold and proposes the reorder, and the updated curve is
 * turned back into stored points (mean with 80% and 95% bounds).
 */
import { sdFromInterval80, Z90 } from '../math/index.js';
import { scaleSpread, validateReplenishmentParams, type CoverageDistribution, type ReplenishmentParams } from './params.js';
import type { WeeklyCurve } from './policy.js';
import { reviewLaunchedItem, seasonEndRatio, type CurveUpdater, type LaunchedItemReview } from './review.js';

const Z975 = 1.959963984540054;

/** A launch curve as stored: per week after launch (index 0 = launch week). */
export interface StoredCurve {
  mean: readonly number[];
  lo80: readonly number[];
  hi80: readonly number[];
}

/** The scope's reorder policy (contracts/scope-rules.ts `replenishment`, plus the curve's uncertainty rules). */
export interface AdjustPolicy {
  serviceLevel: number;
  reviewWeeks: number;
  casePack: number;
  /** Lead time of every item's reorders; unset: the item's own. */
  leadTimeWeeks?: number;
  weeklyCorrelation: number;
  distribution: CoverageDistribution;
  /** Cap order-up-to levels at the season-end critical ratio (as the closed-loop simulation does). */
  seasonEndCap: boolean;
  /** Risk margin of an MOQ batch past that cap (ReplenishmentParams.moqBatchHurdle); needs seasonEndCap. */
  moqBatchHurdle: number;
  /** The stored curve's sd times this before the review reads it (CLOSED_LOOP_DEFAULTS.curveSpreadScale). */
  curveSpreadScale: number;
}

export interface AdjustItemInput {
  curve: StoredCurve;
  /** Units sold per week after launch through the batch (index 0 = launch week), and sold-out flags. */
  units: readonly number[];
  censored: readonly boolean[];
  onHand: number;
  onOrder: number;
  item: { leadTimeWeeks: number; moq: number; price: number; unitCost: number; salvageValue: number };
  policy: AdjustPolicy;
  updateCurve: CurveUpdater;
}

export interface AdjustedItem {
  review: LaunchedItemReview;
  params: ReplenishmentParams;
  /** The updated curve as forecast points: step h + 1 is week h after launch. */
  points: Array<{ step: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }>;
}

/** The stored curve as the policy reads it: means floored at 0, sd from the 80% interval. */
export function curveFromStored(stored: StoredCurve): WeeklyCurve {
  return { mean: stored.mean.map((m) => Math.max(0, m)), sd: stored.mean.map((m, h) => sdFromInterval80(stored.lo80[h] ?? m, stored.hi80[h] ?? m)) };
}

/** Throws ReplenishmentParamError (naming the field) when a parameter is out of bounds. */
export function adjustLaunchedItem(input: AdjustItemInput): AdjustedItem {
  const { item, policy } = input;
  const ratio = policy.seasonEndCap ? seasonEndRatio(item.price, item.unitCost, item.salvageValue) : undefined;
  const params = validateReplenishmentParams({
    leadTimeWeeks: policy.leadTimeWeeks ?? item.leadTimeWeeks,
    reviewWeeks: policy.reviewWeeks,
    serviceLevel: policy.serviceLevel,
    weeklyCorrelation: Math.min(1, Math.max(0, policy.weeklyCorrelation)),
    moq: item.moq,
    casePack: policy.casePack,
    distribution: policy.distribution,
    ...(ratio !== undefined ? { seasonEndRatio: ratio } : {}),
    moqBatchHurdle: policy.moqBatchHurdle,
  });
  const review = reviewLaunchedItem({
    // The curve update, the order-up-to level and the season-end cap all read the calibrated spread.
    prior: scaleSpread(curveFromStored(input.curve), policy.curveSpreadScale),
    sales: input.units,
    censored: input.censored,
    onHand: input.onHand,
    onOrder: input.onOrder,
    params,
    updateCurve: input.updateCurve,
  });
  const points = review.curve.mean.map((mean, h) => {
    const sd = review.curve.sd[h] ?? 0;
    return { step: h + 1, mean, lo80: Math.max(0, mean - Z90 * sd), hi80: mean + Z90 * sd, lo95: Math.max(0, mean - Z975 * sd), hi95: mean + Z975 * sd };
  });
  return { review, params, points };
}

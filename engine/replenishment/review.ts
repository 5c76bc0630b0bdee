/**
 * The weekly review of one launched item, as the adjust stage runs it and as the closed-loop
 * simulation (engine/simulation simulate.ts, `placeReorder`) plays it: update the launch curve
 * from the weeks sold so far (sold-out weeks censored), then the (R, S) reorder of
 * `reorderQuantity` on the updated curve at review week n = weeks observed; and the tracking
 * signal of the launch curve it started from. The curve update is passed in (engine/simulation's
 * `closedLoopCurveUpdate` in both callers by default), so both run one update.
 */
import type { ReplenishmentParams } from './params.js';
import { reorderQuantity, type ReorderDecision, type WeeklyCurve } from './policy.js';
import { trackingSignal, type TrackingSignal } from './tracking-signal.js';

/** Same shape as engine/simulation's CurveUpdate: prior + observed weeks → the whole season's curve. */
export type CurveUpdater = (prior: WeeklyCurve, observed: readonly number[], censored: readonly boolean[]) => WeeklyCurve;

export interface LaunchedItemReviewInput {
  /** The launch curve the item was planned on, per week after launch (its length is the season). */
  prior: WeeklyCurve;
  /** Units sold per week after launch so far (index 0 = launch week). */
  sales: readonly number[];
  /** Per observed week: true where the item sold out (demand ≥ sales). */
  censored: readonly boolean[];
  /** Stock on hand at the start of the review week, after that week's arrivals. */
  onHand: number;
  /** Units ordered and not yet received. */
  onOrder: number;
  params: ReplenishmentParams;
  /** Without it the reorder reads the launch curve unchanged (the open-loop curve). */
  updateCurve?: CurveUpdater;
}

export interface LaunchedItemReview {
  /** Week after launch of this review: the number of weeks observed (cut at the season's end). */
  reviewWeek: number;
  /** The whole season's curve after the update (observed weeks included). */
  curve: WeeklyCurve;
  /** Updated mean of the remaining weeks over the prior's: the level the sales showed. */
  level: number;
  decision: ReorderDecision;
  tracking: TrackingSignal;
}

export function reviewLaunchedItem(input: LaunchedItemReviewInput): LaunchedItemReview {
  const season = input.prior.mean.length;
  const n = Math.min(input.sales.length, season);
  const sales = input.sales.slice(0, n);
  const censored = Array.from({ length: n }, (_, h) => input.censored[h] === true);
  const curve = input.updateCurve && n > 0 ? input.updateCurve(input.prior, sales, censored) : input.prior;
  if (curve.mean.length !== season) throw new RangeError(`reviewLaunchedItem: the curve update returned ${curve.mean.length} weeks for a ${season}-week season`);
  let before = 0;
  let after = 0;
  for (let h = n; h < season; h++) {
    before += input.prior.mean[h];
    after += curve.mean[h];
  }
  const decision = reorderQuantity({ curve, reviewWeek: n, onHand: Math.max(0, input.onHand), onOrder: Math.max(0, input.onOrder), params: input.params });
  return { reviewWeek: n, curve, level: before > 0 ? after / before : 1, decision, tracking: trackingSignal(input.prior.mean, sales, censored) };
}

/**
 * The season-end ratio of an item: the newsvendor critical ratio (p − c) / (p − s), kept inside
 * (0, 1) as the replenishment parameters require; undefined when an order cannot pay (p ≤ c) or
 * cannot lose (c ≤ s). The closed-loop simulation caps its order-up-to levels with the same ratio.
 */
export function seasonEndRatio(price: number, unitCost: number, salvageValue: number): number | undefined {
  const underage = price - unitCost;
  const overage = unitCost - salvageValue;
  if (!(underage > 0) || !(overage > 0)) return undefined;
  return Math.min(0.999, Math.max(0.001, underage / (underage + overage)));
}

const round = (x: number) => Math.round(x * 10) / 10;

/** Why a review ordered what it did, in a merchandiser's words (stored with the order). */
export function reviewRationale(r: LaunchedItemReview, params: ReplenishmentParams): string[] {
  const d = r.decision;
  const lines = [
    `after ${r.reviewWeek} week${r.reviewWeek === 1 ? '' : 's'} of sales the curve's remaining weeks are ×${round(r.level)} the launch curve (tracking signal ${round(r.tracking.signal)})`,
    `order-up-to level ${round(d.level)} covers ${params.leadTimeWeeks} week${params.leadTimeWeeks === 1 ? '' : 's'} lead time + ${params.reviewWeeks} week${params.reviewWeeks === 1 ? '' : 's'} review at ${round(params.serviceLevel * 100)}% service${params.seasonEndRatio !== undefined ? `, capped at the ${round(params.seasonEndRatio * 100)}% quantile of the rest of the season` : ''}`,
    `stock position ${round(d.position)} (on hand + on order)`,
  ];
  if (d.qty > 0 && params.moq > 0 && d.qty === params.moq) lines.push(`raised to the MOQ of ${params.moq}`);
  else if (d.qty > 0 && params.casePack > 1 && d.qty > Math.ceil(d.level - d.position - 1e-9)) lines.push(`rounded up to whole case packs of ${params.casePack}`);
  return lines;
}

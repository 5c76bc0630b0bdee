// Public surface of engine/replenishment: the in-season reorder policy of a launched item.
export {
  CLOSED_LOOP_DEFAULTS,
  CURVE_SPREAD_SCALE_BOUNDS,
  DEFAULT_REPLENISHMENT,
  REPLENISHMENT_BOUNDS,
  scaleSpread,
  ReplenishmentParamError,
  validateReplenishmentParams,
  type CoverageDistribution,
  type ReplenishmentParams,
} from './params.js';
export {
  coverageDemand,
  coverageQuantile,
  isReviewWeek,
  meanSurvival,
  openingQuantity,
  orderUpToLevel,
  reorderQuantity,
  roundOrderQuantity,
  type CoverageDemand,
  type OpeningQuantity,
  type OrderUpToLevel,
  type ReorderDecision,
  type ReorderInput,
  type WeeklyCurve,
} from './policy.js';
export { trackingSignal, type TrackingSignal } from './tracking-signal.js';
export { reviewLaunchedItem, reviewRationale, seasonEndRatio, type CurveUpdater, type LaunchedItemReview, type LaunchedItemReviewInput } from './review.js';
export { adjustLaunchedItem, curveFromStored, type AdjustedItem, type AdjustItemInput, type AdjustPolicy, type StoredCurve } from './adjust-item.js';

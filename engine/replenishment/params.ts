/**
 * Parameters of the in-season reorder policy of one launched item: periodic review every R
 * weeks, supplier lead time L, order-up-to level at a service level, MOQ and case pack. Scope
 * rules carry them; every value is checked here against named bounds so a bad rule fails with
 * the field it came from instead of producing a silent zero or NaN order.
 */

export type CoverageDistribution = 'normal' | 'lognormal';

export interface ReplenishmentParams {
  /** R: weeks between reviews (the adjust stage runs weekly, so 1 by default). Integer ≥ 1. */
  reviewWeeks: number;
  /** L: weeks between placing a reorder and receiving it. Integer ≥ 0. */
  leadTimeWeeks: number;
  /** Probability that demand over the protection period L + R is covered, in [0.5, 0.999]. */
  serviceLevel: number;
  /** Correlation of weekly forecast errors within one launch, in [0, 1] (as the planner's). */
  weeklyCorrelation: number;
  /** Minimum order quantity of any order (opening or reorder). ≥ 0. */
  moq: number;
  /** Orders are whole case packs. Integer ≥ 1 (1 = single units). */
  casePack: number;
  /** Shape of the protection-period demand given its mean and sd (lognormal: never negative). */
  distribution: CoverageDistribution;
  /**
   * Caps every order-up-to level at this quantile of the demand over the rest of the season:
   * what is left at the season end is salvaged, not sold later, so stock above the newsvendor
   * quantity (p - c) / (p - s) of the remaining demand loses money in expectation. Unset: no cap.
   */
  seasonEndRatio?: number;
  /**
   * With seasonEndRatio: an MOQ batch past the cap is placed only when the average probability
   * that its units sell exceeds 1 - seasonEndRatio by this much, in [0, 0.5] (default 0: placed
   * whenever it pays in expectation). A risk margin: a batch that barely pays on average is the
   * one that is salvaged when the curve's shape is wrong.
   */
  moqBatchHurdle?: number;
}

export const DEFAULT_REPLENISHMENT: Omit<ReplenishmentParams, 'leadTimeWeeks'> = {
  reviewWeeks: 1,
  serviceLevel: 0.95,
  weeklyCorrelation: 1,
  moq: 0,
  casePack: 1,
  distribution: 'lognormal',
};

export const REPLENISHMENT_BOUNDS = {
  reviewWeeks: { min: 1, max: 52 },
  leadTimeWeeks: { min: 0, max: 52 },
  serviceLevel: { min: 0.5, max: 0.999 },
  weeklyCorrelation: { min: 0, max: 1 },
  moqBatchHurdle: { min: 0, max: 0.5 },
} as const;

/**
 * Factor on a launch curve's sd before the closed loop reads it, in [0.5, 3]: below 0.5 or above
 * 3 a curve's own interval would be more wrong than the factor could fix.
 */
export const CURVE_SPREAD_SCALE_BOUNDS = { min: 0.5, max: 3 } as const;

/**
 * The closed loop's settings, one source for the scope rules' defaults (contracts/scope-rules.ts
 * `replenishment`, so the adjust stage and the plan's opening read them) and the KPI simulation's
 * closed-loop policy (engine/simulation DEFAULT_POLICY_CONFIG), so production runs what bench:kpi
 * measures. All chosen on the synthetic seeds 101–160 held out from bench:kpi's seeds 1–30 (the
 * risk margin checked on 161–190); the measurements are in engine/simulation/policies.ts.
 */
export const CLOSED_LOOP_DEFAULTS = {
  /** R: the adjust stage runs once per weekly sales batch. */
  reviewWeeks: 1,
  /** Service level of the in-season order-up-to levels. */
  serviceLevel: 0.8,
  /**
   * Service level of the opening order (lead time + first review), below the in-season one: it
   * is decided on the curve's widest uncertainty, what it lacks the first reorder restores, and
   * what it has too much of stays until the season ends.
   */
  openingServiceLevel: 0.65,
  /** The launch curves' sd times this (like-item curves' season totals err more than their sd says). */
  curveSpreadScale: 1.25,
  /** Risk margin an MOQ batch past the rest-of-season cap must clear (ReplenishmentParams.moqBatchHurdle). */
  moqBatchHurdle: 0.05,
} as const;

/** The curve with its sd times `scale` (CLOSED_LOOP_DEFAULTS.curveSpreadScale); other fields kept. */
export function scaleSpread<T extends { sd: readonly number[] }>(curve: T, scale: number): T {
  return scale === 1 ? curve : { ...curve, sd: curve.sd.map((x) => x * scale) };
}

/** A replenishment parameter out of its bounds; `field` names it (e.g. "serviceLevel"). */
export class ReplenishmentParamError extends RangeError {
  readonly code = 'replenishment.invalid_parameter';
  constructor(
    readonly field: keyof ReplenishmentParams,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ReplenishmentParamError';
  }
}

function bounded(field: keyof typeof REPLENISHMENT_BOUNDS, v: number, integer: boolean): number {
  const { min, max } = REPLENISHMENT_BOUNDS[field];
  if (!Number.isFinite(v)) throw new ReplenishmentParamError(field, `must be a finite number, got ${v}`);
  if (integer && !Number.isInteger(v)) throw new ReplenishmentParamError(field, `must be a whole number of weeks, got ${v}`);
  if (v < min || v > max) throw new ReplenishmentParamError(field, `must be in [${min}, ${max}], got ${v}`);
  return v;
}

/** Defaults filled in and every field checked; throws ReplenishmentParamError. */
export function validateReplenishmentParams(input: Partial<ReplenishmentParams> & { leadTimeWeeks: number }): ReplenishmentParams {
  const p = { ...DEFAULT_REPLENISHMENT, ...stripUndefined(input) } as ReplenishmentParams;
  bounded('reviewWeeks', p.reviewWeeks, true);
  bounded('leadTimeWeeks', p.leadTimeWeeks, true);
  bounded('serviceLevel', p.serviceLevel, false);
  bounded('weeklyCorrelation', p.weeklyCorrelation, false);
  if (!Number.isFinite(p.moq) || p.moq < 0) throw new ReplenishmentParamError('moq', `must be ≥ 0, got ${p.moq}`);
  if (!Number.isInteger(p.casePack) || p.casePack < 1) throw new ReplenishmentParamError('casePack', `must be a whole number ≥ 1, got ${p.casePack}`);
  if (p.seasonEndRatio !== undefined && !(p.seasonEndRatio > 0 && p.seasonEndRatio < 1))
    throw new ReplenishmentParamError('seasonEndRatio', `must be in (0, 1), got ${p.seasonEndRatio}`);
  const hurdle = REPLENISHMENT_BOUNDS.moqBatchHurdle;
  if (p.moqBatchHurdle !== undefined && !(p.moqBatchHurdle >= hurdle.min && p.moqBatchHurdle <= hurdle.max))
    throw new ReplenishmentParamError('moqBatchHurdle', `must be in [${hurdle.min}, ${hurdle.max}], got ${p.moqBatchHurdle}`);
  if (p.distribution !== 'normal' && p.distribution !== 'lognormal') throw new ReplenishmentParamError('distribution', `must be normal or lognormal, got ${String(p.distribution)}`);
  return p;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

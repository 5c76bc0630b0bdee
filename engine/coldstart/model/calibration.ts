/**
 * Calibration on the validation launches after training: how far to widen the p10/p90
 * distances so 80% of observed weeks fall inside, and which quantile level τ is the point
 * forecast (quantile totals meeting the mean head's, see point-forecast.ts).
 */
import type { ColdStartContext, Samples } from '../features.js';
import { quantileAt, unbiasedQuantileLevel } from '../point-forecast.js';
import { calibrationLaunchesOf, fitRecalibration, launchesSince, type CalibrationLaunch, type Recalibration, type RecalibrationOptions } from '../recalibration.js';
import { predictColdStart, predictRelative } from './prediction.js';
import { levelsOf, type TrainedModel } from './trained-model.js';

/** Coverage of [p50 − λ(p50 − p10), p50 + λ(p90 − p50)] over observed weeks, for each λ. */
export function calibrateIntervals(model: TrainedModel, val: Samples, target = 0.8): number {
  if (val.n === 0) return 1;
  const Hz = model.featureSpec.horizon;
  const raw = predictRelative(model, val);
  const L = levelsOf(model);
  const per = L.length + 1;
  // λ needed for each observed week to be covered; the target quantile of these is the answer.
  const need: number[] = [];
  for (let k = 0; k < val.n * Hz; k++) {
    if (!(val.mask[k] > 0)) continue;
    const q = Array.from(raw.subarray(k * per, k * per + L.length));
    const [lo, mid, hi] = [quantileAt(L, q, 0.1), quantileAt(L, q, 0.5), quantileAt(L, q, 0.9)];
    const y = val.target[k];
    need.push(y >= mid ? (y - mid) / Math.max(hi - mid, 1e-9) : (mid - y) / Math.max(mid - lo, 1e-9));
  }
  if (need.length === 0) return 1;
  need.sort((a, b) => a - b);
  const lambda = need[Math.min(need.length - 1, Math.ceil(target * need.length) - 1)];
  // Never narrow below the trained quantiles' width by more than half, nor widen absurdly.
  return Math.min(10, Math.max(0.5, lambda));
}

/**
 * τ for the point forecast from the validation launches' own predictions (no actuals): the
 * level where their quantiles' total meets their means' total, searched in [0.5, 0.9].
 */
export function choosePointLevel(model: TrainedModel, val: Samples): number {
  if (val.n === 0) return 0.5;
  const Hz = model.featureSpec.horizon;
  const raw = predictRelative(model, val);
  const L = levelsOf(model);
  const per = L.length + 1;
  const points: Array<{ quantiles: number[]; mean: number }> = [];
  for (let k = 0; k < val.n * Hz; k++) {
    // Weekly units, not relative ones: a launch's weight is its scale, as in the total.
    const sc = val.scale[k];
    points.push({ quantiles: Array.from(raw.subarray(k * per, k * per + L.length), (v) => Math.max(0, v) * sc), mean: Math.max(0, raw[k * per + L.length]) * sc });
  }
  return unbiasedQuantileLevel(L, points, { lo: 0.5, hi: L[L.length - 1] });
}

/**
 * The recalibration (level and 10–90% band) of a trained model on its validation launches,
 * each forecast as a candidate of the history cut before the first of them: the level and
 * season are then extrapolated as for real candidates, so what the model gets wrong doing that
 * (a season seen once, growth since the history's weeks, shrinking towards the typical launch)
 * is measured, not only its fit. undefined without validation launches.
 */
export function recalibrationOnValidation(model: TrainedModel, context: ColdStartContext, val: Samples, o: RecalibrationOptions = {}): Recalibration | undefined {
  const launches = validationLaunches(model, context, val);
  return launches.length > 0 ? fitRecalibration(launches, o) : undefined;
}

/**
 * The validation launches' raw forecasts, with their actuals. Each window of `spacing` weeks
 * of them is forecast from the history cut at its first week (default: one window from the
 * first validation week), so every window carries its own error of the extrapolated level:
 * launch batches differ, and a band fitted on one window's level error under-covers the next.
 */
export function validationLaunches(model: TrainedModel, context: ColdStartContext, val: Samples, spacing = Number.POSITIVE_INFINITY): CalibrationLaunch[] {
  if (val.n === 0) return [];
  let first = Number.POSITIVE_INFINITY;
  for (let i = 0; i < val.n; i++) first = Math.min(first, val.week[i]);
  const out: CalibrationLaunch[] = [];
  const end = context.history.weeks;
  for (let from = first; from < end; from += Math.max(1, spacing)) {
    const { context: before, rows, actual } = launchesSince(context, from, Math.min(end, from + spacing));
    if (rows.length > 0) out.push(...calibrationLaunchesOf(predictColdStart(model, rows, before), actual));
  }
  return out;
}

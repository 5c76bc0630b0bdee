/**
 * Accuracy metrics exactly as the M4 competition defines them (Makridakis, Spiliotis &
 * Assimakopoulos 2020; ../shared/data/README.md), per series; average over series yourself.
 */

/**
 * sMAPE = mean over the horizon of 200·|y − f| / (|y| + |f|), in percent.
 * A step where both y and f are 0 is a perfect forecast and counts as 0 (M4 never hits it;
 * intermittent demand does).
 */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  checkSameLength(actual, forecast);
  let s = 0;
  for (let i = 0; i < actual.length; i++) {
    const denom = Math.abs(actual[i]) + Math.abs(forecast[i]);
    s += denom === 0 ? 0 : (200 * Math.abs(actual[i] - forecast[i])) / denom;
  }
  return s / actual.length;
}

/**
 * In-sample scale of MASE: mean |y_t − y_{t−m}| over t = m+1..n (Hyndman & Koehler 2006).
 * Throws when the training series has no pair m apart, rather than inventing a scale.
 */
export function maseScale(train: readonly number[], m: number): number {
  if (!(Number.isInteger(m) && m >= 1)) throw new RangeError(`MASE period must be a positive integer, got ${m}`);
  if (train.length <= m) throw new RangeError(`MASE(m=${m}) needs more than ${m} training points, got ${train.length}`);
  let s = 0;
  for (let t = m; t < train.length; t++) s += Math.abs(train[t] - train[t - m]);
  return s / (train.length - m);
}

/**
 * MASE = MAE over the horizon / maseScale(train, m). Infinity when the scale is 0 and the
 * forecast is off (a constant training series), 0 when both are 0.
 */
export function mase(train: readonly number[], actual: readonly number[], forecast: readonly number[], m: number): number {
  checkSameLength(actual, forecast);
  let mae = 0;
  for (let i = 0; i < actual.length; i++) mae += Math.abs(actual[i] - forecast[i]);
  mae /= actual.length;
  const scale = maseScale(train, m);
  if (scale === 0) return mae === 0 ? 0 : Infinity;
  return mae / scale;
}

/** Interval coverage: share of horizon points with lo <= y <= hi (a fraction in [0, 1]). */
export function coverage(actual: readonly number[], lo: readonly number[], hi: readonly number[]): number {
  checkSameLength(actual, lo);
  checkSameLength(actual, hi);
  let inside = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] >= lo[i] && actual[i] <= hi[i]) inside++;
  return inside / actual.length;
}

function checkSameLength(a: readonly number[], b: readonly number[]): void {
  if (a.length !== b.length) throw new RangeError(`length mismatch: ${a.length} actual vs ${b.length} forecast values`);
  if (a.length === 0) throw new RangeError('empty horizon');
}

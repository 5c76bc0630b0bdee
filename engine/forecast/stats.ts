/**
 * Small numeric helpers shared by the forecasters. Pure functions; the normal quantile lives in
 * engine/math/normal.ts.
 */
import { qnorm } from '../math/index.js';

/** Two-sided normal multiplier for a coverage level in percent (95 -> 1.959964). */
export function zFor(level: number): number {
  return qnorm(0.5 + level / 200);
}

/**
 * Quantile of Student's t with `df` degrees of freedom, by the Cornish–Fisher expansion around
 * the normal quantile (Abramowitz & Stegun 26.7.5). Error under 0.01 for df >= 2 at the
 * probabilities used here (0.8 to 0.99); df = 1 comes out about 5% low at 0.95.
 */
export function qt(p: number, df: number): number {
  const z = qnorm(p);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

export function mean(x: readonly number[]): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

/** Mean of the finite entries (NaN marks "undefined" in fitted values and residuals). */
export function meanFinite(x: readonly number[]): number {
  let s = 0;
  let n = 0;
  for (const v of x) {
    if (Number.isFinite(v)) {
      s += v;
      n++;
    }
  }
  return n === 0 ? NaN : s / n;
}

/** Sample quantile, R's default type 7 (linear interpolation between order statistics). */
export function quantile(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function median(x: readonly number[]): number {
  return quantile([...x].sort((a, b) => a - b), 0.5);
}

/**
 * Sample autocorrelations r_1..r_maxLag with R's `acf` definition (biased: sums over
 * n - k pairs divided by the full-series sum of squares).
 */
export function acf(x: readonly number[], maxLag: number): number[] {
  const n = x.length;
  const mu = mean(x);
  let denom = 0;
  for (const v of x) denom += (v - mu) * (v - mu);
  const out: number[] = [];
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    for (let t = k; t < n; t++) s += (x[t] - mu) * (x[t - k] - mu);
    out.push(denom === 0 ? 0 : s / denom);
  }
  return out;
}

/** True when every value equals the first (within a relative tolerance for float noise). */
export function isConstant(y: readonly number[]): boolean {
  const first = y[0];
  const tol = 1e-12 * Math.max(1, Math.abs(first));
  return y.every((v) => Math.abs(v - first) <= tol);
}

import { qnorm } from '../math/index.js';
import { acf } from './stats.js';

/**
 * Seasonality test and classical multiplicative decomposition, the seasonal adjustment in
 * front of theta (as R's forecast::thetaf does it, after Assimakopoulos & Nikolopoulos 2000
 * and the M3/M4 benchmarks) and in front of ETS for periods above 24.
 */

/**
 * thetaf's test: the lag-m autocorrelation is significant at 90% (one-sided 95%) against
 * Bartlett's standard error sqrt((1 + 2·Σ_{k<m} r_k²)/n). Needs more than two seasons.
 */
export function isSeasonal(y: readonly number[], m: number, level = 0.9): boolean {
  const n = y.length;
  if (m <= 1 || n <= 2 * m) return false;
  const r = acf(y, m);
  let s = 0;
  for (let k = 0; k < m - 1; k++) s += r[k] * r[k];
  const stat = Math.sqrt((1 + 2 * s) / n);
  return Math.abs(r[m - 1]) / stat > qnorm(0.5 + level / 2);
}

/**
 * Seasonal indices of R's `decompose(type = "multiplicative")`: a centred moving average of
 * order m (2×m for even m) as trend, y / trend averaged per position in the cycle, then
 * normalised to mean 1. `index[t % m]` is the index of observation t (0-based, from the first
 * observation); forecasts at step i use `index[(n + i - 1) % m]`.
 */
export function multiplicativeIndices(y: readonly number[], m: number): number[] {
  const n = y.length;
  const half = Math.floor(m / 2);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  // Centred moving average (weights 1/2 at both ends when m is even), kept as a running sum so
  // it stays O(n) for m = 52.
  const even = m % 2 === 0;
  if (n > 2 * half) {
    let inner = 0; // sum of y[t-half+1 .. t+half-1] (even m) or y[t-half .. t+half] (odd m)
    const lo0 = even ? 1 : 0;
    for (let k = lo0; k <= 2 * half - lo0; k++) inner += y[k];
    for (let t = half; t < n - half; t++) {
      if (t > half) {
        inner += y[t + half - lo0] - y[t - half - 1 + lo0];
      }
      const s = even ? inner + 0.5 * (y[t - half] + y[t + half]) : inner;
      const trend = s / m;
      if (trend !== 0) {
        sums[t % m] += y[t] / trend;
        counts[t % m]++;
      }
    }
  }
  const raw = sums.map((s, i) => (counts[i] ? s / counts[i] : 1));
  const avg = raw.reduce((a, b) => a + b, 0) / m;
  return raw.map((v) => v / avg);
}

/** A multiplicative seasonal adjustment: divide history by `index`, multiply forecasts back. */
export interface SeasonalAdjustment {
  m: number;
  index: number[]; // length m, position t % m
}

export function deseasonalise(y: readonly number[], adj: SeasonalAdjustment): number[] {
  return y.map((v, t) => v / adj.index[t % adj.m]);
}

export function futureIndex(adj: SeasonalAdjustment, n: number, h: number): number[] {
  return Array.from({ length: h }, (_, i) => adj.index[(n + i) % adj.m]);
}

/**
 * Test for seasonality and, when present, estimate multiplicative indices. Returns undefined
 * for a non-seasonal series or one with a non-positive value (multiplicative indices need y > 0).
 */
export function seasonalAdjustment(y: readonly number[], m: number): SeasonalAdjustment | undefined {
  if (m <= 1 || !isSeasonal(y, m)) return undefined;
  if (y.some((v) => v <= 0)) return undefined;
  const index = multiplicativeIndices(y, m);
  if (index.some((v) => !(v > 0) || !Number.isFinite(v))) return undefined;
  return { m, index };
}

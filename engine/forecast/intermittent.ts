/**
 * Shared numerics of the intermittent-demand methods (Croston 1972; Syntetos & Boylan 2005;
 * Teunter, Syntetos & Babai 2011). Their point forecast is a flat rate; none has a likelihood,
 * so intervals are empirical: quantiles of the in-sample one-step errors y_t − f_t added to
 * the rate, widened with h like an SES forecast (factor sqrt(1 + (h−1)α²)) because the rate
 * itself is a smoothed estimate, and kept nested around the mean.
 */
import type { Prediction } from './types.js';
import { ForecastInputError } from './types.js';
import { levelKey } from './intervals.js';
import { quantile } from './stats.js';

export function empiricalIntervals(
  rate: number,
  y: readonly number[],
  fitted: readonly number[],
  alpha: number,
  h: number,
  levels: number[],
): Prediction {
  const res: number[] = [];
  for (let t = 0; t < y.length; t++) if (Number.isFinite(fitted[t])) res.push(y[t] - fitted[t]);
  res.sort((a, b) => a - b);
  const mean = new Array<number>(h).fill(rate);
  const lo: Record<string, number[]> = {};
  const hi: Record<string, number[]> = {};
  for (const level of levels) {
    const a = (100 - level) / 200;
    const ql = res.length ? Math.min(0, quantile(res, a)) : 0;
    const qh = res.length ? Math.max(0, quantile(res, 1 - a)) : 0;
    lo[levelKey(level)] = mean.map((m, i) => m + ql * Math.sqrt(1 + i * alpha * alpha));
    hi[levelKey(level)] = mean.map((m, i) => m + qh * Math.sqrt(1 + i * alpha * alpha));
  }
  return { mean, lo, hi };
}

/**
 * Croston's recursion as forecast::croston computes it: SES with "simple" initialisation
 * (first value) on the non-zero demand sizes and, separately, on the intervals between them,
 * both with the same α; rate = size / interval. Fitted values are the rate known before each
 * observation (NaN before the first demand).
 */
export function crostonRun(y: readonly number[], alpha: number): { rate: number; fitted: number[] } {
  let z = NaN;
  let p = NaN;
  let since = 0; // periods since the previous demand (or since the start)
  const fitted: number[] = [];
  for (let t = 0; t < y.length; t++) {
    // forecast::croston reports NA for the first period and 0 until the first demand.
    fitted.push(Number.isFinite(z) ? z / p : t === 0 ? NaN : 0);
    since++;
    if (y[t] > 0) {
      if (Number.isFinite(z)) {
        z += alpha * (y[t] - z);
        p += alpha * (since - p);
      } else {
        z = y[t];
        p = since;
      }
      since = 0;
    }
  }
  if (!Number.isFinite(z)) throw new ForecastInputError('series has no non-zero demand; intermittent models need at least one');
  return { rate: z / p, fitted };
}

/**
 * TSB: the demand probability is smoothed every period (β), the size only when demand occurs
 * (α); rate = probability × size. Starts from the first demand's size and the overall share of
 * non-zero periods.
 */
export function tsbRun(y: readonly number[], alpha: number, beta: number): { rate: number; fitted: number[]; sse: number } {
  let first = -1;
  let nz = 0;
  for (let t = 0; t < y.length; t++) {
    if (y[t] > 0) {
      nz++;
      if (first < 0) first = t;
    }
  }
  if (first < 0) throw new ForecastInputError('series has no non-zero demand; intermittent models need at least one');
  let z = y[first];
  let p = nz / y.length;
  const fitted: number[] = [];
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const f = p * z;
    fitted.push(f);
    sse += (y[t] - f) ** 2;
    const d = y[t] > 0 ? 1 : 0;
    p += beta * (d - p);
    if (d) z += alpha * (y[t] - z);
  }
  return { rate: p * z, fitted, sse };
}

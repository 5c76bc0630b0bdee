import type { FittedModel, Prediction } from './types.js';
import { ForecastInputError } from './types.js';
import { normalIntervals } from './intervals.js';

/**
 * The "lag walk" family behind naive, seasonal naive and drift: y_t = y_{t-lag} + b + e_t.
 * Follows forecast::lagwalk / forecast.lagwalk (Hyndman & Athanasopoulos, FPP3 §5.2 and §5.5):
 * the h-step forecast repeats the last `lag` values, and its variance grows with the number of
 * whole lags k = floor((h-1)/lag)+1 covered: se_h = sqrt(σ²·k + (k·se(b))²), with σ² the mean
 * squared lag difference (naive) or the residual variance of the drift regression. For drift, b and se(b) are the OLS intercept of the lag
 * differences and its standard error, as `lm(diff(y, lag) ~ 1)` gives them.
 */
export interface LagWalkState {
  lag: number;
  drift: number;
  driftSe: number;
  mse: number;
  last: number[]; // the last `lag` observations, oldest first
}

export function fitLagWalk(y: number[], lag: number, withDrift: boolean): { state: LagWalkState; fitted: number[] } {
  const n = y.length;
  if (n <= lag) {
    throw new ForecastInputError(`series of length ${n} is too short for a lag-${lag} walk (needs more than ${lag} points)`);
  }
  const d: number[] = [];
  for (let t = lag; t < n; t++) d.push(y[t] - y[t - lag]);
  let b = 0;
  let bSe = 0;
  if (withDrift) {
    b = d.reduce((s, v) => s + v, 0) / d.length;
    if (d.length > 1) {
      const ss = d.reduce((s, v) => s + (v - b) * (v - b), 0);
      const sigma = Math.sqrt(ss / (d.length - 1));
      bSe = sigma / Math.sqrt(d.length);
    }
  }
  const fitted: number[] = y.map((_, t) => (t < lag ? NaN : y[t - lag] + b));
  // forecast::lagwalk: the mean squared difference for naive/snaive; with drift, lm's residual
  // variance (n − 1 degrees of freedom, one for the intercept).
  const ss = d.reduce((s, v) => s + (v - b) * (v - b), 0);
  const mse = withDrift && d.length > 1 ? ss / (d.length - 1) : ss / d.length;
  return { state: { lag, drift: b, driftSe: bSe, mse, last: y.slice(n - lag) }, fitted };
}

export function predictLagWalk(s: LagWalkState, h: number, levels: number[]): Prediction {
  const mean: number[] = [];
  const se: number[] = [];
  for (let i = 0; i < h; i++) {
    const k = Math.floor(i / s.lag) + 1; // whole lags spanned by step i+1
    mean.push(s.last[i % s.lag] + k * s.drift);
    se.push(Math.sqrt(s.mse * k + (k * s.driftSe) ** 2));
  }
  return normalIntervals(mean, se, levels);
}

export function lagWalkModel(name: string, y: number[], lag: number, withDrift: boolean): FittedModel {
  const { state, fitted } = fitLagWalk(y, lag, withDrift);
  return {
    name,
    params: { lag: state.lag, drift: state.drift, driftSe: state.driftSe, sigma2: state.mse },
    fitted,
    predict: (h, levels) => predictLagWalk(state, h, levels),
  };
}

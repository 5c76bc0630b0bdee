/**
 * The Dynamic Optimised Theta Model (DOTM; Fiorucci, Pellegrini, Louzada, Petropoulos &
 * Koehler 2016, "Models for optimising the theta method and their relationship to state space
 * models", IJF 32(4), §3). Theta's trend line A + B·t is not fitted once on the whole history:
 * A_t and B_t are the least-squares line of the first t observations, updated as each one
 * arrives, and the forecasts keep updating them with their own values. θ (the weight of the
 * line, ≥ 1) and α (SES, in [0.1, 0.99]) are chosen by the in-sample one-step squared error.
 * Fitted on the multiplicatively seasonally adjusted series, like theta (./theta.ts).
 *
 * State after t observations: level ℓ_t, mean Ȳ_t, line A_t, B_t (time counted from 1).
 *   μ_{t+1} = ℓ_t + (1 − 1/θ)·[A_t·(1−α)^t + B_t·(1 − (1−α)^{t+1})/α]
 *   ℓ_{t+1} = α·y_{t+1} + (1−α)·ℓ_t
 *   Ȳ_{t+1} = (t·Ȳ_t + y_{t+1})/(t+1)
 *   B_{t+1} = ((t−1)·B_t + 6·(y_{t+1} − Ȳ_t)/(t+1))/(t+2),  A_{t+1} = Ȳ_{t+1} − B_{t+1}·(t+2)/2
 * from ℓ_1 = α·y_1 + (1−α)·ℓ_0, Ȳ_1 = A_1 = y_1, B_1 = 0. The squared errors of μ_3 … μ_n are
 * minimised (μ_1, μ_2 carry no line yet), as in the paper's implementation (R forecTheta).
 *
 * The line does not depend on (α, θ, ℓ_0), so it is computed once per series, and every μ is
 * linear in ℓ_0 (through (1−α)^t), so ℓ_0 has a closed form given (α, θ): the search is over
 * two parameters only. Forecasts are linear in the future values, so the h-step variance is
 * exact for Gaussian errors: the response of μ_{n+k} to a unit error at n+j, squared and summed.
 */
import type { FittedModel, Forecaster, Prediction } from './types.js';
import { ForecastInputError } from './types.js';
import { normalIntervals } from './intervals.js';
import { onAdjustedSeries } from './theta.js';
import { nelderMead } from '../math/index.js';

/** The paper's bounds on α; a lower bound of 0.01 made DOTM worse on m3-monthly-dev (README). */
export const DOTM_ALPHA_BOUNDS = [0.1, 0.99] as const;

export interface DotmState {
  alpha: number;
  theta: number;
  l0: number;
  sigma2: number;
  /** Observations consumed and the state after them. */
  t: number;
  level: number;
  mean: number;
  a: number;
  b: number;
}

interface Lines {
  /** Ȳ_t, A_t, B_t for t = 1..n at index t − 1. */
  mean: Float64Array;
  a: Float64Array;
  b: Float64Array;
}

function dynamicLines(x: readonly number[]): Lines {
  const n = x.length;
  const mean = new Float64Array(n);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  mean[0] = x[0];
  a[0] = x[0];
  b[0] = 0;
  for (let t = 1; t < n; t++) {
    // t observations consumed before x[t] (the (t+1)-th).
    const next = nextLine(t, mean[t - 1], b[t - 1], x[t]);
    mean[t] = next.mean;
    a[t] = next.a;
    b[t] = next.b;
  }
  return { mean, a, b };
}

/** The line's update after t observations with mean Ȳ_t and slope B_t, on observing y. */
function nextLine(t: number, mean: number, b: number, y: number): { mean: number; a: number; b: number } {
  const nb = ((t - 1) * b + (6 * (y - mean)) / (t + 1)) / (t + 2);
  const nm = (t * mean + y) / (t + 1);
  return { mean: nm, a: nm - (nb * (t + 2)) / 2, b: nb };
}

/** One-step prediction from the state after t observations. */
function mu(level: number, a: number, b: number, t: number, alpha: number, w: number): number {
  const d = (1 - alpha) ** t;
  return level + w * (a * d + (b * (1 - d * (1 - alpha))) / alpha);
}

/**
 * The pass for given α, θ with ℓ_0 = 0: e_t = ẽ_t − (1−α)^{t−1}·ℓ_0, so ℓ_0 = Σẽr/Σr² and
 * SSE = Σẽ² − ℓ_0·Σẽr.
 */
function pass(x: readonly number[], lines: Lines, alpha: number, theta: number): { sse: number; l0: number; count: number } {
  const n = x.length;
  const w = 1 - 1 / theta;
  let level = alpha * x[0];
  let r = 1 - alpha;
  let see = 0;
  let ser = 0;
  let srr = 0;
  let count = 0;
  for (let t = 1; t < n; t++) {
    if (t >= 2) {
      const e = x[t] - mu(level, lines.a[t - 1], lines.b[t - 1], t, alpha, w);
      see += e * e;
      ser += e * r;
      srr += r * r;
      count++;
    }
    level = alpha * x[t] + (1 - alpha) * level;
    r *= 1 - alpha;
  }
  const l0 = srr > 1e-300 ? ser / srr : 0;
  return { sse: Math.max(see - l0 * ser, 0), l0, count };
}

export function fitDotm(x: readonly number[]): { state: DotmState; fitted: number[] } {
  const n = x.length;
  if (n < 4) throw new ForecastInputError('the dynamic optimised theta model needs at least 4 observations');
  const lines = dynamicLines(x);
  const [lo, hi] = DOTM_ALPHA_BOUNDS;
  // Searched on the parameters themselves, out of bounds scoring +∞: through a logistic
  // transform the search stalled at the α bound on series whose optimum is just inside it.
  const objective = (u: number[]) => (u[0] < lo || u[0] > hi || u[1] < 1 ? Infinity : pass(x, lines, u[0], u[1]).sse);
  // The paper's starting point: α = 0.5, θ = 2; then a restart from the optimum found.
  let res = nelderMead(objective, [0.5, 2], { step: [0.1, 0.5], reltol: 1e-8, maxEval: 300 });
  res = nelderMead(objective, res.x, { step: [0.05, 0.25], reltol: 1e-8, maxEval: 100 });
  const [alpha, theta] = res.x;
  const { l0, sse, count } = pass(x, lines, alpha, theta);
  const fit = dotmAt(x, alpha, theta, l0, lines);
  // Three estimated parameters (ℓ0, α, θ) against the errors of μ_3..μ_n.
  fit.state.sigma2 = sse / Math.max(1, count - 3);
  return fit;
}

/**
 * The model at given parameters: one-step fitted values (the first is y_1 itself) and the state
 * after the last observation (σ² left at 0).
 */
export function dotmAt(
  x: readonly number[],
  alpha: number,
  theta: number,
  l0: number,
  lines: Lines = dynamicLines(x),
): { state: DotmState; fitted: number[] } {
  const n = x.length;
  const w = 1 - 1 / theta;
  const fitted: number[] = [x[0]];
  let level = alpha * x[0] + (1 - alpha) * l0;
  for (let t = 1; t < n; t++) {
    fitted.push(mu(level, lines.a[t - 1], lines.b[t - 1], t, alpha, w));
    level = alpha * x[t] + (1 - alpha) * level;
  }
  return {
    state: { alpha, theta, l0, sigma2: 0, t: n, level, mean: lines.mean[n - 1], a: lines.a[n - 1], b: lines.b[n - 1] },
    fitted,
  };
}

/**
 * The forecast path from the state, each forecast fed back as the next observation; `shock`
 * adds `size` to the observation at step `shock` (0-based) for the impulse responses.
 */
function path(st: DotmState, h: number, shock = -1, size = 0): number[] {
  const w = 1 - 1 / st.theta;
  const { alpha } = st;
  let { level, mean, a, b, t } = st;
  const out: number[] = [];
  for (let k = 0; k < h; k++) {
    const m = mu(level, a, b, t, alpha, w);
    out.push(m);
    const y = k === shock ? m + size : m;
    level = alpha * y + (1 - alpha) * level;
    ({ mean, a, b } = nextLine(t, mean, b, y));
    t++;
  }
  return out;
}

/** Point forecasts and Gaussian intervals on the adjusted scale. */
export function dotmPredict(st: DotmState, h: number, levels: readonly number[]): Prediction {
  const mean = path(st, h);
  // Var(y_{n+k}) = σ²·Σ_j ψ_{k,j}², ψ_{k,k} = 1, ψ_{k,j} the response of μ_{n+k} to a unit
  // error at n+j (the model is linear in its observations, so a unit shock measures it).
  const v = new Array<number>(h).fill(1);
  for (let j = 0; j < h - 1; j++) {
    const shocked = path(st, h, j, 1);
    for (let k = j + 1; k < h; k++) {
      const psi = shocked[k] - mean[k];
      v[k] += psi * psi;
    }
  }
  return normalIntervals(
    mean,
    v.map((x) => Math.sqrt(st.sigma2 * x)),
    levels,
  );
}

/** DOTM on the seasonally adjusted series (theta's wrapping, the paper's choice too); `log` like log theta. */
function wrap(y: number[], season: number, log: boolean): FittedModel {
  if (y.length < 4) throw new ForecastInputError('the dynamic optimised theta model needs at least 4 observations');
  if (log && y.some((v) => !(v > 0))) throw new ForecastInputError('log DOTM needs a strictly positive series');
  return onAdjustedSeries(y, season, log, fitDotm, dotmPredict, log ? 'LogDOTM' : 'DOTM', (state, seasonal) => ({
    alpha: state.alpha,
    theta: state.theta,
    l0: state.l0,
    sigma2: state.sigma2,
    seasonal,
    ...(log ? { transform: 'log' } : {}),
  }));
}

/** The dynamic optimised theta model. */
export const dotm: Forecaster = { name: 'dotm', fit: (y, { season }) => wrap(y, season, false) };

/** DOTM on the log scale (strictly positive series). */
export const logDotm: Forecaster = { name: 'logdotm', fit: (y, { season }) => wrap(y, season, true) };

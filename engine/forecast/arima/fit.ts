/**
 * ARIMA(p,d,q)(P,D,Q)_m estimation with regressors (regression with ARIMA errors), following
 * R's `stats::arima` method "CSS-ML": conditional sum of squares for starting values, then the
 * exact Gaussian likelihood from the Kalman filter (see kalman.ts). Differences:
 *  - the differenced series is filtered directly (R's diffuse prior on the differenced states
 *    gives the same likelihood up to its kappa = 1e6 approximation);
 *  - regression coefficients are not optimised numerically: they are GLS estimates (Kalman-
 *    filtered regressors) alternated with the ARMA parameters, so the optimiser only sees the
 *    p + q + P + Q ARMA parameters;
 *  - the optimiser is Levenberg–Marquardt on the sum-of-squares forms of both objectives
 *    (BFGS, as R, is available via `optimizer: 'bfgs'`); method 'ML' skips the CSS step and
 *    starts from Hannan–Rissanen estimates;
 *  - both AR and MA parts are optimised in the partial-autocorrelation parametrisation, so every
 *    candidate is stationary and invertible (R transforms only the AR part).
 */
import { designColumns, designNames, type DesignSpec } from './design.js';
import { filterArma } from './kalman.js';
import { leastSquares } from './linalg.js';
import { levenbergMarquardt, minimise } from '../../math/index.js';
import { hannanRissanenStart, longArResiduals } from './start.js';
import { applyDifference, arRootsOutside, arToPacf, differencingPoly, expandSeasonal, maRootsOutside, pacfToAr } from './polynomial.js';

export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  /** Seasonal period m (1 when there is no seasonal part). */
  period: number;
}

export type ArimaMethod = 'CSS-ML' | 'ML' | 'CSS';

/** A fitted model: plain data, enough to forecast (see forecast.ts). */
export interface ArimaFit {
  order: ArimaOrder;
  design: DesignSpec;
  coef: { ar: number[]; ma: number[]; sar: number[]; sma: number[]; xreg: number[] };
  xregNames: string[];
  /** Innovation variance: the ML estimate ssq/n (as stats::arima). */
  sigma2: number;
  /**
   * Variance used for prediction intervals: ssq/(n − k) with k estimated coefficients, the
   * degrees-of-freedom correction of forecast::Arima (so intervals match forecast::forecast).
   */
  sigma2Forecast: number;
  loglik: number;
  aic: number;
  aicc: number;
  bic: number;
  /** Number of observations after differencing (R's n.used). */
  nobs: number;
  /** Number of estimated parameters including σ². */
  npar: number;
  method: ArimaMethod;
  converged: boolean;
  /** Innovations in data units (NaN for the first d + mD points lost to differencing). */
  residuals: number[];
  fitted: number[];
  /** Length of the training series. */
  n: number;
  /** Last d + mD values of y − Xβ, and the predicted ARMA state a_{n+1|n}, for forecasting. */
  tail: number[];
  state: number[];
}

export interface ArimaFitOptions {
  /** Regressors in FitOptions layout (one row per observation). */
  xreg?: number[][];
  /** Include a mean (default: true when d + D = 0, as stats::arima). */
  includeMean?: boolean;
  /** Include a drift (time-index regressor); allowed when d + D ≤ 1. */
  includeDrift?: boolean;
  /** Fourier harmonics for a long seasonal period (regressors, not seasonal ARIMA). */
  fourier?: { K: number; period: number };
  method?: ArimaMethod;
  /**
   * Relative stopping tolerances (on the sum of squares) of the CSS and ML steps; defaults
   * 1e-8 and 1e-10, R-like precision. Model searches pass looser, n-scaled values (a change of
   * Δ in log-likelihood is a relative change of about 2Δ/n): 0.01 for ranking, 1e-4 for the
   * final ML fit, with capped iterations.
   */
  relTol?: number;
  mlRelTol?: number;
  /**
   * Starting ARMA coefficients (e.g. a CSS fit of the same order on a window of the series);
   * with an ML method the CSS step is then skipped.
   */
  start?: { ar: number[]; ma: number[]; sar: number[]; sma: number[] };
  /**
   * Estimate the ARMA parameters on the last this-many observations only (then regression
   * coefficients, σ² and the likelihood on the whole series). Used by the long-season search:
   * the recent decade decides the short-term dynamics, and the fit costs a third as much.
   */
  estimationWindow?: number;
  /** Evaluate at these ARMA coefficients instead of estimating them (β, σ² still by GLS). */
  fixedArma?: { ar: number[]; ma: number[]; sar: number[]; sma: number[] };
  /** Shared per-series cache (see FitCache); only pass one built for this y and xreg. */
  cache?: FitCache;
  /** 'lm' (default): Levenberg–Marquardt on the sum-of-squares forms; 'bfgs': BFGS as R's optim. */
  optimizer?: 'lm' | 'bfgs';
}

/** Everything about a fit that does not depend on the ARMA orders (shared across a search). */
interface PreparedData {
  spec: DesignSpec;
  y: readonly number[];
  X: Float64Array[];
  w: Float64Array;
  Xd: Float64Array[];
  diff: number[];
  beta0: number[];
  kept: boolean[];
  /** w − Xd·beta0: the series the CSS step works on. */
  z0: Float64Array;
  /** Long-autoregression residuals of z0 for Hannan–Rissanen starts (computed on first use). */
  longAr?: { k: number; e: Float64Array };
}

interface Prepared extends PreparedData {
  order: ArimaOrder;
  narma: number;
}

/**
 * Cache of differenced data and OLS starts, keyed by differencing orders and regressors. A
 * stepwise search fits dozens of models to the same series; this saves redoing the regression
 * (2K Fourier columns) and the long autoregression for each. Valid for one series only.
 */
export type FitCache = Map<string, PreparedData>;

export function normaliseOrder(o: Partial<ArimaOrder> & { p: number; d: number; q: number }): ArimaOrder {
  const period = Math.max(1, Math.round(o.period ?? 1));
  const seasonal = period > 1;
  return {
    p: o.p,
    d: o.d,
    q: o.q,
    P: seasonal ? (o.P ?? 0) : 0,
    D: seasonal ? (o.D ?? 0) : 0,
    Q: seasonal ? (o.Q ?? 0) : 0,
    period,
  };
}

function prepare(y: readonly number[], order: ArimaOrder, spec: DesignSpec, userRows?: readonly number[][], cache?: FitCache): Prepared {
  const narma = order.p + order.q + order.P + order.Q;
  const key = cacheKey(order, spec, y.length);
  let data = cache?.get(key);
  if (!data) {
    data = prepareData(y, order, spec, userRows);
    cache?.set(key, data);
  }
  return { ...data, order, narma };
}

/** Unconstrained parameters for given coefficients, or null if any part is not stationary/invertible. */
function startToPacf(c: { ar: number[]; ma: number[]; sar: number[]; sma: number[] }, o: ArimaOrder, clamp = true): number[] | null {
  if (c.ar.length !== o.p || c.ma.length !== o.q || c.sar.length !== o.P || c.sma.length !== o.Q) return null;
  const parts = [arToPacf(c.ar), arToPacf(c.ma.map((v) => -v)), arToPacf(c.sar), arToPacf(c.sma.map((v) => -v))];
  if (parts.some((x) => x === null)) return null;
  const u = (parts as number[][]).flat();
  return clamp ? u.map((v) => Math.max(-CLAMP, Math.min(CLAMP, v))) : u;
}

function cacheKey(order: ArimaOrder, spec: DesignSpec, n: number): string {
  return `${n}|${order.d},${order.D},${order.period}|${+spec.intercept}${+spec.drift}|${spec.fourierK},${spec.fourierPeriod}|${spec.userColumns}`;
}

function prepareData(y: readonly number[], order: ArimaOrder, spec: DesignSpec, userRows?: readonly number[][]): PreparedData {
  const X = designColumns(spec, y.length, 0, userRows);
  const diff = differencingPoly(order.d, order.D, order.period);
  const w = applyDifference(y, diff);
  const Xd = X.map((c) => applyDifference(c, diff));
  // OLS on the differenced data: starting regression coefficients (as stats::arima) and the
  // aliasing pattern (e.g. an intercept after differencing is identically zero).
  const ls = leastSquares(Xd, w);
  const z0 = Float64Array.from(w);
  Xd.forEach((c, j) => {
    const b = ls.beta[j];
    if (b !== 0) for (let t = 0; t < z0.length; t++) z0[t] -= b * c[t];
  });
  return { spec, y, X, w, Xd, diff, beta0: ls.beta, kept: ls.kept, z0 };
}

function unpack(u: readonly number[], o: ArimaOrder): { ar: number[]; ma: number[]; sar: number[]; sma: number[]; phi: number[]; theta: number[] } {
  let k = 0;
  const ar = pacfToAr(u, k, o.p);
  k += o.p;
  const ma = pacfToAr(u, k, o.q).map((v) => -v);
  k += o.q;
  const sar = pacfToAr(u, k, o.P);
  k += o.P;
  const sma = pacfToAr(u, k, o.Q).map((v) => -v);
  const { phi, theta } = expandSeasonal(ar, ma, sar, sma, o.period);
  return { ar, ma, sar, sma, phi, theta };
}

/** Conditional sum of squares of z under ARMA(φ, θ), conditioning on the first len(φ) values. */
function cssResiduals(z: ArrayLike<number>, phi: readonly number[], theta: readonly number[], out?: Float64Array): { ssq: number; nu: number } {
  const n = z.length;
  const ncond = phi.length;
  const e = out ?? new Float64Array(n);
  let ssq = 0;
  let nu = 0;
  for (let t = 0; t < n; t++) {
    if (t < ncond) {
      e[t] = 0;
      continue;
    }
    let v = z[t];
    for (let i = 0; i < phi.length; i++) v -= phi[i] * z[t - i - 1];
    const lim = Math.min(theta.length, t - ncond);
    for (let j = 0; j < lim; j++) v -= theta[j] * e[t - j - 1];
    e[t] = v;
    ssq += v * v;
    nu++;
  }
  return { ssq, nu };
}

const CLAMP = 4; // tanh(4) ≈ 0.9993: keeps ML starting values off the flat edge of the PACF map

/**
 * Fit a fixed-order ARIMA model. Returns null when the model cannot be estimated (too few
 * observations, or a likelihood that is not finite anywhere the optimiser looked).
 */
export function fitArimaModel(y: readonly number[], orderIn: Partial<ArimaOrder> & { p: number; d: number; q: number }, options: ArimaFitOptions = {}): ArimaFit | null {
  const order = normaliseOrder(orderIn);
  const method = options.method ?? 'CSS-ML';
  const win = options.estimationWindow;
  if (win && y.length > win && method !== 'CSS') {
    // ARMA parameters from the last `win` observations; regression, σ² and likelihood on all.
    const tail = y.length - win;
    const sub = fitArimaModel(y.slice(tail), orderIn, { ...options, xreg: options.xreg?.slice(tail), estimationWindow: undefined, cache: undefined });
    if (!sub) return null;
    return fitArimaModel(y, orderIn, { ...options, estimationWindow: undefined, fixedArma: sub.coef });
  }
  const dd = order.d + order.D;
  const spec: DesignSpec = {
    intercept: options.includeMean ?? dd === 0,
    drift: (options.includeDrift ?? false) && dd <= 1,
    fourierK: options.fourier?.K ?? 0,
    fourierPeriod: options.fourier?.period ?? 1,
    userColumns: options.xreg && options.xreg.length > 0 ? options.xreg[0].length : 0,
  };
  if (dd > 0) spec.intercept = false; // a constant vanishes after differencing
  const prep = prepare(y, order, spec, options.xreg, options.cache);
  const n = prep.w.length;
  const nBeta = prep.kept.filter(Boolean).length;
  if (n - prep.narma - nBeta < 1) return null;

  const Xk = prep.Xd.filter((_, j) => prep.kept[j]);
  // --- CSS with the OLS regression held fixed ---
  const z0 = prep.z0;
  const scratch = new Float64Array(n);
  const cssObjective = (u: number[]): number => {
    const { phi, theta } = unpack(u, order);
    if (n - phi.length < 2) return Infinity;
    const { ssq, nu } = cssResiduals(z0, phi, theta, scratch);
    return 0.5 * Math.log(ssq / nu);
  };
  const cssVector = (u: number[]): Float64Array | null => {
    const { phi, theta } = unpack(u, order);
    if (n - phi.length < 2) return null;
    const e = new Float64Array(n);
    cssResiduals(z0, phi, theta, e);
    return e.subarray(phi.length);
  };
  const useLm = (options.optimizer ?? 'lm') === 'lm';
  let u = new Array<number>(prep.narma).fill(0);
  const startU = options.start ? startToPacf(options.start, order) : null;
  if (startU) u = startU;
  else if (order.p + order.q > 0) {
    if (!prep.longAr) {
      const k = Math.min(12, Math.floor(n / 10));
      prep.longAr = { k, e: longArResiduals(z0, k) };
      const shared = options.cache?.get(cacheKey(order, spec, y.length));
      if (shared) shared.longAr = prep.longAr;
    }
    const { k, e } = prep.longAr;
    const hr = hannanRissanenStart(z0, e, k, order.p, order.q);
    if (hr) {
      hr.ar.forEach((v, i) => (u[i] = v));
      hr.ma.forEach((v, i) => (u[order.p + i] = v));
      if (!Number.isFinite(cssObjective(u))) u.fill(0);
    }
  }
  let converged = true;
  const fixedU = options.fixedArma ? startToPacf(options.fixedArma, order, false) : null;
  if (options.fixedArma && !fixedU) return null;
  if (prep.narma > 0 && !fixedU && method !== 'ML' && !(startU && method !== 'CSS')) {
    const r = useLm ? levenbergMarquardt(cssVector, u, { maxIter: 50, relTol: options.relTol ?? 1e-8 }) : minimise(cssObjective, u, { maxIter: 100 });
    if (Number.isFinite(r.value)) u = r.x;
    converged = r.converged;
  }

  if (method === 'CSS') {
    const { phi, theta, ar, ma, sar, sma } = unpack(u, order);
    const e = new Float64Array(n);
    const { ssq, nu } = cssResiduals(z0, phi, theta, e);
    const sigma2 = ssq / nu;
    const loglik = -0.5 * n * (Math.log(sigma2) + 1 + Math.log(2 * Math.PI));
    return finish(prep, { ar, ma, sar, sma, phi, theta }, prep.beta0, sigma2, loglik, method, converged, nBeta);
  }

  // --- exact ML with GLS-profiled regression ---
  const series = [prep.w, ...Xk];
  const mlEval = (uu: number[]): { value: number; beta: number[]; sigma2: number; sumLog: number } | null => {
    const { phi, theta } = unpack(uu, order);
    const f = filterArma(series, phi, theta);
    if (!f) return null;
    let ssq: number;
    let beta: number[] = [];
    if (Xk.length > 0) {
      const ls = leastSquares(f.innovations.slice(1), f.innovations[0]);
      ssq = ls.rss;
      beta = ls.beta;
    } else {
      ssq = 0;
      const e = f.innovations[0];
      for (let t = 0; t < n; t++) ssq += e[t] * e[t];
    }
    const sigma2 = ssq / n;
    const value = 0.5 * (Math.log(sigma2) + f.sumLog / n);
    return Number.isFinite(value) ? { value, beta, sigma2, sumLog: f.sumLog } : null;
  };
  // The ARMA parameters are optimised on z = w − Xβ with β held at its GLS value, and β is then
  // re-estimated by GLS at the new ARMA parameters; this alternates until the likelihood stops
  // improving. β and the ARMA parameters are asymptotically orthogonal (the information matrix
  // is block diagonal), so one or two rounds reach the joint optimum, and each likelihood
  // evaluation filters one series instead of 1 + k.
  const singleSeries = (z: Float64Array) => {
    // Least-squares form of the concentrated likelihood: r_t = (v_t/√F_t)·(ΠF)^{1/2n}.
    const vector = (uu: number[]): Float64Array | null => {
      const { phi, theta } = unpack(uu, order);
      const f = filterArma([z], phi, theta);
      if (!f) return null;
      const e = f.innovations[0];
      const g = Math.exp(f.sumLog / (2 * n));
      for (let t = 0; t < n; t++) e[t] *= g;
      return e;
    };
    const objective = (uu: number[]): number => {
      const e = vector(uu);
      if (!e) return Infinity;
      let ssq = 0;
      for (let t = 0; t < n; t++) ssq += e[t] * e[t];
      return 0.5 * Math.log(ssq / n);
    };
    return { vector, objective };
  };
  const fast = options.mlRelTol !== undefined;
  let uml = fixedU ?? u.map((v) => Math.max(-CLAMP, Math.min(CLAMP, v)));
  let cur = mlEval(uml);
  if (!cur && !fixedU) {
    uml = uml.map(() => 0);
    cur = mlEval(uml);
  }
  if (!cur) return null;
  if (prep.narma > 0 && !fixedU) {
    for (let round = 0; round < 3; round++) {
      const z = Float64Array.from(prep.w);
      Xk.forEach((c, j) => {
        const b = cur!.beta[j];
        for (let t = 0; t < n; t++) z[t] -= b * c[t];
      });
      const { vector, objective } = singleSeries(z);
      const r = useLm ? levenbergMarquardt(vector, uml, { maxIter: fast ? (round === 0 ? 25 : 10) : 50, relTol: options.mlRelTol ?? 1e-10 }) : minimise(objective, uml, { maxIter: 100 });
      if (!Number.isFinite(r.value)) return null;
      converged = r.converged;
      const next = mlEval(r.x);
      if (!next) return null;
      const gain = cur.value - next.value;
      if (gain >= 0) {
        uml = r.x;
        cur = next;
      }
      if (Xk.length === 0 || gain * n < (fast ? 1e-4 : 1e-8)) break;
    }
  }
  const best = mlEval(uml);
  if (!best) return null;
  const parts = unpack(uml, order);
  const beta = new Array<number>(prep.Xd.length).fill(0);
  let j = 0;
  prep.kept.forEach((k, i) => {
    if (k) beta[i] = best.beta[j++];
  });
  const loglik = -0.5 * (n * Math.log(2 * Math.PI * best.sigma2) + best.sumLog + n);
  return finish(prep, parts, beta, best.sigma2, loglik, method, converged, nBeta);
}

function finish(
  prep: Prepared,
  parts: { ar: number[]; ma: number[]; sar: number[]; sma: number[]; phi: number[]; theta: number[] },
  beta: number[],
  sigma2: number,
  loglik: number,
  method: ArimaMethod,
  converged: boolean,
  nBeta: number,
): ArimaFit | null {
  const { y, X, diff, order } = prep;
  const N = y.length;
  const lag = diff.length - 1;
  const u = new Float64Array(N);
  for (let t = 0; t < N; t++) {
    let s = y[t];
    for (let j = 0; j < X.length; j++) if (beta[j] !== 0) s -= beta[j] * X[j][t];
    u[t] = s;
  }
  const wu = applyDifference(u, diff);
  const f = filterArma([wu], parts.phi, parts.theta);
  if (!f) return null;
  const residuals = new Array<number>(N).fill(NaN);
  const fitted = new Array<number>(N).fill(NaN);
  for (let t = lag; t < N; t++) {
    residuals[t] = f.innovations[0][t - lag];
    fitted[t] = y[t] - residuals[t];
  }
  const n = wu.length;
  const npar = prep.narma + nBeta + 1;
  const aic = -2 * loglik + 2 * npar;
  const aicc = n - npar - 1 > 0 ? aic + (2 * npar * (npar + 1)) / (n - npar - 1) : Infinity;
  const bic = aic + npar * (Math.log(n) - 2);
  return {
    order,
    design: prep.spec,
    coef: { ar: parts.ar, ma: parts.ma, sar: parts.sar, sma: parts.sma, xreg: beta },
    xregNames: designNames(prep.spec),
    sigma2,
    sigma2Forecast: n - npar + 1 > 0 ? (sigma2 * n) / (n - npar + 1) : sigma2,
    loglik,
    aic,
    aicc,
    bic,
    nobs: n,
    npar,
    method,
    converged,
    residuals,
    fitted,
    n: N,
    tail: Array.from(u.subarray(N - lag)),
    state: Array.from(f.finalState[0]),
  };
}

/**
 * True when the fitted AR and MA polynomials (seasonal parts multiplied in) have all roots at
 * modulus ≥ 1.01: forecast::auto.arima discards models closer to the unit circle than that
 * (Hyndman & Khandakar 2008, §3.2), since they forecast erratically.
 */
export function rootsWellInside(fit: ArimaFit, margin = 1.01): boolean {
  const { phi, theta } = expandSeasonal(fit.coef.ar, fit.coef.ma, fit.coef.sar, fit.coef.sma, fit.order.period);
  return arRootsOutside(phi, margin) && maRootsOutside(theta, margin);
}

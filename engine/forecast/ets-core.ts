/**
 * Numerics of the ETS innovations state-space models (Hyndman, Koehler, Ord & Snyder 2008,
 * "Forecasting with Exponential Smoothing", ch. 2, 5, 6; FPP3 ch. 8), written from the book's
 * equations in the error-free "update" form forecast::ets uses: the point recursions are the
 * same for additive and multiplicative errors, only the likelihood differs.
 *
 *   q  = l + φb              (trend forecast; φ = 1 for A, b = 0 for N)
 *   p  = y − s  | y / s      (seasonally adjusted observation; p = y when season N)
 *   l' = q + α(p − q)
 *   b' = φb + (β/α)(l' − l − φb)
 *   s' = s + γ(y − q − s)  | s + γ(y/q − s)
 *   f  = q + s | q·s | q     (one-step forecast), e = y − f (A) or (y − f)/f (M)
 *
 * Multiplicative trend is left out, as in forecast::ets by default.
 */
import { normalIntervals, levelKey } from './intervals.js';
import type { Prediction } from './types.js';
import { mulberry32 } from '../math/index.js';
import { quantile } from './stats.js';

export type ErrorType = 'A' | 'M';
export type TrendType = 'N' | 'A' | 'Ad';
export type SeasonType = 'N' | 'A' | 'M';

export interface EtsSpec {
  error: ErrorType;
  trend: TrendType;
  season: SeasonType;
  /** Seasonal period; 1 when season is N. */
  m: number;
}

/** Smoothing parameters and initial states; seasonal states by position t % m of the first cycle. */
export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  l0: number;
  b0: number;
  s0: number[];
}

export function etsName(spec: EtsSpec): string {
  return `ETS(${spec.error},${spec.trend},${spec.season})`;
}

export interface EtsRun {
  /** forecast::ets's criterion: n·log(Σe²) (+ 2Σlog|f| for multiplicative errors); NaN if the recursion breaks down. */
  lik: number;
  sse: number;
  fitted?: number[];
  residuals?: number[];
  /** Final states after the last observation. */
  l: number;
  b: number;
  s: Float64Array;
}

/**
 * Run the filter over y. `keep` also returns fitted values and innovations (costly for the
 * optimiser, so off by default). `s` is a scratch buffer of length m that the caller may reuse.
 */
export function etsFilter(y: readonly number[], spec: EtsSpec, p: EtsParams, keep = false, scratch?: Float64Array): EtsRun {
  const { trend, season, error } = spec;
  const m = season === 'N' ? 1 : spec.m;
  const s = scratch && scratch.length === m ? scratch : new Float64Array(m);
  if (season !== 'N') for (let j = 0; j < m; j++) s[j] = p.s0[j];
  const { alpha, gamma } = p;
  const phi = trend === 'Ad' ? p.phi : 1;
  const betaOverAlpha = trend === 'N' ? 0 : p.beta / alpha;
  let l = p.l0;
  let b = trend === 'N' ? 0 : p.b0;
  let sse = 0;
  let logf = 0;
  const n = y.length;
  const fitted = keep ? new Array<number>(n) : undefined;
  const residuals = keep ? new Array<number>(n) : undefined;
  for (let t = 0; t < n; t++) {
    const yt = y[t];
    const phib = phi * b;
    const q = l + phib;
    const j = t % m;
    const sv = season === 'N' ? 0 : s[j];
    let f: number;
    let pt: number;
    if (season === 'N') {
      f = q;
      pt = yt;
    } else if (season === 'A') {
      f = q + sv;
      pt = yt - sv;
    } else {
      f = q * sv;
      if (Math.abs(sv) < 1e-10) return broken(s);
      pt = yt / sv;
    }
    let e: number;
    if (error === 'A') e = yt - f;
    else {
      if (!(Math.abs(f) > 1e-10)) return broken(s);
      e = (yt - f) / f;
      logf += Math.log(Math.abs(f));
    }
    sse += e * e;
    if (keep) {
      fitted![t] = f;
      residuals![t] = e;
    }
    const lNew = q + alpha * (pt - q);
    if (trend !== 'N') b = phib + betaOverAlpha * (lNew - l - phib);
    if (season === 'A') s[j] = sv + gamma * (yt - q - sv);
    else if (season === 'M') {
      if (Math.abs(q) < 1e-10) return broken(s);
      s[j] = sv + gamma * (yt / q - sv);
    }
    l = lNew;
  }
  let lik = n * Math.log(sse);
  if (error === 'M') lik += 2 * logf;
  return { lik, sse, fitted, residuals, l, b, s };
}

function broken(s: Float64Array): EtsRun {
  return { lik: NaN, sse: NaN, l: NaN, b: NaN, s };
}

/** Final state after fitting, enough to forecast. */
export interface EtsState {
  spec: EtsSpec;
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  l: number;
  b: number;
  /** Seasonal states by position (t % m), length m (empty when season N). */
  s: number[];
  /** Number of observations the state has absorbed (positions continue from n). */
  n: number;
  /** Innovation variance (of relative errors for multiplicative-error models). */
  sigma2: number;
}

/** Point forecasts h steps ahead (Hyndman et al. 2008, Table 2.1). */
export function etsPointForecast(st: EtsState, h: number): number[] {
  const { spec, l, b } = st;
  const phi = spec.trend === 'Ad' ? st.phi : 1;
  const out: number[] = [];
  let phiSum = 0; // φ + φ² + … + φ^i
  let pw = 1;
  for (let i = 1; i <= h; i++) {
    pw *= phi;
    phiSum += spec.trend === 'N' ? 0 : pw;
    const q = l + phiSum * b;
    const sv = spec.season === 'N' ? 0 : st.s[(st.n + i - 1) % spec.m];
    out.push(spec.season === 'N' ? q : spec.season === 'A' ? q + sv : q * sv);
  }
  return out;
}

/** c_j = α + β·Σ_{i≤j}φ^i + γ·[j ≡ 0 mod m], the weight of an innovation j steps back. */
function cj(st: EtsState, j: number): number {
  const { spec } = st;
  let c = st.alpha;
  if (spec.trend === 'A') c += st.beta * j;
  else if (spec.trend === 'Ad') {
    let s = 0;
    let pw = 1;
    for (let i = 1; i <= j; i++) {
      pw *= st.phi;
      s += pw;
    }
    c += st.beta * s;
  }
  if (spec.season !== 'N' && j % spec.m === 0) c += st.gamma;
  return c;
}

/**
 * Forecast with intervals. Class 1 (additive error): exact Gaussian variance
 * σ²(1 + Σ_{j<h} c_j²). Class 2 (multiplicative error, no multiplicative season): the exact
 * moments of Hyndman et al. 2008 §6.3, θ_h = μ_h² + σ²Σ_{j<h} c_j² θ_{h−j}, v_h = (1+σ²)θ_h − μ_h²,
 * used with a normal approximation. Class 3 (multiplicative season): simulated sample paths with
 * a fixed seed, so predict stays a pure function of the state.
 */
export function etsPredict(st: EtsState, h: number, levels: number[]): Prediction {
  const mu = etsPointForecast(st, h);
  const { spec, sigma2 } = st;
  if (spec.season === 'M') return simulateIntervals(st, h, levels, mu);
  const c2: number[] = [0];
  for (let j = 1; j < h; j++) c2.push(cj(st, j) ** 2);
  const se: number[] = [];
  if (spec.error === 'A') {
    let acc = 1;
    for (let i = 1; i <= h; i++) {
      if (i > 1) acc += c2[i - 1];
      se.push(Math.sqrt(sigma2 * acc));
    }
  } else {
    const theta: number[] = [];
    for (let i = 1; i <= h; i++) {
      let th = mu[i - 1] ** 2;
      for (let j = 1; j < i; j++) th += sigma2 * c2[j] * theta[i - j - 1];
      theta.push(th);
      se.push(Math.sqrt(Math.max(0, (1 + sigma2) * th - mu[i - 1] ** 2)));
    }
  }
  return normalIntervals(mu, se, levels);
}

const PATHS = 2000;

function simulateIntervals(st: EtsState, h: number, levels: number[], mu: number[]): Prediction {
  // Fixed seed so simulated intervals are reproducible (predict stays a pure function).
  const u = mulberry32(20110901);
  const gauss = () => {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    return r * Math.cos(2 * Math.PI * u());
  };
  const sd = Math.sqrt(st.sigma2);
  const paths: number[][] = Array.from({ length: h }, () => new Array<number>(PATHS));
  const { spec } = st;
  const phi = spec.trend === 'Ad' ? st.phi : 1;
  for (let k = 0; k < PATHS; k++) {
    let l = st.l;
    let b = st.b;
    const s = st.s.slice();
    for (let i = 0; i < h; i++) {
      const phib = spec.trend === 'N' ? 0 : phi * b;
      const q = l + phib;
      const j = (st.n + i) % spec.m;
      const sv = s[j];
      const f = q * sv;
      const e = sd * gauss();
      const yv = spec.error === 'A' ? f + e : f * (1 + e);
      paths[i][k] = yv;
      const lNew = q + st.alpha * (yv / sv - q);
      if (spec.trend !== 'N') b = phib + (st.beta / st.alpha) * (lNew - l - phib);
      s[j] = sv + st.gamma * (yv / q - sv);
      l = lNew;
    }
  }
  const lo: Record<string, number[]> = {};
  const hi: Record<string, number[]> = {};
  const sorted = paths.map((p) => p.sort((a, b) => a - b));
  for (const level of levels) {
    const a = (100 - level) / 200;
    lo[levelKey(level)] = sorted.map((p, i) => Math.min(mu[i], quantile(p, a)));
    hi[levelKey(level)] = sorted.map((p, i) => Math.max(mu[i], quantile(p, 1 - a)));
  }
  return { mean: mu, lo, hi };
}

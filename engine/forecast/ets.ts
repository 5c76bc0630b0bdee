/**
 * Automatic ETS, following Hyndman's forecast::ets (Hyndman, Koehler, Snyder & Grose 2002;
 * Hyndman et al. 2008; FPP3 §8.6): every admissible combination of error A/M, trend N/A/Ad and
 * season N/A/M is fitted by maximum likelihood (Nelder–Mead over smoothing parameters and
 * initial states) and the lowest AICc wins. As in forecast::ets: multiplicative trend and
 * ETS(A,*,M) are excluded, multiplicative components need strictly positive data, parameters
 * stay in the "usual" region (1e-4 ≤ β ≤ α ≤ 0.9999, γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98; the extra
 * admissibility check of bounds = "both" is not applied), and initial states start from the
 * same heuristics before being optimised.
 *
 * Long seasonal periods: forecast::ets ignores seasonality above 24 (a state per week of the
 * year is too many parameters). Here, for m > 24, the series is tested for seasonality with
 * thetaf's 90% ACF test and, if seasonal, divided by classical multiplicative seasonal indices;
 * non-seasonal ETS is fitted to the adjusted series and its forecasts and bounds are multiplied
 * back (the same adjustment thetaf uses; Makridakis et al.'s M4 benchmarks do the same).
 * The seasonal indices are treated as known, so intervals omit their estimation error.
 */
import type { FittedModel, Forecaster } from './types.js';
import { ForecastInputError } from './types.js';
import {
  etsFilter,
  etsName,
  etsPredict,
  type EtsParams,
  type EtsSpec,
  type EtsState,
  type SeasonType,
  type TrendType,
  type ErrorType,
} from './ets-core.js';
import { nelderMead, toInterval, fromInterval } from '../math/index.js';
import { multiplicativeIndices, seasonalAdjustment, deseasonalise, futureIndex } from './seasonal.js';
import { mapPrediction } from './intervals.js';
import { profileLik } from './ets-profile.js';

/** Largest period given its own seasonal states (forecast::ets's limit). */
export const MAX_ETS_SEASON = 24;

const A_LO = 1e-4;
const A_HI = 0.9999;
const PHI_LO = 0.8;
const PHI_HI = 0.98;

export interface EtsFit {
  spec: EtsSpec;
  params: EtsParams;
  state: EtsState;
  lik: number;
  aicc: number;
  /** Free parameters (smoothing + initial states), without σ. */
  k: number;
  fitted: number[];
}

/** forecast::ets's starting states: regression on the first max(10, 2m) (adjusted) points. */
function initialStates(y: readonly number[], spec: EtsSpec): { l0: number; b0: number; s0: number[] } {
  const n = y.length;
  const m = spec.season === 'N' ? 1 : spec.m;
  let s0: number[] = [];
  let ysa: number[] = [...y];
  if (spec.season !== 'N') {
    const k = Math.min(n, 3 * m);
    const head = y.slice(0, k);
    if (spec.season === 'M') {
      s0 = multiplicativeIndices(head, m).map((v) => Math.max(v, 1e-2));
      ysa = y.map((v, t) => v / s0[t % m]);
    } else {
      const idx = additiveIndices(head, m);
      s0 = idx;
      ysa = y.map((v, t) => v - s0[t % m]);
    }
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  if (spec.trend === 'N') {
    let s = 0;
    for (let t = 0; t < maxn; t++) s += ysa[t];
    return { l0: s / maxn, b0: 0, s0 };
  }
  // Least squares on t = 1..maxn.
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let t = 0; t < maxn; t++) {
    const x = t + 1;
    sx += x;
    sy += ysa[t];
    sxx += x * x;
    sxy += x * ysa[t];
  }
  const slope = (maxn * sxy - sx * sy) / (maxn * sxx - sx * sx);
  let l0 = (sy - slope * sx) / maxn;
  let b0 = slope;
  if (Math.abs(l0 + b0) < 1e-8) {
    l0 *= 1 + 1e-3;
    b0 *= 1 + 1e-3;
  }
  return { l0, b0, s0 };
}

/** Additive classical-decomposition indices (mean 0), R's decompose(type = "additive"). */
function additiveIndices(y: readonly number[], m: number): number[] {
  const half = Math.floor(m / 2);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  for (let t = half; t < y.length - half; t++) {
    let s = 0;
    if (m % 2 === 0) {
      s = 0.5 * (y[t - half] + y[t + half]);
      for (let k = t - half + 1; k < t + half; k++) s += y[k];
    } else for (let k = t - half; k <= t + half; k++) s += y[k];
    sums[t % m] += y[t] - s / m;
    counts[t % m]++;
  }
  const raw = sums.map((s, i) => (counts[i] ? s / counts[i] : 0));
  const avg = raw.reduce((a, b) => a + b, 0) / m;
  return raw.map((v) => v - avg);
}

/** Fit one ETS specification by maximum likelihood. Returns undefined if no finite fit exists. */
export function fitEtsSpec(y: readonly number[], spec: EtsSpec, warm?: EtsParams): EtsFit | undefined {
  const n = y.length;
  const m = spec.season === 'N' ? 1 : spec.m;
  const init = initialStates(y, spec);
  const hasB = spec.trend !== 'N';
  const hasPhi = spec.trend === 'Ad';
  const hasS = spec.season !== 'N';

  // Scale of the state coordinates for the optimiser: typical one-step change of the series.
  let mad = 0;
  for (let t = 1; t < n; t++) mad += Math.abs(y[t] - y[t - 1]);
  mad = mad / Math.max(1, n - 1) || Math.abs(init.l0) * 0.01 || 1;

  const alpha0 = A_LO + (0.2 * (A_HI - A_LO)) / m;
  const beta0 = Math.min(0.1, alpha0 / 2);
  const gamma0 = Math.min(0.05, (1 - alpha0) / 2);
  const phi0 = 0.95;

  const x0: number[] = [fromInterval(alpha0, A_LO, A_HI)];
  const step: number[] = [1];
  if (hasB) {
    x0.push(fromInterval(beta0, A_LO, alpha0));
    step.push(1);
  }
  if (hasS) {
    x0.push(fromInterval(gamma0, A_LO, 1 - alpha0));
    step.push(1);
  }
  if (hasPhi) {
    x0.push(fromInterval(phi0, PHI_LO, PHI_HI));
    step.push(1);
  }
  const iState = x0.length;
  x0.push(0);
  step.push(1);
  if (hasB) {
    x0.push(0);
    step.push(0.2);
  }
  const sScale = spec.season === 'M' ? 0.05 : mad;
  if (hasS) {
    for (let j = 0; j < m - 1; j++) {
      x0.push(0);
      step.push(0.5);
    }
  }

  const sBuf = new Float64Array(m);
  const decode = (x: number[]): EtsParams => {
    let i = 0;
    const alpha = toInterval(x[i++], A_LO, A_HI);
    const beta = hasB ? toInterval(x[i++], A_LO, alpha) : 0;
    const gamma = hasS ? toInterval(x[i++], A_LO, 1 - alpha) : 0;
    const phi = hasPhi ? toInterval(x[i++], PHI_LO, PHI_HI) : 1;
    i = iState;
    const l0 = init.l0 + mad * x[i++];
    const b0 = hasB ? init.b0 + mad * x[i++] : 0;
    let s0: number[] = [];
    if (hasS) {
      s0 = new Array<number>(m);
      let sum = 0;
      for (let j = 0; j < m - 1; j++) {
        s0[j] = init.s0[j] + sScale * x[i++];
        sum += s0[j];
      }
      s0[m - 1] = spec.season === 'M' ? m - sum : -sum;
    }
    return { alpha, beta, gamma, phi, l0, b0, s0 };
  };
  const objective = (x: number[]): number => {
    const p = decode(x);
    if (spec.season === 'M' && p.s0.some((v) => v <= 1e-3)) return Infinity;
    return etsFilter(y, spec, p, false, sBuf).lik;
  };
  const k = x0.length;
  if (!hasS) {
    const start = warm
      ? { alpha0: warm.alpha, beta0: warm.beta || beta0, phi0: warm.phi < 1 ? warm.phi : phi0, warm: true }
      : { alpha0, beta0, phi0 };
    return fitProfiled(y, spec, start, k);
  }
  const maxEval = 300 * k;
  let res = nelderMead(objective, x0, { step, reltol: 1e-8, maxEval });
  // Restarts from the optimum with a fresh simplex: in ~15 dimensions Nelder–Mead often
  // collapses early, and a restart is the classical remedy (O'Neill 1971; R's ets gets away with
  // a single run by using maxit = 2000). Stop once a restart no longer improves.
  for (let r = 0; r < 6; r++) {
    const next = nelderMead(objective, res.x, { step: step.map((s) => s / 2), reltol: 1e-8, maxEval });
    const gain = res.f - next.f;
    res = next.f < res.f ? next : res;
    if (!(gain > 1e-6 * Math.abs(res.f))) break;
  }
  if (!Number.isFinite(res.f) || res.f >= Number.MAX_VALUE) return undefined;
  return finish(y, spec, decode(res.x), k);
}

/**
 * Non-seasonal specs: search only α, β, φ; the initial states are concentrated out
 * (ets-profile.ts). R's ets searches them jointly; the optimum is the same for additive errors.
 */
function fitProfiled(
  y: readonly number[],
  spec: EtsSpec,
  start: { alpha0: number; beta0: number; phi0: number; warm?: boolean },
  k: number,
): EtsFit | undefined {
  const hasB = spec.trend !== 'N';
  const hasPhi = spec.trend === 'Ad';
  const decode = (x: number[]) => {
    const alpha = toInterval(x[0], A_LO, A_HI);
    const beta = hasB ? toInterval(x[1], A_LO, alpha) : 0;
    const phi = hasPhi ? toInterval(x[2], PHI_LO, PHI_HI) : 1;
    return { alpha, beta, phi };
  };
  const objective = (x: number[]) => {
    const { alpha, beta, phi } = decode(x);
    return profileLik(y, spec.error, spec.trend, alpha, beta, phi).lik;
  };
  const x0 = [fromInterval(start.alpha0, A_LO, A_HI)];
  if (hasB) x0.push(fromInterval(Math.min(start.beta0, start.alpha0 * 0.999), A_LO, start.alpha0));
  if (hasPhi) x0.push(fromInterval(start.phi0, PHI_LO, PHI_HI));
  // A warm start (the additive-error optimum for a multiplicative-error spec) needs a smaller simplex.
  const step = x0.map(() => (start.warm ? 0.3 : 1));
  let res = nelderMead(objective, x0, { step, reltol: 1e-8, maxEval: 100 * x0.length });
  res = nelderMead(objective, res.x, { step: step.map((v) => v / 4), reltol: 1e-8, maxEval: 40 * x0.length });
  if (!Number.isFinite(res.f) || res.f >= Number.MAX_VALUE) return undefined;
  const { alpha, beta, phi } = decode(res.x);
  const { l0, b0 } = profileLik(y, spec.error, spec.trend, alpha, beta, phi);
  return finish(y, spec, { alpha, beta, gamma: 0, phi, l0, b0, s0: [] }, k);
}

function finish(y: readonly number[], spec: EtsSpec, params: EtsParams, k: number): EtsFit | undefined {
  const n = y.length;
  const hasS = spec.season !== 'N';
  const run = etsFilter(y, spec, params, true);
  if (!Number.isFinite(run.lik)) return undefined;
  const np = k + 1; // + σ
  const aic = run.lik + 2 * np;
  const aicc = aic + (2 * np * (np + 1)) / (n - np - 1);
  const sigma2 = run.sse / Math.max(1, n - k);
  const state: EtsState = {
    spec,
    alpha: params.alpha,
    beta: params.beta,
    gamma: params.gamma,
    phi: params.phi,
    l: run.l,
    b: run.b,
    s: hasS ? Array.from(run.s) : [],
    n,
    sigma2,
  };
  return { spec, params, state, lik: run.lik, aicc, k, fitted: run.fitted! };
}

/** The candidate specifications forecast::ets considers for these data. */
export function candidateSpecs(y: readonly number[], m: number): EtsSpec[] {
  const positive = y.every((v) => v > 0);
  const errors: ErrorType[] = positive ? ['A', 'M'] : ['A'];
  const trends: TrendType[] = ['N', 'A', 'Ad'];
  const seasonal = m > 1 && m <= MAX_ETS_SEASON && y.length >= 2 * m;
  const seasons: SeasonType[] = seasonal ? (positive ? ['N', 'A', 'M'] : ['N', 'A']) : ['N'];
  const out: EtsSpec[] = [];
  for (const error of errors)
    for (const trend of trends)
      for (const season of seasons) {
        if (error === 'A' && season === 'M') continue; // numerically unstable, excluded by forecast::ets
        const k = 1 + (trend !== 'N' ? 2 : 0) + (trend === 'Ad' ? 1 : 0) + (season !== 'N' ? m : 0) + 1;
        if (y.length <= k + 4) continue; // too few points for this many parameters
        out.push({ error, trend, season, m: season === 'N' ? 1 : m });
      }
  return out;
}

/** Fit every candidate and keep the lowest AICc. */
export function autoEtsFit(y: readonly number[], m: number, specs = candidateSpecs(y, m)): EtsFit {
  let best: EtsFit | undefined;
  // Additive-error fits first: their optimum starts the multiplicative-error search of the
  // same trend/season (the point recursions are identical, only the likelihood differs).
  const ordered = [...specs].sort((a, b) => (a.error === b.error ? 0 : a.error === 'A' ? -1 : 1));
  const additive = new Map<string, EtsParams>();
  for (const spec of ordered) {
    const key = `${spec.trend}${spec.season}`;
    const fit = fitEtsSpec(y, spec, spec.error === 'M' ? additive.get(key) : undefined);
    if (fit && spec.error === 'A') additive.set(key, fit.params);
    if (fit && (!best || fit.aicc < best.aicc)) best = fit;
  }
  if (!best) throw new ForecastInputError('no ETS model could be fitted to this series');
  return best;
}

function fittedModel(fit: EtsFit, adj?: { m: number; index: number[] }): FittedModel {
  const st = fit.state;
  const name = adj ? `SA(${adj.m})+${etsName(fit.spec)}` : etsName(fit.spec);
  const params: FittedModel['params'] = {
    error: fit.spec.error,
    trend: fit.spec.trend,
    season: fit.spec.season,
    alpha: st.alpha,
    sigma2: st.sigma2,
    aicc: fit.aicc,
    level: st.l,
  };
  if (fit.spec.trend !== 'N') {
    params.beta = st.beta;
    params.slope = st.b;
  }
  if (fit.spec.trend === 'Ad') params.phi = st.phi;
  if (fit.spec.season !== 'N') {
    params.gamma = st.gamma;
    params.seasonalStates = st.s;
  }
  if (adj) params.seasonalIndex = adj.index;
  const n = st.n;
  const fitted = adj ? fit.fitted.map((v, t) => v * adj.index[t % adj.m]) : fit.fitted;
  return {
    name,
    params,
    fitted,
    aicc: fit.aicc,
    predict: (h, levels) => {
      const p = etsPredict(st, h, levels);
      if (!adj) return p;
      const idx = futureIndex(adj, n, h);
      return mapPrediction(p, (v, i) => v * idx[i]);
    },
  };
}

/**
 * Fit automatic ETS with forecast::ets's model space; for m > 24 behind a multiplicative
 * seasonal adjustment (see the module comment). `specs` restricts the model space.
 */
export function fitEts(y: number[], season: number, specs?: EtsSpec[]): FittedModel {
  if (y.length < 3) throw new ForecastInputError('ETS needs at least 3 observations');
  if (season > MAX_ETS_SEASON) return fitAdjustedEts(y, season, specs);
  return fittedModel(autoEtsFit(y, season, specs));
}

/**
 * Non-seasonal ETS (AICc over `specs`, default every non-seasonal form) on the series divided
 * by classical multiplicative seasonal indices, when thetaf's test finds seasonality; what
 * fitEts does for m > 24 at any m. It costs a few non-seasonal fits instead of m + 1 seasonal
 * states per model, which is what makes it usable inside the automatic selection at m = 12.
 */
export function fitAdjustedEts(y: number[], season: number, specs?: EtsSpec[]): FittedModel {
  if (y.length < 3) throw new ForecastInputError('ETS needs at least 3 observations');
  const adj = season > 1 ? seasonalAdjustment(y, season) : undefined;
  const x = adj ? deseasonalise(y, adj) : y;
  return fittedModel(autoEtsFit(x, 1, specs), adj);
}

export const ets: Forecaster = {
  name: 'ets',
  fit: (y, { season }) => fitEts(y, season),
};

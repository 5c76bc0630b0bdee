/**
 * Stepwise order search of Hyndman & Khandakar (2008), "Automatic time series forecasting: the
 * forecast package for R", JSS 27(3), §3.2, with the move set and defaults of
 * forecast::auto.arima (max p, q = 5; max P, Q = 2; start (2,d,2)(1,D,1); at most 94 models).
 *
 * With `approximation` (R's default for n > 150 or m > 12) candidates are ranked on their CSS
 * likelihood, and only the winner is re-estimated by exact ML; if it fails or lands near the unit
 * circle the next best is tried.
 */
import { fitArimaModel, rootsWellInside, type ArimaFit, type FitCache } from './fit.js';

export interface SearchOptions {
  d: number;
  D: number;
  period: number;
  xreg?: number[][];
  fourier?: { K: number; period: number };
  maxP?: number;
  maxQ?: number;
  maxSP?: number;
  maxSQ?: number;
  allowDrift?: boolean;
  allowMean?: boolean;
  approximation: boolean;
  maxModels?: number;
  /** Ranked candidates shared with other searches on the same series and regressors. */
  memo?: Map<string, Candidate>;
  /** Cache shared with other searches on the same series and regressors. */
  cache?: FitCache;
  /**
   * Stopping tolerance of the CSS fits that rank candidates, in log-likelihood units (default
   * 0.02; AICc differences that decide the search are rarely that small).
   */
  searchTolerance?: number;
  /** Rank candidates on the last this-many observations (approximation only). */
  searchWindow?: number;
  /** Start the search from this order instead of (2,d,2)(1,D,1). */
  start?: { p: number; q: number; constant: boolean };
  /** With approximation: return the best CSS fit without the final ML re-estimation. */
  skipRefit?: boolean;
}

export interface Candidate {
  p: number;
  q: number;
  P: number;
  Q: number;
  constant: boolean;
  ic: number;
  fit: ArimaFit | null;
}

export function stepwiseSearch(y: readonly number[], o: SearchOptions): ArimaFit | null {
  const n = y.length;
  const m = o.period;
  const seasonal = m > 1;
  const maxP = Math.min(o.maxP ?? 5, Math.floor(n / 3));
  const maxQ = Math.min(o.maxQ ?? 5, Math.floor(n / 3));
  const maxSP = seasonal ? Math.min(o.maxSP ?? 2, Math.floor(n / (3 * m))) : 0;
  const maxSQ = seasonal ? Math.min(o.maxSQ ?? 2, Math.floor(n / (3 * m))) : 0;
  const maxModels = o.maxModels ?? 94;
  const dd = o.d + o.D;
  const allowDrift = (o.allowDrift ?? true) && dd === 1;
  const allowMean = (o.allowMean ?? true) && dd === 0;
  let constant = allowDrift || allowMean;

  // Candidates by order; a memo shared between searches on the same series skips refitting
  // models another search already ranked (keys carry d, K and the window).
  const memo = o.memo ?? new Map<string, Candidate>();
  const prefix = `${o.d},${o.D}|${o.fourier?.K ?? 0}|${o.approximation && o.searchWindow ? o.searchWindow : 0}|`;
  const tried = new Map<string, Candidate>();
  const cache: FitCache = o.cache ?? new Map();
  const key = (p: number, q: number, P: number, Q: number, c: boolean): string => `${p},${q},${P},${Q},${c ? 1 : 0}`;
  // With approximation, candidates are ranked on the last `searchWindow` observations only (as
  // auto.arima's `truncate`); the winner is re-estimated by ML on the whole series.
  const window = o.approximation && o.searchWindow && n > o.searchWindow ? o.searchWindow : n;
  const ySearch = window < n ? y.slice(n - window) : y;
  const xSearch = window < n && o.xreg ? o.xreg.slice(n - window) : o.xreg;
  const fitOne = (p: number, q: number, P: number, Q: number, c: boolean, method: 'CSS' | 'CSS-ML', start?: ArimaFit['coef']): ArimaFit | null => {
    const full = method !== 'CSS';
    const fit = fitArimaModel(full ? y : ySearch, { p, d: o.d, q, P, D: o.D, Q, period: m }, {
      xreg: full ? o.xreg : xSearch,
      fourier: o.fourier,
      includeMean: c && dd === 0,
      includeDrift: c && dd === 1,
      method,
      cache: full ? undefined : cache,
      relTol: full ? (o.approximation ? 2e-3 / n : undefined) : (o.searchTolerance ?? 2e-2) / window,
      mlRelTol: full && o.approximation ? 2e-4 / n : undefined,
      estimationWindow: full && o.approximation ? o.searchWindow : undefined,
      start,
    });
    if (!fit || !Number.isFinite(fit.aicc) || !rootsWellInside(fit)) return null;
    return fit;
  };
  const searchMethod = o.approximation ? 'CSS' : 'CSS-ML';
  const consider = (p: number, q: number, P: number, Q: number, c: boolean): Candidate | undefined => {
    const k = key(p, q, P, Q, c);
    if (tried.has(k)) return undefined;
    const known = memo.get(prefix + k);
    if (known) {
      tried.set(k, known);
      return known;
    }
    if (tried.size >= maxModels) return undefined;
    const fit = fitOne(p, q, P, Q, c, searchMethod);
    const cand: Candidate = { p, q, P, Q, constant: c, ic: fit ? fit.aicc : Infinity, fit };
    tried.set(k, cand);
    memo.set(prefix + k, cand);
    return cand;
  };

  if (o.start) constant = o.start.constant && (allowDrift || allowMean);
  let p = Math.min(o.start?.p ?? 2, maxP);
  let q = Math.min(o.start?.q ?? 2, maxQ);
  let P = Math.min(1, maxSP);
  let Q = Math.min(1, maxSQ);
  let best: Candidate = consider(p, q, P, Q, constant) ?? { p, q, P, Q, constant, ic: Infinity, fit: null };
  const accept = (c: Candidate | undefined): boolean => {
    if (c && c.ic < best.ic) {
      best = c;
      p = c.p;
      q = c.q;
      P = c.P;
      Q = c.Q;
      constant = c.constant;
      return true;
    }
    return false;
  };
  if (!o.start) {
    accept(consider(0, 0, 0, 0, constant));
    if (maxP > 0 || maxSP > 0) accept(consider(maxP > 0 ? 1 : 0, 0, maxSP > 0 ? 1 : 0, 0, constant));
    if (maxQ > 0 || maxSQ > 0) accept(consider(0, maxQ > 0 ? 1 : 0, 0, maxSQ > 0 ? 1 : 0, constant));
    if (constant) accept(consider(0, 0, 0, 0, false));
  }

  // Neighbourhood moves in auto.arima's order; restart from the top after every improvement.
  const moves: [number, number, number, number][] = [
    [0, 0, -1, 0], [0, 0, 0, -1], [0, 0, 1, 0], [0, 0, 0, 1],
    [0, 0, -1, -1], [0, 0, -1, 1], [0, 0, 1, -1], [0, 0, 1, 1],
    [-1, 0, 0, 0], [0, -1, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0],
    [-1, -1, 0, 0], [-1, 1, 0, 0], [1, -1, 0, 0], [1, 1, 0, 0],
  ];
  let improved = true;
  while (improved && tried.size < maxModels) {
    improved = false;
    for (const [dp, dq, dP, dQ] of moves) {
      const np = p + dp;
      const nq = q + dq;
      const nP = P + dP;
      const nQ = Q + dQ;
      if (np < 0 || nq < 0 || nP < 0 || nQ < 0 || np > maxP || nq > maxQ || nP > maxSP || nQ > maxSQ) continue;
      if (accept(consider(np, nq, nP, nQ, constant))) {
        improved = true;
        break;
      }
    }
    if (!improved && (allowDrift || allowMean) && accept(consider(p, q, P, Q, !constant))) improved = true;
  }

  if (!o.approximation || o.skipRefit) return best.fit;
  // Re-estimate by exact ML, best CSS candidate first.
  const ranked = [...tried.values()].filter((c) => Number.isFinite(c.ic)).sort((a, b) => a.ic - b.ic);
  for (const c of ranked.slice(0, 2)) {
    const fit = fitOne(c.p, c.q, c.P, c.Q, c.constant, 'CSS-ML', c.fit?.coef);
    if (fit) return fit;
  }
  return null;
}

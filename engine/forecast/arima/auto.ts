/**
 * Automatic ARIMA (forecast::auto.arima; Hyndman & Khandakar 2008) with a fast path for long
 * seasonal periods: for m > `maxSeasonalPeriod` (e.g. weekly data, m = 52) no seasonal ARIMA is
 * attempted; yearly seasonality is carried by K Fourier harmonic pairs as regressors and a
 * non-seasonal ARIMA error, K chosen by AICc — R's `auto.arima(y, xreg = fourier(y, K),
 * seasonal = FALSE)` loop ("dynamic harmonic regression", Hyndman & Athanasopoulos, FPP3 §10.5).
 */
import { ForecastInputError } from '../types.js';
import { EMPTY_DESIGN } from './design.js';
import { fitArimaModel, rootsWellInside, type ArimaFit, type FitCache } from './fit.js';
import { fourierColumns, maxHarmonics } from './fourier.js';
import { leastSquares } from './linalg.js';
import { isConstant, ndiffs, nsdiffs } from './unitroot.js';
import { stepwiseSearch, type Candidate } from './stepwise.js';

export interface AutoArimaOptions {
  /** Seasonal period (1 = none). */
  season: number;
  /** Regressors, one row per observation. */
  xreg?: number[][];
  /** Largest period handled by seasonal ARIMA; longer periods use Fourier terms. Default 24. */
  maxSeasonalPeriod?: number;
  /** Largest number of Fourier pairs tried for long periods. Default 10. */
  maxK?: number;
  /** Rank candidates by CSS during the search (default as R: n > 150 or m > 12). */
  approximation?: boolean;
  /**
   * Period of the Fourier terms for long seasons. Default: the season, except 52 → 365.25/7,
   * the mean year length in weeks, so that yearly patterns stay aligned over decades of weekly
   * data (a 52-week period drifts by a week every ~5.6 years; Hyndman & Athanasopoulos FPP3 §12.1).
   */
  fourierPeriod?: number;
  /**
   * For long seasonal periods, rank candidate models on the last this-many observations (the
   * chosen model is then estimated on the whole series). Default 10 years of the period (520 for
   * weekly data): recent behaviour matters most for the forecast, and the search gets cheaper.
   */
  searchWindow?: number;
  /**
   * Tolerance of the CSS fits that rank candidates, in log-likelihood units (default 0.02).
   * 1e-4 buys slightly better model choices for about 25% more time.
   */
  searchTolerance?: number;
  /** Run a full stepwise search for every K (R's loop) instead of the staged search. */
  exhaustiveK?: boolean;
}

export function validateSeries(y: readonly number[], xreg?: readonly number[][]): void {
  if (!Array.isArray(y) || y.length === 0) throw new ForecastInputError('series is empty');
  const bad = y.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
  if (bad >= 0) throw new ForecastInputError(`series has a non-finite value at index ${bad}`);
  if (xreg) {
    if (xreg.length !== y.length) throw new ForecastInputError(`xreg has ${xreg.length} rows, series has ${y.length} observations`);
    const k = xreg[0]?.length ?? 0;
    xreg.forEach((row, i) => {
      if (row.length !== k || row.some((v) => !Number.isFinite(v))) {
        throw new ForecastInputError(`xreg row ${i} must hold ${k} finite numbers`);
      }
    });
  }
}

/** Residuals of an OLS regression of y on an intercept and the given columns (R: residuals(lm(y ~ xreg))). */
function regressionResiduals(y: readonly number[], cols: Float64Array[]): Float64Array {
  if (cols.length === 0) return Float64Array.from(y);
  const all = [new Float64Array(y.length).fill(1), ...cols];
  const { beta } = leastSquares(all, y);
  const r = Float64Array.from(y);
  for (let j = 0; j < all.length; j++) for (let t = 0; t < y.length; t++) r[t] -= beta[j] * all[j][t];
  return r;
}

function userColumns(xreg: readonly number[][] | undefined, n: number): Float64Array[] {
  if (!xreg || xreg.length === 0 || xreg[0].length === 0) return [];
  return Array.from({ length: xreg[0].length }, (_, j) => Float64Array.from({ length: n }, (_, t) => xreg[t][j]));
}

/** A degenerate fit for a constant series: mean model with zero variance. */
function constantFit(y: readonly number[]): ArimaFit {
  const n = y.length;
  return {
    order: { p: 0, d: 0, q: 0, P: 0, D: 0, Q: 0, period: 1 },
    design: { ...EMPTY_DESIGN, intercept: true },
    coef: { ar: [], ma: [], sar: [], sma: [], xreg: [y[0]] },
    xregNames: ['intercept'],
    sigma2: 0,
    sigma2Forecast: 0,
    loglik: Infinity,
    aic: -Infinity,
    aicc: -Infinity,
    bic: -Infinity,
    nobs: n,
    npar: 2,
    method: 'CSS-ML',
    converged: true,
    residuals: new Array<number>(n).fill(0),
    fitted: y.slice(),
    n,
    tail: [],
    state: [0],
  };
}

export function autoArimaFit(y: readonly number[], options: AutoArimaOptions): ArimaFit {
  validateSeries(y, options.xreg);
  const n = y.length;
  const xreg = options.xreg && options.xreg.length > 0 && options.xreg[0].length > 0 ? options.xreg : undefined;
  if (isConstant(y) && !xreg) return constantFit(y);
  const m = options.season > 1 ? options.season : 1;
  const maxSeasonal = options.maxSeasonalPeriod ?? 24;
  const approx = (mm: number): boolean => options.approximation ?? (n > 150 || mm > 12);
  const ucols = userColumns(xreg, n);

  if (m > maxSeasonal && n >= 2 * m) {
    // Long period: Fourier terms + non-seasonal ARIMA errors, K by AICc.
    const fp = options.fourierPeriod ?? (m === 52 ? 365.25 / 7 : m);
    const maxK = Math.min(options.maxK ?? 10, maxHarmonics(fp), Math.floor((n - 10) / 4));
    const fourierFor = (K: number): { K: number; period: number } | undefined => (K > 0 ? { K, period: fp } : undefined);
    const dFor = (K: number): number => ndiffs(regressionResiduals(y, [...(K > 0 ? fourierColumns(fp, K, 0, n) : []), ...ucols]));
    let best: ArimaFit | null = null;
    if (options.exhaustiveK) {
      // R's loop: a full stepwise search for every K (slow: maxK + 1 searches).
      for (let K = 0; K <= maxK; K++) {
        const fit = stepwiseSearch(y, { d: dFor(K), D: 0, period: 1, xreg, fourier: fourierFor(K), approximation: approx(m) });
        if (fit && (!best || fit.aicc < best.aicc)) best = fit;
      }
    } else {
      // Staged search: (A) ARMA order by stepwise search without harmonics; (B) K by the CSS
      // AICc of that order with K harmonics (one cheap fit per K); (C) stepwise search again at
      // the chosen K. Three searches' worth of work instead of maxK + 1.
      const d0 = dFor(0);
      const cache: FitCache = new Map();
      const memo = new Map<string, Candidate>();
      const searchWindow = options.searchWindow ?? Math.round(10 * m);
      const base = stepwiseSearch(y, { d: d0, D: 0, period: 1, xreg, approximation: true, skipRefit: true, cache, searchWindow, memo, searchTolerance: options.searchTolerance });
      let bestK = 0;
      let start: { p: number; q: number; constant: boolean } | undefined;
      if (base) {
        const { p, q } = base.order;
        const constant = base.design.intercept || base.design.drift;
        start = { p, q, constant };
        let bestIc = Infinity;
        let worse = 0;
        for (let K = 0; K <= maxK; K++) {
          // Harmonics rarely change the differencing order, so K is ranked at d0; the KPSS test is
          // repeated for the chosen K before the final search (saves one regression per K).
          const d = d0;
          const tail = n > searchWindow ? n - searchWindow : 0;
          const fit = fitArimaModel(y.slice(tail), { p, d, q }, {
            xreg: xreg?.slice(tail),
            relTol: (options.searchTolerance ?? 2e-2) / Math.min(n, searchWindow),
            fourier: fourierFor(K),
            includeMean: constant && d === 0,
            includeDrift: constant && d === 1,
            method: 'CSS',
            cache,
          });
          const ic = fit ? fit.aicc : Infinity;
          if (ic < bestIc) {
            bestIc = ic;
            bestK = K;
            worse = 0;
          } else if (++worse >= 3) break;
        }
      }
      best = stepwiseSearch(y, { d: dFor(bestK), D: 0, period: 1, xreg, fourier: fourierFor(bestK), approximation: approx(m), start, cache, searchWindow, memo, searchTolerance: options.searchTolerance });
      // Every refit landed on the unit circle: fall back to the base order with K, then without.
      for (const K of [bestK, 0]) {
        if (best || !base) break;
        const { p, d, q } = base.order;
        const fit = fitArimaModel(y, { p, d: K === 0 ? d : dFor(K), q }, { xreg, fourier: fourierFor(K), includeMean: base.design.intercept, includeDrift: base.design.drift, mlRelTol: 2e-4 / n });
        if (fit && rootsWellInside(fit)) best = fit;
      }
    }
    if (best) return best;
  }

  let period = 1;
  let D = 0;
  const xres = regressionResiduals(y, ucols);
  if (m > 1 && m <= maxSeasonal && Number.isInteger(m) && n > 2 * m) {
    period = m;
    D = nsdiffs(xres, m);
  }
  let dx: ArrayLike<number> = xres;
  if (D > 0) dx = Float64Array.from({ length: n - period }, (_, t) => xres[t + period] - xres[t]);
  const d = Math.min(ndiffs(dx), 2 - D);
  const fit = stepwiseSearch(y, { d, D, period, xreg, approximation: approx(period) });
  if (fit) return fit;
  // Last resort, never NaN: a random walk (or white noise around the mean for short series).
  const fallback = fitArimaModel(y, { p: 0, d: n > 2 ? 1 : 0, q: 0 }, { xreg, method: 'CSS-ML' });
  if (fallback) return fallback;
  throw new ForecastInputError(`no ARIMA model could be estimated for this series (n = ${n})`);
}

/** Human-readable model name in forecast::auto.arima's style. */
export function arimaName(fit: ArimaFit): string {
  const { p, d, q, P, D, Q, period } = fit.order;
  let core = `ARIMA(${p},${d},${q})`;
  if (P + D + Q > 0) core += `(${P},${D},${Q})[${period}]`;
  const { design } = fit;
  const extras: string[] = [];
  if (design.intercept) extras.push('with non-zero mean');
  if (design.drift) extras.push('with drift');
  let name = design.userColumns > 0 ? `Regression with ${core} errors` : core;
  if (extras.length) name += ` ${extras.join(' ')}`;
  if (design.fourierK > 0) name += ` + Fourier(${+design.fourierPeriod.toFixed(2)}, K=${design.fourierK})`;
  return name;
}

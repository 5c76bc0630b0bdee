/**
 * The candidate pool behind `auto` and `ensemble`. A candidate is a model form plus the stretch
 * of history it is fitted on. Long weekly and monthly histories (M4 weekly series run up to
 * 44 years) contain level shifts and changes of regime that pull a whole-history fit towards a
 * stale level; so candidates are also fitted on the last k seasons only, and a rolling-origin
 * backtest (FPP3 §5.10) decides. Windows are whole seasons (k·m for k = 3, 4, 5, 6, 8) and are
 * only used when m >= 12 (weekly, monthly), where a season is a year. The k were set once, not
 * tuned per data set: on m4-weekly-dev any of them alone beats the whole history (theta sMAPE
 * 6.75–7.65 for k = 3..8 against 7.78), and the backtest picks among them per series.
 */
import type { FittedModel, Forecaster } from './types.js';
import { ForecastInputError } from './types.js';
import { fitAdjustedEts, MAX_ETS_SEASON } from './ets.js';
import type { EtsSpec } from './ets-core.js';
import { logTheta, standardTheta } from './theta.js';
import { naive } from './naive.js';
import { snaive } from './snaive.js';
import { drift } from './drift.js';
import { croston } from './croston.js';
import { sba } from './sba.js';
import { tsb } from './tsb.js';
import { combinePredictions } from './combine.js';
import { dotm } from './dotm.js';

export interface Candidate {
  key: string;
  /**
   * Fit on the series; also returns a forecaster of the same form for backtests (ETS keeps the
   * error/trend/season chosen on the full window instead of rerunning the AICc search at every
   * origin, which is what makes the backtest cheap).
   */
  fit(y: number[], season: number): { model: FittedModel; frozen: Forecaster };
}

const WINDOW_SEASONS = [3, 4, 5, 6, 8];
/** Share of zero observations above which the intermittent-demand models join the pool. */
export const INTERMITTENT_ZERO_SHARE = 0.3;

function plain(f: Forecaster): Candidate {
  return {
    key: f.name,
    fit: (y, season) => ({ model: f.fit(y, { season }), frozen: f }),
  };
}

/**
 * ETS behind a multiplicative seasonal adjustment (fitAdjustedEts): at m > 24 this is what
 * `ets` itself does; at m <= 24 it replaces m seasonal states by the classical indices theta
 * uses, so the candidate costs a few non-seasonal fits (the seasonal search made `auto` take
 * 0.7 s per M3 monthly series). The full seasonal model space stays available as `ets`.
 */
const etsCandidate: Candidate = {
  key: 'ets',
  fit: (y, season) => {
    const model = fitAdjustedEts(y, season);
    const p = model.params;
    const spec: EtsSpec = {
      error: p.error as EtsSpec['error'],
      trend: p.trend as EtsSpec['trend'],
      season: 'N',
      m: 1,
    };
    return { model, frozen: { name: 'ets', fit: (x, o) => fitAdjustedEts(x, o.season, [spec]) } };
  },
};

/**
 * The median of four cheap forecasts on the seasonally adjusted series: theta and the SES, Holt
 * and damped-trend forms of ETS (the M3/M4 "Comb S-H-D" benchmark plus theta; Makridakis &
 * Hibon 2000, Makridakis et al. 2020). A median of methods that fail differently is the
 * selection-free member of the pool: when the backtest cannot tell candidates apart (short
 * series, few origins) it is the safer choice.
 */
const COMB_SPECS: EtsSpec[] = [
  { error: 'A', trend: 'N', season: 'N', m: 1 },
  { error: 'A', trend: 'A', season: 'N', m: 1 },
  { error: 'A', trend: 'Ad', season: 'N', m: 1 },
];

function fitComb(y: number[], season: number): FittedModel {
  const members: FittedModel[] = [standardTheta.fit(y, { season })];
  for (const spec of COMB_SPECS) {
    try {
      members.push(fitAdjustedEts(y, season, [spec]));
    } catch (err) {
      if (!(err instanceof ForecastInputError)) throw err;
    }
  }
  const fitted = y.map((_, t) => {
    const v = members.map((m) => m.fitted[t]).filter(Number.isFinite).sort((a, b) => a - b);
    if (v.length === 0) return NaN;
    const mid = v.length >> 1;
    return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  });
  return {
    name: `Median(${members.map((m) => m.name).join(', ')})`,
    params: { combination: 'median', members: members.map((m) => m.name).join('; ') },
    fitted,
    predict: (h, levels) => combinePredictions(members.map((m) => m.predict(h, levels)), 'median'),
  };
}

const combCandidate: Candidate = {
  key: 'comb',
  fit: (y, season) => ({ model: fitComb(y, season), frozen: { name: 'comb', fit: (x, o) => fitComb(x, o.season) } }),
};

/**
 * The equal-weight mean of the dynamic optimised theta model (./dotm.ts) and log-scale theta,
 * forecasts and bounds averaged level by level (combinePredictions). The two fail differently:
 * DOTM follows a changing trend through its updated line, log theta damps a full-history
 * slope into a growth rate. The reference of the selection where it applies (meta.ts).
 */
function fitThetaPair(y: number[], season: number): FittedModel {
  const members = [dotm.fit(y, { season }), logTheta.fit(y, { season })];
  return {
    name: `Mean(${members.map((m) => m.name).join(', ')})`,
    params: { combination: 'mean', members: members.map((m) => m.name).join('; ') },
    fitted: y.map((_, t) => (members[0].fitted[t] + members[1].fitted[t]) / 2),
    predict: (h, levels) => combinePredictions(members.map((m) => m.predict(h, levels)), [1, 1]),
  };
}

const thetaPairCandidate: Candidate = {
  key: 'dotm+logtheta',
  fit: (y, season) => ({ model: fitThetaPair(y, season), frozen: { name: 'dotm+logtheta', fit: (x, o) => fitThetaPair(x, o.season) } }),
};

/** Restrict a candidate to the last `w` observations; fitted values before the window are NaN. */
export function windowed(c: Candidate, w: number): Candidate {
  const cut = (y: number[]) => (y.length > w ? y.slice(y.length - w) : y);
  return {
    key: `${c.key}@${w}`,
    fit: (y, season) => {
      const { model, frozen } = c.fit(cut(y), season);
      const pad = y.length - Math.min(y.length, w);
      const wrapped: FittedModel = {
        name: pad > 0 ? `${model.name}[last ${w}]` : model.name,
        params: pad > 0 ? { ...model.params, window: w } : model.params,
        fitted: pad > 0 ? [...new Array<number>(pad).fill(NaN), ...model.fitted] : model.fitted,
        aicc: model.aicc,
        predict: (h, levels, xf) => model.predict(h, levels, xf),
      };
      return { model: wrapped, frozen: { name: frozen.name, fit: (x, o) => frozen.fit(cut(x), o) } };
    },
  };
}

export function isIntermittent(y: readonly number[]): boolean {
  let zeros = 0;
  for (const v of y) if (v === 0) zeros++;
  return zeros / y.length >= INTERMITTENT_ZERO_SHARE;
}

/** Windows (in observations) shorter than the series, for seasons m >= 12. */
export function windowsFor(n: number, m: number): number[] {
  if (m < 12) return [];
  return WINDOW_SEASONS.map((k) => k * m).filter((w) => w < n);
}

/** The pool for one series; the first entry is the default when no backtest is possible. */
export function candidatePool(y: readonly number[], season: number): Candidate[] {
  const n = y.length;
  const pool: Candidate[] = [plain(standardTheta)];
  // The median combination is the reference of the penalised selection (meta.ts) where ETS
  // and ARIMA model seasons natively (m <= 24). For long periods (weekly data) measured, not
  // assumed: with it, m4-weekly-dev auto went 6.331 -> 6.577 and ensemble 6.122 -> 6.218
  // (long histories with level shifts, where the windowed candidates are the robust ones).
  if (season <= MAX_ETS_SEASON) {
    pool.push(combCandidate);
    // Log-scale theta, the reference of the selection where it applies (meta.ts). Only at
    // m <= 24, like the median combination and for the same measured reason: in the pool at
    // m = 52 it became the reference there too and m4-weekly-dev auto went 6.331 -> 7.213,
    // ensemble 6.122 -> 6.585 (the windows carry weekly data).
    if (y.every((v) => v > 0)) pool.push(plain(logTheta));
    // The dynamic optimised theta model, alone and in its mean with log theta (the reference
    // where present). At m <= 24 only, so the weekly pool, and M4 weekly, stay as they were.
    pool.push(plain(dotm));
    if (y.every((v) => v > 0)) pool.push(thetaPairCandidate);
  }
  const windows = windowsFor(n, season);
  for (const w of windows) pool.push(windowed(plain(standardTheta), w));
  for (const w of windows) pool.push(windowed(etsCandidate, w));
  // ETS on a long full history is the single most expensive fit; with windows available the
  // backtest almost never prefers it (see bench), so it joins only when there are no windows.
  if (windows.length === 0) pool.push(etsCandidate);
  pool.push(plain(naive));
  if (season > 1 && n > season) pool.push(plain(snaive));
  pool.push(plain(drift));
  if (isIntermittent(y)) pool.push(plain(croston), plain(sba), plain(tsb));
  return pool;
}

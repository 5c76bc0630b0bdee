/**
 * `auto` (selection by rolling-origin backtest) and `ensemble` (median of the best few) over
 * the candidate pool of ./candidates.ts. Both share one backtest pass per series.
 */
import type { FittedModel, Forecaster, Prediction } from './types.js';
import { ForecastInputError } from './types.js';
import { originLengths, scaledError, type BacktestScore } from './backtest.js';
import { smape } from './metrics.js';
import { combineCentred } from './combine.js';
import { candidatePool, type Candidate } from './candidates.js';

export interface Outcome {
  model: string;
  params: Record<string, unknown>;
  prediction: Prediction;
  backtest?: BacktestScore;
  fallback?: string;
}

/** Rolling origins: the last h points held out, then two more, each h further back. */
export const BACKTEST_ORIGINS = 3;
/** Members of the ensemble: the best K candidates by backtest MASE. */
export const ENSEMBLE_SIZE = 3;

export interface Scored {
  c: Candidate;
  model: FittedModel;
  frozen: Forecaster;
  score: BacktestScore;
  /** Forecast means at each origin, for scoring combinations. */
  originMeans: number[][];
  /** Scaled error (MASE) at each origin. */
  originMase: number[];
  /** Forecasts with intervals at each origin (for calibrating the intervals). */
  originPreds: Prediction[];
}

export interface Evaluation {
  scored: Scored[];
  lengths: number[];
}

/** Fit every candidate, then backtest each (in its frozen form) at the same origins. */
export function evaluate(y: number[], season: number, h: number, levels: readonly number[] = []): Evaluation {
  const n = y.length;
  // Origins keep two seasons of training data when they can, so seasonal candidates are
  // judged as seasonal; otherwise fall back to any origin with 10 points.
  let lengths = originLengths(n, h, BACKTEST_ORIGINS, h, Math.max(10, 2 * season));
  if (lengths.length === 0) lengths = originLengths(n, h, BACKTEST_ORIGINS, h, 10);
  const scored: Scored[] = [];
  for (const c of candidatePool(y, season)) {
    let fit: { model: FittedModel; frozen: Forecaster };
    try {
      fit = c.fit(y, season);
    } catch (err) {
      if (err instanceof ForecastInputError) continue;
      throw err;
    }
    let s = 0;
    let m = 0;
    const originMeans: number[][] = [];
    const originMase: number[] = [];
    const originPreds: Prediction[] = [];
    let ok = true;
    for (const len of lengths) {
      const train = y.slice(0, len);
      const actual = y.slice(len, len + h);
      let mean: number[];
      try {
        const p = fit.frozen.fit(train, { season }).predict(actual.length, [...levels]);
        originPreds.push(p);
        mean = p.mean.map((v) => Math.max(0, v));
      } catch (err) {
        if (!(err instanceof ForecastInputError)) throw err;
        ok = false;
        break;
      }
      originMeans.push(mean);
      s += smape(actual, mean);
      const e = scaledError(train, actual, mean, season);
      originMase.push(e);
      m += e;
    }
    const k = lengths.length;
    const score = ok && k > 0 ? { smape: s / k, mase: m / k, origins: k } : { smape: Infinity, mase: Infinity, origins: 0 };
    scored.push({ c, model: fit.model, frozen: fit.frozen, score, originMeans, originMase, originPreds });
  }
  if (scored.length === 0) throw new ForecastInputError('no candidate model could be fitted to this series');
  return { scored, lengths };
}

/** Best first by backtest MASE; ties (and series without a backtest) keep pool order. */
export function ranked(ev: Evaluation): Scored[] {
  return ev.scored
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.score.mase - b.s.score.mase || a.i - b.i)
    .map((x) => x.s);
}

/**
 * Automatic selection: the candidate with the lowest mean MASE over the rolling origins,
 * refitted on all data (its full-data fit is the one already made).
 */
/**
 * Selection with a variance penalty (the "one standard error" idea of cross-validation, Hastie,
 * Tibshirani & Friedman 2009 §7.10, applied to paired origin errors): each candidate is scored
 * by its mean backtest MASE plus SELECTION_PENALTY standard errors of its per-origin difference
 * from the reference candidate (the median combination), which scores its plain mean. A
 * candidate replaces the reference only when it beats it by more than the origins' noise: with
 * three origins on a short monthly series the raw minimum mostly picks noise (on the first 150
 * M3 monthly series it scored sMAPE 27.6 where theta alone scores 23.8). The penalty of one
 * standard error is the textbook rule, not a tuned value (0.5 and 2 were within 0.1 sMAPE on
 * m3-monthly-dev). Without the reference in the pool (m > 24, see candidates.ts) this is the
 * plain ranking.
 */
export const SELECTION_PENALTY = 1;
export const REFERENCE_CANDIDATE = 'comb';

export function penalisedRanking(ev: Evaluation): Scored[] {
  const ref = ev.scored.find((s) => s.c.key === REFERENCE_CANDIDATE && Number.isFinite(s.score.mase));
  if (!ref) return ranked(ev);
  const k = ref.originMase.length;
  const scoreOf = (s: Scored): number => {
    if (s === ref) return s.score.mase;
    if (!Number.isFinite(s.score.mase) || s.originMase.length !== k) return Infinity;
    if (k < 2) return Infinity;
    const d = s.originMase.map((v, o) => v - ref.originMase[o]);
    const md = d.reduce((a, b) => a + b, 0) / k;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - md) * (b - md), 0) / (k - 1));
    return s.score.mase + (SELECTION_PENALTY * sd) / Math.sqrt(k);
  };
  return ev.scored
    .map((s, i) => ({ s, i, v: scoreOf(s) }))
    .sort((a, b) => a.v - b.v || a.i - b.i)
    .map((x) => x.s);
}

/**
 * Interval calibration from the backtest (split-conformal in spirit: Vovk et al. 2005; Lei et
 * al. 2018): at every origin and step, the absolute error is divided by the half-width the
 * model itself gave at that level; if the model's intervals were right, the level-quantile of
 * those ratios would be 1. Each level's half-widths are multiplied by that quantile, shrunk
 * halfway to 1 on the log scale (a few origins of correlated errors are a noisy estimate) and
 * kept within [1/3, 3]; wider levels stay at least as wide as narrower ones. The models' own
 * intervals miss in both directions (ETS over-covers, theta and ARIMA under-cover on
 * m3-monthly-dev; see the issue-16 table), so a per-series, per-model factor is what carries.
 */
export const CALIBRATION_SHRINK = 0.5;

export function calibrate(pred: Prediction, origins: Prediction[], actuals: number[][], levels: readonly number[]): Prediction {
  if (origins.length === 0) return pred;
  const lo: Record<string, number[]> = {};
  const hi: Record<string, number[]> = {};
  let prevScale = 0;
  const sorted = [...levels].sort((a, b) => a - b);
  const widths = new Map<string, { down: number[]; up: number[] }>();
  for (const level of sorted) {
    const key = String(level);
    const ratios: number[] = [];
    origins.forEach((p, o) => {
      const a = actuals[o];
      for (let i = 0; i < a.length; i++) {
        const err = a[i] - p.mean[i];
        const hw = err >= 0 ? p.hi[key][i] - p.mean[i] : p.mean[i] - p.lo[key][i];
        if (hw > 0 && Number.isFinite(hw)) ratios.push(Math.abs(err) / hw);
      }
    });
    let factor = 1;
    if (ratios.length >= 4) {
      ratios.sort((a, b) => a - b);
      const q = ratios[Math.min(ratios.length - 1, Math.floor((level / 100) * ratios.length))];
      const raw = Math.min(3, Math.max(1 / 3, q));
      factor = Math.exp(CALIBRATION_SHRINK * Math.log(raw));
    }
    const down = pred.mean.map((m, i) => factor * Math.max(0, m - pred.lo[key][i]));
    const up = pred.mean.map((m, i) => factor * Math.max(0, pred.hi[key][i] - m));
    const prev = widths.get(String(prevScale));
    if (prev) {
      for (let i = 0; i < down.length; i++) {
        down[i] = Math.max(down[i], prev.down[i]);
        up[i] = Math.max(up[i], prev.up[i]);
      }
    }
    widths.set(key, { down, up });
    prevScale = level;
    lo[key] = pred.mean.map((m, i) => m - down[i]);
    hi[key] = pred.mean.map((m, i) => m + up[i]);
  }
  return { mean: pred.mean, lo, hi };
}

function originActuals(y: number[], ev: Evaluation, h: number): number[][] {
  return ev.lengths.map((len) => y.slice(len, len + h));
}

export function runAuto(y: number[], season: number, h: number, levels: number[]): Outcome {
  const ev = evaluate(y, season, h, levels);
  const best = penalisedRanking(ev)[0];
  const own = best.model.predict(h, levels);
  const calibrated = best.originPreds.length === ev.lengths.length;
  const out: Outcome = {
    model: best.model.name,
    params: { ...best.model.params, candidate: best.c.key, candidates: ev.scored.map((s) => s.c.key) },
    prediction: calibrated ? calibrate(own, best.originPreds, originActuals(y, ev, h), levels) : own,
  };
  if (ev.lengths.length && Number.isFinite(best.score.mase)) out.backtest = best.score;
  else out.fallback = `series too short for a backtest (${y.length} points, horizon ${h}): used ${best.c.key}`;
  return out;
}

/**
 * Ensemble: the ENSEMBLE_SIZE best candidates by penalised backtest MASE (penalisedRanking;
 * without a reference candidate, as at m > 24, by plain backtest MASE), combined with weights
 * 1 / MASE (inverse-error weighting, Bates & Granger 1969; Stock & Watson 2004), intervals
 * of the median member width around the combined mean (combine.ts). Without a backtest the
 * first candidates of the pool get equal weights. The reported backtest scores the same
 * combination at the same origins; since the members were chosen on those origins it is
 * optimistic.
 */
export function runEnsemble(y: number[], season: number, h: number, levels: number[]): Outcome {
  const ev = evaluate(y, season, h, levels);
  const members = penalisedRanking(ev)
    .filter((s, i) => i === 0 || Number.isFinite(s.score.mase))
    .slice(0, ENSEMBLE_SIZE);
  const backtested = ev.lengths.length > 0 && members.every((s) => Number.isFinite(s.score.mase));
  // A perfect backtest (MASE 0, e.g. a flat stretch) must not take all the weight.
  const weights = members.map((s) => (backtested ? 1 / Math.max(s.score.mase, 1e-3) : 1));
  const own = combineCentred(
    members.map((s) => s.model.predict(h, levels)),
    weights,
  );
  // The combination's own intervals are calibrated on the same origins as the members'.
  const prediction =
    backtested && members.every((s) => s.originPreds.length === ev.lengths.length)
      ? calibrate(
          own,
          ev.lengths.map((_, o) => combineCentred(members.map((s) => s.originPreds[o]), weights)),
          originActuals(y, ev, h),
          levels,
        )
      : own;
  const names = members.map((s) => s.model.name);
  const total = weights.reduce((a, b) => a + b, 0);
  const out: Outcome = {
    model: `Ensemble(${names.join(', ')})`,
    params: {
      combination: 'inverse-MASE weighted mean',
      members: names,
      candidates: members.map((s) => s.c.key),
      weights: weights.map((w) => w / total),
    },
    prediction,
  };
  if (backtested) {
    let sm = 0;
    let ms = 0;
    ev.lengths.forEach((len, o) => {
      const train = y.slice(0, len);
      const actual = y.slice(len, len + h);
      const mean = actual.map((_, i) => members.reduce((acc, s, j) => acc + weights[j] * s.originMeans[o][i], 0) / total);
      sm += smape(actual, mean);
      ms += scaledError(train, actual, mean, season);
    });
    out.backtest = { smape: sm / ev.lengths.length, mase: ms / ev.lengths.length, origins: ev.lengths.length };
  } else {
    out.fallback = `series too short for a backtest (${y.length} points, horizon ${h}): equal weights on the first ${members.length} candidates`;
  }
  return out;
}

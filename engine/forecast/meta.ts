/**
 * `auto` (selection by rolling-origin backtest) and `ensemble` (combination) over the single
 * models. Kept apart from index.ts so the candidate lists are easy to read and tune.
 */
import type { Forecaster, Prediction } from './types.js';
import { ForecastInputError } from './types.js';
import { SINGLE_MODELS } from './registry.js';
import { backtest, originLengths, type BacktestScore, type FitPredict } from './backtest.js';
import { combinePredictions } from './combine.js';

export interface Outcome {
  model: string;
  params: Record<string, unknown>;
  prediction: Prediction;
  backtest?: BacktestScore;
  fallback?: string;
}

/** Candidates `auto` chooses among. */
const AUTO_CANDIDATES: Forecaster[] = [SINGLE_MODELS.naive, SINGLE_MODELS.snaive, SINGLE_MODELS.drift];
/** Members the ensemble combines. */
const ENSEMBLE_MEMBERS: Forecaster[] = [SINGLE_MODELS.naive, SINGLE_MODELS.snaive, SINGLE_MODELS.drift];

const BACKTEST_ORIGINS = 3;

function asFitPredict(f: Forecaster, season: number): FitPredict {
  return (y, h, levels) => f.fit(y, { season }).predict(h, levels);
}

/**
 * Automatic selection: fit each candidate at a few rolling origins (the last h points held out,
 * then steps of h back) and keep the lowest mean MASE; the winner is refit on all data.
 * Candidates that fail on the series are skipped.
 */
export function runAuto(y: number[], season: number, h: number, levels: number[]): Outcome {
  const lengths = originLengths(y.length, h, BACKTEST_ORIGINS, h, Math.max(3, season > 1 ? 2 * season : 3));
  let best: { f: Forecaster; score?: BacktestScore } | undefined;
  if (lengths.length === 0) {
    best = { f: AUTO_CANDIDATES[0] };
  } else {
    for (const f of AUTO_CANDIDATES) {
      let score: BacktestScore;
      try {
        score = backtest(asFitPredict(f, season), y, h, season, lengths);
      } catch (err) {
        if (err instanceof ForecastInputError) continue;
        throw err;
      }
      if (!best || !best.score || score.mase < best.score.mase) best = { f, score };
    }
  }
  if (!best) throw new ForecastInputError('no automatic candidate could be fit to this series');
  const fitted = best.f.fit(y, { season });
  const out: Outcome = {
    model: fitted.name,
    params: { ...fitted.params, selectedFrom: AUTO_CANDIDATES.map((c) => c.name) },
    prediction: fitted.predict(h, levels),
  };
  if (best.score) out.backtest = best.score;
  else out.fallback = 'series too short for a backtest: used the first candidate';
  return out;
}

/** Median combination of the ensemble members that can be fit to the series. */
export function runEnsemble(y: number[], season: number, h: number, levels: number[]): Outcome {
  const preds: Prediction[] = [];
  const names: string[] = [];
  for (const f of ENSEMBLE_MEMBERS) {
    try {
      const m = f.fit(y, { season });
      preds.push(m.predict(h, levels));
      names.push(m.name);
    } catch (err) {
      if (!(err instanceof ForecastInputError)) throw err;
    }
  }
  if (preds.length === 0) throw new ForecastInputError('no ensemble member could be fit to this series');
  return {
    model: `Ensemble(${names.join(', ')})`,
    params: { members: names, combination: 'median' },
    prediction: combinePredictions(preds, 'median'),
  };
}

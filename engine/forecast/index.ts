/**
 * Public entry point of the statistical forecasting engine: one request in, one result out,
 * no I/O. Model modules implement `Forecaster` (./types.ts); this file validates input, applies
 * the documented fallbacks, and resolves `auto` / `ensemble` / `arima`.
 */
import type { FittedModel, Forecaster, Prediction } from './types.js';
import { ForecastInputError } from './types.js';
import { checkLevels, clipBelow } from './intervals.js';
import { checkPositiveInt, checkSeries, MIN_LENGTH } from './validate.js';
import { isConstant } from './stats.js';
import { SINGLE_MODELS } from './registry.js';
import { runAuto, runEnsemble, type Outcome } from './meta.js';
import { autoArima } from './arima/index.js';

export { ForecastInputError } from './types.js';
export type { Forecaster, FittedModel, Prediction, FitOptions } from './types.js';

// Accuracy metrics of the M competitions, and the ARIMA fit itself, for the benchmarks.
export { coverage, mase, maseScale, smape } from './metrics.js';
export { fitAutoArima } from './arima/index.js';
// The steps of auto/ensemble and their interval calibration, for bench/calibration-origins.ts.
export {
  evaluate,
  autoPick,
  ensemblePick,
  calibrated,
  calibrationMultiplier,
  twoTailMultiplier,
  type CalibrationCase,
  type CalibrationMultiplier,
} from './meta.js';
export { qt } from './stats.js';
// Theta's seasonal adjustment, for bench/global-ar-probe.ts (the import fence keeps benches on this surface).
export { deseasonalise, futureIndex, seasonalAdjustment, type SeasonalAdjustment } from './seasonal.js';

/** Every model a request may name: the one list (scope rules and the CLI validate against it). */
export const MODEL_NAMES = ['auto', 'ensemble', 'arima', 'ets', 'theta', 'naive', 'snaive', 'drift', 'croston', 'sba', 'tsb'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface ForecastRequest {
  id?: string;
  y: number[];
  horizon: number;
  season: number;
  model: ModelName;
  /** Interval coverages in percent; default [80, 95]. */
  levels?: number[];
}

export interface ForecastResult {
  id?: string;
  /** Concrete model, e.g. "ETS(A,Ad,N)". */
  model: string;
  mean: number[];
  /** Keyed by level as written, e.g. lo['80']. */
  lo: Record<string, number[]>;
  hi: Record<string, number[]>;
  params: Record<string, unknown>;
  /** Rolling-origin score behind an `auto` / `ensemble` choice. */
  backtest?: { smape: number; mase: number; origins: number };
  /** Why a simpler model or setting than requested was used. */
  fallback?: string;
}

export const DEFAULT_LEVELS = [80, 95];

/** Seasonal estimates (classical decomposition, seasonality test) need two full seasons. */
export function minSeasonalLength(season: number): number {
  return 2 * season;
}

/**
 * Forecast one series. Throws ForecastInputError for unusable input (empty, non-finite or
 * negative values, fewer than 3 points, bad horizon / season / levels, unknown model).
 *
 * Documented fallbacks (reported in `fallback`, never silent):
 * - constant series: every model's answer is that constant; returned with zero-width intervals
 *   as model "Constant" (likelihood-based models cannot be fit to a flat line).
 * - season > 1 with at most one season of data: fit non-seasonally (season 1); with fewer than
 *   two seasons only seasonal naive uses the season (theta/ETS estimate no seasonal pattern).
 * - a model that rejects the series (e.g. croston on a series without demand): naive.
 * Forecasts and bounds are clipped at 0, since demand series are non-negative.
 */
export function forecast(req: ForecastRequest): ForecastResult {
  const y = checkSeries(req.y);
  const h = checkPositiveInt(req.horizon, 'horizon', 10_000);
  let season = checkPositiveInt(req.season, 'season', 10_000);
  const levels = checkLevels(req.levels ?? DEFAULT_LEVELS);
  if (!MODEL_NAMES.includes(req.model)) {
    throw new ForecastInputError(`unknown model "${String(req.model)}"; expected one of ${MODEL_NAMES.join(', ')}`);
  }
  if (y.length < MIN_LENGTH) throw new ForecastInputError(`series has ${y.length} points; at least ${MIN_LENGTH} are needed`);

  const fallbacks: string[] = [];
  if (isConstant(y)) return constantResult(req.id, y[0], h, levels);
  if (season > 1 && y.length <= season) {
    fallbacks.push(`series has ${y.length} points, not more than one season of ${season}: fitted without seasonality`);
    season = 1;
  } else if (season > 1 && y.length < minSeasonalLength(season) && req.model !== 'arima') {
    // Seasonal naive can still repeat the last season; theta's and ETS's seasonal estimates
    // need two seasons and are skipped inside those models.
    fallbacks.push(
      `series has ${y.length} points, fewer than two seasons of ${season}: only seasonal naive uses the season, other models are fitted without it`,
    );
  }

  let out: Outcome;
  if (req.model === 'auto') out = runAuto(y, season, h, levels);
  else if (req.model === 'ensemble') out = runEnsemble(y, season, h, levels);
  else if (req.model === 'arima') out = runArima(y, season, h, levels);
  else out = runSingle(req.model, y, season, h, levels, fallbacks);

  if (out.fallback) fallbacks.push(out.fallback);
  const p = clipBelow(out.prediction, 0);
  const result: ForecastResult = { model: out.model, mean: p.mean, lo: p.lo, hi: p.hi, params: out.params };
  if (req.id !== undefined) result.id = req.id;
  if (out.backtest) result.backtest = out.backtest;
  if (fallbacks.length) result.fallback = fallbacks.join('; ');
  return result;
}

/** Forecast many series; a bad series yields `{ ok: false, error }` and the rest go on. */
export function forecastBatch(
  reqs: ForecastRequest[],
): Array<{ ok: true; result: ForecastResult } | { ok: false; id?: string; error: string }> {
  return reqs.map((req) => {
    try {
      return { ok: true as const, result: forecast(req) };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      return req?.id !== undefined ? { ok: false as const, id: req.id, error } : { ok: false as const, error };
    }
  });
}

/** The public names served by one Forecaster each; the registry must cover every one of them. */
type SingleName = Exclude<ModelName, 'auto' | 'ensemble' | 'arima'>;
const SINGLE: Record<SingleName, Forecaster> = SINGLE_MODELS;

function runSingle(name: SingleName, y: number[], season: number, h: number, levels: number[], fallbacks: string[]): Outcome {
  const forecaster = SINGLE[name];
  let fitted: FittedModel;
  try {
    fitted = forecaster.fit(y, { season });
  } catch (err) {
    if (!(err instanceof ForecastInputError) || name === 'naive') throw err;
    fallbacks.push(`${name} could not be fit (${err.message}): used naive`);
    fitted = SINGLE_MODELS.naive.fit(y, { season });
  }
  return { model: fitted.name, params: { ...fitted.params }, prediction: fitted.predict(h, levels) };
}

/** ARIMA is a colleague's module (./arima/); it is wired by name, never part of auto/ensemble (too slow). */
function runArima(y: number[], season: number, h: number, levels: number[]): Outcome {
  const fitted = autoArima.fit(y, { season });
  return { model: fitted.name, params: { ...fitted.params }, prediction: fitted.predict(h, levels) };
}

function constantResult(id: string | undefined, value: number, h: number, levels: number[]): ForecastResult {
  const mean = new Array<number>(h).fill(value);
  const lo: Prediction['lo'] = {};
  const hi: Prediction['hi'] = {};
  for (const l of levels) {
    lo[String(l)] = [...mean];
    hi[String(l)] = [...mean];
  }
  const r: ForecastResult = {
    model: 'Constant',
    mean,
    lo,
    hi,
    params: { value },
    fallback: 'constant series: forecast is the constant with zero-width intervals',
  };
  if (id !== undefined) r.id = id;
  return r;
}

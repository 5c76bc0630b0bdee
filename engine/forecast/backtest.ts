import type { Prediction } from './types.js';
import { mase, maseScale, smape } from './metrics.js';

/** A model as the backtester sees it: train on y, forecast h steps. */
export type FitPredict = (y: number[], h: number, levels: number[]) => Prediction;

export interface BacktestScore {
  smape: number;
  mase: number;
  origins: number;
}

/**
 * Training lengths for rolling-origin evaluation (Tashman 2000; FPP3 §5.10): the last origin
 * leaves exactly h points out, earlier ones step back by `step`. Origins whose training part
 * would be shorter than `minTrain` are skipped, so short series get fewer origins.
 */
export function originLengths(n: number, h: number, origins: number, step: number, minTrain: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < origins; k++) {
    const len = n - h - k * step;
    if (len < minTrain) break;
    out.push(len);
  }
  return out;
}

/**
 * Mean sMAPE and MASE of one model over the given origins. MASE is scaled by the seasonal
 * naive error of each training window when it holds more than one season, else by the naive
 * error, so it stays defined on short windows.
 */
export function backtest(model: FitPredict, y: number[], h: number, season: number, lengths: number[]): BacktestScore {
  let s = 0;
  let m = 0;
  let count = 0;
  for (const len of lengths) {
    const train = y.slice(0, len);
    const actual = y.slice(len, len + h);
    const fc = model(train, actual.length, []).mean;
    s += smape(actual, fc);
    m += scaledError(train, actual, fc, season);
    count++;
  }
  return { smape: s / count, mase: m / count, origins: count };
}

/** MASE with a scale that falls back to lag 1 when the window is too short or flat at lag m. */
export function scaledError(train: number[], actual: number[], fc: number[], season: number): number {
  const m = train.length > season && maseScale(train, season) > 0 ? season : 1;
  const v = mase(train, actual, fc, m);
  return Number.isFinite(v) ? v : 0;
}

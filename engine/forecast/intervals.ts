import type { Prediction } from './types.js';
import { ForecastInputError } from './types.js';
import { zFor } from './stats.js';

/** Key of a level in `Prediction.lo` / `hi`: the level as written, e.g. 80 -> "80", 97.5 -> "97.5". */
export function levelKey(level: number): string {
  return String(level);
}

/** Levels must be percentages strictly between 0 and 100; duplicates are dropped, order kept. */
export function checkLevels(levels: readonly number[]): number[] {
  const out: number[] = [];
  for (const l of levels) {
    if (!Number.isFinite(l) || l <= 0 || l >= 100) {
      throw new ForecastInputError(`prediction level ${l} is not a percentage strictly between 0 and 100`);
    }
    if (!out.includes(l)) out.push(l);
  }
  return out;
}

/**
 * Gaussian intervals mean ± z·se per step (FPP3 §5.5): the analytical form every model here
 * reduces to once its h-step forecast variance is known.
 */
export function normalIntervals(mean: number[], se: number[], levels: readonly number[]): Prediction {
  const lo: Record<string, number[]> = {};
  const hi: Record<string, number[]> = {};
  for (const level of levels) {
    const z = zFor(level);
    lo[levelKey(level)] = mean.map((m, i) => m - z * se[i]);
    hi[levelKey(level)] = mean.map((m, i) => m + z * se[i]);
  }
  return { mean, lo, hi };
}

/**
 * Clip a prediction at a floor (demand cannot be negative). Means and bounds are clipped alike
 * so the nesting lo95 <= lo80 <= mean <= hi80 <= hi95 survives.
 */
export function clipBelow(p: Prediction, floor: number): Prediction {
  const clip = (xs: number[]) => xs.map((v) => (v < floor ? floor : v));
  const lo: Record<string, number[]> = {};
  const hi: Record<string, number[]> = {};
  for (const k of Object.keys(p.lo)) lo[k] = clip(p.lo[k]);
  for (const k of Object.keys(p.hi)) hi[k] = clip(p.hi[k]);
  return { mean: clip(p.mean), lo, hi };
}

/** Map every array of a prediction through f (used to undo a seasonal adjustment). */
export function mapPrediction(p: Prediction, f: (v: number, step: number) => number): Prediction {
  const map = (xs: number[]) => xs.map((v, i) => f(v, i));
  const lo: Record<string, number[]> = {};
  const hi: Record<string, number[]> = {};
  for (const k of Object.keys(p.lo)) lo[k] = map(p.lo[k]);
  for (const k of Object.keys(p.hi)) hi[k] = map(p.hi[k]);
  return { mean: map(p.mean), lo, hi };
}

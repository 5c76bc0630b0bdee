import { ForecastInputError } from './types.js';

/**
 * Input checks shared by `forecast()` and the CLI, so every caller gets the same per-series
 * message. Demand series must be finite and non-negative; horizon and season positive integers.
 */
export function checkSeries(y: unknown): number[] {
  if (!Array.isArray(y)) throw new ForecastInputError('series must be an array of numbers');
  if (y.length === 0) throw new ForecastInputError('series is empty');
  for (let i = 0; i < y.length; i++) {
    const v: unknown = y[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ForecastInputError(`series value at position ${i + 1} is not a finite number (${String(v)})`);
    }
    if (v < 0) throw new ForecastInputError(`series value at position ${i + 1} is negative (${v}); demand cannot be negative`);
  }
  return y as number[];
}

export function checkPositiveInt(v: unknown, what: string, max = 1_000_000): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) {
    throw new ForecastInputError(`${what} must be an integer between 1 and ${max}, got ${String(v)}`);
  }
  return v;
}

/** Fewest observations any model accepts: below this no residual-based interval exists. */
export const MIN_LENGTH = 3;

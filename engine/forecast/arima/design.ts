/**
 * Regressors of a regression-with-ARIMA-errors model, described by a small serialisable spec
 * so the same columns can be rebuilt for the forecast horizon.
 */
import { fourierColumns } from './fourier.js';

export interface DesignSpec {
  /** Constant column (the mean when d + D = 0). */
  intercept: boolean;
  /** Time index 1..n (a drift when d + D = 1), as forecast::auto.arima's "drift" regressor. */
  drift: boolean;
  /** Number of Fourier harmonic pairs (0 = none) and their period. */
  fourierK: number;
  fourierPeriod: number;
  /** Number of user regressors (columns of `xreg`). */
  userColumns: number;
}

export const EMPTY_DESIGN: DesignSpec = { intercept: false, drift: false, fourierK: 0, fourierPeriod: 1, userColumns: 0 };

export function designNames(spec: DesignSpec): string[] {
  const names: string[] = [];
  if (spec.intercept) names.push('intercept');
  if (spec.drift) names.push('drift');
  for (let k = 1; k <= spec.fourierK; k++) {
    if (2 * k !== spec.fourierPeriod) names.push(`S${k}-${+spec.fourierPeriod.toFixed(2)}`);
    names.push(`C${k}-${+spec.fourierPeriod.toFixed(2)}`);
  }
  for (let j = 0; j < spec.userColumns; j++) names.push(`xreg${j + 1}`);
  return names;
}

/**
 * Columns for `length` rows whose 1-based time index starts at `start + 1`.
 * `userRows` holds one row per observation (the `xreg` layout of FitOptions).
 */
export function designColumns(spec: DesignSpec, length: number, start: number, userRows?: readonly number[][]): Float64Array[] {
  const cols: Float64Array[] = [];
  if (spec.intercept) cols.push(new Float64Array(length).fill(1));
  if (spec.drift) cols.push(Float64Array.from({ length }, (_, i) => start + i + 1));
  if (spec.fourierK > 0) cols.push(...fourierColumns(spec.fourierPeriod, spec.fourierK, start, length));
  for (let j = 0; j < spec.userColumns; j++) {
    const c = new Float64Array(length);
    for (let i = 0; i < length; i++) c[i] = userRows ? userRows[i][j] : NaN;
    cols.push(c);
  }
  return cols;
}

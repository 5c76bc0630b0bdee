/**
 * Tracking signal of a launch curve (Brown, "Statistical Forecasting for Inventory Control",
 * 1959; Silver, Pyke & Thomas 4th ed. sec. 4.9): the cumulative forecast error over the weeks
 * sold divided by their mean absolute error. Unbiased forecasts keep it near 0; a curve that is
 * consistently too low (or too high) drives it toward +n (−n) after n weeks, so |signal| beyond
 * a control limit (4 is classic) says the curve, not chance, is wrong. Since |Σe| ≤ Σ|e|, the
 * signal never exceeds the number of weeks counted.
 *
 * Error = sales − forecast (positive: the curve was too low). A sold-out week is censored:
 * demand was at least the sales, so when its sales are already above the forecast the error is
 * at least that and counts (as the lower bound it is); when they are below, the sign of the
 * error is unknown and the week is left out.
 */

export interface TrackingSignal {
  /** Cumulative error / mean absolute error; 0 when no week counted or every error was 0. */
  signal: number;
  cumulativeError: number;
  meanAbsoluteError: number;
  /** Weeks that counted (observed, and not censored below the forecast). */
  weeks: number;
}

/** The tracking signal of `forecast` (per week after launch) against the weeks sold so far. */
export function trackingSignal(forecast: readonly number[], sales: readonly number[], censored: readonly boolean[] = []): TrackingSignal {
  const n = Math.min(forecast.length, sales.length);
  let cumulative = 0;
  let absolute = 0;
  let weeks = 0;
  for (let h = 0; h < n; h++) {
    const f = forecast[h];
    const y = sales[h];
    if (!Number.isFinite(f) || !Number.isFinite(y)) throw new RangeError(`trackingSignal: week ${h} has forecast ${f} and sales ${y}; both must be finite`);
    const e = y - f;
    if (censored[h] && e < 0) continue;
    cumulative += e;
    absolute += Math.abs(e);
    weeks++;
  }
  const mad = weeks > 0 ? absolute / weeks : 0;
  return { signal: mad > 0 ? cumulative / mad : 0, cumulativeError: cumulative, meanAbsoluteError: mad, weeks };
}

/**
 * Forecasts and prediction intervals of a fitted ARIMA model. The point forecast runs the ARMA
 * state forward (kalman.ts), undoes the differencing and adds the regression; the h-step
 * variance is σ² Σ_{j<h} ψ_j², with ψ the MA(∞) weights of φ(B)Φ(B^m)(1−B)^d(1−B^m)^D
 * (Box, Jenkins & Reinsel 2008, §5.2). Like R's predict.Arima this ignores parameter
 * uncertainty; unlike it, it also ignores the (small, steady-state) residual state uncertainty.
 */
import type { Prediction } from '../types.js';
import { ForecastInputError } from '../types.js';
import { designColumns } from './design.js';
import type { ArimaFit } from './fit.js';
import { forecastState } from './kalman.js';
import { qnorm } from '../../math/index.js';
import { differencingPoly, expandSeasonal, polyMul, psiWeights } from './polynomial.js';

export function forecastArima(fit: ArimaFit, h: number, levels: readonly number[] = [], xregFuture?: readonly number[][]): Prediction {
  if (!Number.isInteger(h) || h < 1) throw new ForecastInputError(`horizon must be a positive integer, got ${h}`);
  if (fit.design.userColumns > 0) {
    if (!xregFuture || xregFuture.length < h) {
      throw new ForecastInputError(`model has ${fit.design.userColumns} regressors: xregFuture needs ${h} rows`);
    }
    for (let i = 0; i < h; i++) {
      const row = xregFuture[i];
      if (row.length !== fit.design.userColumns || row.some((v) => !Number.isFinite(v))) {
        throw new ForecastInputError(`xregFuture row ${i} must hold ${fit.design.userColumns} finite numbers`);
      }
    }
  }
  const { order, coef } = fit;
  const { phi, theta } = expandSeasonal(coef.ar, coef.ma, coef.sar, coef.sma, order.period);
  const diff = differencingPoly(order.d, order.D, order.period);
  const lag = diff.length - 1;
  const w = forecastState(Float64Array.from(fit.state), phi, theta, h);
  // Integrate: Δ(B) u_t = w_t  ⇒  u_t = w_t − Σ_{i≥1} δ_i u_{t−i}.
  const u = fit.tail.slice();
  for (let k = 0; k < h; k++) {
    let s = w[k];
    for (let i = 1; i <= lag; i++) if (diff[i] !== 0) s -= diff[i] * u[u.length - i];
    u.push(s);
  }
  const X = designColumns(fit.design, h, fit.n, xregFuture);
  const mean = new Array<number>(h);
  for (let k = 0; k < h; k++) {
    let s = u[lag + k];
    for (let j = 0; j < X.length; j++) s += coef.xreg[j] * X[j][k];
    mean[k] = s;
  }
  const fullAr = polyMul([1, ...phi.map((v) => -v)], diff);
  const psi = psiWeights(
    fullAr.slice(1).map((v) => -v),
    theta,
    h,
  );
  const se: number[] = [];
  let acc = 0;
  for (let k = 0; k < h; k++) {
    acc += psi[k] * psi[k];
    se.push(Math.sqrt(fit.sigma2Forecast * acc));
  }
  const lo: Record<string, number[]> = {};
  const hi: Record<string, number[]> = {};
  for (const level of levels) {
    if (!(level > 0 && level < 100)) throw new ForecastInputError(`interval level must be in (0, 100), got ${level}`);
    const z = qnorm(0.5 + level / 200);
    lo[String(level)] = mean.map((m, k) => m - z * se[k]);
    hi[String(level)] = mean.map((m, k) => m + z * se[k]);
  }
  return { mean, lo, hi };
}

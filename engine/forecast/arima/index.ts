/**
 * Automatic ARIMA forecaster (name 'arima') and fixed-order ARIMA fitting.
 * See auto.ts (model selection), fit.ts (CSS-ML estimation), kalman.ts (exact likelihood),
 * forecast.ts (forecasts and intervals).
 */
import type { FitOptions, FittedModel, Forecaster, Prediction } from '../types.js';
import { ForecastInputError } from '../types.js';
import { arimaName, autoArimaFit, validateSeries, type AutoArimaOptions } from './auto.js';
import { fitArimaModel, type ArimaFit, type ArimaFitOptions, type ArimaOrder } from './fit.js';
import { forecastArima } from './forecast.js';

export type { ArimaFit, ArimaFitOptions, ArimaOrder } from './fit.js';
export type { AutoArimaOptions } from './auto.js';
export { forecastArima } from './forecast.js';
export { autoArimaFit } from './auto.js';

/** A fitted ARIMA model behind the shared FittedModel interface, with the full fit attached. */
export interface ArimaModel extends FittedModel {
  readonly model: ArimaFit;
}

export function toFittedModel(model: ArimaFit): ArimaModel {
  const { coef } = model;
  const params: Record<string, number | string | boolean | number[]> = {
    p: model.order.p,
    d: model.order.d,
    q: model.order.q,
    P: model.order.P,
    D: model.order.D,
    Q: model.order.Q,
    period: model.order.period,
    ar: coef.ar,
    ma: coef.ma,
    sar: coef.sar,
    sma: coef.sma,
    sigma2: model.sigma2,
    loglik: model.loglik,
    fourierK: model.design.fourierK,
  };
  model.xregNames.forEach((name, j) => (params[name] = coef.xreg[j]));
  return {
    name: arimaName(model),
    params,
    fitted: model.fitted,
    aicc: Number.isFinite(model.aicc) ? model.aicc : undefined,
    model,
    predict(h: number, levels: number[], xregFuture?: number[][]): Prediction {
      return forecastArima(model, h, levels, xregFuture);
    },
  };
}

export type ArimaOrderInput = Partial<ArimaOrder> & { p: number; d: number; q: number };

/**
 * Fit ARIMA(p,d,q)(P,D,Q)_period by CSS-ML (default), like `stats::arima(y, order, seasonal,
 * xreg, include.mean)`; `includeDrift` as forecast::Arima. Throws ForecastInputError when the
 * model cannot be estimated.
 */
export function fitArima(y: number[], order: ArimaOrderInput, options: ArimaFitOptions = {}): ArimaModel {
  validateSeries(y, options.xreg);
  const model = fitArimaModel(y, order, options);
  if (!model) throw new ForecastInputError(`ARIMA(${order.p},${order.d},${order.q}) could not be estimated on ${y.length} observations`);
  return toFittedModel(model);
}

/** Automatic ARIMA with extra options (long-period Fourier search, approximation). */
export function fitAutoArima(y: number[], options: AutoArimaOptions): ArimaModel {
  return toFittedModel(autoArimaFit(y, options));
}

export const autoArima: Forecaster = {
  name: 'arima',
  fit(y: number[], options: FitOptions): FittedModel {
    return fitAutoArima(y, { season: options.season, xreg: options.xreg });
  },
};

/**
 * The one interface every statistical forecaster implements (after statsforecast's
 * fit / predict(h, level) split). Fitted state is plain data so it can be stored and
 * sent across worker threads; `predict` is a pure function of that state.
 */

/** Prediction intervals keyed by nominal coverage in percent, e.g. `lo['80']`. */
export interface Prediction {
  mean: number[];
  lo: Record<string, number[]>;
  hi: Record<string, number[]>;
}

export interface FitOptions {
  /** Seasonal period (52 for weekly data with yearly seasonality; 1 = none). */
  season: number;
  /** Regressors, one row per observation (same length as y), when the model supports them. */
  xreg?: number[][];
}

export interface FittedModel {
  /** Concrete model chosen, readable in logs and the UI, e.g. "ETS(A,Ad,N)" or "ARIMA(1,1,1)". */
  readonly name: string;
  /** Estimated parameters, serialisable (stored with each forecast). */
  readonly params: Record<string, number | string | boolean | number[]>;
  /** One-step in-sample fitted values, same length as the training series (NaN where undefined). */
  readonly fitted: number[];
  /** Corrected AIC where the model has a likelihood; undefined otherwise. */
  readonly aicc?: number;
  predict(h: number, levels: number[], xregFuture?: number[][]): Prediction;
}

export interface Forecaster {
  readonly name: string;
  fit(y: number[], options: FitOptions): FittedModel;
}

/** Raised for a series a model cannot use; the message says what is wrong with it. */
export class ForecastInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForecastInputError';
  }
}

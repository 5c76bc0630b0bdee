import type { Forecaster } from './types.js';
import { naive } from './naive.js';
import { snaive } from './snaive.js';
import { drift } from './drift.js';
import { ets } from './ets.js';
import { standardTheta } from './theta.js';
import { croston } from './croston.js';
import { sba } from './sba.js';
import { tsb } from './tsb.js';

/**
 * The concrete single models by public name. `auto`, `ensemble` and `arima` are resolved in
 * index.ts (the first two are built from these; arima lives in ./arima/ with its own owner).
 */
export const SINGLE_MODELS = {
  naive,
  snaive,
  drift,
  ets,
  theta: standardTheta,
  croston,
  sba,
  tsb,
} satisfies Record<string, Forecaster>;

export type SingleModelName = keyof typeof SINGLE_MODELS;

/**
 * What a trained cold-start model is as data: hyper-parameters, feature spec, weights and the
 * layout of its per-step outputs [quantiles…, mean], plus what calibration found on the
 * validation launches. Plain data, so it serialises as JSON (persistence.ts).
 */
import type { WeightSet } from '../../lstm/index.js';
import type { FeatureSpec } from '../features.js';
import type { ColdStartHyper } from './hyper.js';

/**
 * Quantile levels of the per-step outputs (the mean follows them). Between p50 and p90 the
 * levels are dense because the point forecast is a quantile in that range (see pointLevel).
 */
export const QUANTILES = [0.1, 0.5, 0.6, 0.7, 0.8, 0.9] as const;
/** Models saved before the dense quantiles had p10, p50, p90, mean per step. */
const LEGACY_QUANTILES = [0.1, 0.5, 0.9];
/** Outputs per horizon step of a model trained now: the quantiles, then the mean. */
export const OUT_PER_STEP = QUANTILES.length + 1;
/** Index of the mean within a step's outputs. */
export const MEAN = QUANTILES.length;

export interface TrainedModel {
  format: 'launchloop.coldstart.model/1';
  hyper: ColdStartHyper;
  featureSpec: FeatureSpec;
  weights: WeightSet;
  /** Quantile levels of the outputs, in order, before the mean (absent in older models: 0.1, 0.5, 0.9). */
  quantiles?: number[];
  info: {
    epochsRun: number;
    bestEpoch: number;
    bestValLoss: number;
    stoppedEarly: boolean;
    backend: string;
    /**
     * Factor on the p10/p90 distances from p50 that makes 80% of the validation launches'
     * observed weeks fall inside (split-conformal style); 1 when there is no validation set.
     */
    intervalScale: number;
    /**
     * Level τ of the point forecast: the common quantile level at which the validation
     * launches' predicted quantiles add up to their predicted means (see point-forecast.ts):
     * least expected absolute error with unbiased totals. 0.5 when there is no validation set.
     */
    pointLevel?: number;
  };
}

/** The quantile levels a trained model's outputs hold (older models: p10, p50, p90). */
export function levelsOf(model: TrainedModel): readonly number[] {
  return model.quantiles ?? LEGACY_QUANTILES;
}

/**
 * The cold-start model (see network.ts for its shape): hyper-parameters, training with
 * checkpoints, calibration, persistence and prediction. Runs on engine/lstm's fast LSTM.
 */
export { DEFAULT_HYPER, validateHyper, type ColdStartHyper } from './hyper.js';
export { QUANTILES, type TrainedModel } from './trained-model.js';
export { initWeights } from './network.js';
export { meanTargetScale } from './batches.js';
export { trainColdStartModel, TrainingAbortedError, type EpochProgress, type TrainOptions } from './training.js';
export { serializeModel, loadModel, type AdamState, type Checkpoint } from './persistence.js';
export { recalibrationOnValidation, validationLaunches } from './calibration.js';
export { predictColdStart, predictRelative } from './prediction.js';

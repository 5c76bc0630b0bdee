/**
 * Public surface of the cold-start engine (pure: no Temporal, DB, HTTP, files or environment;
 * the LSTM backend and kernel are selected by services/lstm-runtime.ts). The GPU-pool
 * activity wraps `trainColdStartModel` (heartbeat in onEpoch, store onCheckpoint's object,
 * pass it back as resumeFrom on retry, abort via signal) and stores `serializeModel` bytes.
 */
export type { AttributeKind, AttributeSchema, AttributeValue, Catalogue, CandidateRow, ItemRow, LaunchForecast, SalesRow } from './types.js';
export { addWeeks, buildHistory, truncateHistory, type History } from './history.js';
export {
  buildColdStartContext,
  prepareColdStartDataset,
  encodeCandidates,
  type ColdStartContext,
  type ColdStartDataset,
  type FeatureOptions,
  type FeatureSpec,
  type Samples,
} from './features.js';
export { likeItemForecast, categoryShareForecast, globalMedianForecast, withBaselineIntervals, type BaselineInput } from './baselines.js';
export { launchMetrics, toCurves, type LaunchMetrics } from './metrics.js';
export { forecastLaunches, type ColdStartMethod } from './run.js';
export { trainingSetup, resumable, runColdStartTraining, type ColdStartRule, type TrainingOutcome, type TrainingSetup } from './training-run.js';
export { candidateRows, implausible, launchCurves, type CandidateSeries, type StoredCandidate } from './launch-curves.js';
export {
  trainColdStartModel,
  serializeModel,
  loadModel,
  predictColdStart,
  recalibrationOnValidation,
  validationLaunches,
  TrainingAbortedError,
  DEFAULT_HYPER,
  type Checkpoint,
  type ColdStartHyper,
  type EpochProgress,
  type TrainedModel,
  type TrainOptions,
} from './model/index.js';
export { backtestModel, heldOutLaunches, timeHonestSplit, type BacktestScore } from './backtest.js';
export { indicatorCovariates, promotionCovariates, type CovariateRow } from './covariates.js';
export {
  fitRecalibration,
  recalibrate,
  recalibratePoints,
  innerCutLaunches,
  launchesSince,
  calibrationLaunchesOf,
  historyLevels,
  type CalibrationLaunch,
  type HistoryLevels,
  type InnerCutOptions,
  type LaunchForecaster,
  type Recalibration,
  type RecalibrationOptions,
} from './recalibration.js';

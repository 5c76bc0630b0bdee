/**
 * Public surface of the cold-start engine (pure: no Temporal, DB or HTTP). The GPU-pool
 * activity wraps `trainColdStartModel` (heartbeat in onEpoch, store onCheckpoint's object,
 * pass it back as resumeFrom on retry, abort via signal) and stores `serializeModel` bytes.
 */
export type { AttributeSchema, AttributeValue, CandidateRow, ItemRow, LaunchForecast, SalesRow } from './types.js';
export { CsvValidationError, parseCsv, parseSales, parseItems, parseCandidates, inferSchema, readCatalogue } from './csv.js';
export { buildHistory, type History } from './history.js';
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
export { likeItemForecast, categoryShareForecast, type BaselineInput } from './baselines.js';
export { launchMetrics, toCurves, type LaunchMetrics } from './metrics.js';
export { forecastLaunches, type ColdStartMethod } from './run.js';
export {
  trainColdStartModel,
  serializeModel,
  loadModel,
  predictColdStart,
  TrainingAbortedError,
  DEFAULT_HYPER,
  type Checkpoint,
  type ColdStartHyper,
  type EpochProgress,
  type TrainedModel,
  type TrainOptions,
} from '../lstm/coldstartModel.js';
export { selectBackend, type BackendChoice } from '../lstm/backend.js';

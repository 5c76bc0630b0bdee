/**
 * Public surface of the pre-launch signal correction (pure): summarise stored signal weeks,
 * build fitting examples from a cold-start history, fit the correction, and apply it to a
 * candidate's forecast. An item without signals is never touched.
 */
export { summariseSignals, SIGNAL_MEASURES, type SignalMeasure, type SignalSummary, type SignalWeek } from './summary.js';
export {
  adjustBand,
  adjustmentFor,
  fitSignalAdjustment,
  meanLevel,
  minVarianceWeights,
  ridgeLoo,
  type AdjustmentOptions,
  type BandPoint,
  type Calibration,
  type ItemAdjustment,
  type SignalAdjustmentModel,
  type SignalExample,
} from './adjust.js';
export { pastLaunchExamples } from './examples.js';
export { adjustCandidateSeries, type AdjustedSeries } from './series.js';
export { correctWithSignals, type PrelaunchSummary } from './loop.js';

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
  type AdjustmentOptions,
  type BandPoint,
  type ItemAdjustment,
  type SignalAdjustmentModel,
  type SignalExample,
  type SubsetModel,
} from './adjust.js';
export { pastLaunchExamples } from './examples.js';
export { adjustCandidateSeries, type AdjustedSeries } from './series.js';
export { correctWithSignals, type PrelaunchSummary } from './loop.js';

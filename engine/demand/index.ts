// Public surface of engine/demand: weekly demand series and what shapes them (calendar, errors).
export { categoryMultipliers, promotionUplift, seasonalIndex, weeklyGrowth, type MultiplierResult, type PromotionWindow, type WeeklyTotal } from './calendar-multipliers.js';
export { estimateErrorCorrelation, MIN_LAUNCHES, type ErrorCorrelation, type LaunchErrors } from './error-correlation.js';
export { denseSeries } from './dense-series.js';
export {
  updateLaunchCurve,
  updatedLevel,
  calibrateCurveUpdate,
  scoreCurveUpdate,
  referenceShape,
  smoothCurve,
  ratioToDate,
  priorShapeFromInterval,
  censoredMean,
  CurveUpdateInputError,
  DEFAULT_CURVE_UPDATE,
  DEFAULT_CALIBRATION_GRID,
  type CalibrationGrid,
  type CalibrationLaunch,
  type CurveUpdateCalibration,
  type CurveUpdateInput,
  type CurveUpdateParams,
  type CurveUpdatePrior,
  type CurveUpdateScore,
  type UpdatedCurve,
  type UpdatedStep,
} from './curve-update.js';
export { productRequests, productSeries, PRODUCT_LEVELS, type ProductSeries } from './product-series.js';

import type { Forecaster } from './types.js';
import { lagWalkModel } from './lagwalk.js';

/**
 * Random walk with drift, forecast::rwf(drift = TRUE): the line through the first and last
 * observations extended (FPP3 §5.2); intervals include the drift's estimation error.
 */
export const drift: Forecaster = {
  name: 'drift',
  fit: (y) => lagWalkModel('Drift', y, 1, true),
};

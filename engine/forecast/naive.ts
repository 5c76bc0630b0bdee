import type { Forecaster } from './types.js';
import { lagWalkModel } from './lagwalk.js';

/** Naive (random walk) forecast, forecast::naive: repeat the last value (FPP3 §5.2). */
export const naive: Forecaster = {
  name: 'naive',
  fit: (y) => lagWalkModel('Naive', y, 1, false),
};

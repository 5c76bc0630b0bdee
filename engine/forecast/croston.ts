import type { Forecaster } from './types.js';
import { crostonRun, empiricalIntervals } from './intermittent.js';

/** Croston's method (Croston 1972), as forecast::croston with its default α = 0.1. */
export const CROSTON_ALPHA = 0.1;

export const croston: Forecaster = {
  name: 'croston',
  fit: (y) => {
    const { rate, fitted } = crostonRun(y, CROSTON_ALPHA);
    return {
      name: 'Croston',
      params: { alpha: CROSTON_ALPHA, rate },
      fitted,
      predict: (h, levels) => empiricalIntervals(rate, y, fitted, CROSTON_ALPHA, h, levels),
    };
  },
};

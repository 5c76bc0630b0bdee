import type { Forecaster } from './types.js';
import { crostonRun, empiricalIntervals } from './intermittent.js';
import { CROSTON_ALPHA } from './croston.js';

/**
 * Syntetos–Boylan approximation (Syntetos & Boylan 2005): Croston's rate times (1 − α/2),
 * which removes Croston's positive bias.
 */
export const sba: Forecaster = {
  name: 'sba',
  fit: (y) => {
    const alpha = CROSTON_ALPHA;
    const run = crostonRun(y, alpha);
    const k = 1 - alpha / 2;
    const rate = run.rate * k;
    const fitted = run.fitted.map((v) => v * k);
    return {
      name: 'SBA',
      params: { alpha, rate },
      fitted,
      predict: (h, levels) => empiricalIntervals(rate, y, fitted, alpha, h, levels),
    };
  },
};

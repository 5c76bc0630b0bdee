import type { Forecaster } from './types.js';
import { empiricalIntervals, tsbRun } from './intermittent.js';

/** Grid for α (size) and β (probability); small values, as Teunter et al. 2011 recommend. */
const GRID = [0.02, 0.05, 0.1, 0.2, 0.3];

/**
 * Teunter–Syntetos–Babai (2011): updates the demand probability every period, so the forecast
 * decays towards zero when demand stops (obsolescence), unlike Croston. α and β are chosen
 * from a small grid by in-sample MSE.
 */
export const tsb: Forecaster = {
  name: 'tsb',
  fit: (y) => {
    let best = { alpha: 0.1, beta: 0.1, sse: Infinity };
    for (const alpha of GRID)
      for (const beta of GRID) {
        const { sse } = tsbRun(y, alpha, beta);
        if (sse < best.sse) best = { alpha, beta, sse };
      }
    const { rate, fitted } = tsbRun(y, best.alpha, best.beta);
    const spread = Math.max(best.alpha, best.beta);
    return {
      name: 'TSB',
      params: { alpha: best.alpha, beta: best.beta, rate },
      fitted,
      predict: (h, levels) => empiricalIntervals(rate, y, fitted, spread, h, levels),
    };
  },
};

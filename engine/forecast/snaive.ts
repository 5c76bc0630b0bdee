import type { Forecaster } from './types.js';
import { ForecastInputError } from './types.js';
import { lagWalkModel } from './lagwalk.js';

/**
 * Seasonal naive, forecast::snaive: repeat the last observed season (FPP3 §5.2). Needs more
 * than one full season; with season 1 it is the naive method.
 */
export const snaive: Forecaster = {
  name: 'snaive',
  fit: (y, { season }) => {
    if (season > 1 && y.length <= season) {
      throw new ForecastInputError(`seasonal naive needs more than one season (${season}) of data, got ${y.length}`);
    }
    return lagWalkModel(season > 1 ? 'SNaive' : 'Naive', y, Math.max(1, season), false);
  },
};

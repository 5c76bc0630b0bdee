// Public surface of engine/math: numerical building blocks shared by the engines.
export { Z90, dnorm, pnorm, qnorm, sdFromInterval80 } from './normal.js';
export { gammaDraw, mulberry32 } from './random.js';
export { logGamma } from './special.js';
// The one set of minimisers: Nelder–Mead (ETS, Theta, and BFGS's fallback), BFGS, Levenberg–Marquardt (ARIMA).
export { nelderMead, type NelderMeadOptions, type NelderMeadResult } from './nelder-mead.js';
export { bfgs, minimise } from './bfgs.js';
export { levenbergMarquardt, type Residuals } from './levenberg-marquardt.js';
export type { Objective, OptimOptions, OptimResult } from './optim-types.js';
export { fromInterval, toInterval } from './interval-transform.js';

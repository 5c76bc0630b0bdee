// Public surface of engine/math: numerical building blocks shared by the engines.
export { Z90, dnorm, pnorm, qnorm, sdFromInterval80 } from './normal.js';
export { mulberry32 } from './random.js';

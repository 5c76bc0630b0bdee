// The workflow bundle's entry point: only deterministic orchestration is reachable from here.
export { planningLoopWorkflow } from './loop.js';
export { retrainWorkflow } from './retrain.js';
export { forecastWorkflow } from './forecast.js';
export { planWorkflow } from './plan.js';
export { replanWorkflow } from './replan.js';

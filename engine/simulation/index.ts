// Public surface of engine/simulation: the closed-loop KPI simulation of launch policies.
export { simulateClosedLoop, type SimulateOptions } from './simulate.js';
export { demandCurveUpdate } from './demand-update.js';
export { levelUpdate, type LevelUpdateOptions } from './level-update.js';
export { realiseDemand, type DemandNoise } from './noise.js';
export { DEFAULT_POLICY_CONFIG, POLICIES, closedLoopCurveUpdate, launchForecast, policyItems, simulatePolicies, type PolicyConfig, type PolicyInputs, type PolicyName } from './policies.js';
export { DEFAULT_REPLAY_ASSUMPTIONS, REPLAY_POLICIES, replayItems, replayPolicies, type ReplayAssumptions, type ReplayLaunch, type ReplayPolicy } from './replay.js';
export { LIFT_KPIS, lifts, quantile, summariseLifts, type LiftKpi, type LiftSummary } from './lift.js';
export type { ClosedLoopKpis, CurveUpdate, OrderRecord, ReorderRule, SimItem, SimulationResult } from './types.js';

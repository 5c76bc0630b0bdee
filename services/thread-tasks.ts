/**
 * The functions worker threads may run, by name. Only pure engine code belongs here: no
 * database handles or sockets cross a thread boundary.
 */
import { buildAudiences } from '../engine/audience/index.js';
import { forecastBatch } from '../engine/forecast/index.js';
import { configureHighs, planLaunches, type PlanOptions, type Scenario } from '../engine/planner/index.js';
import { engineOptions } from './engine-options.js';

// Each worker thread loads this module once: its solver takes the process's HiGHS settings
// (LAUNCHLOOP_HIGHS_LOG / _OPTIONS) here, as the engine reads no environment itself.
configureHighs(engineOptions().highs);

export const TASKS = {
  forecastBatch,
  planScenario: ({ scenario, options }: { scenario: Scenario; options?: PlanOptions }) => planLaunches(scenario, options),
  buildAudiences,
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>;

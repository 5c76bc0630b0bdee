import type { Database } from '../db/client.js';
import { runsRepository } from '../db/repositories/runs.repository.js';
import type { ThreadPool } from '../services/thread-pool.js';
import { adjustActivityDeps, createAdjustActivities } from './adjust.activities.js';
import { audienceActivityDeps, createAudienceActivities } from './audience.activities.js';
import { createForecastActivities, forecastActivityDeps } from './forecast.activities.js';
import { createPlanActivities, planActivityDeps } from './plan.activities.js';
import { createRunActivities } from './runs.activities.js';
import { createSnapshotActivities } from './snapshot.activities.js';
import type { CpuActivities } from './types.js';

/** Every activity of the CPU pool, wired to its dependencies (the worker is the only caller). */
export function createCpuActivities(deps: { database: Database; pool: ThreadPool }): CpuActivities {
  return {
    ...createRunActivities(runsRepository(deps.database)),
    ...createSnapshotActivities(deps.database),
    ...createForecastActivities(forecastActivityDeps(deps.database, deps.pool)),
    ...createPlanActivities(planActivityDeps(deps.database, deps.pool)),
    ...createAdjustActivities(adjustActivityDeps(deps.database)),
    ...createAudienceActivities(audienceActivityDeps(deps.database, deps.pool)),
  };
}

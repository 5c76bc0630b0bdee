import type { Database } from '../db/client.js';
import { runsRepository } from '../db/repositories/runs.repository.js';
import type { CpuActivities } from './types.js';

export function createRunActivities(database: Database): Pick<CpuActivities, 'recordRunStarted' | 'recordRunFinished'> {
  const repo = runsRepository(database);
  return {
    recordRunStarted: (input) => repo.started(input),
    recordRunFinished: (input) => repo.finished(input),
  };
}

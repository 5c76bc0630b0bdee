import type { runsRepository } from '../db/repositories/runs.repository.js';
import type { CpuActivities } from './types.js';

/** Run bookkeeping: mirrors each workflow run into `runs` for the API. */
export function createRunActivities(repo: Pick<ReturnType<typeof runsRepository>, 'started' | 'finished'>): Pick<CpuActivities, 'recordRunStarted' | 'recordRunFinished'> {
  return {
    recordRunStarted: (input) => repo.started(input),
    recordRunFinished: (input) => repo.finished(input),
  };
}

import { workflowInfo } from '@temporalio/workflow';
import type { ForecastInput, ForecastResult } from '../contracts/workflows.js';
import { bookkeeping, cpuHeavy, gpuInference } from './activity-proxies.js';
import { recordedRun } from './run-record.js';

/**
 * Forecast a scope: existing products' demand on the CPU pool and candidates' launch curves on
 * the GPU pool, in parallel, into one forecast set.
 */
export async function forecastWorkflow(input: ForecastInput): Promise<ForecastResult> {
  return recordedRun(
    'forecast',
    input.scopeId,
    input.trigger,
    async () => {
      const { forecastSetId } = await bookkeeping.createForecastSet({
        scopeId: input.scopeId,
        snapshotId: input.snapshotId,
        runId: workflowInfo().workflowId,
        horizonWeeks: input.horizonWeeks,
      });
      const [series, candidates] = await Promise.all([
        cpuHeavy.forecastScopeSeries({ forecastSetId }),
        gpuInference.forecastCandidates({ forecastSetId }),
      ]);
      return {
        forecastSetId,
        seriesForecast: series.seriesForecast,
        seriesFailed: series.seriesFailed,
        candidatesForecast: candidates.candidatesForecast,
        coldStartMethod: candidates.method,
      };
    },
    (r) => ({ ...r }),
  );
}

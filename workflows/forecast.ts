import { patched, workflowInfo } from '@temporalio/workflow';
import { FORECAST_SHARDS } from '../contracts/loop-timing.js';
import type { ForecastInput, ForecastResult } from '../contracts/workflows.js';
import { bookkeeping, cpuHeavy, gpuInference } from './activity-proxies.js';
import { recordedRun } from './run-record.js';

/**
 * The scope's series in shards: one `forecastSeriesShard` activity per shard on the CPU queue,
 * all scheduled at once, so every CPU worker polling the queue takes shards (each worker's
 * activity concurrency bounds how many it runs); a shard that fails or loses its worker is
 * retried alone and skips what it already stored. Only the set id and shard numbers pass
 * through the history; the counts are summed in the database once all shards are done.
 */
async function forecastSeriesInShards(forecastSetId: number, seriesPerShard: number) {
  const { shards } = await bookkeeping.planForecastShards({ forecastSetId, seriesPerShard });
  await Promise.all(Array.from({ length: shards }, (_, shard) => cpuHeavy.forecastSeriesShard({ forecastSetId, shard, shards })));
  return bookkeeping.summariseSeriesForecasts({ forecastSetId });
}

/**
 * Forecast a scope: existing products' demand on the CPU pool (in shards any number of CPU
 * workers share), candidates' launch curves on the GPU pool and the candidates' launch audiences
 * on the CPU pool (skipped without customer orders), in parallel, into one forecast set.
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
      // Workflows started before shards existed keep their one activity over the whole scope.
      const seriesStage = patched('forecast-shards')
        ? forecastSeriesInShards(forecastSetId, input.seriesPerShard ?? FORECAST_SHARDS.seriesPerShard)
        : cpuHeavy.forecastScopeSeries({ forecastSetId });
      // Launch audiences from customers' purchase histories, stored with the set. They read the
      // snapshot's candidates and customer orders, not the forecasts, so they run beside them;
      // workflows started before that ran them after both (or, before the stage existed, not at all).
      const besideForecasts = patched('audiences-beside-forecasts');
      const [series, candidates, beside] = await Promise.all([
        seriesStage,
        gpuInference.forecastCandidates({ forecastSetId }),
        besideForecasts ? cpuHeavy.scoreLaunchAudiences({ forecastSetId }) : undefined,
      ]);
      const audiences = besideForecasts ? beside : patched('audiences') ? await cpuHeavy.scoreLaunchAudiences({ forecastSetId }) : undefined;
      return {
        forecastSetId,
        seriesForecast: series.seriesForecast,
        seriesFailed: series.seriesFailed,
        candidatesForecast: candidates.candidatesForecast,
        coldStartMethod: candidates.method,
        ...(audiences ? { audiences: audiences.summary } : {}),
      };
    },
    (r) => ({ ...r }),
  );
}

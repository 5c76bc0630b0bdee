import { Context } from '@temporalio/activity';
import type { Database } from '../db/client.js';
import { forecastsRepository } from '../db/repositories/forecasts.repository.js';
import { snapshotsRepository } from '../db/repositories/snapshots.repository.js';
import { addWeeks } from '../engine/calendar/index.js';
import { productRequests, productSeries } from '../engine/demand/index.js';
import type { ForecastRequest, ModelName } from '../engine/forecast/index.js';
import type { ThreadPool } from '../services/thread-pool.js';
import { failures } from './errors.js';
import type { CpuActivities, RepositoryPort } from './types.js';

const BATCH = 32;

/** What the forecast activities read and write; tests pass fakes, the CPU worker the real ones. */
export interface ForecastActivityDeps {
  forecasts: RepositoryPort<ReturnType<typeof forecastsRepository>, 'createSet' | 'getSet' | 'scopeSales' | 'doneKeys' | 'saveSeries' | 'summarise' | 'productStats'>;
  snapshots: RepositoryPort<ReturnType<typeof snapshotsRepository>, 'salesThrough'>;
  pool: Pick<ThreadPool, 'run'>;
}

export function forecastActivityDeps(database: Database, pool: ThreadPool): ForecastActivityDeps {
  return { forecasts: forecastsRepository(database), snapshots: snapshotsRepository(database), pool };
}

/** Forecasting of existing products: the statistical engine, fanned out over worker threads. */
export function createForecastActivities({ forecasts: repo, snapshots, pool }: ForecastActivityDeps): Pick<CpuActivities, 'createForecastSet' | 'forecastScopeSeries'> {
  return {
    async createForecastSet({ scopeId, snapshotId, runId, horizonWeeks }) {
      if (!Number.isInteger(horizonWeeks) || horizonWeeks < 1 || horizonWeeks > 104)
        throw failures.invalidData(`horizonWeeks must be an integer from 1 to 104, got ${horizonWeeks}`);
      const salesThrough = await snapshots.salesThrough(snapshotId);
      if (!salesThrough) throw failures.notFound(`dataset snapshot ${snapshotId} does not exist`);
      const startWeek = addWeeks(salesThrough, 1);
      const forecastSetId = await repo.createSet({ scopeId, snapshotId, runId, horizon: horizonWeeks, startWeek, method: 'statistical+coldstart' });
      return { forecastSetId, startWeek };
    },

    async forecastScopeSeries({ forecastSetId }) {
      const ctx = Context.current();
      const set = await repo.getSet(forecastSetId);
      if (!set) throw failures.notFound(`forecast set ${forecastSetId} does not exist`);
      const model = (set.rules.forecastModel as ModelName | undefined) ?? 'auto';
      const rows = await repo.scopeSales(set);
      const done = await repo.doneKeys(forecastSetId);
      const { requests, total } = productRequests(rows, { through: set.salesThrough, horizon: set.horizon, model, done });
      let completed = total - requests.length;
      ctx.heartbeat({ completed, total });
      const batches: ForecastRequest[][] = [];
      for (let i = 0; i < requests.length; i += BATCH) batches.push(requests.slice(i, i + BATCH));

      // Batches run on the pool's threads; each is stored as soon as it finishes, so a retry
      // after a crash only redoes the batches that were in flight.
      await Promise.all(
        batches.map(async (batch) => {
          const results = await pool.run('forecastBatch', batch);
          if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
          await repo.saveSeries(forecastSetId, productSeries(batch, results));
          completed += batch.length;
          ctx.heartbeat({ completed, total });
        }),
      );

      const stats = await repo.productStats(forecastSetId);
      await repo.summarise(forecastSetId, { products: stats });
      return { seriesForecast: stats.ok, seriesFailed: stats.failed, models: stats.models ?? {} };
    },
  };
}

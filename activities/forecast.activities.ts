import { Context } from '@temporalio/activity';
import type { Database } from '../db/client.js';
import { forecastsRepository } from '../db/repositories/forecasts.repository.js';
import { snapshotsRepository } from '../db/repositories/snapshots.repository.js';
import { FORECAST_SHARDS } from '../contracts/loop-timing.js';
import { addWeeks } from '../engine/calendar/index.js';
import { productRequests, productSeries } from '../engine/demand/index.js';
import type { ForecastRequest, ModelName } from '../engine/forecast/index.js';
import type { ThreadPool } from '../services/thread-pool.js';
import { failures } from './errors.js';
import { shardCount, shardMembers } from './forecast-shards.js';
import type { CpuActivities, RepositoryPort } from './types.js';

const BATCH = 32;

/** What the forecast activities read and write; tests pass fakes, the CPU worker the real ones. */
export interface ForecastActivityDeps {
  forecasts: RepositoryPort<ReturnType<typeof forecastsRepository>, 'createSet' | 'getSet' | 'scopeSales' | 'seriesKeys' | 'doneKeys' | 'saveSeries' | 'summarise' | 'productStats'>;
  snapshots: RepositoryPort<ReturnType<typeof snapshotsRepository>, 'salesThrough'>;
  pool: Pick<ThreadPool, 'run'>;
}

export function forecastActivityDeps(database: Database, pool: ThreadPool): ForecastActivityDeps {
  return { forecasts: forecastsRepository(database), snapshots: snapshotsRepository(database), pool };
}

type ForecastsPort = ForecastActivityDeps['forecasts'];

/**
 * Forecasts `requests` in batches on the pool's threads; each batch is stored as soon as it
 * finishes, so a retry after a crash only redoes the batches that were in flight. Heartbeats
 * `progress()` after each batch; stops between batches when the activity is cancelled.
 */
async function forecastInBatches(o: {
  repo: ForecastsPort;
  pool: ForecastActivityDeps['pool'];
  forecastSetId: number;
  requests: ForecastRequest[];
  progress: (completed: number) => Record<string, unknown>;
  completed: number;
}): Promise<number> {
  const ctx = Context.current();
  let completed = o.completed;
  ctx.heartbeat(o.progress(completed));
  const batches: ForecastRequest[][] = [];
  for (let i = 0; i < o.requests.length; i += BATCH) batches.push(o.requests.slice(i, i + BATCH));
  await Promise.all(
    batches.map(async (batch) => {
      const results = await o.pool.run('forecastBatch', batch);
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
      await o.repo.saveSeries(o.forecastSetId, productSeries(batch, results));
      completed += batch.length;
      ctx.heartbeat(o.progress(completed));
    }),
  );
  return completed;
}

async function setOf(repo: ForecastsPort, forecastSetId: number) {
  const set = await repo.getSet(forecastSetId);
  if (!set) throw failures.notFound(`forecast set ${forecastSetId} does not exist`);
  return set;
}

const modelOf = (set: { rules: Record<string, unknown> }) => (set.rules.forecastModel as ModelName | undefined) ?? 'auto';

/** Forecasting of existing products: the statistical engine, fanned out over worker threads and, in shards, over CPU workers. */
export function createForecastActivities({ forecasts: repo, snapshots, pool }: ForecastActivityDeps): Pick<
  CpuActivities,
  'createForecastSet' | 'forecastScopeSeries' | 'planForecastShards' | 'forecastSeriesShard' | 'summariseSeriesForecasts'
> {
  const summariseSet = async (forecastSetId: number) => {
    const stats = await repo.productStats(forecastSetId);
    await repo.summarise(forecastSetId, { products: stats });
    return { seriesForecast: stats.ok, seriesFailed: stats.failed, models: stats.models ?? {} };
  };

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

    /** The whole scope in one activity: workflows started before forecast shards still run this. */
    async forecastScopeSeries({ forecastSetId }) {
      const set = await setOf(repo, forecastSetId);
      const rows = await repo.scopeSales(set);
      const done = await repo.doneKeys(forecastSetId);
      const { requests, total } = productRequests(rows, { through: set.salesThrough, horizon: set.horizon, model: modelOf(set), done });
      await forecastInBatches({ repo, pool, forecastSetId, requests, completed: total - requests.length, progress: (completed) => ({ completed, total }) });
      return summariseSet(forecastSetId);
    },

    async planForecastShards({ forecastSetId, seriesPerShard }) {
      if (!Number.isInteger(seriesPerShard) || seriesPerShard < 1)
        throw failures.invalidData(`seriesPerShard must be a positive integer, got ${seriesPerShard}`);
      const set = await setOf(repo, forecastSetId);
      const series = (await repo.seriesKeys(set)).length;
      return { shards: shardCount(series, seriesPerShard, FORECAST_SHARDS.maxShards), series };
    },

    /**
     * One shard: reads only its own series' sales, skips the series an earlier attempt stored
     * (resumable; writes are idempotent on (set, series) besides), heartbeats
     * `{ shard, completed, total }` after each batch.
     */
    async forecastSeriesShard({ forecastSetId, shard, shards }) {
      if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(shard) || shard < 0 || shard >= shards)
        throw failures.invalidData(`shard must be an integer from 0 to shards - 1 (shards ≥ 1), got shard ${shard} of ${shards}`);
      const set = await setOf(repo, forecastSetId);
      const keys = shardMembers(await repo.seriesKeys(set), shard, shards);
      const done = keys.length > 0 ? await repo.doneKeys(forecastSetId, keys) : new Set<string>();
      const todo = keys.filter((k) => !done.has(k));
      const rows = todo.length > 0 ? await repo.scopeSales(set, todo) : [];
      const { requests } = productRequests(rows, { through: set.salesThrough, horizon: set.horizon, model: modelOf(set), done });
      const total = keys.length;
      await forecastInBatches({ repo, pool, forecastSetId, requests, completed: done.size, progress: (completed) => ({ shard, completed, total }) });
      return { shard, series: total, forecast: requests.length, skipped: done.size };
    },

    async summariseSeriesForecasts({ forecastSetId }) {
      await setOf(repo, forecastSetId);
      return summariseSet(forecastSetId);
    },
  };
}

import { Context } from '@temporalio/activity';
import { scopeRulesSchema } from '../contracts/scope-rules.js';
import type { Database } from '../db/client.js';
import { artifactsRepository } from '../db/repositories/artifacts.repository.js';
import { catalogueRepository } from '../db/repositories/catalogue.repository.js';
import { forecastsRepository } from '../db/repositories/forecasts.repository.js';
import { modelsRepository } from '../db/repositories/models.repository.js';
import { prelaunchSignalsRepository } from '../db/repositories/prelaunch-signals.repository.js';
import { snapshotsRepository } from '../db/repositories/snapshots.repository.js';
import {
  buildColdStartContext,
  candidateRows,
  launchCurves,
  loadModel,
  resumable,
  runColdStartTraining,
  serializeModel,
  trainingSetup,
  TrainingAbortedError,
  type Checkpoint,
  type ColdStartContext,
  type EpochProgress,
  type TrainedModel,
  type TrainingSetup,
} from '../engine/coldstart/index.js';
import { correctWithSignals } from '../engine/prelaunch/index.js';
import { failures } from './errors.js';
import type { GpuActivities } from './types.js';

export const COLDSTART_KIND = 'coldstart-lstm';
const HORIZON = 13;

/** What a retried training attempt finds in its last heartbeat. */
export interface TrainingHeartbeat {
  modelId: number;
  epoch: number;
  epochs: number;
  trainLoss?: number;
  valLoss?: number;
  samplesPerSec?: number;
  checkpointUri?: string;
}

/**
 * Training progress as heartbeats: one per epoch and per checkpoint, and the latest progress
 * re-sent every 5 s, because epochs can be long on a slow backend and the heartbeat timeout
 * should detect a dead worker, not a long epoch.
 */
function trainingHeartbeats(ctx: Context, first: TrainingHeartbeat) {
  let beat = first;
  ctx.heartbeat(beat);
  const pulse = setInterval(() => ctx.heartbeat(beat), 5_000);
  return {
    epoch(p: EpochProgress) {
      beat = { ...beat, epoch: p.epoch, epochs: p.epochs, trainLoss: p.trainLoss, valLoss: p.valLoss, samplesPerSec: Math.round(p.samplesPerSec) };
      ctx.heartbeat(beat);
    },
    checkpointed(checkpointUri: string) {
      beat = { ...beat, checkpointUri };
      ctx.heartbeat(beat);
    },
    stop: () => clearInterval(pulse),
  };
}

export interface GpuActivityDeps {
  database: Database;
  /** The TensorFlow.js backend and LSTM kernel this worker runs on, e.g. `wasm/native` (engine/lstm/backend.ts). */
  backend: string;
}

/**
 * LSTM training and inference for new-product launch curves (the GPU pool). Training is
 * durable: a heartbeat every epoch, a checkpoint in the artifact store every few epochs, and a
 * retried attempt resumes from the checkpoint named in its last heartbeat.
 */
export function createColdStartActivities({ database, backend }: GpuActivityDeps): GpuActivities {
  const catalogue = catalogueRepository(database);
  const artifacts = artifactsRepository(database);
  const models = modelsRepository(database);
  const forecasts = forecastsRepository(database);
  const snapshots = snapshotsRepository(database);
  const prelaunch = prelaunchSignalsRepository(database);

  /**
   * indicators: whether the market indicators join the calendar. Training follows the scope
   * rule; inference always loads them, as a model reads only the covariates its spec names.
   */
  async function loadContext(scope: { region: string; categories: string[] }, through: string, o: { indicators: boolean }): Promise<ColdStartContext> {
    const [sales, { items, schema }, covariates] = await Promise.all([catalogue.sales(scope, through), catalogue.items(scope), catalogue.covariates(scope, through, o)]);
    try {
      return buildColdStartContext({ sales, items, schema, horizon: HORIZON, categoryColumn: 'category', covariates });
    } catch (err) {
      // Bad stored data (a promotion ending before it starts, a non-Monday week): retrying cannot fix it.
      throw failures.invalidData(`cannot read the cold-start inputs of ${scope.region} (${scope.categories.join(', ')}): ${(err as Error).message}`);
    }
  }

  async function loadChampion(scopeId: string): Promise<{ id: number; model: TrainedModel; metrics: Record<string, number> } | undefined> {
    const champion = await models.champion(scopeId, COLDSTART_KIND);
    if (!champion?.artifactUri) return undefined;
    const bytes = await artifacts.get(champion.artifactUri);
    if (!bytes) throw new Error(`champion model ${champion.id} points at missing artifact ${champion.artifactUri}`);
    return { id: champion.id, model: loadModel(bytes), metrics: champion.metrics ?? {} };
  }

  return {
    async trainColdStartModel({ scopeId, snapshotId, runId }) {
      const ctx = Context.current();
      const row = await snapshots.scopeAt(scopeId, snapshotId);
      if (!row) throw failures.notFound(`snapshot ${snapshotId} of scope ${scopeId} does not exist`);
      const rule = scopeRulesSchema.parse(row.rules ?? {}).coldStart;
      const context = await loadContext(row, row.salesThrough, { indicators: rule.indicators });
      let setup: TrainingSetup;
      try {
        setup = trainingSetup(context, rule);
      } catch (err) {
        throw failures.invalidData(`cannot train the cold-start model of ${scopeId}: ${(err as Error).message}`);
      }
      const record = await models.forRun({ scopeId, kind: COLDSTART_KIND, runId, snapshotId, hyper: setup.hyper, backend });

      const last = ctx.info.heartbeatDetails as TrainingHeartbeat | undefined;
      const checkpointUri = `checkpoints/${scopeId}/${COLDSTART_KIND}/v${record.version}.json`;
      // The last heartbeat names the checkpoint; a worker killed before its first heartbeat
      // reached the server may still have written one under this run's fixed URI.
      const resumeFrom = resumable(await artifacts.getJson<Checkpoint>(last?.checkpointUri ?? checkpointUri), setup);
      if (resumeFrom) ctx.log.info('resuming cold-start training from checkpoint', { epoch: resumeFrom.epoch, checkpointUri });
      const beats = trainingHeartbeats(ctx, { modelId: record.id, epoch: resumeFrom?.epoch ?? 0, epochs: 0, ...(resumeFrom ? { checkpointUri } : {}) });
      const outcome = await runColdStartTraining({
        context, setup, resumeFrom, modelId: record.id, signal: ctx.cancellationSignal,
        champion: () => loadChampion(scopeId),
        onEpoch: beats.epoch,
        onCheckpoint: async (c) => {
          await artifacts.putJson(checkpointUri, c);
          beats.checkpointed(checkpointUri);
        },
      })
        .catch((err: unknown) => {
          // Cancellation stops at a batch boundary; report it as the cancellation it is.
          throw err instanceof TrainingAbortedError && ctx.cancellationSignal.aborted ? ctx.cancellationSignal.reason : err;
        })
        .finally(beats.stop);
      if (outcome.championUnscored) ctx.log.warn('champion could not be scored on the new backtest; only the baseline is compared', { error: outcome.championUnscored });
      ctx.log.info(`cold-start model v${record.version} ${outcome.decision}`);

      const { metrics, promote } = outcome;
      const artifactUri = `models/${scopeId}/${COLDSTART_KIND}/v${record.version}.json`;
      await artifacts.put(artifactUri, serializeModel(outcome.model));
      await models.complete({ modelId: record.id, scopeId, kind: COLDSTART_KIND, artifactUri, metrics, promote });
      await artifacts.delete(checkpointUri);
      const current = await models.champion(scopeId, COLDSTART_KIND);
      // championId null: no model serves, the like-item baseline does (decision says why).
      return { modelId: record.id, version: record.version, promoted: promote, championId: current?.id ?? null, metrics, backend, decision: outcome.decision };
    },

    async forecastCandidates({ forecastSetId }) {
      const ctx = Context.current();
      const set = await forecasts.getSet(forecastSetId);
      if (!set) throw failures.notFound(`forecast set ${forecastSetId} does not exist`);
      const rows = candidateRows(await catalogue.candidates(set.scopeId), set.startWeek);
      const context = await loadContext(set, set.salesThrough, { indicators: true });
      ctx.heartbeat({ candidates: rows.length });
      const champion = await loadChampion(set.scopeId);
      const curves = launchCurves({ candidates: rows, context, champion, horizon: HORIZON });
      const { method, championId, championRejected } = curves;
      if (championRejected) ctx.log.warn('champion forecasts failed the sanity check; using the like-item baseline', { championId, reason: championRejected });
      // Pre-launch interest of the candidates and the scope's past launches, as of the set's data.
      const signals = await prelaunch.forItems([...rows.map((r) => r.itemId), ...context.items.map((i) => i.itemId)], set.salesThrough);
      const { series, summary: signalSummary } = correctWithSignals({ series: curves.series, candidates: rows, context, signals, horizon: HORIZON });
      if (signalSummary) ctx.log.info('pre-launch signals applied to candidate forecasts', { ...signalSummary });
      await forecasts.saveSeries(forecastSetId, series);
      await forecasts.summarise(forecastSetId, { candidates: { method, count: series.length, championId, ...(signalSummary ? { prelaunch: signalSummary } : {}) } });
      return { candidatesForecast: series.filter((s) => !s.error).length, method };
    },
  };
}

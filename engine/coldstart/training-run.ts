/**
 * One cold-start training run, from a scope's loaded context to a scored challenger: the data
 * set and hyper-parameters the scope rules ask for, training (resumed from a checkpoint that
 * still fits the data), and the backtest that decides whether the challenger replaces the
 * champion. Pure apart from what the caller passes in: the GPU activity loads the context,
 * stores checkpoints and the model, and heartbeats from the callbacks.
 */
// Not through ./index.js, which re-exports this file (the engine allows no import cycles).
import { trainColdStartModel, type Checkpoint, type ColdStartHyper, type EpochProgress, type TrainedModel } from './model/index.js';
import { backtestModel, heldOutLaunches } from './backtest.js';
import { prepareColdStartDataset, type ColdStartContext, type ColdStartDataset } from './features.js';

/** The `coldStart` scope rule (contracts/scope-rules.ts): hyper-parameters left undefined take the defaults. */
export interface ColdStartRule {
  epochs?: number;
  units?: number;
  hidden?: number;
  patience?: number;
  seed?: number;
  checkpointEvery: number;
  indicators: boolean;
}

export interface TrainingSetup {
  dataset: ColdStartDataset;
  /** Only the hyper-parameters the rule sets (recorded on the model row as asked for). */
  hyper: Partial<ColdStartHyper>;
  checkpointEvery: number;
}

/** The data set and settings of a run; throws when the context cannot make a data set (bad or too little data). */
export function trainingSetup(context: ColdStartContext, rule: ColdStartRule): TrainingSetup {
  const { checkpointEvery, indicators: _indicators, ...hyperRule } = rule;
  const hyper = Object.fromEntries(Object.entries(hyperRule).filter(([, v]) => v !== undefined)) as Partial<ColdStartHyper>;
  return { dataset: prepareColdStartDataset(context), hyper, checkpointEvery };
}

/**
 * A checkpoint resumes a run only if it was made for the same features: a promotion added
 * since (promotions are read as they stand) changes the spec, and the run starts over.
 */
export function resumable(checkpoint: Checkpoint | undefined, setup: TrainingSetup): Checkpoint | undefined {
  return checkpoint && JSON.stringify(checkpoint.featureSpec) === JSON.stringify(setup.dataset.spec) ? checkpoint : undefined;
}

export interface TrainingOutcome {
  model: TrainedModel;
  /** True when the challenger beats the champion's WAPE on the same held-out launches (or there is none). */
  promote: boolean;
  metrics: Record<string, number>;
  /** Why the champion could not be scored (the challenger then wins). */
  championUnscored?: string;
}

/**
 * Trains (or resumes) and scores the challenger against the champion. `champion` is called
 * after training, so a champion promoted meanwhile by another run is the one compared.
 * Cancellation through `signal` throws TrainingAbortedError at the next batch boundary.
 */
export async function runColdStartTraining(input: {
  context: ColdStartContext;
  setup: TrainingSetup;
  resumeFrom?: Checkpoint;
  signal?: AbortSignal;
  onEpoch?: (p: EpochProgress) => void;
  onCheckpoint?: (c: Checkpoint) => Promise<void>;
  champion: () => Promise<{ id: number; model: TrainedModel } | undefined>;
  /** The registry id of this run's model: a retried run may find itself as champion. */
  modelId: number;
}): Promise<TrainingOutcome> {
  const { context, setup, resumeFrom } = input;
  const model = await trainColdStartModel({
    dataset: setup.dataset,
    hyper: setup.hyper,
    resumeFrom,
    checkpointEvery: setup.checkpointEvery,
    signal: input.signal,
    onEpoch: input.onEpoch,
    onCheckpoint: input.onCheckpoint,
  });

  const launches = heldOutLaunches(context, setup.dataset.val, setup.dataset.spec.horizon);
  const score = backtestModel(model, context, launches);
  const spread = score.errorSpread;
  const champion = await input.champion();
  let championScore: number | undefined;
  let championUnscored: string | undefined;
  if (champion && champion.id !== input.modelId) {
    try {
      championScore = backtestModel(champion.model, context, launches).wape;
    } catch (err) {
      championUnscored = (err as Error).message;
    }
  }
  const metrics: Record<string, number> = {
    backtestWape: score.wape,
    backtestBias: score.bias,
    backtestLaunches: score.launches,
    // How weekly errors add up over a launch: the planner reads the correlation; the sd scale
    // (> 1 when even fully correlated weekly intervals are too narrow for launch totals) is
    // recorded to watch calibration, not applied: ~20 held-out launches make it noisy.
    ...(Number.isFinite(spread.rho) ? { errorCorrelation: spread.rho, errorSdScale: spread.sdScale } : {}),
    epochsRun: model.info.epochsRun,
    bestEpoch: model.info.bestEpoch,
    bestValLoss: model.info.bestValLoss,
    ...(resumeFrom ? { resumedFromEpoch: resumeFrom.epoch } : {}),
    ...(championScore !== undefined ? { championWape: championScore } : {}),
  };
  return {
    model,
    promote: championScore === undefined || score.wape < championScore,
    metrics,
    ...(championUnscored !== undefined ? { championUnscored } : {}),
  };
}

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
import { likeItemCurve } from './baselines.js';
import { weekDiff } from './history.js';

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
  /**
   * True only when the challenger beats the like-item baseline's WAPE on the same held-out
   * launches, and the champion's too when there is one.
   */
  promote: boolean;
  /** One sentence for the run: what was compared and what serves now. */
  decision: string;
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
  const baselineWape = likeItemBacktestWape(context, launches, setup.dataset.spec.horizon);
  const metrics: Record<string, number> = {
    backtestWape: score.wape,
    ...(Number.isFinite(baselineWape) ? { baselineWape } : {}),
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
  const { promote, decision } = promotionDecision({ wape: score.wape, baselineWape, championWape: championScore, championId: champion && champion.id !== input.modelId ? champion.id : undefined, launches: score.launches });
  return {
    model,
    promote,
    decision,
    metrics,
    ...(championUnscored !== undefined ? { championUnscored } : {}),
  };
}

/**
 * The like-item baseline scored on the held-out launches the challenger is scored on, each
 * forecast from the launches before it only (what like-item would have said at its launch).
 */
export function likeItemBacktestWape(context: ColdStartContext, launches: ReturnType<typeof heldOutLaunches>, horizon: number): number {
  const attrs = new Map(context.items.map((i) => [i.itemId, i.attributes]));
  let absErr = 0;
  let total = 0;
  for (const row of launches.rows) {
    const t = weekDiff(context.history.start, row.launchWeek);
    const curve = likeItemCurve(context.history, context.schema, attrs, row, t, horizon, { before: t });
    const actual = launches.actual.get(row.itemId) ?? [];
    actual.forEach((a, s) => {
      if (a === undefined) return;
      const f = Number.isFinite(curve[s]) ? curve[s] : 0;
      absErr += Math.abs(f - a);
      total += a;
    });
  }
  return total > 0 ? absErr / total : Number.NaN;
}

/**
 * Champion/challenger with the baseline as a standing contender: a model that cannot beat
 * like-item on the same launches is not promoted, the first model of a scope included, and the
 * forecasts keep coming from the champion if there is one, else from like-item.
 */
export function promotionDecision(o: { wape: number; baselineWape: number; championWape?: number; championId?: number; launches: number }): { promote: boolean; decision: string } {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : String(v));
  const on = `on the same ${o.launches} held-out launches`;
  const serving = o.championId !== undefined ? `champion #${o.championId} keeps serving` : 'the like-item baseline serves';
  if (Number.isFinite(o.baselineWape) && !(o.wape < o.baselineWape))
    return { promote: false, decision: `not promoted: WAPE ${f(o.wape)} does not beat like-item's ${f(o.baselineWape)} ${on}; ${serving}` };
  if (o.championWape !== undefined && !(o.wape < o.championWape))
    return { promote: false, decision: `not promoted: WAPE ${f(o.wape)} does not beat champion #${o.championId}'s ${f(o.championWape)} ${on}; ${serving}` };
  const vsBaseline = Number.isFinite(o.baselineWape) ? `like-item's ${f(o.baselineWape)}` : 'like-item (not measurable on these launches)';
  return {
    promote: true,
    decision: `promoted: WAPE ${f(o.wape)} beats ${vsBaseline}${o.championWape !== undefined ? ` and champion #${o.championId}'s ${f(o.championWape)}` : ''} ${on}`,
  };
}

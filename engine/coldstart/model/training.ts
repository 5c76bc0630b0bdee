/**
 * The training loop of the cold-start network: Adam written out (so its moments checkpoint),
 * early stopping on the validation loss, and calibration of the returned model.
 *
 * Training is resumable: a Checkpoint holds weights, Adam moments, early-stopping state and
 * the feature spec as plain data; epoch shuffles derive from (seed, epoch), so a run resumed
 * from epoch k repeats exactly what an uninterrupted run would have done.
 */
import * as tf from '@tensorflow/tfjs';
import { cloneWeights, deserializeWeights, serializeWeights, type WeightSet } from '../../lstm/index.js';
import type { ColdStartDataset, FeatureSpec, Samples } from '../features.js';
import { batchTensors, disposeBatch, meanTargetScale, shuffled } from './batches.js';
import { calibrateIntervals, choosePointLevel } from './calibration.js';
import { validateHyper, type ColdStartHyper } from './hyper.js';
import { forwardNet, initWeights, lossOf, type Vars } from './network.js';
import type { Checkpoint } from './persistence.js';
import { QUANTILES, type TrainedModel } from './trained-model.js';

export interface EpochProgress {
  epoch: number;
  epochs: number;
  trainLoss: number;
  valLoss: number;
  samplesPerSec: number;
  bestValLoss: number;
}

/** Thrown when `signal` aborts training; the partial run is lost except for checkpoints already sent. */
export class TrainingAbortedError extends Error {
  readonly code = 'coldstart.training_aborted';
  constructor(readonly epoch: number) {
    super(`cold-start training aborted during epoch ${epoch}`);
    this.name = 'TrainingAbortedError';
  }
}

export interface TrainOptions {
  dataset: ColdStartDataset;
  hyper?: Partial<ColdStartHyper>;
  resumeFrom?: Checkpoint;
  onEpoch?: (p: EpochProgress) => Promise<void> | void;
  /** Emit a checkpoint every this many epochs (and at the end); default 1. */
  checkpointEvery?: number;
  onCheckpoint?: (c: Checkpoint) => Promise<void>;
  signal?: AbortSignal;
}

function readVars(vars: Vars): WeightSet {
  const out: WeightSet = {};
  for (const [k, v] of Object.entries(vars)) out[k] = { shape: [...v.shape], data: v.dataSync().slice() as Float32Array };
  return out;
}

function evalLoss(vars: Vars, s: Samples, spec: FeatureSpec, h: ColdStartHyper, refScale: number): number {
  if (s.n === 0) return Number.NaN;
  let total = 0;
  let weight = 0;
  for (let b = 0; b < s.n; b += 512) {
    const idx = Array.from({ length: Math.min(512, s.n - b) }, (_, i) => b + i);
    const t = batchTensors(s, spec, idx, refScale);
    const l = tf.tidy(() => lossOf(forwardNet(vars, t.seq, t.stat, t.cov, false), t.target, t.mask, h.meanWeight));
    const m = tf.tidy(() => tf.sum(t.mask));
    const mw = m.dataSync()[0];
    total += l.dataSync()[0] * Math.max(mw, 1);
    weight += Math.max(mw, 1);
    tf.dispose([l, m]);
    disposeBatch(t);
  }
  return total / weight;
}

/** Variable names must be unique per process; runs may overlap in one worker. */
let runCounter = 0;

const B1 = 0.9;
const B2 = 0.999;
const EPS = 1e-7;

/**
 * Trains (or resumes training of) the cold-start model. Deterministic for a given dataset,
 * hyper and backend. Stops early after `patience` epochs without validation improvement and
 * returns the best-validation weights.
 */
export async function trainColdStartModel(o: TrainOptions): Promise<TrainedModel> {
  const spec = o.dataset.spec;
  const hyper = validateHyper(o.resumeFrom ? { ...o.resumeFrom.hyper } : (o.hyper ?? {}));
  if (o.resumeFrom && JSON.stringify(o.resumeFrom.featureSpec) !== JSON.stringify(spec))
    throw new Error('checkpoint feature spec differs from the dataset: resume needs the same prepared dataset');
  const every = o.checkpointEvery ?? 1;
  const init = o.resumeFrom ? deserializeWeights(o.resumeFrom.weights) : initWeights(spec, hyper, o.dataset.train);
  runCounter++;
  const vars: Vars = {};
  const m: Record<string, tf.Variable> = {};
  const v: Record<string, tf.Variable> = {};
  const om = o.resumeFrom ? deserializeWeights(o.resumeFrom.optimizer.m) : undefined;
  const ov = o.resumeFrom ? deserializeWeights(o.resumeFrom.optimizer.v) : undefined;
  // tf.variable shares its initial tensor's data and takes a reference of its own: the initial
  // tensor must be disposed too, or every training run leaks three tensors per weight in a
  // long-lived GPU worker.
  const variable = (init: tf.Tensor, trainable: boolean, name?: string): tf.Variable => {
    const out = tf.variable(init, trainable, name);
    init.dispose();
    return out;
  };
  for (const [k, w] of Object.entries(init)) {
    vars[k] = variable(tf.tensor(w.data, w.shape), true, `coldstart/${runCounter}/${k}`);
    m[k] = variable(om ? tf.tensor(om[k].data, w.shape) : tf.zeros(w.shape), false);
    v[k] = variable(ov ? tf.tensor(ov[k].data, w.shape) : tf.zeros(w.shape), false);
  }
  let step = o.resumeFrom?.optimizer.step ?? 0;
  let bestValLoss = o.resumeFrom?.bestValLoss ?? Number.POSITIVE_INFINITY;
  let bestEpoch = o.resumeFrom?.bestEpoch ?? 0;
  let best: WeightSet = o.resumeFrom ? deserializeWeights(o.resumeFrom.bestWeights) : cloneWeights(init);
  let epoch = o.resumeFrom?.epoch ?? 0;
  let stoppedEarly = false;
  const names = Object.keys(vars);
  const varList = names.map((k) => vars[k]);
  const train = o.dataset.train;
  const refScale = meanTargetScale(train);
  const checkpoint = (): Checkpoint => ({
    format: 'launchloop.coldstart.checkpoint/1',
    epoch,
    weights: serializeWeights(readVars(vars)),
    optimizer: { step, m: serializeWeights(readVars(m)), v: serializeWeights(readVars(v)) },
    bestValLoss,
    bestEpoch,
    bestWeights: serializeWeights(best),
    hyper,
    featureSpec: spec,
  });
  try {
    if (epoch - bestEpoch >= hyper.patience) stoppedEarly = true;
    while (!stoppedEarly && epoch < hyper.epochs) {
      const current = epoch + 1;
      const t0 = performance.now();
      const order = shuffled(train.n, hyper.seed, current);
      let lossSum = 0;
      let lossN = 0;
      for (let b = 0; b < train.n; b += hyper.batchSize) {
        // Abort only between batches, so variables are never half-updated.
        if (o.signal?.aborted) throw new TrainingAbortedError(current);
        const idx = order.slice(b, b + hyper.batchSize);
        const t = batchTensors(train, spec, idx, refScale);
        step++;
        const lr = hyper.learningRate;
        const { value, grads } = tf.variableGrads(() => {
          const base = lossOf(forwardNet(vars, t.seq, t.stat, t.cov, true), t.target, t.mask, hyper.meanWeight);
          let reg = tf.add(tf.sum(tf.square(vars['dense/kernel'])), tf.sum(tf.square(vars['out/kernel'])));
          if (vars['cov/kernel']) reg = tf.add(reg, tf.sum(tf.square(vars['cov/kernel'])));
          return tf.add(base, tf.mul(hyper.l2, reg)) as tf.Scalar;
        }, varList);
        tf.tidy(() => {
          // Adam (Kingma & Ba 2015) written out so its moments can be checkpointed.
          const c1 = 1 - B1 ** step;
          const c2 = 1 - B2 ** step;
          for (const k of names) {
            const g = grads[vars[k].name];
            m[k].assign(tf.add(tf.mul(B1, m[k]), tf.mul(1 - B1, g)));
            v[k].assign(tf.add(tf.mul(B2, v[k]), tf.mul(1 - B2, tf.square(g))));
            const upd = tf.div(tf.mul(lr / c1, m[k]), tf.add(tf.sqrt(tf.div(v[k], c2)), EPS));
            vars[k].assign(tf.sub(vars[k], upd));
          }
        });
        lossSum += value.dataSync()[0] * idx.length;
        lossN += idx.length;
        tf.dispose([value, ...Object.values(grads)]);
        disposeBatch(t);
        // Yield to the event loop so heartbeats and abort signals are seen during long epochs.
        await new Promise<void>((r) => setImmediate(r));
      }
      const secs = (performance.now() - t0) / 1000;
      epoch = current;
      const valLoss = o.dataset.val.n > 0 ? evalLoss(vars, o.dataset.val, spec, hyper, refScale) : lossSum / Math.max(1, lossN);
      if (valLoss < bestValLoss) {
        bestValLoss = valLoss;
        bestEpoch = epoch;
        best = readVars(vars);
      }
      if (epoch - bestEpoch >= hyper.patience) stoppedEarly = true;
      await o.onEpoch?.({ epoch, epochs: hyper.epochs, trainLoss: lossSum / Math.max(1, lossN), valLoss, samplesPerSec: train.n / secs, bestValLoss });
      if (o.onCheckpoint && (epoch % every === 0 || stoppedEarly || epoch === hyper.epochs)) await o.onCheckpoint(checkpoint());
    }
  } finally {
    tf.dispose([...varList, ...Object.values(m), ...Object.values(v)]);
  }
  const model: TrainedModel = {
    format: 'launchloop.coldstart.model/1',
    hyper,
    featureSpec: spec,
    weights: best,
    quantiles: [...QUANTILES],
    info: { epochsRun: epoch, bestEpoch, bestValLoss, stoppedEarly, backend: tf.getBackend(), intervalScale: 1, pointLevel: 0.5 },
  };
  model.info.intervalScale = calibrateIntervals(model, o.dataset.val);
  model.info.pointLevel = choosePointLevel(model, o.dataset.val);
  return model;
}

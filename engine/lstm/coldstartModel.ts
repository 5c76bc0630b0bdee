/**
 * The cold-start network and its durable training API.
 *
 * Network: LSTM(units) over the history window (empty for a launch: zeros + observed flag 0 +
 * calendar) → concat with static attributes and launch context → Dense(hidden, relu) →
 * per-step outputs [quantiles 0.1, 0.5, 0.6, 0.7, 0.8, 0.9, mean] in units relative to the
 * step's scale. Loss: pinball (quantile) loss plus `meanWeight` × squared error on the mean
 * head, over observed target weeks, each weighted by its scale (so the loss counts units, as
 * WAPE does). The mean head estimates the conditional mean; the point forecast is the quantile
 * at one level τ, chosen on the validation launches so that quantile totals meet the mean
 * head's (pointForecast.ts); quantiles are sorted to fix crossing.
 *
 * Training is resumable: a Checkpoint holds weights, Adam moments, early-stopping state and
 * the feature spec as plain data; epoch shuffles derive from (seed, epoch), so a run resumed
 * from epoch k repeats exactly what an uninterrupted run would have done.
 */
import * as tf from '@tensorflow/tfjs';
import type { ColdStartContext, ColdStartDataset, FeatureSpec, Samples } from '../coldstart/features.js';
import { encodeCandidates } from '../coldstart/features.js';
import { quantileAt, unbiasedQuantileLevel } from '../coldstart/pointForecast.js';
import type { CandidateRow, LaunchForecast } from '../coldstart/types.js';
import { lstmLastHidden, lstmLastHiddenInference } from './fastLstm.js';
import { cloneWeights, deserializeWeights, rng, serializeWeights, type SerializedTensor, type WeightSet } from './tensors.js';

export interface ColdStartHyper {
  units: number;
  hidden: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Epochs without validation improvement before stopping. */
  patience: number;
  seed: number;
  /** Weight of the mean head's squared error relative to the pinball loss. */
  meanWeight: number;
  /** L2 penalty on dense weights. */
  l2: number;
}

export const DEFAULT_HYPER: ColdStartHyper = {
  units: 16,
  hidden: 32,
  epochs: 60,
  batchSize: 64,
  learningRate: 0.003,
  patience: 10,
  seed: 42,
  meanWeight: 0.25,
  l2: 1e-4,
};

const BOUNDS: Record<keyof ColdStartHyper, [number, number]> = {
  units: [1, 1024],
  hidden: [1, 4096],
  epochs: [1, 100_000],
  batchSize: [1, 65_536],
  learningRate: [1e-7, 1],
  patience: [1, 100_000],
  seed: [0, 2 ** 32 - 1],
  meanWeight: [0, 100],
  l2: [0, 1],
};

export function validateHyper(h: Partial<ColdStartHyper>): ColdStartHyper {
  const out = { ...DEFAULT_HYPER, ...h };
  for (const [k, [lo, hi]] of Object.entries(BOUNDS) as Array<[keyof ColdStartHyper, [number, number]]>) {
    const v = out[k];
    if (!Number.isFinite(v) || v < lo || v > hi) throw new RangeError(`hyper.${k} must be in [${lo}, ${hi}], got ${v}`);
  }
  return out;
}

/**
 * Quantile levels of the per-step outputs (the mean follows them). Between p50 and p90 the
 * levels are dense because the point forecast is a quantile in that range (see pointLevel).
 */
export const QUANTILES = [0.1, 0.5, 0.6, 0.7, 0.8, 0.9] as const;
/** Models saved before the dense quantiles had p10, p50, p90, mean per step. */
const LEGACY_QUANTILES = [0.1, 0.5, 0.9];
const OUT_PER_STEP = QUANTILES.length + 1;
const MEAN = QUANTILES.length;

/** The quantile levels a trained model's outputs hold (older models: p10, p50, p90). */
function levelsOf(model: TrainedModel): readonly number[] {
  return model.quantiles ?? LEGACY_QUANTILES;
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  trainLoss: number;
  valLoss: number;
  samplesPerSec: number;
  bestValLoss: number;
}

export interface AdamState {
  step: number;
  m: Record<string, SerializedTensor>;
  v: Record<string, SerializedTensor>;
}

export interface Checkpoint {
  format: 'launchloop.coldstart.checkpoint/1';
  /** Last completed epoch (1-based); a resumed run starts at epoch + 1. */
  epoch: number;
  weights: Record<string, SerializedTensor>;
  optimizer: AdamState;
  bestValLoss: number;
  bestEpoch: number;
  bestWeights: Record<string, SerializedTensor>;
  hyper: ColdStartHyper;
  featureSpec: FeatureSpec;
}

export interface TrainedModel {
  format: 'launchloop.coldstart.model/1';
  hyper: ColdStartHyper;
  featureSpec: FeatureSpec;
  weights: WeightSet;
  /** Quantile levels of the outputs, in order, before the mean (absent in older models: 0.1, 0.5, 0.9). */
  quantiles?: number[];
  info: {
    epochsRun: number;
    bestEpoch: number;
    bestValLoss: number;
    stoppedEarly: boolean;
    backend: string;
    /**
     * Factor on the p10/p90 distances from p50 that makes 80% of the validation launches'
     * observed weeks fall inside (split-conformal style); 1 when there is no validation set.
     */
    intervalScale: number;
    /**
     * Level τ of the point forecast: the common quantile level at which the validation
     * launches' predicted quantiles add up to their predicted means (see pointForecast.ts):
     * least expected absolute error with unbiased totals. 0.5 when there is no validation set.
     */
    pointLevel?: number;
  };
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

/** Shapes of every variable, in a fixed order (the order also seeds initialisation). */
function shapes(spec: FeatureSpec, h: ColdStartHyper): Array<[string, number[]]> {
  const H = h.units;
  return [
    ['lstm/kernel', [spec.seqFeatures, 4 * H]],
    ['lstm/recurrent', [H, 4 * H]],
    ['lstm/bias', [4 * H]],
    ['dense/kernel', [H + spec.staticSize, h.hidden]],
    ['dense/bias', [h.hidden]],
    ['out/kernel', [h.hidden, spec.horizon * OUT_PER_STEP]],
    ['out/bias', [spec.horizon * OUT_PER_STEP]],
    // Known-ahead covariates act on each step's outputs through one shared effect per covariate
    // and output (a promotion lifts whichever week it falls in): few weights, learnable from
    // a few hundred launches, unlike a separate input per step.
    ...(covCount(spec) > 0 ? [['cov/kernel', [covCount(spec), OUT_PER_STEP]] as [string, number[]]] : []),
  ];
}

function covCount(spec: FeatureSpec): number {
  return spec.covariates?.length ?? 0;
}

/**
 * Per-step empirical quantiles and mean of the training targets: the output biases start
 * there, so the network starts from the average launch curve and learns deviations (with a
 * few hundred launches, starting from zero wastes most of the early-stopping budget).
 */
function targetStats(s: Samples, horizon: number): Float32Array {
  const out = new Float32Array(horizon * OUT_PER_STEP);
  for (let st = 0; st < horizon; st++) {
    const vals: number[] = [];
    for (let i = 0; i < s.n; i++) if (s.mask[i * horizon + st] > 0) vals.push(s.target[i * horizon + st]);
    if (vals.length === 0) continue;
    vals.sort((a, b) => a - b);
    QUANTILES.forEach((q, k) => {
      out[st * OUT_PER_STEP + k] = vals[Math.min(vals.length - 1, Math.floor(q * vals.length))];
    });
    out[st * OUT_PER_STEP + MEAN] = vals.reduce((a, b) => a + b, 0) / vals.length;
  }
  return out;
}

/** Glorot-uniform kernels, zero biases except the LSTM forget gate (1, Jozefowicz et al. 2015). */
export function initWeights(spec: FeatureSpec, h: ColdStartHyper, train?: Samples): WeightSet {
  const r = rng(h.seed);
  const out: WeightSet = {};
  for (const [name, shape] of shapes(spec, h)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name === 'cov/kernel') {
      // Zero: the covariates start with no effect, so the network starts at the average curve.
    } else if (shape.length === 2) {
      const lim = Math.sqrt(6 / (shape[0] + shape[1]));
      for (let i = 0; i < size; i++) data[i] = (2 * r() - 1) * lim;
    } else if (name === 'lstm/bias') data.fill(1, h.units, 2 * h.units);
    else if (name === 'out/bias' && train && train.n > 0) data.set(targetStats(train, spec.horizon));
    out[name] = { shape, data };
  }
  return out;
}

type Vars = Record<string, tf.Variable>;

/** cov: [batch, horizon, covariates], or undefined for a model without covariates. */
function forwardNet(v: Record<string, tf.Tensor>, seq: tf.Tensor3D, stat: tf.Tensor2D, cov: tf.Tensor3D | undefined, training: boolean, outPerStep = OUT_PER_STEP): tf.Tensor3D {
  const lw = { kernel: v['lstm/kernel'] as tf.Tensor2D, recurrent: v['lstm/recurrent'] as tf.Tensor2D, bias: v['lstm/bias'] as tf.Tensor1D };
  const hT = training ? lstmLastHidden(seq, lw) : lstmLastHiddenInference(seq, lw);
  const z = tf.relu(tf.add(tf.matMul(tf.concat([hT, stat], 1), v['dense/kernel'] as tf.Tensor2D), v['dense/bias']));
  const y = tf.add(tf.matMul(z as tf.Tensor2D, v['out/kernel'] as tf.Tensor2D), v['out/bias']);
  const out = tf.reshape(y, [seq.shape[0], -1, outPerStep]) as tf.Tensor3D;
  const k = v['cov/kernel'] as tf.Tensor2D | undefined;
  if (!cov || !k || cov.shape[2] === 0) return out;
  // Multiplicative: a covariate scales the step's whole distribution (its quantiles and mean).
  const [b, hz, c] = cov.shape;
  const effect = tf.reshape(tf.matMul(tf.reshape(cov, [b * hz, c]), k), [b, hz, outPerStep]);
  return tf.mul(out, tf.exp(tf.clipByValue(effect, -5, 5))) as tf.Tensor3D;
}

function lossOf(pred: tf.Tensor3D, target: tf.Tensor2D, mask: tf.Tensor2D, meanWeight: number): tf.Scalar {
  return tf.tidy(() => {
    const y = tf.expandDims(target, 2);
    const q = tf.slice(pred, [0, 0, 0], [-1, -1, MEAN]);
    const e = tf.sub(y, q);
    const tau = tf.tensor1d([...QUANTILES]);
    // Pinball loss averaged over the levels, ×3 so its weight against the mean head's squared
    // error is that of the original three quantiles.
    const pin = tf.mul(3 / QUANTILES.length, tf.sum(tf.maximum(tf.mul(tau, e), tf.mul(tf.sub(tau, 1), e)), 2));
    const mean = tf.squeeze(tf.slice(pred, [0, 0, MEAN], [-1, -1, 1]), [2]);
    const se = tf.square(tf.sub(mean, target));
    const per = tf.add(pin, tf.mul(meanWeight, se));
    const n = tf.maximum(tf.sum(mask), 1);
    return tf.div(tf.sum(tf.mul(per, mask)), n) as tf.Scalar;
  });
}

/**
 * Mean scale over the observed target weeks: dividing each week's scale by it gives the loss
 * weight that turns a loss in relative units back into one in units (see batchTensors).
 */
export function meanTargetScale(s: Samples): number {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < s.mask.length; k++)
    if (s.mask[k] > 0) {
      sum += s.scale[k];
      n++;
    }
  return n > 0 && sum > 0 ? sum / n : 1;
}

/**
 * Batch tensors; `mask` holds each target week's loss weight: 0 where unobserved, else
 * scale / `refScale` when `refScale` is given. Targets are relative (units / scale), but
 * WAPE counts units: an error on a launch in a strong season or group costs more units, and
 * the weight makes the loss count it so (the loss in units, up to the constant refScale).
 */
interface BatchTensors {
  seq: tf.Tensor3D;
  stat: tf.Tensor2D;
  cov: tf.Tensor3D | undefined;
  target: tf.Tensor2D;
  mask: tf.Tensor2D;
}

function disposeBatch(t: BatchTensors): void {
  tf.dispose([t.seq, t.stat, t.target, t.mask, ...(t.cov ? [t.cov] : [])]);
}

function batchTensors(s: Samples, spec: FeatureSpec, idx: number[], refScale?: number): BatchTensors {
  const W = spec.window * spec.seqFeatures;
  const S = spec.staticSize;
  const Hz = spec.horizon;
  const C = covCount(spec);
  const cov = new Float32Array(idx.length * Hz * C);
  const seq = new Float32Array(idx.length * W);
  const stat = new Float32Array(idx.length * S);
  const target = new Float32Array(idx.length * Hz);
  const mask = new Float32Array(idx.length * Hz);
  idx.forEach((i, k) => {
    seq.set(s.seq.subarray(i * W, (i + 1) * W), k * W);
    stat.set(s.stat.subarray(i * S, (i + 1) * S), k * S);
    target.set(s.target.subarray(i * Hz, (i + 1) * Hz), k * Hz);
    mask.set(s.mask.subarray(i * Hz, (i + 1) * Hz), k * Hz);
    if (C > 0) cov.set(s.cov.subarray(i * Hz * C, (i + 1) * Hz * C), k * Hz * C);
    if (refScale !== undefined) for (let j = 0; j < Hz; j++) mask[k * Hz + j] *= s.scale[i * Hz + j] / refScale;
  });
  return {
    seq: tf.tensor3d(seq, [idx.length, spec.window, spec.seqFeatures]),
    stat: tf.tensor2d(stat, [idx.length, S]),
    cov: C > 0 ? tf.tensor3d(cov, [idx.length, Hz, C]) : undefined,
    target: tf.tensor2d(target, [idx.length, Hz]),
    mask: tf.tensor2d(mask, [idx.length, Hz]),
  };
}

function shuffled(n: number, seed: number, epoch: number): number[] {
  const r = rng((seed * 2654435761 + epoch * 40503) >>> 0);
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
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

/** Coverage of [p50 − λ(p50 − p10), p50 + λ(p90 − p50)] over observed weeks, for each λ. */
function calibrateIntervals(model: TrainedModel, val: Samples, target = 0.8): number {
  if (val.n === 0) return 1;
  const Hz = model.featureSpec.horizon;
  const raw = predictRelative(model, val);
  const L = levelsOf(model);
  const per = L.length + 1;
  // λ needed for each observed week to be covered; the target quantile of these is the answer.
  const need: number[] = [];
  for (let k = 0; k < val.n * Hz; k++) {
    if (!(val.mask[k] > 0)) continue;
    const q = Array.from(raw.subarray(k * per, k * per + L.length));
    const [lo, mid, hi] = [quantileAt(L, q, 0.1), quantileAt(L, q, 0.5), quantileAt(L, q, 0.9)];
    const y = val.target[k];
    need.push(y >= mid ? (y - mid) / Math.max(hi - mid, 1e-9) : (mid - y) / Math.max(mid - lo, 1e-9));
  }
  if (need.length === 0) return 1;
  need.sort((a, b) => a - b);
  const lambda = need[Math.min(need.length - 1, Math.ceil(target * need.length) - 1)];
  // Never narrow below the trained quantiles' width by more than half, nor widen absurdly.
  return Math.min(10, Math.max(0.5, lambda));
}

/**
 * τ for the point forecast from the validation launches' own predictions (no actuals): the
 * level where their quantiles' total meets their means' total, searched in [0.5, 0.9].
 */
function choosePointLevel(model: TrainedModel, val: Samples): number {
  if (val.n === 0) return 0.5;
  const Hz = model.featureSpec.horizon;
  const raw = predictRelative(model, val);
  const L = levelsOf(model);
  const per = L.length + 1;
  const points: Array<{ quantiles: number[]; mean: number }> = [];
  for (let k = 0; k < val.n * Hz; k++) {
    // Weekly units, not relative ones: a launch's weight is its scale, as in the total.
    const sc = val.scale[k];
    points.push({ quantiles: Array.from(raw.subarray(k * per, k * per + L.length), (v) => Math.max(0, v) * sc), mean: Math.max(0, raw[k * per + L.length]) * sc });
  }
  return unbiasedQuantileLevel(L, points, { lo: 0.5, hi: L[L.length - 1] });
}

/** JSON bytes (weights base64) — storable in an artifact store or a bytea column. */
export function serializeModel(model: TrainedModel): Uint8Array {
  const json = JSON.stringify({ ...model, weights: serializeWeights(model.weights) });
  return new TextEncoder().encode(json);
}

export function loadModel(bytes: Uint8Array): TrainedModel {
  const raw = JSON.parse(new TextDecoder().decode(bytes)) as Omit<TrainedModel, 'weights'> & { weights: Record<string, SerializedTensor> };
  if (raw.format !== 'launchloop.coldstart.model/1') throw new Error(`not a cold-start model (format ${String(raw.format)})`);
  return { ...raw, weights: deserializeWeights(raw.weights) };
}

/** Raw network outputs [n, horizon, quantiles + mean] in relative units. */
export function predictRelative(model: TrainedModel, s: Samples): Float32Array {
  const spec = model.featureSpec;
  const vars: Record<string, tf.Tensor> = {};
  for (const [k, w] of Object.entries(model.weights)) vars[k] = tf.tensor(w.data, w.shape);
  const per = levelsOf(model).length + 1;
  const out = new Float32Array(s.n * spec.horizon * per);
  try {
    for (let b = 0; b < s.n; b += 1024) {
      const idx = Array.from({ length: Math.min(1024, s.n - b) }, (_, i) => b + i);
      const t = batchTensors(s, spec, idx);
      const y = tf.tidy(() => forwardNet(vars, t.seq, t.stat, t.cov, false, per));
      out.set(y.dataSync(), b * spec.horizon * per);
      tf.dispose(y);
      disposeBatch(t);
    }
  } finally {
    tf.dispose(Object.values(vars));
  }
  return out;
}

/**
 * Launch curves for candidates: relative outputs × the per-step scale (launch level × seasonal
 * multiplier); quantiles sorted (no crossing), p10/p90 distances from p50 widened by the
 * validation-calibrated `intervalScale`, clipped at 0; mean = the mean head, clipped at 0;
 * point = the quantile at the model's `pointLevel` (WAPE-minded with unbiased totals).
 */
export function predictColdStart(model: TrainedModel, candidates: CandidateRow[], context: ColdStartContext): LaunchForecast[] {
  const spec = model.featureSpec;
  const s = encodeCandidates(spec, context, candidates);
  const raw = predictRelative(model, s);
  const L = levelsOf(model);
  const per = L.length + 1;
  const tau = model.info.pointLevel ?? 0.5;
  const lambda = model.info.intervalScale ?? 1;
  const out: LaunchForecast[] = [];
  for (let i = 0; i < s.n; i++) {
    for (let st = 0; st < spec.horizon; st++) {
      const o = (i * spec.horizon + st) * per;
      const sc = s.scale[i * spec.horizon + st];
      const q = Array.from(raw.subarray(o, o + L.length));
      const [lo, mid, hi] = [quantileAt(L, q, 0.1), quantileAt(L, q, 0.5), quantileAt(L, q, 0.9)];
      const p10 = Math.max(0, mid - lambda * (mid - lo)) * sc;
      const p90 = Math.max(0, mid + lambda * (hi - mid)) * sc;
      const mean = Math.max(0, raw[o + L.length]) * sc;
      const point = Math.max(0, quantileAt(L, q, tau)) * sc;
      out.push({ itemId: s.itemIds[i], step: st + 1, mean, p10, p50: Math.max(0, mid) * sc, p90, point });
    }
  }
  return out;
}

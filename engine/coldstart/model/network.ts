/**
 * The cold-start network: LSTM(units) over the history window (empty for a launch: zeros +
 * observed flag 0 + calendar) → concat with static attributes and launch context →
 * Dense(hidden, relu) → per-step outputs [quantiles 0.1, 0.5, 0.6, 0.7, 0.8, 0.9, mean] in units
 * relative to the step's scale, scaled by the known-ahead covariates' effects. Loss: pinball
 * (quantile) loss plus `meanWeight` × squared error on the mean head, over observed target
 * weeks, each weighted by its scale (so the loss counts units, as WAPE does).
 */
import * as tf from '@tensorflow/tfjs';
import { lstmLastHidden, lstmLastHiddenInference, rng, type WeightSet } from '../../lstm/index.js';
import type { FeatureSpec, Samples } from '../features.js';
import type { ColdStartHyper } from './hyper.js';
import { MEAN, OUT_PER_STEP, QUANTILES } from './trained-model.js';

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

export function covCount(spec: FeatureSpec): number {
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

export type Vars = Record<string, tf.Variable>;

/** cov: [batch, horizon, covariates], or undefined for a model without covariates. */
export function forwardNet(v: Record<string, tf.Tensor>, seq: tf.Tensor3D, stat: tf.Tensor2D, cov: tf.Tensor3D | undefined, training: boolean, outPerStep = OUT_PER_STEP): tf.Tensor3D {
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

export function lossOf(pred: tf.Tensor3D, target: tf.Tensor2D, mask: tf.Tensor2D, meanWeight: number): tf.Scalar {
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

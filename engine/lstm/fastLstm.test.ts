import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';
import { fromKerasLayout, lstmLastHidden, lstmLastHiddenInference, toKerasLayout } from './fastLstm.js';
import { referenceLstmLayer } from './reference.js';

beforeAll(async () => {
  await selectBackend({ logger: { info: () => undefined } });
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('fast LSTM vs the tfjs-layers reference', () => {
  const B = 3;
  const T = 7;
  const F = 4;
  const H = 5;

  it('same weights give the same last hidden state and the same gradients (1e-4)', () => {
    const x = tf.randomNormal([B, T, F], 0, 1, 'float32', 11) as tf.Tensor3D;
    const layer = referenceLstmLayer(H);
    layer.apply(x); // builds the weights
    const [k, r, b] = layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.6, 'float32', 20 + i));
    layer.setWeights([k, r, b]);
    const proj = tf.randomNormal([B, H], 0, 1, 'float32', 5);

    const yRef = layer.apply(x) as tf.Tensor;
    const kernel = tf.variable(fromKerasLayout(k)) as tf.Variable<tf.Rank.R2>;
    const recurrent = tf.variable(fromKerasLayout(r)) as tf.Variable<tf.Rank.R2>;
    const bias = tf.variable(fromKerasLayout(b)) as tf.Variable<tf.Rank.R1>;
    const w = { kernel, recurrent, bias };
    expect(maxAbsDiff(lstmLastHidden(x, w), yRef)).toBeLessThan(1e-4);
    expect(maxAbsDiff(lstmLastHiddenInference(x, w), yRef)).toBeLessThan(1e-4);

    // Gradients of a random projection of h_T w.r.t. the weights and the input.
    const refVars = layer.trainableWeights.map((lw) => lw.read() as tf.Variable);
    const refG = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, proj)) as tf.Scalar, refVars);
    const fastG = tf.variableGrads(() => tf.sum(tf.mul(lstmLastHidden(x, w), proj)) as tf.Scalar, [kernel, recurrent, bias]);
    const pairs: Array<[tf.Tensor, tf.Tensor]> = [
      [toKerasLayout(fastG.grads[kernel.name]), refG.grads[refVars[0].name]],
      [toKerasLayout(fastG.grads[recurrent.name]), refG.grads[refVars[1].name]],
      [toKerasLayout(fastG.grads[bias.name]), refG.grads[refVars[2].name]],
    ];
    for (const [a, e] of pairs) expect(maxAbsDiff(a, e)).toBeLessThan(1e-4);

    const dxRef = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, proj)))(x);
    const dxFast = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(lstmLastHidden(xx as tf.Tensor3D, w), proj)))(x);
    expect(maxAbsDiff(dxFast, dxRef)).toBeLessThan(1e-4);
  });

  it('layout conversion round-trips', () => {
    const w = tf.range(0, 16).reshape([2, 8]);
    expect(toKerasLayout(fromKerasLayout(w)).arraySync()).toEqual(w.arraySync());
  });
});

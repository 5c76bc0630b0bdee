import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLstmKernel, selectLstmBackend, useLstmKernel } from '../../services/lstm-runtime.js';
import { fromKerasLayout, lstmLastHidden, lstmLastHiddenInference, toKerasLayout } from './fast-lstm.js';
import type { LstmKernelName } from './kernel.js';
import { referenceLstmLayer } from './reference.js';

beforeAll(async () => {
  await selectLstmBackend({ logger: { info: () => undefined } });
});
afterAll(() => {
  useLstmKernel('tfjs');
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

// The native kernel builds wherever gcc and Node's headers exist (the CI machines); where it
// cannot, its cases are skipped and the reason printed, and the tfjs cases still run.
const native = loadLstmKernel({ prefer: 'auto' });
if (native.choice.name !== 'native') console.warn(`native LSTM kernel not tested: ${native.choice.reason}`);
const kernels: LstmKernelName[] = native.choice.name === 'native' ? ['tfjs', 'native'] : ['tfjs'];

// [B, T, F, H]: tiny (every SIMD remainder path), one full register block of gate columns
// (H 64 is the reference shape's width), and odd sizes that mix blocks and remainders.
const shapes: Array<[number, number, number, number]> = [
  [3, 7, 4, 5],
  [8, 6, 4, 64],
  [13, 5, 3, 24],
];

describe.each(kernels)('fast LSTM (%s kernel) vs the tfjs-layers reference', (kernel) => {
  beforeAll(() => {
    useLstmKernel(kernel);
  });

  it.each(shapes)('B %i, T %i, F %i, H %i: same last hidden state and the same gradients (1e-4)', (B, T, F, H) => {
    const x = tf.randomNormal([B, T, F], 0, 1, 'float32', 11) as tf.Tensor3D;
    const layer = referenceLstmLayer(H);
    layer.apply(x); // builds the weights
    const scale = 1.5 / Math.sqrt(H);
    const [k, r, b] = layer.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, i === 1 ? scale : 0.6, 'float32', 20 + i));
    layer.setWeights([k, r, b]);
    const proj = tf.randomNormal([B, H], 0, 1, 'float32', 5);

    const yRef = layer.apply(x) as tf.Tensor;
    const kernelV = tf.variable(fromKerasLayout(k)) as tf.Variable<tf.Rank.R2>;
    const recurrent = tf.variable(fromKerasLayout(r)) as tf.Variable<tf.Rank.R2>;
    const bias = tf.variable(fromKerasLayout(b)) as tf.Variable<tf.Rank.R1>;
    const w = { kernel: kernelV, recurrent, bias };
    expect(maxAbsDiff(lstmLastHidden(x, w), yRef)).toBeLessThan(1e-4);
    expect(maxAbsDiff(lstmLastHiddenInference(x, w), yRef)).toBeLessThan(1e-4);

    // Gradients of a random projection of h_T w.r.t. the weights and the input.
    const refVars = layer.trainableWeights.map((lw) => lw.read() as tf.Variable);
    const refG = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, proj)) as tf.Scalar, refVars);
    const fastG = tf.variableGrads(() => tf.sum(tf.mul(lstmLastHidden(x, w), proj)) as tf.Scalar, [kernelV, recurrent, bias]);
    const pairs: Array<[tf.Tensor, tf.Tensor]> = [
      [toKerasLayout(fastG.grads[kernelV.name]), refG.grads[refVars[0].name]],
      [toKerasLayout(fastG.grads[recurrent.name]), refG.grads[refVars[1].name]],
      [toKerasLayout(fastG.grads[bias.name]), refG.grads[refVars[2].name]],
    ];
    for (const [a, e] of pairs) expect(maxAbsDiff(a, e)).toBeLessThan(1e-4);

    const dxRef = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx) as tf.Tensor, proj)))(x);
    const dxFast = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(lstmLastHidden(xx as tf.Tensor3D, w), proj)))(x);
    expect(maxAbsDiff(dxFast, dxRef)).toBeLessThan(1e-4);
    tf.dispose([kernelV, recurrent, bias]);
  });

  it('results of one step survive the next step reusing its buffers', () => {
    const [B, T, F, H] = [4, 5, 3, 16];
    const w = {
      kernel: tf.variable(tf.randomNormal([F, 4 * H], 0, 0.5, 'float32', 1)) as tf.Variable<tf.Rank.R2>,
      recurrent: tf.variable(tf.randomNormal([H, 4 * H], 0, 0.3, 'float32', 2)) as tf.Variable<tf.Rank.R2>,
      bias: tf.variable(tf.zeros([4 * H])) as tf.Variable<tf.Rank.R1>,
    };
    const run = (seed: number): { h: tf.Tensor; g: tf.Tensor } => {
      const x = tf.randomNormal([B, T, F], 0, 1, 'float32', seed) as tf.Tensor3D;
      let h: tf.Tensor | undefined;
      const { grads } = tf.variableGrads(() => {
        h = tf.keep(lstmLastHidden(x, w));
        return tf.sum(h) as tf.Scalar;
      }, [w.recurrent]);
      return { h: h!, g: grads[w.recurrent.name] };
    };
    const first = run(7);
    const h1 = first.h.arraySync();
    const g1 = first.g.arraySync();
    run(8);
    run(9);
    expect(first.h.arraySync()).toEqual(h1);
    expect(first.g.arraySync()).toEqual(g1);
    expect(run(7).g.arraySync()).toEqual(g1); // and the same input gives the same gradient again
    tf.dispose([w.kernel, w.recurrent, w.bias]);
  });

  it('rejects weights that do not fit the input before running any kernel', () => {
    const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    const w = { kernel: tf.zeros([5, 12]) as tf.Tensor2D, recurrent: tf.zeros([3, 12]) as tf.Tensor2D, bias: tf.zeros([12]) as tf.Tensor1D };
    expect(() => lstmLastHidden(x, w)).toThrow(/do not fit/);
    expect(() => lstmLastHiddenInference(x, w)).toThrow(/do not fit/);
    const wi = { kernel: tf.zeros([4, 12], 'int32') as tf.Tensor2D, recurrent: tf.zeros([3, 12]) as tf.Tensor2D, bias: tf.zeros([12]) as tf.Tensor1D };
    expect(() => lstmLastHiddenInference(x, wi)).toThrow(/float32/);
  });

  it('keeps a NaN input or weight NaN (a diverged model must not look finite)', () => {
    const xs = new Float32Array(2 * 3 * 4).fill(0.5);
    xs[5] = Number.NaN;
    const x = tf.tensor3d(xs, [2, 3, 4]);
    const w = { kernel: tf.fill([4, 12], 0.1) as tf.Tensor2D, recurrent: tf.fill([3, 12], 0.1) as tf.Tensor2D, bias: tf.zeros([12]) as tf.Tensor1D };
    const h = lstmLastHiddenInference(x, w).arraySync() as number[][];
    expect(h[0].every(Number.isNaN)).toBe(true);
    expect(h[1].every(Number.isFinite)).toBe(true);
    const kw = new Float32Array(4 * 12).fill(0.1);
    kw[0] = Number.NaN;
    const wn = { ...w, kernel: tf.tensor2d(kw, [4, 12]) };
    expect((lstmLastHidden(tf.fill([1, 3, 4], 0.5) as tf.Tensor3D, wn).arraySync() as number[][])[0].some(Number.isNaN)).toBe(true);
    tf.dispose([x, w.kernel, w.recurrent, w.bias, wn.kernel]);
  });
});

describe('layouts', () => {
  it('layout conversion round-trips', () => {
    const w = tf.range(0, 16).reshape([2, 8]);
    expect(toKerasLayout(fromKerasLayout(w)).arraySync()).toEqual(w.arraySync());
  });
});

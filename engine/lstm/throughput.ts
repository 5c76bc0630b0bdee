/**
 * Throughput of the reference shape (window 52 × 4 features → LSTM 64 → Dense 13, batch 256,
 * Adam, MSE) for the fast path and the tfjs-layers reference, on the current backend; the fast
 * path runs on whichever LSTM kernel is active (engine/lstm/kernel.ts: native C or tfjs ops).
 * Used by bench/lstm.ts; kept here so the measurement code is reviewed with the model.
 */
import * as tf from '@tensorflow/tfjs';
import { lstmLastHidden, lstmLastHiddenInference } from './fast-lstm.js';
import { referenceModel } from './reference.js';

export interface ThroughputShape {
  window: number;
  features: number;
  units: number;
  outputs: number;
  batch: number;
}

export const REFERENCE_SHAPE: ThroughputShape = { window: 52, features: 4, units: 64, outputs: 13, batch: 256 };

export interface Throughput {
  trainSamplesPerSec: number;
  inferWindowsPerSec: number;
}

function timeIt(fn: () => void, minSeconds: number, minReps: number): number {
  fn(); // warm-up (kernel compilation, allocation)
  let reps = 0;
  const t0 = performance.now();
  while (reps < minReps || performance.now() - t0 < minSeconds * 1000) {
    fn();
    reps++;
  }
  return (performance.now() - t0) / 1000 / reps;
}

/** Fast path: the same network as the reference, trained with tf.train.adam on MSE. */
export function measureFast(s: ThroughputShape, budgetSeconds = 3): Throughput {
  const x = tf.randomNormal([s.batch, s.window, s.features], 0, 1, 'float32', 1) as tf.Tensor3D;
  const y = tf.randomNormal([s.batch, s.outputs], 0, 1, 'float32', 2);
  const H = s.units;
  const w = {
    kernel: tf.variable(tf.randomUniform([s.features, 4 * H], -0.1, 0.1, 'float32', 3)) as tf.Variable<tf.Rank.R2>,
    recurrent: tf.variable(tf.randomUniform([H, 4 * H], -0.1, 0.1, 'float32', 4)) as tf.Variable<tf.Rank.R2>,
    bias: tf.variable(tf.zeros([4 * H])) as tf.Variable<tf.Rank.R1>,
  };
  const dk = tf.variable(tf.randomUniform([H, s.outputs], -0.1, 0.1, 'float32', 5));
  const db = tf.variable(tf.zeros([s.outputs]));
  const opt = tf.train.adam(1e-3);
  const train = (): void => {
    const l = opt.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(lstmLastHidden(x, w), dk), db)) as tf.Scalar, true);
    l?.dataSync();
    l?.dispose();
  };
  const infer = (): void => {
    const p = tf.tidy(() => tf.add(tf.matMul(lstmLastHiddenInference(x, w), dk), db));
    p.dataSync();
    p.dispose();
  };
  const tTrain = timeIt(train, budgetSeconds, 2);
  const tInfer = timeIt(infer, budgetSeconds / 2, 3);
  tf.dispose([x, y, w.kernel, w.recurrent, w.bias, dk, db]);
  opt.dispose();
  return { trainSamplesPerSec: s.batch / tTrain, inferWindowsPerSec: s.batch / tInfer };
}

export async function measureReference(s: ThroughputShape, budgetSeconds = 3): Promise<Throughput> {
  const m = referenceModel({ window: s.window, features: s.features, units: s.units, outputs: s.outputs });
  m.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x = tf.randomNormal([s.batch, s.window, s.features], 0, 1, 'float32', 1);
  const y = tf.randomNormal([s.batch, s.outputs], 0, 1, 'float32', 2);
  await m.trainOnBatch(x, y);
  let reps = 0;
  const t0 = performance.now();
  while (reps < 2 || performance.now() - t0 < budgetSeconds * 1000) {
    await m.trainOnBatch(x, y);
    reps++;
  }
  const tTrain = (performance.now() - t0) / 1000 / reps;
  const tInfer = timeIt(
    () => {
      const p = m.predict(x, { batchSize: s.batch }) as tf.Tensor;
      p.dataSync();
      p.dispose();
    },
    budgetSeconds / 2,
    3,
  );
  tf.dispose([x, y]);
  m.dispose();
  return { trainSamplesPerSec: s.batch / tTrain, inferWindowsPerSec: s.batch / tInfer };
}

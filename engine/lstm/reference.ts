/**
 * The tfjs-layers LSTM the fast path must match: same weights (Keras gate layout), sigmoid
 * recurrent activation (tfjs-layers defaults to hard sigmoid, which we do not use).
 */
import * as tf from '@tensorflow/tfjs';

export function referenceLstmLayer(units: number): tf.layers.Layer {
  return tf.layers.lstm({ units, recurrentActivation: 'sigmoid', activation: 'tanh', returnSequences: false });
}

/**
 * The reference benchmark model: window T × F → LSTM(H) → Dense(out), as a tfjs-layers
 * Sequential (what one would write without the fast path).
 */
export function referenceModel(o: { window: number; features: number; units: number; outputs: number; seed?: number }): tf.Sequential {
  const m = tf.sequential();
  m.add(
    tf.layers.lstm({
      units: o.units,
      recurrentActivation: 'sigmoid',
      inputShape: [o.window, o.features],
      kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed ?? 1 }),
      recurrentInitializer: tf.initializers.orthogonal({ seed: (o.seed ?? 1) + 1 }),
    }),
  );
  m.add(tf.layers.dense({ units: o.outputs, kernelInitializer: tf.initializers.glorotUniform({ seed: (o.seed ?? 1) + 2 }) }));
  return m;
}

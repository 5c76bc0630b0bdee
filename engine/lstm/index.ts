/**
 * Public surface of the general LSTM engine: the fast single-layer LSTM (fast-lstm.ts) on a
 * chosen TensorFlow.js backend and recurrence kernel, weight (de)serialisation, the tfjs-layers
 * reference and the throughput probe. It knows nothing of cold-start forecasting
 * (the cold-start model builds on it, never the reverse) and reads no environment or files: the native kernel is
 * loaded by services/native-lstm-build.ts and handed in through `selectBackend`'s `kernel`.
 */
export { selectBackend, useBackend, type BackendChoice, type BackendLogger, type BackendName } from './backend.js';
export {
  chooseLstmKernel,
  installLstmKernel,
  installedLstmKernel,
  type LstmKernel,
  type LstmKernelChoice,
  type LstmKernelName,
} from './kernel.js';
export type { NativeLstmLoad, NativeLstmModule } from './native/module.js';
export { referenceForward, selfCheck } from './native/self-check.js';
export { fromKerasLayout, lstmLastHidden, lstmLastHiddenInference, toKerasLayout, type LstmWeights } from './fast-lstm.js';
export { cloneWeights, decodeF32, deserializeWeights, encodeF32, rng, serializeWeights, type SerializedTensor, type WeightSet } from './tensors.js';
export { referenceLstmLayer, referenceModel } from './reference.js';
export { measureFast, measureReference, REFERENCE_SHAPE, type Throughput, type ThroughputShape } from './throughput.js';

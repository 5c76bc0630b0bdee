/**
 * Picks this process's TensorFlow.js backend and LSTM recurrence kernel from the engine
 * options (LAUNCHLOOP_TF_BACKEND, LAUNCHLOOP_LSTM_KERNEL), building the native kernel when it
 * is wanted, and installs them in engine/lstm. Workers, the CLI, benchmarks and tests call
 * this instead of engine/lstm's selectBackend so the engine never reads env or compiles.
 */
import {
  chooseLstmKernel,
  installLstmKernel,
  selectBackend,
  type BackendChoice,
  type BackendLogger,
  type LstmKernel,
  type LstmKernelChoice,
  type LstmKernelName,
} from '../engine/lstm/index.js';
import { engineOptions } from './engine-options.js';
import { buildNativeLstm, type NativeBuildOptions } from './native-lstm-build.js';

/**
 * Resolves a kernel without installing it: `prefer` (else LAUNCHLOOP_LSTM_KERNEL, else auto);
 * a forced native kernel that cannot be built throws, auto falls back to tfjs.
 */
export function loadLstmKernel(o: { prefer?: string; backend?: string; build?: NativeBuildOptions } = {}): LstmKernel {
  const want = o.prefer ?? engineOptions().lstmKernel ?? 'auto';
  return chooseLstmKernel({
    want,
    forcedBy: o.prefer !== undefined ? 'requested' : 'forced by LAUNCHLOOP_LSTM_KERNEL',
    ...(o.backend !== undefined ? { backend: o.backend } : {}),
    loadNative: () => buildNativeLstm(o.build),
  });
}

/** Switches kernel explicitly (benchmarks and tests compare both in one process). */
export function useLstmKernel(name: LstmKernelName, o: { build?: NativeBuildOptions } = {}): LstmKernelChoice {
  return installLstmKernel(loadLstmKernel({ prefer: name, ...(o.build ? { build: o.build } : {}) }));
}

/**
 * Selects and initialises the backend and kernel once per process (later calls return the
 * first choice). `prefer` (else LAUNCHLOOP_TF_BACKEND) forces a backend and fails if it cannot start.
 */
export function selectLstmBackend(o: { prefer?: string; logger?: BackendLogger } = {}): Promise<BackendChoice> {
  const prefer = o.prefer ?? engineOptions().tfBackend;
  return selectBackend({
    ...(prefer !== undefined ? { prefer } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
    kernel: (backend) => loadLstmKernel({ backend }),
  });
}

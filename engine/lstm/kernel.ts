/**
 * Which implementation runs the LSTM recurrence of engine/lstm/fast-lstm.ts:
 * - `native`: the C kernel (native/lstm.c), whole forward and BPTT backward in one call each,
 *   built and loaded outside the engine (services/native-lstm-build.ts) and handed in;
 * - `tfjs`: per-step fused products on the current TensorFlow.js backend (any backend).
 * Either way the loss, the dense head and the optimiser stay in tfjs, and both match the
 * tfjs-layers reference numerically (fast-lstm.test.ts).
 *
 * Chosen once per process: native when it loads and passes a small forward self-check
 * (native/self-check.ts), else tfjs with the reason logged.
 * On the CUDA backend (tensorflow-gpu) auto keeps the tfjs path, so the recurrence stays on the
 * device (untested here: no GPU host measured the native kernel against it).
 * `tfjs` forces the tfjs path; `native` forces the native kernel and fails loudly if it cannot
 * be loaded (services/ passes LAUNCHLOOP_LSTM_KERNEL here, as LAUNCHLOOP_TF_BACKEND for backends).
 * Until a kernel is installed (selectBackend does it) the recurrence runs on tfjs ops.
 */
import type { NativeLstmLoad, NativeLstmModule } from './native/module.js';
import { selfCheck } from './native/self-check.js';

export type LstmKernelName = 'native' | 'tfjs';

export interface LstmKernelChoice {
  name: LstmKernelName;
  /** What runs, e.g. "native avx512 (~/.cache/launchloop/native/lstm-….node)" or "tfjs ops". */
  detail: string;
  /** Why this one: forced, or why native was not available. */
  reason: string;
}

/** A resolved kernel: the choice, and the loaded module when it is the native one. */
export interface LstmKernel {
  choice: LstmKernelChoice;
  native?: NativeLstmModule;
}

let active: LstmKernel | undefined;

function isKernelName(s: string): s is LstmKernelName | 'auto' {
  return s === 'native' || s === 'tfjs' || s === 'auto';
}

/**
 * Resolves a kernel without installing it. `want` is auto (default), native or tfjs; a forced
 * native kernel that cannot be loaded throws, auto falls back to tfjs. `loadNative` builds or
 * finds the module and throws with the failed step's reason; it is only called when native
 * is wanted. `forcedBy` says why a forced choice was made (the reason shown in logs).
 */
export function chooseLstmKernel(o: { want?: string; forcedBy?: string; backend?: string; loadNative: () => NativeLstmLoad }): LstmKernel {
  const want = o.want ?? 'auto';
  if (!isKernelName(want)) throw new Error(`LAUNCHLOOP_LSTM_KERNEL must be one of auto, native, tfjs, got "${want}"`);
  const forced = o.forcedBy ?? 'requested';
  if (want === 'tfjs') return { choice: { name: 'tfjs', detail: 'tfjs ops', reason: forced } };
  if (want === 'auto' && o.backend === 'tensorflow-gpu')
    return { choice: { name: 'tfjs', detail: 'tfjs ops', reason: 'the CUDA backend keeps the recurrence on the GPU (LAUNCHLOOP_LSTM_KERNEL=native to override)' } };
  const t0 = performance.now();
  try {
    const b = o.loadNative();
    selfCheck(b.module);
    const how = b.compiled ? `compiled in ${((performance.now() - t0) / 1000).toFixed(1)} s` : 'cached build';
    return {
      choice: { name: 'native', detail: `native ${b.module.isa()} (${b.file})`, reason: want === 'native' ? `${forced}; ${how}` : `fastest available; ${how}` },
      native: b.module,
    };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (want === 'native') throw new Error(`native LSTM kernel forced but unavailable: ${why}`);
    return { choice: { name: 'tfjs', detail: 'tfjs ops', reason: `native kernel unavailable: ${why}` } };
  }
}

/** Makes `kernel` the one fast-lstm.ts runs on (benchmarks and tests switch in one process). */
export function installLstmKernel(kernel: LstmKernel): LstmKernelChoice {
  active = kernel;
  return kernel.choice;
}

/** The installed kernel's choice, undefined before one is installed (tfjs ops run then). */
export function installedLstmKernel(): LstmKernelChoice | undefined {
  return active?.choice;
}

/** The native module when that kernel is installed, else undefined (the tfjs path runs). */
export function activeNativeLstm(): NativeLstmModule | undefined {
  return active?.native;
}

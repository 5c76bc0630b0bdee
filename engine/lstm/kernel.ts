/**
 * Which implementation runs the LSTM recurrence of engine/lstm/fastLstm.ts:
 * - `native`: the C kernel (native/lstm.c), whole forward and BPTT backward in one call each,
 *   built on first use (native/build.ts);
 * - `tfjs`: per-step fused products on the current TensorFlow.js backend (any backend).
 * Either way the loss, the dense head and the optimiser stay in tfjs, and both match the
 * tfjs-layers reference numerically (fastLstm.test.ts).
 *
 * Chosen once per process: native when it builds, loads and passes a small forward self-check
 * (native/selfCheck.ts), else tfjs with the reason logged.
 * On the CUDA backend (tensorflow-gpu) auto keeps the tfjs path, so the recurrence stays on the
 * device (untested here: no GPU host measured the native kernel against it).
 * `LAUNCHLOOP_LSTM_KERNEL=tfjs` forces the tfjs path; `=native` forces the native kernel and
 * fails loudly if it cannot be built (as LAUNCHLOOP_TF_BACKEND does for backends).
 */
import { buildNativeLstm, type NativeBuildOptions, type NativeLstmModule } from './native/build.js';
import { selfCheck } from './native/selfCheck.js';

export type LstmKernelName = 'native' | 'tfjs';

export interface LstmKernelChoice {
  name: LstmKernelName;
  /** What runs, e.g. "native avx512 (~/.cache/launchloop/native/lstm-….node)" or "tfjs ops". */
  detail: string;
  /** Why this one: forced by env, or why native was not available. */
  reason: string;
}

export interface KernelLogger {
  info(msg: string): void;
}

interface Active {
  choice: LstmKernelChoice;
  native?: NativeLstmModule;
}

let active: Active | undefined;

function isKernelName(s: string): s is LstmKernelName | 'auto' {
  return s === 'native' || s === 'tfjs' || s === 'auto';
}

/**
 * Resolves a kernel without installing it. `prefer` (else env LAUNCHLOOP_LSTM_KERNEL, else
 * auto): a forced native kernel that cannot be built throws; auto falls back to tfjs.
 */
export function chooseLstmKernel(o: { prefer?: string; build?: NativeBuildOptions; backend?: string } = {}): Active {
  const want = o.prefer ?? process.env.LAUNCHLOOP_LSTM_KERNEL ?? 'auto';
  if (!isKernelName(want)) throw new Error(`LAUNCHLOOP_LSTM_KERNEL must be one of auto, native, tfjs, got "${want}"`);
  const forced = o.prefer !== undefined ? 'requested' : 'forced by LAUNCHLOOP_LSTM_KERNEL';
  if (want === 'tfjs') return { choice: { name: 'tfjs', detail: 'tfjs ops', reason: forced } };
  if (want === 'auto' && o.backend === 'tensorflow-gpu')
    return { choice: { name: 'tfjs', detail: 'tfjs ops', reason: 'the CUDA backend keeps the recurrence on the GPU (LAUNCHLOOP_LSTM_KERNEL=native to override)' } };
  const t0 = performance.now();
  try {
    const b = buildNativeLstm(o.build);
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

const stderrLogger: KernelLogger = { info: (m) => console.error(m) };

/**
 * Selects the kernel once per process (memoised) and logs the choice. `backend` is the tfjs
 * backend it runs with (engine/lstm/backend.ts names; unknown means a CPU backend).
 */
export function selectLstmKernel(o: { prefer?: string; logger?: KernelLogger; build?: NativeBuildOptions; backend?: string } = {}): LstmKernelChoice {
  if (!active) {
    active = chooseLstmKernel(o);
    (o.logger ?? stderrLogger).info(`LSTM kernel: ${active.choice.detail} (${active.choice.reason})`);
  }
  return active.choice;
}

/** Switches kernel explicitly (benchmarks and tests compare both in one process). */
export function useLstmKernel(name: LstmKernelName, o: { build?: NativeBuildOptions } = {}): LstmKernelChoice {
  active = chooseLstmKernel({ prefer: name, build: o.build });
  return active.choice;
}

/** The native module when that kernel is active (selecting the kernel on first use), else undefined. */
export function activeNativeLstm(): NativeLstmModule | undefined {
  if (!active) selectLstmKernel();
  return active!.native;
}

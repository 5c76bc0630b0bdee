/**
 * Picks the TensorFlow.js backend once per process, fastest first:
 * tfjs-node-gpu (CUDA) → tfjs-node (native TF) → wasm (XNNPACK, SIMD) → cpu (plain JS).
 * The native packages are optional dependencies, so they are imported dynamically and a
 * failed import only moves on to the next candidate. `prefer` (services/ passes
 * LAUNCHLOOP_TF_BACKEND) forces one. The LSTM kernel on top of the backend (native C or tfjs ops,
 * engine/lstm/kernel.ts) is resolved by the caller's `kernel` once the backend is known,
 * installed, and returned with it.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installLstmKernel, type LstmKernel, type LstmKernelChoice } from './kernel.js';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendChoice {
  /** Our name for the choice (tfjs itself calls both native ones "tensorflow"). */
  name: BackendName;
  /** Why this one: forced by env, or which faster candidates failed and how. */
  reason: string;
  /** What runs the LSTM recurrence on top of it (engine/lstm/kernel.ts): native C or tfjs ops. */
  lstmKernel: LstmKernelChoice;
}

const ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

let chosen: Promise<BackendChoice> | undefined;

/** Dynamic import by a computed specifier so TypeScript does not need the optional package. */
async function importOptional(specifier: string): Promise<void> {
  await import(specifier);
}

function wasmDistDir(): string {
  // In Node the wasm backend fetches its .wasm by path; point it at the installed package.
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'dist') + path.sep;
}

async function tryBackend(name: BackendName): Promise<void> {
  switch (name) {
    case 'tensorflow-gpu':
      await importOptional('@tensorflow/tfjs-node-gpu');
      if (!(await tf.setBackend('tensorflow'))) throw new Error('setBackend("tensorflow") returned false');
      return;
    case 'tensorflow':
      await importOptional('@tensorflow/tfjs-node');
      if (!(await tf.setBackend('tensorflow'))) throw new Error('setBackend("tensorflow") returned false');
      return;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(wasmDistDir());
      if (!(await tf.setBackend('wasm'))) throw new Error('setBackend("wasm") returned false');
      return;
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      if (!(await tf.setBackend('cpu'))) throw new Error('setBackend("cpu") returned false');
      return;
  }
}

function isBackendName(s: string): s is BackendName {
  return (ORDER as string[]).includes(s);
}

/** Logger shape: anything with `info` (pino, console). */
export interface BackendLogger {
  info(msg: string): void;
}

/**
 * Selects and initialises the backend (memoised: later calls return the first choice).
 * `prefer` forces a backend and fails if it cannot start, because a silently slower backend
 * would hide a deployment error on the GPU pool. `kernel` resolves the LSTM kernel for the
 * chosen backend (services/lstm-runtime.ts loads the native one); it is installed here.
 */
export function selectBackend(opts: { prefer?: string; logger?: BackendLogger; kernel: (backend: BackendName) => LstmKernel }): Promise<BackendChoice> {
  chosen ??= (async () => {
    const forced = opts.prefer;
    let choice: Omit<BackendChoice, 'lstmKernel'>;
    if (forced) {
      if (!isBackendName(forced)) throw new Error(`LAUNCHLOOP_TF_BACKEND must be one of ${ORDER.join(', ')}, got "${forced}"`);
      await tryBackend(forced);
      choice = { name: forced, reason: 'forced by LAUNCHLOOP_TF_BACKEND' };
    } else {
      const failures: string[] = [];
      let got: BackendName | undefined;
      for (const name of ORDER) {
        try {
          await tryBackend(name);
          got = name;
          break;
        } catch (err) {
          failures.push(`${name}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
        }
      }
      if (!got) throw new Error(`no TensorFlow.js backend could start (${failures.join('; ')})`);
      choice = { name: got, reason: failures.length ? `fastest available; skipped ${failures.join('; ')}` : 'fastest available' };
    }
    await tf.ready();
    const logger = opts.logger ?? { info: (m: string) => console.error(m) };
    logger.info(`tfjs backend: ${choice.name} (${choice.reason})`);
    // The kernel is chosen (and, on first use on a machine, compiled) here at worker start rather
    // than inside the first training step; its name rides in `reason` too, so worker_status and
    // GET /health show it next to the backend.
    const kernel = opts.kernel(choice.name);
    const lstmKernel = installLstmKernel(kernel);
    logger.info(`LSTM kernel: ${lstmKernel.detail} (${lstmKernel.reason})`);
    return { ...choice, reason: `${choice.reason}; LSTM kernel ${lstmKernel.name}`, lstmKernel };
  })();
  return chosen;
}

/** Switches backend explicitly (benchmarks compare backends in one process). */
export async function useBackend(name: BackendName): Promise<void> {
  await tryBackend(name);
  await tf.ready();
}

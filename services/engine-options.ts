/**
 * The environment settings the engine honours, read once here and passed into engine/ as
 * plain options (the engine itself reads no environment):
 * - LAUNCHLOOP_TF_BACKEND: force a TensorFlow.js backend (tensorflow-gpu, tensorflow, wasm, cpu);
 * - LAUNCHLOOP_LSTM_KERNEL: auto (default), native or tfjs for the LSTM recurrence;
 * - CC and LAUNCHLOOP_CACHE_DIR / XDG_CACHE_HOME: compiler and cache of the native kernel
 *   (services/native-lstm-build.ts);
 * - LAUNCHLOOP_HIGHS_LOG=1 and LAUNCHLOOP_HIGHS_OPTIONS (JSON): HiGHS log to stderr and extra
 *   solver options for experiments, e.g. LAUNCHLOOP_HIGHS_OPTIONS='{"presolve":"off"}'; entry
 *   points that plan hand them to the solver with `configureHighs(engineOptions().highs)`.
 */
import { join } from 'node:path';
import type { HighsSettings } from '../engine/planner/index.js';
import { CACHE_DIR } from './paths.js';

export interface EngineOptions {
  /** Forced tfjs backend name (validated by engine/lstm selectBackend), else the fastest present. */
  tfBackend?: string;
  /** Forced LSTM kernel (auto, native, tfjs; validated by engine/lstm chooseLstmKernel). */
  lstmKernel?: string;
  nativeBuild: { compiler: string; cacheDir: string };
  highs: HighsSettings;
}

/** Reads the options from `env` (tests pass their own). */
export function readEngineOptions(env: NodeJS.ProcessEnv = process.env): EngineOptions {
  return {
    ...(env.LAUNCHLOOP_TF_BACKEND ? { tfBackend: env.LAUNCHLOOP_TF_BACKEND } : {}),
    ...(env.LAUNCHLOOP_LSTM_KERNEL !== undefined ? { lstmKernel: env.LAUNCHLOOP_LSTM_KERNEL } : {}),
    nativeBuild: { compiler: env.CC ?? 'gcc', cacheDir: join(CACHE_DIR, 'native') },
    highs: {
      log: env.LAUNCHLOOP_HIGHS_LOG === '1',
      extraOptions: JSON.parse(env.LAUNCHLOOP_HIGHS_OPTIONS ?? '{}') as HighsSettings['extraOptions'],
    },
  };
}

let cached: EngineOptions | undefined;

/** This process's options, read from process.env on first use. */
export function engineOptions(): EngineOptions {
  cached ??= readEngineOptions();
  return cached;
}

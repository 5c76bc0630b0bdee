import { describe, expect, it } from 'vitest';
import { readEngineOptions } from './engine-options.js';

describe('engine options from the environment', () => {
  it('leaves backend and kernel to auto selection and HiGHS quiet when nothing is set', () => {
    const o = readEngineOptions({});
    expect(o.tfBackend).toBeUndefined();
    expect(o.lstmKernel).toBeUndefined();
    expect(o.nativeBuild.compiler).toBe('gcc');
    expect(o.nativeBuild.cacheDir).toMatch(/launchloop[\\/]native$/);
    expect(o.highs).toEqual({ log: false, extraOptions: {} });
  });

  it('passes on the forced backend, kernel, compiler and HiGHS settings as given', () => {
    const o = readEngineOptions({
      LAUNCHLOOP_TF_BACKEND: 'wasm',
      LAUNCHLOOP_LSTM_KERNEL: 'tfjs',
      CC: 'clang',
      LAUNCHLOOP_HIGHS_LOG: '1',
      LAUNCHLOOP_HIGHS_OPTIONS: '{"presolve":"off","threads":2}',
    });
    expect(o).toMatchObject({ tfBackend: 'wasm', lstmKernel: 'tfjs', nativeBuild: { compiler: 'clang' }, highs: { log: true, extraOptions: { presolve: 'off', threads: 2 } } });
  });

  it('an empty LAUNCHLOOP_LSTM_KERNEL is passed on (and rejected by the kernel choice), an empty backend means auto', () => {
    const o = readEngineOptions({ LAUNCHLOOP_TF_BACKEND: '', LAUNCHLOOP_LSTM_KERNEL: '' });
    expect(o.tfBackend).toBeUndefined();
    expect(o.lstmKernel).toBe('');
  });
});

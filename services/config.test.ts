import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('reads every setting from the environment it is given, not from process.env', () => {
    const c = loadConfig({ PORT: '3100', LAUNCHLOOP_CPU_CONCURRENCY: '2', LAUNCHLOOP_THREADS: '3', TEMPORAL_NAMESPACE: 'shop' });
    expect(c).toMatchObject({ apiPort: 3100, cpuConcurrency: 2, threads: 3, temporalNamespace: 'shop', databaseUrl: undefined });
  });

  it('falls back to the defaults for unset or empty settings', () => {
    const c = loadConfig({ PORT: '' });
    expect(c).toMatchObject({ apiPort: 3000, temporalPort: 7233, postgresPort: 54329, gpuConcurrency: 1, cpuConcurrency: 4 });
  });

  it('refuses a setting that is not a positive integer, naming it and its value', () => {
    expect(() => loadConfig({ LAUNCHLOOP_CPU_CONCURRENCY: '0' })).toThrow('LAUNCHLOOP_CPU_CONCURRENCY must be a positive integer, got "0"');
    expect(() => loadConfig({ PORT: '80.5' })).toThrow('PORT must be a positive integer, got "80.5"');
  });
});

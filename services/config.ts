import { availableParallelism } from 'node:os';

/**
 * Configuration from the environment, in one place (the README's table mirrors this file).
 * Unset addresses mean "use the local stack": embedded Postgres and the Temporal dev server.
 */
function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export interface Config {
  databaseUrl?: string;
  temporalAddress?: string;
  temporalNamespace: string;
  apiPort: number;
  temporalPort: number;
  temporalUiPort: number;
  postgresPort: number;
  gpuConcurrency: number;
  cpuConcurrency: number;
  threads: number;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    apiPort: intEnv(env, 'PORT', 3000),
    temporalPort: intEnv(env, 'LAUNCHLOOP_TEMPORAL_PORT', 7233),
    temporalUiPort: intEnv(env, 'LAUNCHLOOP_TEMPORAL_UI_PORT', 8233),
    postgresPort: intEnv(env, 'LAUNCHLOOP_PG_PORT', 54329),
    gpuConcurrency: intEnv(env, 'LAUNCHLOOP_GPU_CONCURRENCY', 1),
    cpuConcurrency: intEnv(env, 'LAUNCHLOOP_CPU_CONCURRENCY', 4),
    threads: intEnv(env, 'LAUNCHLOOP_THREADS', Math.max(1, availableParallelism())),
    logLevel: env.LOG_LEVEL || 'info',
  };
}

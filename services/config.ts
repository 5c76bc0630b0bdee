import { availableParallelism } from 'node:os';

/**
 * Configuration from the environment, in one place (the README's table mirrors this file).
 * Unset addresses mean "use the local stack": embedded Postgres and the Temporal dev server.
 */
function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
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
    apiPort: intEnv('PORT', 3000),
    temporalPort: intEnv('LAUNCHLOOP_TEMPORAL_PORT', 7233),
    temporalUiPort: intEnv('LAUNCHLOOP_TEMPORAL_UI_PORT', 8233),
    postgresPort: intEnv('LAUNCHLOOP_PG_PORT', 54329),
    gpuConcurrency: intEnv('LAUNCHLOOP_GPU_CONCURRENCY', 1),
    cpuConcurrency: intEnv('LAUNCHLOOP_CPU_CONCURRENCY', 4),
    threads: intEnv('LAUNCHLOOP_THREADS', Math.max(1, availableParallelism())),
    logLevel: env.LOG_LEVEL || 'info',
  };
}

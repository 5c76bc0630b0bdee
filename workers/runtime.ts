import type { Worker } from '@temporalio/worker';
import type { QueueName } from '../contracts/queues.js';
import type { Database } from '../db/client.js';
import type { BackendChoice } from '../engine/lstm/index.js';
import type { Config } from '../services/config.js';
import type { Logger } from '../services/logger.js';
import { ThreadPool } from '../services/thread-pool.js';
import { setupTracing } from '../services/tracing.js';
import { connectWorker } from './connection.js';
import { createCpuWorker } from './cpu-worker.js';
import { createGpuWorker } from './gpu-worker.js';
import { startRunsReconciler } from './runs-reconciler.js';
import { installTemporalRuntime } from './temporal-runtime.js';
import { createWorkflowWorker } from './workflow-worker.js';

export interface RunningWorkers {
  backend?: BackendChoice;
  /** Resolves when every worker has stopped; rejects if one fails. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Starts the workers of the given pools in this process: one pool for a production
 * deployment (`launchloop worker --queue cpu`), all three for the demo and the tests.
 */
export async function startWorkers(o: { queues: QueueName[]; address: string; config: Config; database: Database; logger: Logger }): Promise<RunningWorkers> {
  installTemporalRuntime(o.logger);
  // Before the first worker: activity spans use the process's tracer provider (a no-op unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  await setupTracing('launchloop-worker');
  const connection = await connectWorker(o.address);
  const workers: Worker[] = [];
  let pool: ThreadPool | undefined;
  let backend: BackendChoice | undefined;
  let reconciler: { stop(): Promise<void> } | undefined;
  const namespace = o.config.temporalNamespace;
  if (o.queues.includes('workflows')) workers.push(await createWorkflowWorker({ connection, namespace }));
  if (o.queues.includes('cpu')) {
    pool = new ThreadPool(o.config.threads);
    workers.push(await createCpuWorker({ connection, namespace, database: o.database, pool, concurrency: o.config.cpuConcurrency }));
    // The CPU pool owns run bookkeeping, so it also closes rows their workflows could not.
    reconciler = startRunsReconciler({ connection, namespace, database: o.database, logger: o.logger });
  }
  if (o.queues.includes('gpu')) {
    const gpu = await createGpuWorker({ connection, namespace, database: o.database, concurrency: o.config.gpuConcurrency, logger: o.logger });
    workers.push(gpu.worker);
    backend = gpu.backend;
  }
  o.logger.info({ queues: o.queues, backend: backend?.name }, 'workers started');
  const done = Promise.all(workers.map((w) => w.run())).then(async () => {
    await reconciler?.stop();
    await pool?.close();
    await connection.close();
  });
  return {
    backend,
    done,
    async shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    },
  };
}

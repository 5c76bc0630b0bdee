import { Worker, type NativeConnection } from '@temporalio/worker';
import { createCpuActivities } from '../activities/cpu.js';
import { failureClassificationInterceptor } from '../activities/failure-classification.js';
import { TASK_QUEUES } from '../contracts/queues.js';
import { telemetryActivityInterceptors } from './telemetry.js';
import type { Database } from '../db/client.js';
import type { ThreadPool } from '../services/thread-pool.js';

/**
 * The CPU pool: data, statistics and planning. Heavy math runs on the thread pool so the
 * worker's event loop keeps heartbeating; concurrency bounds how many activities share it.
 */
export async function createCpuWorker(o: { connection: NativeConnection; namespace: string; database: Database; pool: ThreadPool; concurrency: number }): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: TASK_QUEUES.cpu,
    activities: createCpuActivities({ database: o.database, pool: o.pool }),
    maxConcurrentActivityTaskExecutions: o.concurrency,
    // Transient infrastructure errors retry, invalid data fails at once (contracts/loop-timing.ts).
    // Then a span per activity and the API request id in its logs (workers/telemetry.ts).
    interceptors: { activity: [failureClassificationInterceptor, ...telemetryActivityInterceptors] },
  });
}

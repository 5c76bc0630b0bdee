import { Worker, type NativeConnection } from '@temporalio/worker';
import { hostname } from 'node:os';
import { createColdStartActivities } from '../activities/coldstart.activities.js';
import { failureClassificationInterceptor } from '../activities/failure-classification.js';
import { TASK_QUEUES } from '../contracts/queues.js';
import { telemetryActivityInterceptors } from './telemetry.js';
import type { Database } from '../db/client.js';
import { workerStatusRepository } from '../db/repositories/worker-status.repository.js';
import type { BackendChoice } from '../engine/lstm/index.js';
import type { Logger } from '../services/logger.js';
import { selectLstmBackend } from '../services/lstm-runtime.js';

/**
 * The GPU pool: LSTM training and inference on the fastest TensorFlow.js backend present.
 * Only this worker polls the GPU queue; concurrency per GPU defaults to 1 (one model in
 * device memory at a time). The chosen backend is logged and recorded in `worker_status`.
 */
export async function createGpuWorker(o: {
  connection: NativeConnection;
  namespace: string;
  database: Database;
  concurrency: number;
  logger: Logger;
}): Promise<{ worker: Worker; backend: BackendChoice }> {
  const backend = await selectLstmBackend({ logger: { info: (m) => o.logger.info(m) } });
  await workerStatusRepository(o.database).record({
    queue: TASK_QUEUES.gpu,
    identity: `${process.pid}@${hostname()}`,
    backend: backend.name,
    detail: { reason: backend.reason, concurrency: o.concurrency },
  });
  const worker = await Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: TASK_QUEUES.gpu,
    identity: `${process.pid}@${hostname()}/gpu`,
    activities: createColdStartActivities({ database: o.database, backend: `${backend.name}/${backend.lstmKernel.name}` }),
    maxConcurrentActivityTaskExecutions: o.concurrency,
    // Transient infrastructure errors retry, invalid data fails at once (contracts/loop-timing.ts).
    // Then a span per activity and the API request id in its logs (workers/telemetry.ts).
    interceptors: { activity: [failureClassificationInterceptor, ...telemetryActivityInterceptors] },
  });
  return { worker, backend };
}

import type { RetrainInput, RetrainResult } from '../contracts/workflows.js';
import { bookkeeping, gpuTraining } from './activity-proxies.js';
import { recordedRun } from './run-record.js';
import { workflowInfo } from '@temporalio/workflow';

/** Snapshot the scope's data, train a challenger cold-start model, promote it if it wins. */
export async function retrainWorkflow(input: RetrainInput): Promise<RetrainResult> {
  return recordedRun(
    'retrain',
    input.scopeId,
    input.trigger,
    async () => {
      const snapshot = await bookkeeping.snapshotScope({ scopeId: input.scopeId });
      const trained = await gpuTraining.trainColdStartModel({
        scopeId: input.scopeId,
        snapshotId: snapshot.snapshotId,
        runId: workflowInfo().workflowId,
      });
      return { snapshotId: snapshot.snapshotId, ...trained };
    },
    (r) => ({ modelId: r.modelId, version: r.version, promoted: r.promoted, backend: r.backend, metrics: r.metrics, ...(r.decision ? { decision: r.decision } : {}) }),
  );
}

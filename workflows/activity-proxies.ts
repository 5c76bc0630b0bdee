/**
 * Activity stubs with their timeouts and retry policies, in one place so every workflow
 * uses the same, and an on-call engineer finds them in one file.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { CpuActivities, GpuActivities } from '../activities/types.js';
import { ACTIVITY_TIMING } from '../contracts/loop-timing.js';
import { TASK_QUEUES } from '../contracts/queues.js';

/**
 * Failure types that retrying cannot fix: the data or the request is wrong. Activities throw
 * them non-retryable already (activities/errors.ts, activities/failure-classification.ts); the
 * list keeps them final even if one is thrown retryable by mistake.
 */
export const NON_RETRYABLE = ['InvalidScopeData', 'InvalidData', 'InvalidPlanDecision', 'PlanInfeasible', 'NotFound'];

const retry = { ...ACTIVITY_TIMING.retry, nonRetryableErrorTypes: NON_RETRYABLE };

/** Quick database bookkeeping. */
export const bookkeeping = proxyActivities<CpuActivities>({
  taskQueue: TASK_QUEUES.cpu,
  ...ACTIVITY_TIMING.bookkeeping,
  retry,
});

/** Statistics and planning: heartbeats let a dead worker be detected within a minute. */
export const cpuHeavy = proxyActivities<CpuActivities>({
  taskQueue: TASK_QUEUES.cpu,
  ...ACTIVITY_TIMING.cpuHeavy,
  retry,
});

/**
 * LSTM training: long, heartbeats every epoch and every 5 s, resumes from its checkpoint on
 * retry; a dead GPU worker is detected within 30 s.
 */
export const gpuTraining = proxyActivities<GpuActivities>({
  taskQueue: TASK_QUEUES.gpu,
  ...ACTIVITY_TIMING.gpuTraining,
  retry,
});

export const gpuInference = proxyActivities<GpuActivities>({
  taskQueue: TASK_QUEUES.gpu,
  ...ACTIVITY_TIMING.gpuInference,
  retry,
});

import { CancellationScope, isCancellation, workflowInfo } from '@temporalio/workflow';
import type { Trigger } from '../contracts/workflows.js';
import { bookkeeping } from './activity-proxies.js';

/** Short, single-line error text for the runs table and the API. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    let msg = err.message;
    let cause = (err as { cause?: unknown }).cause;
    // Temporal wraps activity errors (ActivityFailure → ApplicationFailure): show the root cause.
    while (cause instanceof Error) {
      msg = `${msg}: ${cause.message}`;
      cause = (cause as { cause?: unknown }).cause;
    }
    return msg;
  }
  return String(err);
}

/**
 * Mirrors a workflow run into the `runs` table (what the API's run status reads), and marks it
 * failed or cancelled with the root cause when the body throws.
 */
export async function recordedRun<T>(kind: string, scopeId: string, trigger: Trigger, body: () => Promise<T>, detail?: (r: T) => Record<string, unknown>): Promise<T> {
  const { workflowId } = workflowInfo();
  await bookkeeping.recordRunStarted({ workflowId, scopeId, kind, trigger });
  try {
    const result = await body();
    await bookkeeping.recordRunFinished({ workflowId, status: 'completed', detail: detail ? detail(result) : {} });
    return result;
  } catch (err) {
    const status = isCancellation(err) ? 'cancelled' : 'failed';
    // Record even when cancelled: the bookkeeping must not be cancelled with the body.
    await CancellationScope.nonCancellable(() => bookkeeping.recordRunFinished({ workflowId, status, error: describeError(err) }));
    throw err;
  }
}

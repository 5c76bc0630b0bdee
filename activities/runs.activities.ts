import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { runsRepository } from '../db/repositories/runs.repository.js';
import type { CpuActivities, RepositoryPort } from './types.js';

type RunsRepository = ReturnType<typeof runsRepository>;

/** Run bookkeeping: mirrors each workflow run into `runs` for the API. */
export function createRunActivities(repo: Pick<RunsRepository, 'started' | 'finished'>): Pick<CpuActivities, 'recordRunStarted' | 'recordRunFinished'> {
  return {
    recordRunStarted: (input) => repo.started(input),
    recordRunFinished: (input) => repo.finished(input),
  };
}

/** What Temporal says about a workflow id's latest run; undefined when Temporal has no such workflow. */
export type WorkflowStatusLookup = (workflowId: string) => Promise<{ status: string; closedAt?: Date; error?: string } | undefined>;

/** Temporal's closed statuses as the runs table writes them. */
const CLOSED: Record<string, string> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
};

/** Temporal's side of the reconciler, through a client: status, close time and, for a run that did not complete, why. */
export function temporalWorkflowStatus(client: Client): WorkflowStatusLookup {
  return async (workflowId) => {
    const handle = client.workflow.getHandle(workflowId);
    try {
      const d = await handle.describe();
      let error: string | undefined;
      if (d.status.name !== 'COMPLETED' && d.status.name in CLOSED) {
        error = await handle.result().then(
          () => undefined,
          (err: unknown) => {
            const parts: string[] = [];
            for (let e = err, depth = 0; e instanceof Error && depth < 6; e = (e as { cause?: unknown }).cause, depth++) if (e.message) parts.push(e.message);
            return parts.join(': ');
          },
        );
      }
      return { status: d.status.name, closedAt: d.closeTime, error };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  };
}

/**
 * Keeps `runs` in line with Temporal. A workflow records its own end (workflows/run-record.ts),
 * but cannot when it is terminated, times out, or fails while the database stays down past its
 * bookkeeping retries; the reconciler closes such rows with Temporal's status. Rows of workflows
 * Temporal does not know (history past retention, another namespace) are left as they are.
 */
export function createRunsReconciler(deps: { repo: RepositoryPort<RunsRepository, 'staleRunning' | 'closeIfRunning'>; lookup: WorkflowStatusLookup }) {
  /** Closes one row if Temporal has closed its workflow; returns the status written, if any. */
  async function reconcile(workflowId: string): Promise<string | undefined> {
    const temporal = await deps.lookup(workflowId);
    const status = temporal && CLOSED[temporal.status];
    if (!temporal || !status || !temporal.closedAt) return undefined;
    const error = status === 'completed' ? undefined : `${temporal.error ?? `workflow ${status}`} (recorded by the runs reconciler)`;
    return (await deps.repo.closeIfRunning({ workflowId, status, error, closedAt: temporal.closedAt })) ? status : undefined;
  }

  return {
    reconcile,
    /** One sweep over rows `running` for longer than `olderThanMs`. */
    async sweep(o: { olderThanMs: number; limit?: number }): Promise<{ checked: number; closed: { workflowId: string; status: string }[] }> {
      const stale = await deps.repo.staleRunning(o.olderThanMs, o.limit);
      const closed: { workflowId: string; status: string }[] = [];
      for (const row of stale) {
        const status = await reconcile(row.workflowId);
        if (status) closed.push({ workflowId: row.workflowId, status });
      }
      return { checked: stale.length, closed };
    },
  };
}

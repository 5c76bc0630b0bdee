import { describe, expect, it } from 'vitest';
import { createRunsReconciler, type WorkflowStatusLookup } from './runs.activities.js';

/** An in-memory runs table with the repository's conditional close. */
function fakeRuns(rows: { workflowId: string; status: string; startedAt: string; error?: string | null }[]) {
  return {
    rows,
    async staleRunning() {
      return rows.filter((r) => r.status === 'running').map(({ workflowId, startedAt }) => ({ workflowId, startedAt }));
    },
    async closeIfRunning(input: { workflowId: string; status: string; error?: string; closedAt: Date }) {
      const row = rows.find((r) => r.workflowId === input.workflowId && r.status === 'running' && new Date(r.startedAt) <= input.closedAt);
      if (!row) return false;
      Object.assign(row, { status: input.status, error: input.error ?? null });
      return true;
    },
  };
}

describe('the runs reconciler', () => {
  const closedAt = new Date('2026-12-05T08:00:00Z');
  const temporal: Record<string, Awaited<ReturnType<WorkflowStatusLookup>>> = {
    'replan/a': { status: 'FAILED', closedAt, error: 'Activity task failed: database unavailable (ECONNREFUSED)' },
    'replan/b': { status: 'TERMINATED', closedAt, error: 'Workflow execution terminated: stuck' },
    'loop/c': { status: 'RUNNING' },
    'plan/d': { status: 'COMPLETED', closedAt },
    // A newer run of the same id started after the old one closed: its row is not the old run's.
    'replan/e': { status: 'FAILED', closedAt, error: 'old failure' },
  };
  const lookup: WorkflowStatusLookup = async (id) => temporal[id];

  it("closes rows whose workflows Temporal has closed, with Temporal's status and reason, and leaves the rest", async () => {
    const repo = fakeRuns([
      { workflowId: 'replan/a', status: 'running', startedAt: '2026-12-05T07:00:00Z' },
      { workflowId: 'replan/b', status: 'running', startedAt: '2026-12-05T07:00:00Z' },
      { workflowId: 'loop/c', status: 'running', startedAt: '2026-12-05T07:00:00Z' },
      { workflowId: 'plan/d', status: 'running', startedAt: '2026-12-05T07:00:00Z' },
      { workflowId: 'replan/e', status: 'running', startedAt: '2026-12-05T08:05:00Z' },
      { workflowId: 'gone/f', status: 'running', startedAt: '2026-12-05T07:00:00Z' },
    ]);
    const result = await createRunsReconciler({ repo, lookup }).sweep({ olderThanMs: 120_000 });
    expect(result.checked).toBe(6);
    expect(result.closed).toEqual([
      { workflowId: 'replan/a', status: 'failed' },
      { workflowId: 'replan/b', status: 'terminated' },
      { workflowId: 'plan/d', status: 'completed' },
    ]);
    expect(repo.rows.map((r) => [r.workflowId, r.status])).toEqual([
      ['replan/a', 'failed'],
      ['replan/b', 'terminated'],
      ['loop/c', 'running'],
      ['plan/d', 'completed'],
      ['replan/e', 'running'],
      ['gone/f', 'running'],
    ]);
    expect(repo.rows[0].error).toBe('Activity task failed: database unavailable (ECONNREFUSED) (recorded by the runs reconciler)');
    expect(repo.rows[3].error).toBeNull();
  });
});

import { and, asc, desc, eq, lt, lte, sql } from 'drizzle-orm';
import type { Database } from '../client.js';
import { runs } from '../schema.js';

export function runsRepository({ db }: Database) {
  return {
    async started(input: { workflowId: string; scopeId: string; kind: string; trigger: string }) {
      // A retried or continued-as-new run reuses its row: the latest start wins.
      await db
        .insert(runs)
        .values({ ...input, status: 'running' })
        .onConflictDoUpdate({
          target: runs.workflowId,
          set: { status: 'running', startedAt: sql`now()`, finishedAt: null, error: null, trigger: input.trigger },
        });
    },
    async finished(input: { workflowId: string; status: string; detail?: Record<string, unknown>; error?: string }) {
      await db
        .update(runs)
        .set({ status: input.status, detail: input.detail ?? {}, error: input.error ?? null, finishedAt: sql`now()` })
        .where(eq(runs.workflowId, input.workflowId));
    },
    /** Rows still `running` that started before `olderThanMs` ago, oldest first: the reconciler's work list. */
    async staleRunning(olderThanMs: number, limit = 100) {
      return db
        .select({ workflowId: runs.workflowId, startedAt: runs.startedAt })
        .from(runs)
        .where(and(eq(runs.status, 'running'), lt(runs.startedAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`)))
        .orderBy(asc(runs.startedAt))
        .limit(limit);
    },
    /**
     * Closes a row the workflow could not close itself (terminated, timed out, or failed while
     * the database was down for longer than its bookkeeping retries); only while it still says
     * `running`, so it never overwrites what the workflow recorded. True when it changed the row.
     */
    async closeIfRunning(input: { workflowId: string; status: string; error?: string; closedAt: Date }): Promise<boolean> {
      const changed = await db
        .update(runs)
        .set({ status: input.status, error: input.error ?? null, finishedAt: input.closedAt.toISOString() })
        // A row started after that close belongs to a newer run of the same workflow id: leave it.
        .where(and(eq(runs.workflowId, input.workflowId), eq(runs.status, 'running'), lte(runs.startedAt, input.closedAt.toISOString())))
        .returning({ workflowId: runs.workflowId });
      return changed.length > 0;
    },
    async get(workflowId: string) {
      const [row] = await db.select().from(runs).where(eq(runs.workflowId, workflowId));
      return row;
    },
    /**
     * Runs most recently started first (then by workflow id, descending); `after` is the sort key
     * of the last run of the previous page, and the page starts strictly after it.
     */
    async list(filter: { scopeId?: string; limit?: number; after?: readonly [startedAt: string, workflowId: string] } = {}) {
      const conds = [
        filter.scopeId ? eq(runs.scopeId, filter.scopeId) : undefined,
        filter.after ? sql`(${runs.startedAt}, ${runs.workflowId}) < (${filter.after[0]}::timestamptz, ${filter.after[1]}::text)` : undefined,
      ].filter((c) => c !== undefined);
      return db
        .select()
        .from(runs)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(desc(runs.startedAt), desc(runs.workflowId))
        .limit(filter.limit ?? 50);
    },
  };
}

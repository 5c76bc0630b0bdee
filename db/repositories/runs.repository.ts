import { desc, eq, sql } from 'drizzle-orm';
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
    async get(workflowId: string) {
      const [row] = await db.select().from(runs).where(eq(runs.workflowId, workflowId));
      return row;
    },
    async list(scopeId?: string, limit = 50) {
      const q = db.select().from(runs).orderBy(desc(runs.startedAt)).limit(limit);
      return scopeId ? q.where(eq(runs.scopeId, scopeId)) : q;
    },
  };
}

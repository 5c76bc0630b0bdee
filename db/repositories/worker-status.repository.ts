import type { Database } from '../client.js';
import type { workerStatus } from '../schema.js';

type WorkerStatus = typeof workerStatus.$inferSelect;

/** Workers that registered themselves (the GPU pool records its TensorFlow.js backend). */
export function workerStatusRepository({ sql }: Database) {
  return {
    /** A restarted worker with the same identity replaces its row. */
    async record(entry: Pick<WorkerStatus, 'queue' | 'identity' | 'backend' | 'detail'>): Promise<void> {
      await sql`
        insert into worker_status (queue, identity, backend, detail) values
          (${entry.queue}, ${entry.identity}, ${entry.backend}, ${JSON.stringify(entry.detail)}::jsonb)
        on conflict (queue, identity) do update set backend = excluded.backend, detail = excluded.detail, started_at = now()`;
    },

    async list(): Promise<WorkerStatus[]> {
      return sql<WorkerStatus[]>`
        select queue, identity, backend, detail, started_at as "startedAt" from worker_status order by started_at desc`;
    },
  };
}

import type { Database } from '../client.js';
import type { idempotencyKeys } from '../schema.js';

type IdempotencyKey = typeof idempotencyKeys.$inferSelect;

/** API idempotency keys: one key, one request body, one workflow, one response. */
export function idempotencyRepository({ sql }: Database) {
  return {
    async find(key: string): Promise<Pick<IdempotencyKey, 'requestHash' | 'response' | 'workflowId'> | undefined> {
      const [row] = await sql<Pick<IdempotencyKey, 'requestHash' | 'response' | 'workflowId'>[]>`
        select request_hash as "requestHash", response, workflow_id as "workflowId" from idempotency_keys where key = ${key}`;
      return row;
    },

    /**
     * Points a key at the new run started because its workflow failed (a retry of the same
     * request); concurrent retries attach to the same run, so the last write is as good as the first.
     */
    async replaceResponse(key: string, response: unknown): Promise<void> {
      await sql`update idempotency_keys set response = ${JSON.stringify(response)}::jsonb where key = ${key}`;
    },

    /** Stores the key's answer; false when a concurrent request stored the key first. */
    async remember(entry: Pick<IdempotencyKey, 'key' | 'route' | 'requestHash' | 'workflowId' | 'response'>): Promise<boolean> {
      const inserted = await sql`insert into idempotency_keys (key, route, request_hash, workflow_id, response)
                         values (${entry.key}, ${entry.route}, ${entry.requestHash}, ${entry.workflowId}, ${JSON.stringify(entry.response)}::jsonb)
                         on conflict (key) do nothing returning key`;
      return inserted.length > 0;
    },
  };
}

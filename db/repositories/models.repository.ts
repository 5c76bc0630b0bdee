import type { Database, Sql } from '../client.js';
import type { ModelRow } from '../schema.js';

export type ModelRecord = Pick<ModelRow, 'id' | 'version' | 'status' | 'artifactUri' | 'isChampion' | 'metrics'>;

/** The model registry: versions, champion per scope and kind, artifacts by URI. */
export function modelsRepository({ sql }: Database) {
  return {
    /** The registry row of a training run; a retried attempt finds the one it created. */
    async forRun(input: { scopeId: string; kind: string; runId: string; snapshotId: number; hyper: Record<string, unknown>; backend: string }): Promise<ModelRecord> {
      return sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        await t`select pg_advisory_xact_lock(hashtext(${`models:${input.scopeId}:${input.kind}`}))`;
        const [existing] = await t<ModelRecord[]>`
          select id, version, status, artifact_uri as "artifactUri", is_champion as "isChampion", metrics from models
           where scope_id = ${input.scopeId} and kind = ${input.kind} and hyper->>'runId' = ${input.runId}`;
        if (existing) return existing;
        const [{ next }] = await t<{ next: number }[]>`
          select coalesce(max(version), 0) + 1 as next from models where scope_id = ${input.scopeId} and kind = ${input.kind}`;
        const [row] = await t<ModelRecord[]>`
          insert into models (scope_id, kind, version, snapshot_id, hyper, backend, status)
          values (${input.scopeId}, ${input.kind}, ${next}, ${input.snapshotId}, ${JSON.stringify({ ...input.hyper, runId: input.runId })}::jsonb, ${input.backend}, 'training')
          returning id, version, status, artifact_uri as "artifactUri", is_champion as "isChampion", metrics`;
        return row;
      });
    },

    async champion(scopeId: string, kind: string): Promise<ModelRecord | undefined> {
      const [row] = await sql<ModelRecord[]>`
        select id, version, status, artifact_uri as "artifactUri", is_champion as "isChampion", metrics from models
         where scope_id = ${scopeId} and kind = ${kind} and is_champion`;
      return row;
    },

    /** Records the trained model; makes it champion (demoting the old one) when it won. */
    async complete(input: { modelId: number; scopeId: string; kind: string; artifactUri: string; metrics: Record<string, number>; promote: boolean }) {
      await sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        if (input.promote) await t`update models set is_champion = false where scope_id = ${input.scopeId} and kind = ${input.kind} and is_champion`;
        await t`update models set status = 'ready', artifact_uri = ${input.artifactUri}, metrics = ${JSON.stringify(input.metrics)}::jsonb,
                       is_champion = ${input.promote} where id = ${input.modelId}`;
      });
    },

    async list(scopeId: string) {
      return sql`select id, kind, version, snapshot_id as "snapshotId", hyper, metrics, artifact_uri as "artifactUri", backend, status,
                        is_champion as "isChampion", created_at as "createdAt" from models where scope_id = ${scopeId} order by kind, version desc`;
    },
  };
}

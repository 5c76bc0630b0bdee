import type { Database } from '../client.js';

/**
 * The artifact store: model weights, training checkpoints, full planner results. Blobs live in
 * Postgres (`artifacts`), so a deployment has one stateful dependency; URIs are stable names.
 */
export function artifactsRepository({ sql }: Database) {
  return {
    async put(uri: string, content: Uint8Array): Promise<string> {
      const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
      await sql`insert into artifacts (uri, content, bytes) values (${uri}, ${buf}, ${buf.byteLength})
                on conflict (uri) do update set content = excluded.content, bytes = excluded.bytes, created_at = now()`;
      return uri;
    },
    async get(uri: string): Promise<Buffer | undefined> {
      const [row] = await sql<{ content: Buffer }[]>`select content from artifacts where uri = ${uri}`;
      return row?.content;
    },
    async putJson(uri: string, value: unknown): Promise<string> {
      return this.put(uri, Buffer.from(JSON.stringify(value)));
    },
    async getJson<T>(uri: string): Promise<T | undefined> {
      const buf = await this.get(uri);
      return buf ? (JSON.parse(buf.toString('utf8')) as T) : undefined;
    },
    async delete(uri: string): Promise<void> {
      await sql`delete from artifacts where uri = ${uri}`;
    },
  };
}

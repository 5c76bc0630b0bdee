import type { Database } from '../client.js';
import type { Scope } from '../schema.js';

/** Planning scopes (a category group in a region) and their rules. */
export function scopesRepository({ sql }: Database) {
  return {
    async get(scopeId: string): Promise<Pick<Scope, 'id' | 'region' | 'categories' | 'rules'> | undefined> {
      const [row] = await sql<Pick<Scope, 'id' | 'region' | 'categories' | 'rules'>[]>`
        select id, region, categories, rules from scopes where id = ${scopeId}`;
      return row;
    },

    async exists(scopeId: string): Promise<boolean> {
      const [row] = await sql`select 1 from scopes where id = ${scopeId}`;
      return row !== undefined;
    },

    async list(): Promise<Array<Pick<Scope, 'id' | 'region' | 'categories' | 'updatedAt'>>> {
      return sql<Array<Pick<Scope, 'id' | 'region' | 'categories' | 'updatedAt'>>>`
        select id, region, categories, updated_at as "updatedAt" from scopes order by id`;
    },

    /** Replaces a scope's stored rules (as given, defaults not filled in). */
    async setRules(scopeId: string, rules: unknown): Promise<void> {
      await sql`update scopes set rules = ${JSON.stringify(rules)}::jsonb, updated_at = now() where id = ${scopeId}`;
    },
  };
}

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

    /** Scopes by id; `after` is the last id of the previous page. */
    async list(page: { limit?: number; after?: string } = {}): Promise<Array<Pick<Scope, 'id' | 'region' | 'categories' | 'updatedAt'>>> {
      return sql<Array<Pick<Scope, 'id' | 'region' | 'categories' | 'updatedAt'>>>`
        select id, region, categories, updated_at as "updatedAt" from scopes
         ${page.after !== undefined ? sql`where id > ${page.after}` : sql``}
         order by id ${page.limit !== undefined ? sql`limit ${page.limit}` : sql``}`;
    },

    /**
     * Which of the promotion names and candidate ids that rules refer to the scope does not have
     * (promotions of the scope's region, candidates of the scope), each list in the order given.
     */
    async unknownReferences(scopeId: string, refs: { promotions: string[]; candidateIds: string[] }): Promise<{ promotions: string[]; candidateIds: string[] }> {
      const [promotions, candidates] = await Promise.all([
        sql<{ name: string }[]>`
          select distinct p.name from promotions p join scopes s on s.region = p.region
          where s.id = ${scopeId} and p.name = any(${refs.promotions})`,
        sql<{ id: string }[]>`select id from candidates where scope_id = ${scopeId} and id = any(${refs.candidateIds})`,
      ]);
      const knownPromotions = new Set(promotions.map((r) => r.name));
      const knownCandidates = new Set(candidates.map((r) => r.id));
      return {
        promotions: [...new Set(refs.promotions)].filter((p) => !knownPromotions.has(p)),
        candidateIds: [...new Set(refs.candidateIds)].filter((c) => !knownCandidates.has(c)),
      };
    },

    /** Replaces a scope's stored rules (as given, defaults not filled in). */
    async setRules(scopeId: string, rules: unknown): Promise<void> {
      await sql`update scopes set rules = ${JSON.stringify(rules)}::jsonb, updated_at = now() where id = ${scopeId}`;
    },
  };
}

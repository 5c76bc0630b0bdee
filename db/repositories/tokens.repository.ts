import type { Database, Sql } from '../client.js';
import type { ApiToken, TokenRole } from '../schema.js';

export type { ApiToken };

// The API and the CLI validate roles against the list the CHECK constraint is built from.
export { TOKEN_ROLES, type TokenRole } from '../schema.js';

/** A token as it may be shown: never its hash. */
export type TokenInfo = Omit<ApiToken, 'secretHash'>;

export interface NewToken {
  name: string;
  prefix: string;
  secretHash: string;
  role: TokenRole;
  /** Scope patterns (`electronics/*`); null for every scope. */
  scopes: string[] | null;
  createdBy: string;
  expiresAt: string | null;
}

const COLUMNS = (sql: Sql) => sql`id, name, prefix, role, scopes, created_by as "createdBy", created_at as "createdAt",
  expires_at as "expiresAt", last_used_at as "lastUsedAt", revoked_at as "revokedAt"`;

/** Timestamps leave as ISO strings, like the Drizzle rows typed by the schema (mode 'string'). */
function iso<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const k of ['createdAt', 'expiresAt', 'lastUsedAt', 'revokedAt']) if (out[k] instanceof Date) out[k] = (out[k] as Date).toISOString();
  return out as T;
}

/** One lock for "is there an admin yet?": two API processes starting at once create one bootstrap token. */
const BOOTSTRAP_LOCK = 'launchloop.api_tokens.bootstrap';

/**
 * Told of every revocation made through a tokens repository in this process (the API's token
 * cache drops the token at once); module-wide because the CLI and the API build their own
 * repositories. Other processes' revocations are not seen here.
 */
const revocationListeners = new Set<(tokenId: number) => void>();
const revoked = (ids: number[]) => {
  for (const id of ids) for (const listener of revocationListeners) listener(id);
};

/** API bearer tokens, stored as SHA-256 hashes of their secrets (api/auth/tokens.ts). */
export function tokensRepository({ sql }: Database) {
  const insert = async (t: Sql, token: NewToken): Promise<TokenInfo> => {
    const [row] = await t<TokenInfo[]>`
      insert into api_tokens (name, prefix, secret_hash, role, scopes, created_by, expires_at)
      values (${token.name}, ${token.prefix}, ${token.secretHash}, ${token.role}, ${token.scopes}::text[], ${token.createdBy}, ${token.expiresAt})
      returning ${COLUMNS(t)}`;
    return iso(row);
  };

  return {
    create: (token: NewToken) => insert(sql, token),

    /** The token whose secret hashes to `secretHash` (unique index), with the hash to compare. */
    async findByHash(secretHash: string): Promise<ApiToken | undefined> {
      const [row] = await sql<ApiToken[]>`select ${COLUMNS(sql)}, secret_hash as "secretHash" from api_tokens where secret_hash = ${secretHash}`;
      return row && iso(row);
    },

    async list(): Promise<TokenInfo[]> {
      const rows = await sql<TokenInfo[]>`select ${COLUMNS(sql)} from api_tokens order by id`;
      return rows.map(iso);
    },

    async get(id: number): Promise<TokenInfo | undefined> {
      const [row] = await sql<TokenInfo[]>`select ${COLUMNS(sql)} from api_tokens where id = ${id}`;
      return row && iso(row);
    },

    /** Revokes the token (keeping the first revocation time); undefined when there is no such token. */
    async revoke(id: number): Promise<TokenInfo | undefined> {
      const [row] = await sql<TokenInfo[]>`
        update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = ${id} returning ${COLUMNS(sql)}`;
      if (row) revoked([row.id]);
      return row && iso(row);
    },

    /** Revokes every active token of that name (the demo's previous sign-in tokens); their ids. */
    async revokeByName(name: string): Promise<number[]> {
      const rows = await sql<{ id: number }[]>`update api_tokens set revoked_at = now() where name = ${name} and revoked_at is null returning id`;
      revoked(rows.map((r) => r.id));
      return rows.map((r) => r.id);
    },

    /** Calls `listener` with the id of each token revoked in this process; returns its removal. */
    onRevoke(listener: (tokenId: number) => void): () => void {
      revocationListeners.add(listener);
      return () => void revocationListeners.delete(listener);
    },

    /** Records a use (the API calls it at most once a minute per token from memory; the condition keeps replicas from writing more). */
    async touch(id: number): Promise<void> {
      await sql`update api_tokens set last_used_at = now()
                where id = ${id} and (last_used_at is null or last_used_at < now() - interval '1 minute')`;
    },

    /**
     * Inserts `token` only when no usable admin token exists (unrevoked, unexpired, every scope),
     * under an advisory lock; the inserted token, or undefined when an admin already existed.
     */
    async createIfNoAdmin(token: NewToken): Promise<TokenInfo | undefined> {
      return sql.begin(async (tx) => {
        const t = tx as unknown as Sql;
        await t`select pg_advisory_xact_lock(hashtext(${BOOTSTRAP_LOCK}))`;
        const [admin] = await t`select id from api_tokens where role = 'admin' and revoked_at is null
                                  and (expires_at is null or expires_at > now()) and (scopes is null or cardinality(scopes) = 0) limit 1`;
        return admin ? undefined : insert(t, token);
      });
    },

    /**
     * Stores a token whose secret was chosen outside (LAUNCHLOOP_ADMIN_TOKEN) unless that secret
     * is already stored; returns the stored row either way (a revoked one stays revoked).
     */
    async ensure(token: NewToken): Promise<TokenInfo> {
      const [inserted] = await sql<TokenInfo[]>`
        insert into api_tokens (name, prefix, secret_hash, role, scopes, created_by, expires_at)
        values (${token.name}, ${token.prefix}, ${token.secretHash}, ${token.role}, ${token.scopes}::text[], ${token.createdBy}, ${token.expiresAt})
        on conflict (secret_hash) do nothing returning ${COLUMNS(sql)}`;
      if (inserted) return iso(inserted);
      const [existing] = await sql<TokenInfo[]>`select ${COLUMNS(sql)} from api_tokens where secret_hash = ${token.secretHash}`;
      return iso(existing);
    },

    /**
     * The scope a plan belongs to, for the API's scope check (a light read: no items). Here
     * rather than in the plans and reorders repositories because only the access check needs it.
     */
    async scopeOfPlan(planId: number): Promise<string | undefined> {
      const [row] = await sql<{ scopeId: string }[]>`select scope_id as "scopeId" from plans where id = ${planId}`;
      return row?.scopeId;
    },

    /** The scope of a reorder (purchase order), for the same check. */
    async scopeOfReorder(id: number): Promise<string | undefined> {
      const [row] = await sql<{ scopeId: string }[]>`select scope_id as "scopeId" from purchase_orders where id = ${id}`;
      return row?.scopeId;
    },
  };
}

export type TokensRepository = ReturnType<typeof tokensRepository>;

import type { ApiToken, TokensRepository } from '../../db/repositories/tokens.repository.js';
import { checkTokenRow, hashToken, type Principal, type Verification } from './tokens.js';

export interface TokenCacheOptions {
  /** How long a token row read from Postgres is trusted (revocations by another process show after at most this). */
  ttlMs?: number;
  /** Tokens kept at most; the least recently used goes first. */
  maxEntries?: number;
  /** `last_used_at` is written at most this often per token. */
  touchEveryMs?: number;
  now?: () => number;
  /** Told when the bookkeeping write fails (the request is not). */
  onTouchError?: (err: unknown) => void;
}

export const TOKEN_CACHE_DEFAULTS = { ttlMs: 5_000, maxEntries: 1_000, touchEveryMs: 60_000 } as const;

interface Entry {
  at: number;
  /** Shared by concurrent requests with the same token while the read is in flight. */
  row: Promise<ApiToken | undefined>;
  tokenId?: number;
  /** The row once read, for `peek` (a promise's value cannot be read synchronously). */
  found?: ApiToken;
}

/**
 * Verifies bearer tokens without a database read per request: the row of each presented
 * token's hash is kept for `ttlMs` (bounded LRU), and revocation, expiry and role are checked
 * against that row on every request, so an expiry passes at its second. Unknown tokens are not
 * kept (a token created a moment ago signs in at once). A revocation through this process's API
 * (or any `tokensRepository().revoke` in this process) drops the token at once; one made by
 * another process (the CLI on another machine, another API replica) is seen after at most ttlMs.
 * `last_used_at` is written from memory at most once per `touchEveryMs` per token.
 */
export function tokenCache(repo: Pick<TokensRepository, 'findByHash' | 'touch'> & Partial<Pick<TokensRepository, 'onRevoke'>>, o: TokenCacheOptions = {}) {
  const ttlMs = o.ttlMs ?? TOKEN_CACHE_DEFAULTS.ttlMs;
  const maxEntries = o.maxEntries ?? TOKEN_CACHE_DEFAULTS.maxEntries;
  const touchEveryMs = o.touchEveryMs ?? TOKEN_CACHE_DEFAULTS.touchEveryMs;
  const now = o.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on use makes the first key the least recently used.
  const entries = new Map<string, Entry>();
  const touched = new Map<number, number>();

  const read = (hash: string): Entry => {
    const entry: Entry = { at: now(), row: repo.findByHash(hash) };
    entries.set(hash, entry);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    entry.row.then(
      (row) => {
        if (!row) entries.delete(hash);
        else {
          entry.tokenId = row.id;
          entry.found = row;
        }
      },
      // A failed read (database down) is not kept: the next request asks again.
      () => {
        if (entries.get(hash) === entry) entries.delete(hash);
      },
    );
    return entry;
  };

  const touch = (tokenId: number) => {
    const t = now();
    const last = touched.get(tokenId);
    if (last !== undefined && t - last < touchEveryMs) return;
    touched.delete(tokenId);
    touched.set(tokenId, t);
    if (touched.size > maxEntries) touched.delete(touched.keys().next().value!);
    repo.touch(tokenId).catch((err: unknown) => o.onTouchError?.(err));
  };

  const forget = (tokenId: number) => {
    for (const [hash, entry] of entries) if (entry.tokenId === tokenId) entries.delete(hash);
  };
  const unsubscribe = repo.onRevoke?.(forget);

  return {
    /** Who a presented bearer token signs in, or why it signs in nobody; records the use. */
    async verify(presented: string): Promise<Verification> {
      const hash = hashToken(presented);
      let entry = entries.get(hash);
      if (entry && now() - entry.at < ttlMs) {
        entries.delete(hash);
        entries.set(hash, entry);
      } else entry = read(hash);
      const verified = checkTokenRow(await entry.row, hash, new Date(now()));
      if ('principal' in verified) touch(verified.principal.tokenId);
      return verified;
    },
    /**
     * Who a presented token signs in when its row is already in memory and fresh, checked as
     * `verify` checks it; undefined when `verify` would have to wait for a read, or when the
     * token signs nobody in (the caller leaves those to `verify`, which answers why). Records
     * nothing: the caller calls `used` once it answers the request itself.
     */
    peek(presented: string): Principal | undefined {
      const hash = hashToken(presented);
      const entry = entries.get(hash);
      if (!entry?.found || now() - entry.at >= ttlMs) return undefined;
      const verified = checkTokenRow(entry.found, hash, new Date(now()));
      if (!('principal' in verified)) return undefined;
      entries.delete(hash);
      entries.set(hash, entry);
      return verified.principal;
    },
    /** Records a use of a token `peek` let in (what `verify` records itself). */
    used: (tokenId: number) => touch(tokenId),
    /** Drops a token at once (revoked through this process). */
    forget,
    /** Stops listening to the repository's revocations. */
    close: () => unsubscribe?.(),
    get size() {
      return entries.size;
    },
  };
}

export type TokenCache = ReturnType<typeof tokenCache>;

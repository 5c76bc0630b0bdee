import { describe, expect, it } from 'vitest';
import type { ApiToken, TokensRepository } from '../../db/repositories/tokens.repository.js';
import { tokenCache } from './token-cache.js';
import { generateToken } from './tokens.js';

/** Counts reads and last-use writes; revocations are told to listeners like the real repository does. */
function fakeRepo() {
  const rows: ApiToken[] = [];
  const calls = { reads: 0, touches: [] as number[] };
  const listeners = new Set<(id: number) => void>();
  const repo: Pick<TokensRepository, 'findByHash' | 'touch' | 'onRevoke'> = {
    findByHash: async (h) => {
      calls.reads++;
      const row = rows.find((r) => r.secretHash === h);
      // A copy, as a database read is: later changes to the row are not seen through it.
      return row && { ...row };
    },
    touch: async (id) => void calls.touches.push(id),
    onRevoke: (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
  const add = (over: Partial<ApiToken> = {}) => {
    const { token, prefix, secretHash } = generateToken();
    rows.push({ id: rows.length + 1, name: `t${rows.length + 1}`, prefix, secretHash, role: 'viewer', scopes: null, createdBy: 'test', createdAt: '2026-12-01T00:00:00.000Z', expiresAt: null, lastUsedAt: null, revokedAt: null, ...over });
    return { secret: token, row: rows[rows.length - 1] };
  };
  const revoke = (id: number) => {
    rows.find((r) => r.id === id)!.revokedAt = '2026-12-05T12:00:00.000Z';
    for (const l of listeners) l(id);
  };
  return { repo, calls, add, revoke };
}

describe('token cache', () => {
  it('reads a token once per TTL, shares a read in flight, and checks it again after the TTL', async () => {
    let t = 1_000_000;
    const f = fakeRepo();
    const cache = tokenCache(f.repo, { ttlMs: 5_000, now: () => t });
    const { secret } = f.add();
    const all = await Promise.all(Array.from({ length: 20 }, () => cache.verify(secret)));
    expect(all.every((v) => 'principal' in v)).toBe(true);
    expect(f.calls.reads).toBe(1);
    t += 4_999;
    await cache.verify(secret);
    expect(f.calls.reads).toBe(1);
    t += 1;
    await cache.verify(secret);
    expect(f.calls.reads).toBe(2);
  });

  it('checks expiry against the cached row on every request', async () => {
    let t = Date.parse('2026-12-05T12:00:00Z');
    const f = fakeRepo();
    const cache = tokenCache(f.repo, { now: () => t });
    const { secret } = f.add({ expiresAt: '2026-12-05T12:00:01.000Z' });
    expect(await cache.verify(secret)).toHaveProperty('principal');
    t += 1_000;
    expect(await cache.verify(secret)).toEqual({ problem: 'token 1 ("t1") expired at 2026-12-05T12:00:01.000Z' });
    expect(f.calls.reads).toBe(1);
  });

  it('drops a token revoked in this process at once; a revocation it is not told of shows after the TTL', async () => {
    let t = 0;
    const f = fakeRepo();
    const cache = tokenCache(f.repo, { ttlMs: 5_000, now: () => t });
    const a = f.add();
    const b = f.add();
    await cache.verify(a.secret);
    await cache.verify(b.secret);
    f.revoke(a.row.id);
    expect(await cache.verify(a.secret)).toEqual({ problem: 'token 1 ("t1") was revoked at 2026-12-05T12:00:00.000Z' });
    // Another process's revocation: the row changes, nobody tells the cache.
    b.row.revokedAt = '2026-12-05T12:00:00.000Z';
    expect(await cache.verify(b.secret)).toHaveProperty('principal');
    t += 5_000;
    expect(await cache.verify(b.secret)).toHaveProperty('problem');
  });

  it('keeps no unknown token and no failed read, so a new token or a database back up works at once', async () => {
    const f = fakeRepo();
    const cache = tokenCache(f.repo);
    const unknown = `ll_00000000_${'A'.repeat(43)}`;
    expect(await cache.verify(unknown)).toEqual({ problem: 'the bearer token is not known' });
    expect(cache.size).toBe(0);
    const failing = tokenCache({ ...f.repo, findByHash: async () => Promise.reject(new Error('connection refused')) });
    const { secret } = f.add();
    await expect(failing.verify(secret)).rejects.toThrow('connection refused');
    expect(failing.size).toBe(0);
  });

  it('writes last use at most once a minute per token, and evicts the least recently used token beyond its bound', async () => {
    let t = 0;
    const f = fakeRepo();
    const cache = tokenCache(f.repo, { maxEntries: 2, now: () => t });
    const [a, b, c] = [f.add(), f.add(), f.add()];
    for (let i = 0; i < 10; i++) await cache.verify(a.secret);
    expect(f.calls.touches).toEqual([1]);
    t += 59_999;
    await cache.verify(a.secret);
    expect(f.calls.touches).toEqual([1]);
    t += 1;
    await cache.verify(a.secret);
    expect(f.calls.touches).toEqual([1, 1]);
    await cache.verify(b.secret);
    await cache.verify(a.secret);
    await cache.verify(c.secret); // evicts b, the least recently used
    const reads = f.calls.reads;
    await cache.verify(a.secret);
    expect(f.calls.reads).toBe(reads);
    await cache.verify(b.secret);
    expect(f.calls.reads).toBe(reads + 1);
  });
});

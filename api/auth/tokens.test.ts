import { describe, expect, it } from 'vitest';
import type { ApiToken } from '../../db/schema.js';
import type { NewToken, TokensRepository } from '../../db/repositories/tokens.repository.js';
import { bootstrapAdmin, createToken, displayPrefix, generateToken, hashToken, parseScopePatterns, roleAtLeast, sameHash, scopeAllowed, scopeMatches, scopePatternProblem, verifyToken } from './tokens.js';

/** An in-memory tokens repository: only what the use cases call. */
function fakeRepo() {
  const rows: ApiToken[] = [];
  const info = ({ secretHash: _h, ...rest }: ApiToken) => rest;
  const insert = (t: NewToken): ApiToken => {
    const row: ApiToken = { id: rows.length + 1, ...t, createdAt: '2026-12-01T00:00:00.000Z', lastUsedAt: null, revokedAt: null };
    rows.push(row);
    return row;
  };
  const repo = {
    create: async (t: NewToken) => info(insert(t)),
    findByHash: async (h: string) => rows.find((r) => r.secretHash === h),
    createIfNoAdmin: async (t: NewToken) => (rows.some((r) => r.role === 'admin' && !r.revokedAt && !r.scopes) ? undefined : info(insert(t))),
    ensure: async (t: NewToken) => info(rows.find((r) => r.secretHash === t.secretHash) ?? insert(t)),
  } as unknown as TokensRepository;
  return { rows, repo };
}

describe('token secrets', () => {
  it('are ll_<8 hex>_<43 base64url> with a SHA-256 hex hash of the whole token, different every time', () => {
    const a = generateToken();
    const b = generateToken();
    expect(a.token).toMatch(/^ll_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(a.token.startsWith(`ll_${a.prefix}_`)).toBe(true);
    expect(a.secretHash).toBe(hashToken(a.token));
    expect(a.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.token).not.toBe(b.token);
  });

  it('hashes like sha256sum (echo -n abc | sha256sum)', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('compares hashes whole: equal, one character off, or of another length', () => {
    const h = hashToken('x');
    expect(sameHash(h, h)).toBe(true);
    expect(sameHash(h, `${h.slice(0, -1)}${h.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(sameHash(h, h.slice(1))).toBe(false);
  });

  it('shows the prefix of our own format and nothing of a foreign secret', () => {
    const { token, prefix } = generateToken();
    expect(displayPrefix(token)).toBe(prefix);
    expect(displayPrefix('my-own-very-long-secret-from-a-vault-0123456789')).toBe('custom');
  });
});

describe('roles and scopes', () => {
  it('orders roles viewer < merchandiser < planner < admin', () => {
    expect(roleAtLeast('admin', 'planner')).toBe(true);
    expect(roleAtLeast('planner', 'merchandiser')).toBe(true);
    expect(roleAtLeast('merchandiser', 'merchandiser')).toBe(true);
    expect(roleAtLeast('merchandiser', 'planner')).toBe(false);
    expect(roleAtLeast('viewer', 'merchandiser')).toBe(false);
    expect(roleAtLeast('planner', 'admin')).toBe(false);
  });

  it('matches scope patterns by whole segments', () => {
    expect(scopeMatches('electronics/*', 'electronics/east')).toBe(true);
    expect(scopeMatches('electronics/*', 'electronics-b/east')).toBe(false);
    expect(scopeMatches('*/east', 'toys/east')).toBe(true);
    expect(scopeMatches('*/east', 'toys/eastern')).toBe(false);
    expect(scopeMatches('toys/east', 'toys/east')).toBe(true);
    expect(scopeMatches('toys/east', 'toys/west')).toBe(false);
    expect(scopeMatches('*', 'anything/at-all')).toBe(true);
    expect(scopeMatches('electronics/*', 'electronics')).toBe(false);
    expect(scopeMatches('electronics/east', 'electronics/east/x')).toBe(false);
    expect(scopeMatches('*/*', 'a/b/c')).toBe(false);
    expect(scopeAllowed(null, 'toys/east')).toBe(true);
    expect(scopeAllowed(['electronics/*', 'toys/west'], 'toys/west')).toBe(true);
    expect(scopeAllowed(['electronics/*', 'toys/west'], 'toys/east')).toBe(false);
  });

  it('parses --scopes lists, naming each bad pattern; empty or * means every scope', () => {
    expect(parseScopePatterns('electronics/*, toys/east')).toEqual(['electronics/*', 'toys/east']);
    expect(parseScopePatterns('')).toBeNull();
    expect(parseScopePatterns(undefined)).toBeNull();
    expect(parseScopePatterns('toys/east,*')).toBeNull();
    expect(() => parseScopePatterns('electronics,Toys/East,a/b/c')).toThrow(/"electronics".*"Toys\/East".*"a\/b\/c"/);
    expect(scopePatternProblem('elec*/east')).toMatch(/group\/region/);
  });
});

describe('creating and verifying tokens', () => {
  it('stores only the hash, and the secret signs in as the token', async () => {
    const { rows, repo } = fakeRepo();
    const { token, secret } = await createToken(repo, { name: 'ana', role: 'merchandiser', scopes: ['electronics/*'], createdBy: 'admin' });
    expect(rows[0].secretHash).toBe(hashToken(secret));
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(token).not.toHaveProperty('secretHash');
    expect(await verifyToken(repo, secret)).toEqual({ principal: { tokenId: token.id, name: 'ana', role: 'merchandiser', scopes: ['electronics/*'] } });
    expect(await verifyToken(repo, `${secret}x`)).toEqual({ problem: 'the bearer token is not known' });
  });

  it('sets the expiry days ahead, and an expired or revoked token signs nobody in', async () => {
    const { rows, repo } = fakeRepo();
    const now = new Date('2026-12-01T00:00:00Z');
    const { secret } = await createToken(repo, { name: 'temp', role: 'viewer', expiresInDays: 2, createdBy: 'admin' }, now);
    expect(rows[0].expiresAt).toBe('2026-12-03T00:00:00.000Z');
    expect(await verifyToken(repo, secret, new Date('2026-12-02T23:59:59Z'))).toHaveProperty('principal');
    expect(await verifyToken(repo, secret, new Date('2026-12-03T00:00:00Z'))).toEqual({ problem: 'token 1 ("temp") expired at 2026-12-03T00:00:00.000Z' });
    rows[0].revokedAt = '2026-12-02T10:00:00.000Z';
    expect(await verifyToken(repo, secret, now)).toEqual({ problem: 'token 1 ("temp") was revoked at 2026-12-02T10:00:00.000Z' });
  });

  it('a "*" or empty scope list is every scope', async () => {
    const { rows, repo } = fakeRepo();
    await createToken(repo, { name: 'a', role: 'viewer', scopes: ['*'], createdBy: 'x' });
    await createToken(repo, { name: 'b', role: 'viewer', scopes: [], createdBy: 'x' });
    expect(rows.map((r) => r.scopes)).toEqual([null, null]);
  });
});

describe('the first admin token', () => {
  it('is created once when none exists, and not again', async () => {
    const { rows, repo } = fakeRepo();
    const first = await bootstrapAdmin(repo, undefined);
    expect(first.created?.token.role).toBe('admin');
    expect(rows[0].secretHash).toBe(hashToken(first.created!.secret));
    expect(await bootstrapAdmin(repo, undefined)).toEqual({});
    expect(rows).toHaveLength(1);
  });

  it('is LAUNCHLOOP_ADMIN_TOKEN when set (stored once), and a short one is refused', async () => {
    const { rows, repo } = fakeRepo();
    const secret = 'a'.repeat(40);
    const a = await bootstrapAdmin(repo, secret);
    const b = await bootstrapAdmin(repo, secret);
    expect(a.fromEnv?.id).toBe(b.fromEnv?.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ role: 'admin', prefix: 'custom', secretHash: hashToken(secret) });
    expect(await verifyToken(repo, secret)).toHaveProperty('principal.role', 'admin');
    await expect(bootstrapAdmin(repo, 'short')).rejects.toThrow(/at least 32 characters/);
  });
});

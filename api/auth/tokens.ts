import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TOKEN_ROLES, type ApiToken, type TokenInfo, type TokenRole, type TokensRepository } from '../../db/repositories/tokens.repository.js';

export { TOKEN_ROLES, type TokenRole, type TokenInfo };

/**
 * Bearer tokens: `ll_<prefix>_<secret>`, 32 random bytes of secret. Only the SHA-256 of the
 * whole token is stored, so a database dump signs nobody in; the prefix is stored in clear to
 * tell tokens apart in lists and logs. A fast hash is enough: the secret is random, not a
 * password, so there is nothing to guess.
 */
export interface Principal {
  tokenId: number;
  name: string;
  role: TokenRole;
  /** Scope patterns the token is limited to; null for every scope. */
  scopes: string[] | null;
}

/** Roles in rising order: each one may do what the ones before it may. */
export function roleAtLeast(role: TokenRole, needed: TokenRole): boolean {
  return TOKEN_ROLES.indexOf(role) >= TOKEN_ROLES.indexOf(needed);
}

export function isRole(value: string): value is TokenRole {
  return (TOKEN_ROLES as readonly string[]).includes(value);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Hash comparison in constant time (both are 64 hex characters). */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

const TOKEN_FORMAT = /^ll_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

export function generateToken(): { token: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(4).toString('hex');
  const token = `ll_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, prefix, secretHash: hashToken(token) };
}

/**
 * The prefix to store for a secret chosen outside (LAUNCHLOOP_ADMIN_TOKEN): its own when it
 * has our format, else a fixed word, so no part of a foreign secret is ever shown.
 */
export function displayPrefix(token: string): string {
  return TOKEN_FORMAT.exec(token)?.[1] ?? 'custom';
}

/** A secret from the environment must be as hard to guess as ours. */
export const MIN_CUSTOM_TOKEN_LENGTH = 32;

const SEGMENT = /^[a-z0-9][a-z0-9_-]*$/;

/** `*` (every scope), `group/region`, `group/*`, `*\/region`; the problem with a pattern, if any. */
export function scopePatternProblem(pattern: string): string | undefined {
  if (pattern === '*') return undefined;
  const parts = pattern.split('/');
  if (parts.length === 2 && parts.every((p) => p === '*' || SEGMENT.test(p))) return undefined;
  return `scope pattern must look like "group/region", "group/*" or "*/region" (lower-case letters, digits, "-" or "_"), got "${pattern}"`;
}

export function scopeMatches(pattern: string, scopeId: string): boolean {
  if (pattern === '*') return true;
  const [pg, pr] = pattern.split('/');
  const parts = scopeId.split('/');
  // "electronics/east/x" (an encoded slash in a path segment) is no scope, not electronics/east.
  if (parts.length !== 2) return false;
  const [g, r] = parts;
  return (pg === '*' || pg === g) && (pr === '*' || pr === r);
}

/** True when a principal limited to `scopes` (null: unlimited) may touch `scopeId`. */
export function scopeAllowed(scopes: string[] | null, scopeId: string): boolean {
  return scopes === null || scopes.some((p) => scopeMatches(p, scopeId));
}

/** Comma-separated patterns from the CLI (`electronics/*,toys/east`); empty means unlimited. */
export function parseScopePatterns(text: string | undefined): string[] | null {
  const patterns = (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (patterns.length === 0 || patterns.includes('*')) return null;
  const problems = patterns.map(scopePatternProblem).filter((p): p is string => p !== undefined);
  if (problems.length) throw new Error(problems.join('; '));
  return patterns;
}

export interface CreateTokenInput {
  name: string;
  role: TokenRole;
  scopes?: string[] | null;
  expiresInDays?: number;
  createdBy: string;
}

/** Creates a token; the secret is in the answer and nowhere else, ever. */
export async function createToken(repo: TokensRepository, input: CreateTokenInput, now = new Date()): Promise<{ token: TokenInfo; secret: string }> {
  const { token: secret, prefix, secretHash } = generateToken();
  const expiresAt = input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString();
  const scopes = input.scopes && input.scopes.length > 0 && !input.scopes.includes('*') ? input.scopes : null;
  const token = await repo.create({ name: input.name, prefix, secretHash, role: input.role, scopes, createdBy: input.createdBy, expiresAt });
  return { token, secret };
}

export type Verification = { principal: Principal } | { problem: string };

/** Who a presented bearer token signs in, or why it signs in nobody. */
export async function verifyToken(repo: TokensRepository, presented: string, now = new Date()): Promise<Verification> {
  const hash = hashToken(presented);
  return checkTokenRow(await repo.findByHash(hash), hash, now);
}

/** The verdict on the stored row of a presented token's hash (undefined: none), at `now`. */
export function checkTokenRow(row: ApiToken | undefined, hash: string, now: Date): Verification {
  if (!row || !sameHash(row.secretHash, hash)) return { problem: 'the bearer token is not known' };
  if (row.revokedAt) return { problem: `token ${row.id} ("${row.name}") was revoked at ${row.revokedAt}` };
  if (row.expiresAt && new Date(row.expiresAt).getTime() <= now.getTime()) return { problem: `token ${row.id} ("${row.name}") expired at ${row.expiresAt}` };
  return { principal: { tokenId: row.id, name: row.name, role: row.role, scopes: row.scopes && row.scopes.length > 0 ? row.scopes : null } };
}

/**
 * Makes a fresh install usable: with `envSecret` (LAUNCHLOOP_ADMIN_TOKEN) that secret is stored
 * as an admin token if it is not yet; otherwise, when no usable admin token exists, one is
 * created and its secret returned (to be shown once).
 */
export async function bootstrapAdmin(repo: TokensRepository, envSecret: string | undefined): Promise<{ created?: { token: TokenInfo; secret: string }; fromEnv?: TokenInfo }> {
  if (envSecret !== undefined && envSecret !== '') {
    if (envSecret.length < MIN_CUSTOM_TOKEN_LENGTH) throw new Error(`LAUNCHLOOP_ADMIN_TOKEN must be at least ${MIN_CUSTOM_TOKEN_LENGTH} characters (e.g. the output of \`openssl rand -hex 32\`)`);
    const fromEnv = await repo.ensure({ name: 'admin (LAUNCHLOOP_ADMIN_TOKEN)', prefix: displayPrefix(envSecret), secretHash: hashToken(envSecret), role: 'admin', scopes: null, createdBy: 'launchloop api', expiresAt: null });
    return { fromEnv };
  }
  const { token: secret, prefix, secretHash } = generateToken();
  const token = await repo.createIfNoAdmin({ name: 'admin (first start)', prefix, secretHash, role: 'admin', scopes: null, createdBy: 'launchloop api', expiresAt: null });
  return token ? { created: { token, secret } } : {};
}

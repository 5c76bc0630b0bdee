/**
 * OpenID Connect sign-in against a local identity provider (this file's, on loopback: discovery,
 * JWKS, an authorize endpoint that signs the test's user in at once, a token endpoint that checks
 * the PKCE verifier and answers with an RS256 ID token), through the real API on Postgres.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.js';
import type { OidcOptions } from '../api/auth/oidc.js';
import { logger } from '../services/logger.js';
import { freshDatabase, startStack, type Stack } from './helpers.js';

const CLIENT_ID = 'launchloop-test';
const CLIENT_SECRET = 'not-a-real-secret-but-long-enough';

/** What the provider signs the next user in as, and how it misbehaves. */
let nextUser: Record<string, unknown> = {};
let wrongNonce = false;

async function localProvider() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string; challenge: string; redirectUri: string; user: Record<string, unknown> }>();
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let signWith: CryptoKey = privateKey;

  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    });
  });
  app.get('/jwks', (_req, res) => res.json({ keys: [jwk] }));
  app.get('/authorize', (req, res) => {
    const q = req.query as Record<string, string>;
    expect(q).toMatchObject({ client_id: CLIENT_ID, response_type: 'code', code_challenge_method: 'S256' });
    expect(q.scope.split(' ')).toContain('openid');
    const code = randomBytes(16).toString('hex');
    codes.set(code, { nonce: q.nonce, challenge: q.code_challenge, redirectUri: q.redirect_uri, user: nextUser });
    const back = new URL(q.redirect_uri);
    back.search = new URLSearchParams({ code, state: q.state }).toString();
    res.redirect(302, back.href);
  });
  app.post('/token', async (req, res) => {
    const b = req.body as Record<string, string>;
    const basic = req.get('authorization')?.startsWith('Basic ') ? Buffer.from(req.get('authorization')!.slice(6), 'base64').toString().split(':').map(decodeURIComponent) : [];
    const [id, secret] = basic.length ? basic : [b.client_id, b.client_secret];
    const grant = codes.get(b.code);
    codes.delete(b.code);
    const verifierOk = grant && createHash('sha256').update(b.code_verifier ?? '').digest('base64url') === grant.challenge;
    if (id !== CLIENT_ID || secret !== CLIENT_SECRET || b.grant_type !== 'authorization_code' || !grant || !verifierOk || b.redirect_uri !== grant.redirectUri)
      return void res.status(400).json({ error: 'invalid_grant' });
    const idToken = await new SignJWT({ nonce: wrongNonce ? 'another-nonce' : grant.nonce, ...grant.user })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(CLIENT_ID)
      .setSubject(String(grant.user.sub ?? 'user-1'))
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signWith);
    res.json({ access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: idToken });
  });
  return {
    issuer,
    /** Signs ID tokens with a key the JWKS does not have (a forged token). */
    forge: (on: boolean) => void (signWith = on ? otherKey : privateKey),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('sign-in with an OpenID Connect provider', () => {
  let stack: Stack;
  let provider: Awaited<ReturnType<typeof localProvider>>;
  let api: string;
  let plainApi: string;
  const servers: import('node:http').Server[] = [];

  beforeAll(async () => {
    const database = await freshDatabase();
    stack = await startStack({ namespace: 'll-auth', database, queues: [] });
    provider = await localProvider();
    const security = { corsOrigins: [], tokenRequestsPerMinute: 100_000, anonymousRequestsPerMinute: 10_000 };
    const quiet = logger.child({}, { level: 'silent' });
    const listen = async (oidc?: OidcOptions) => {
      const server = createApp({ database, client: stack.client, logger: quiet, security, oidc }).listen(0, '127.0.0.1');
      servers.push(server);
      await new Promise((r) => server.once('listening', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    // The callback URL names the API's port, known once it listens: a placeholder until then.
    const options: OidcOptions = {
      issuer: new URL(provider.issuer),
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri: new URL('http://127.0.0.1/auth/oidc/callback'),
      roleClaim: 'launchloop_role',
      scopesClaim: 'launchloop_scopes',
      tokenHours: 8,
      allowHttp: true,
    };
    api = await listen(options);
    options.redirectUri = new URL(`${api}/auth/oidc/callback`);
    plainApi = await listen(undefined);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await provider?.close();
    await stack?.close();
    await stack?.database.close();
  });

  /** Login → provider → callback, as a browser follows the redirects; the callback's answer. */
  async function signIn(user: Record<string, unknown>) {
    nextUser = user;
    const login = await fetch(`${api}/auth/oidc/login`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const atProvider = await fetch(login.headers.get('location')!, { redirect: 'manual' });
    expect(atProvider.status).toBe(302);
    const callback = atProvider.headers.get('location')!;
    expect(callback.startsWith(`${api}/auth/oidc/callback?`)).toBe(true);
    const res = await fetch(callback, { redirect: 'manual' });
    return { res, callback };
  }
  const tokenOf = (res: Response) => decodeURIComponent(/^\/#token=(.+)$/.exec(res.headers.get('location') ?? '')![1]);
  const me = async (token: string) => (await fetch(`${api}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json();

  it("signs a person in with the role and scopes of the provider's claims, as a short-lived token named after them", async () => {
    const { res } = await signIn({ email: 'ana@example.com', launchloop_role: 'merchandiser', launchloop_scopes: ['electronics/*'] });
    expect(res.status).toBe(303);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const token = tokenOf(res);
    expect(await me(token)).toMatchObject({ name: 'oidc:ana@example.com', role: 'merchandiser', scopes: ['electronics/*'] });
    const [row] = await stack.database.sql<{ expires_at: string; created_by: string }[]>`select expires_at, created_by from api_tokens where name = 'oidc:ana@example.com'`;
    const hours = (Date.parse(row.expires_at) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(7.9);
    expect(hours).toBeLessThanOrEqual(8);
    expect(row.created_by).toBe(`oidc:${provider.issuer}/`);
  });

  it('gives at most the planner role: an admin claim does not mint an admin token', async () => {
    const { res } = await signIn({ preferred_username: 'root', launchloop_role: ['viewer', 'admin'] });
    const token = tokenOf(res);
    expect(await me(token)).toMatchObject({ name: 'oidc:root', role: 'planner', scopes: null });
    expect((await fetch(`${api}/tokens`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
  });

  it('refuses a person the claims give no role, a callback used twice, a wrong nonce and a forged ID token', async () => {
    const { res: noRole, callback } = await signIn({ email: 'eve@example.com' });
    expect(noRole.status).toBe(403);
    expect(((await noRole.json()) as { error: { message: string } }).error.message).toContain('gives eve@example.com no launchloop role');

    const again = await fetch(callback, { redirect: 'manual' });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('auth.oidc_state');

    wrongNonce = true;
    const replayed = await signIn({ email: 'ana@example.com', launchloop_role: 'viewer' }).finally(() => (wrongNonce = false));
    expect(replayed.res.status).toBe(401);
    expect(((await replayed.res.json()) as { error: { code: string } }).error.code).toBe('auth.oidc_failed');

    provider.forge(true);
    const forged = await signIn({ email: 'ana@example.com', launchloop_role: 'planner' }).finally(() => provider.forge(false));
    expect(forged.res.status).toBe(401);

    const [{ n }] = await stack.database.sql<{ n: number }[]>`select count(*)::int as n from api_tokens where name in ('oidc:eve@example.com') or (name = 'oidc:ana@example.com' and role <> 'merchandiser')`;
    expect(n).toBe(0);
  });

  it("offers the provider on the page's sign-in screen only when one is configured", async () => {
    expect(await (await fetch(`${api}/`)).text()).toContain('data-oidc="1"');
    expect(await (await fetch(`${plainApi}/`)).text()).not.toContain('data-oidc');
  });

  it('answers 404 auth.oidc_not_configured without a provider', async () => {
    const res = await fetch(`${plainApi}/auth/oidc/login`, { redirect: 'manual' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('auth.oidc_not_configured');
  });
});

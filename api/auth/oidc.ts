import { Router, type Request } from 'express';
import * as oidc from 'openid-client';
import type { TokensRepository } from '../../db/repositories/tokens.repository.js';
import type { Logger } from '../../services/logger.js';
import { ApiError } from '../errors.js';
import { createToken, isRole, roleAtLeast, scopePatternProblem, TOKEN_ROLES, type TokenRole } from './tokens.js';

/**
 * Sign-in through an OpenID Connect provider, when one is configured: the authorization code
 * flow with PKCE, state and nonce (openid-client checks the ID token's signature against the
 * provider's JWKS, its issuer, audience, expiry and nonce). A signed-in person gets an ordinary launchloop bearer token,
 * short-lived, named after them (`oidc:ana@example.com`), with the role and scopes the provider's
 * claims give, and is sent to the page's sign-in link (`/#token=…`), so everything after sign-in
 * (roles, scope limits, revocation, the recorded principal) works as for any other token.
 */
export interface OidcOptions {
  issuer: URL;
  clientId: string;
  /** Absent for a public client (PKCE only). */
  clientSecret?: string;
  /** This API's callback as registered with the provider: https://…/auth/oidc/callback. */
  redirectUri: URL;
  /** The ID token claim naming the launchloop role (a string, or a list: the highest counts). */
  roleClaim: string;
  /** The role of someone the claim gives none; absent: such a sign-in is refused. */
  defaultRole?: TokenRole;
  /** The ID token claim listing scope patterns ("electronics/*"); absent claim: every scope. */
  scopesClaim: string;
  /** Lifetime of the token a sign-in creates. */
  tokenHours: number;
  /** Plain-HTTP issuers (a provider on loopback in development and tests only). */
  allowHttp: boolean;
}

/**
 * The highest role signing in may give: admin tokens (which manage tokens) stay made by hand
 * (`launchloop tokens create`), so a provider's group mapping cannot mint one.
 */
export const OIDC_MAX_ROLE: TokenRole = 'planner';

/** OIDC_* settings; undefined when OIDC_ISSUER is not set (sign-in by token only). */
export function oidcOptionsFromEnv(env: NodeJS.ProcessEnv): OidcOptions | undefined {
  const issuer = env.OIDC_ISSUER?.trim();
  if (!issuer) return undefined;
  const problems: string[] = [];
  const url = (name: string, value: string | undefined): URL | undefined => {
    try {
      return new URL(value ?? '');
    } catch {
      problems.push(`${name} must be an absolute URL, got "${value ?? ''}"`);
      return undefined;
    }
  };
  const issuerUrl = url('OIDC_ISSUER', issuer);
  const redirectUri = url('OIDC_REDIRECT_URI', env.OIDC_REDIRECT_URI);
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) problems.push('OIDC_CLIENT_ID must be set with OIDC_ISSUER');
  const defaultRole = env.OIDC_DEFAULT_ROLE?.trim() || undefined;
  if (defaultRole && (!isRole(defaultRole) || !roleAtLeast(OIDC_MAX_ROLE, defaultRole)))
    problems.push(`OIDC_DEFAULT_ROLE must be one of ${TOKEN_ROLES.filter((r) => roleAtLeast(OIDC_MAX_ROLE, r)).join(', ')}, got "${defaultRole}"`);
  const hours = Number(env.OIDC_TOKEN_HOURS ?? 8);
  if (!(hours > 0 && hours <= 24 * 30)) problems.push(`OIDC_TOKEN_HOURS must be a number of hours in (0, 720], got "${env.OIDC_TOKEN_HOURS}"`);
  if (problems.length) throw new Error(`OpenID Connect sign-in is misconfigured: ${problems.join('; ')}`);
  return {
    issuer: issuerUrl!,
    clientId: clientId!,
    clientSecret: env.OIDC_CLIENT_SECRET || undefined,
    redirectUri: redirectUri!,
    roleClaim: env.OIDC_ROLE_CLAIM?.trim() || 'launchloop_role',
    defaultRole: defaultRole as TokenRole | undefined,
    scopesClaim: env.OIDC_SCOPES_CLAIM?.trim() || 'launchloop_scopes',
    tokenHours: hours,
    allowHttp: env.OIDC_ALLOW_HTTP === '1' || env.OIDC_ALLOW_HTTP === 'true',
  };
}

/** What the provider's claims sign someone in as, or why they sign in nobody. */
export function principalFromClaims(
  claims: Record<string, unknown>,
  o: Pick<OidcOptions, 'roleClaim' | 'defaultRole' | 'scopesClaim'>,
): { name: string; role: TokenRole; scopes: string[] | null } | { problem: string } {
  const who = [claims.email, claims.preferred_username, claims.sub].find((v): v is string => typeof v === 'string' && v.length > 0);
  if (!who) return { problem: 'the ID token names nobody (no email, preferred_username or sub)' };
  const raw = claims[o.roleClaim];
  const given = (Array.isArray(raw) ? raw : [raw]).filter((r): r is string => typeof r === 'string').filter(isRole);
  // The highest role the claim gives, capped: admin is never given by sign-in.
  const claimed = given.sort((a, b) => TOKEN_ROLES.indexOf(b) - TOKEN_ROLES.indexOf(a))[0];
  const role = claimed ? (roleAtLeast(OIDC_MAX_ROLE, claimed) ? claimed : OIDC_MAX_ROLE) : o.defaultRole;
  if (!role) return { problem: `the identity provider gives ${who} no launchloop role (claim "${o.roleClaim}": ${TOKEN_ROLES.join(', ')})` };
  const scopesRaw = claims[o.scopesClaim];
  let scopes: string[] | null = null;
  if (scopesRaw !== undefined) {
    const list = Array.isArray(scopesRaw) ? scopesRaw : [scopesRaw];
    const bad = list.filter((p) => typeof p !== 'string' || scopePatternProblem(p));
    if (bad.length || list.length === 0) return { problem: `claim "${o.scopesClaim}" must list scope patterns such as "electronics/*", got ${JSON.stringify(scopesRaw)}` };
    scopes = list.includes('*') ? null : (list as string[]);
  }
  return { name: `oidc:${who}`, role, scopes };
}

/** A sign-in between the redirect to the provider and its callback. */
interface Pending {
  verifier: string;
  nonce: string;
  expires: number;
}

/** How long a sign-in may take at the provider, and how many may be under way at once. */
const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;

const oidcError = (status: number, code: string, message: string) => new ApiError(status, code, message);

/**
 * GET /auth/oidc/login (redirects to the provider) and GET /auth/oidc/callback (creates the
 * token, redirects to the page signed in). Pending sign-ins are kept in this process: with
 * several API processes behind one name, route a client's two requests to the same one.
 */
export function oidcRoutes({ tokens, options, logger }: { tokens: TokensRepository; options: OidcOptions | undefined; logger: Logger }): Router {
  const router = Router();
  const pending = new Map<string, Pending>();
  let config: Promise<oidc.Configuration> | undefined;

  const notConfigured = () => oidcError(404, 'auth.oidc_not_configured', 'sign-in with an identity provider is not configured on this API (OIDC_ISSUER); sign in with a token');

  /** The provider's metadata, discovered once; a failed discovery is tried again next time. */
  function provider(o: OidcOptions): Promise<oidc.Configuration> {
    config ??= oidc
      // The ID token's signature is checked against the provider's JWKS too, not only trusted
      // for arriving over TLS from the token endpoint (which OIDC Core allows): a proxy or a
      // misrouted token endpoint cannot hand us someone else's identity.
      .discovery(o.issuer, o.clientId, o.clientSecret, undefined, {
        execute: [oidc.enableNonRepudiationChecks, ...(o.allowHttp ? [oidc.allowInsecureRequests] : [])],
      })
      .catch((err: unknown) => {
        config = undefined;
        logger.warn({ err, issuer: o.issuer.href }, 'OpenID Connect discovery failed');
        throw oidcError(503, 'auth.oidc_unavailable', `the identity provider ${o.issuer.href} cannot be reached; retry shortly`);
      });
    return config;
  }

  const sweep = (now: number) => {
    for (const [state, p] of pending) if (p.expires <= now) pending.delete(state);
  };

  router.get('/auth/oidc/login', async (_req, res) => {
    if (!options) throw notConfigured();
    const conf = await provider(options);
    const now = Date.now();
    sweep(now);
    if (pending.size >= MAX_PENDING) throw oidcError(503, 'auth.oidc_busy', 'too many sign-ins under way; retry shortly');
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    pending.set(state, { verifier, nonce, expires: now + PENDING_TTL_MS });
    const url = oidc.buildAuthorizationUrl(conf, {
      redirect_uri: options.redirectUri.href,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    res.set('Cache-Control', 'no-store').redirect(302, url.href);
  });

  router.get('/auth/oidc/callback', async (req: Request, res) => {
    if (!options) throw notConfigured();
    const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
    if (query.get('error')) throw oidcError(401, 'auth.oidc_failed', `the identity provider refused the sign-in: ${query.get('error')}${query.get('error_description') ? ` (${query.get('error_description')})` : ''}`);
    const state = query.get('state') ?? '';
    const p = pending.get(state);
    pending.delete(state);
    if (!p || p.expires <= Date.now()) throw oidcError(400, 'auth.oidc_state', 'this sign-in is unknown, used or expired; start again at /auth/oidc/login');
    const conf = await provider(options);
    const current = new URL(options.redirectUri.href);
    current.search = query.toString();
    let claims: Record<string, unknown> | undefined;
    try {
      const answer = await oidc.authorizationCodeGrant(conf, current, { pkceCodeVerifier: p.verifier, expectedState: state, expectedNonce: p.nonce, idTokenExpected: true });
      claims = answer.claims() as Record<string, unknown> | undefined;
    } catch (err) {
      logger.warn({ err }, 'OpenID Connect code exchange failed');
      throw oidcError(401, 'auth.oidc_failed', `the sign-in could not be completed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const who = principalFromClaims(claims ?? {}, options);
    if ('problem' in who) throw oidcError(403, 'auth.forbidden', who.problem);
    const { secret, token } = await createToken(tokens, { ...who, expiresInDays: options.tokenHours / 24, createdBy: `oidc:${options.issuer.href}` });
    logger.info({ tokenId: token.id, name: who.name, role: who.role }, 'signed in with OpenID Connect');
    // The fragment never reaches a server or a log; the page moves it to sessionStorage at once.
    res.set('Cache-Control', 'no-store').redirect(303, `/#token=${encodeURIComponent(secret)}`);
  });

  return router;
}

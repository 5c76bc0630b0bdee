import { describe, expect, it } from 'vitest';
import { oidcOptionsFromEnv, principalFromClaims } from './oidc.js';

const claimsOptions = { roleClaim: 'launchloop_role', scopesClaim: 'launchloop_scopes' };

describe('OpenID Connect settings and claims', () => {
  it('are off without OIDC_ISSUER, and read every setting with defaults when it is set', () => {
    expect(oidcOptionsFromEnv({})).toBeUndefined();
    const o = oidcOptionsFromEnv({ OIDC_ISSUER: 'https://id.example.com/', OIDC_CLIENT_ID: 'll', OIDC_REDIRECT_URI: 'https://ll.example.com/auth/oidc/callback' });
    expect(o).toMatchObject({ clientId: 'll', clientSecret: undefined, roleClaim: 'launchloop_role', scopesClaim: 'launchloop_scopes', tokenHours: 8, allowHttp: false, defaultRole: undefined });
    expect(o!.issuer.href).toBe('https://id.example.com/');
  });

  it('refuse a half configuration, naming each problem, rather than start without sign-in', () => {
    expect(() => oidcOptionsFromEnv({ OIDC_ISSUER: 'https://id.example.com', OIDC_DEFAULT_ROLE: 'admin', OIDC_TOKEN_HOURS: '0' })).toThrow(
      /OIDC_REDIRECT_URI must be an absolute URL.*OIDC_CLIENT_ID must be set.*OIDC_DEFAULT_ROLE must be one of viewer, merchandiser, planner.*OIDC_TOKEN_HOURS/,
    );
  });

  it('name the person by email, username or subject, take the highest role the claim gives up to planner, and read scope patterns', () => {
    expect(principalFromClaims({ sub: 's1', email: 'ana@example.com', launchloop_role: 'merchandiser' }, claimsOptions)).toEqual({ name: 'oidc:ana@example.com', role: 'merchandiser', scopes: null });
    expect(principalFromClaims({ sub: 's1', launchloop_role: ['viewer', 'planner', 'nonsense'] }, claimsOptions)).toMatchObject({ name: 'oidc:s1', role: 'planner' });
    expect(principalFromClaims({ sub: 's1', launchloop_role: 'admin' }, claimsOptions)).toMatchObject({ role: 'planner' });
    expect(principalFromClaims({ sub: 's1', launchloop_scopes: ['electronics/*'] }, { ...claimsOptions, defaultRole: 'viewer' })).toEqual({ name: 'oidc:s1', role: 'viewer', scopes: ['electronics/*'] });
    expect(principalFromClaims({ sub: 's1' }, claimsOptions)).toEqual({ problem: expect.stringContaining('gives s1 no launchloop role') });
    expect(principalFromClaims({ sub: 's1', launchloop_role: 'viewer', launchloop_scopes: ['Electronics'] }, claimsOptions)).toEqual({ problem: expect.stringContaining('scope patterns') });
    expect(principalFromClaims({ launchloop_role: 'viewer' }, claimsOptions)).toEqual({ problem: expect.stringContaining('names nobody') });
  });
});

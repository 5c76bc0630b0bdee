import express from 'express';
import { describe, expect, it } from 'vitest';
import { logger } from '../../services/logger.js';
import { errorHandler } from '../errors.js';
import { corsPolicy, DEFAULT_SECURITY, fixedHeaders, jsonOnly, securityHeaders, securityOptionsFromEnv } from './security.js';

describe('security options from the environment', () => {
  it('defaults to no CORS origins and the default limits', () => {
    expect(securityOptionsFromEnv({})).toEqual(DEFAULT_SECURITY);
    expect(DEFAULT_SECURITY.corsOrigins).toEqual([]);
  });

  it('reads CORS_ORIGINS and the limits, and names what is wrong', () => {
    expect(securityOptionsFromEnv({ CORS_ORIGINS: 'https://plans.example.com, http://localhost:5173', LAUNCHLOOP_RATE_LIMIT: '100', LAUNCHLOOP_RATE_LIMIT_ANONYMOUS: '5' })).toEqual({
      corsOrigins: ['https://plans.example.com', 'http://localhost:5173'],
      tokenRequestsPerMinute: 100,
      anonymousRequestsPerMinute: 5,
    });
    expect(() => securityOptionsFromEnv({ CORS_ORIGINS: 'https://plans.example.com/app' })).toThrow(/CORS_ORIGINS.*"https:\/\/plans.example.com\/app"/);
    expect(() => securityOptionsFromEnv({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => securityOptionsFromEnv({ LAUNCHLOOP_RATE_LIMIT: '0' })).toThrow(/LAUNCHLOOP_RATE_LIMIT must be a positive whole number/);
  });
});

describe('state-changing requests take JSON only', () => {
  async function post(init: { method?: string; headers?: Record<string, string>; body?: string }) {
    const app = express();
    app.use(jsonOnly());
    app.use(express.json());
    app.all('/x', (_req, res) => void res.json({ ok: true }));
    app.use(errorHandler(logger.child({}, { level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/x`, { method: 'POST', ...init });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
    } finally {
      await new Promise((r) => server.close(r));
    }
  }

  it('answers a text/plain body (a cross-site form POST needs no preflight) with 415', async () => {
    const r = await post({ headers: { 'content-type': 'text/plain' }, body: '{"by":"mallory"}' });
    expect(r.status).toBe(415);
    expect(r.body.error).toMatchObject({ code: 'request.unsupported_media_type', message: expect.stringContaining('"text/plain"') });
    expect((await post({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })).status).toBe(415);
    expect((await post({ method: 'PUT', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--' })).status).toBe(415);
  });

  it('lets JSON, JSON with a charset and bodiless requests through', async () => {
    expect((await post({ headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    expect((await post({ headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{}' })).status).toBe(200);
    expect((await post({})).status).toBe(200);
    expect((await post({ method: 'DELETE' })).status).toBe(200);
    expect((await post({ method: 'GET', headers: { 'content-type': 'text/plain' } })).status).toBe(200);
  });
});

describe('security headers and CORS, worked out once', () => {
  async function headersOf(mount: (app: express.Express) => void, headers: Record<string, string> = {}) {
    const app = express();
    app.disable('x-powered-by');
    mount(app);
    app.get('/x', (_req, res) => void res.json({ ok: true }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/x`, { headers });
      const out = Object.fromEntries([...res.headers].filter(([k]) => !['date', 'etag', 'content-length', 'connection', 'keep-alive'].includes(k)));
      return out;
    } finally {
      await new Promise((r) => server.close(r));
    }
  }

  it('sets exactly the headers helmet sets, without running helmet per request', async () => {
    const helmetItself = (await import('helmet')).default;
    const ours = securityHeaders();
    expect(ours.name).not.toBe('helmet');
    expect(fixedHeaders(helmetItself())).toBeDefined();
    const expected = await headersOf((app) => app.use(helmetItself({ contentSecurityPolicy: { useDefaults: true, directives: { 'default-src': ["'self'"], 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'blob:'], 'font-src': ["'self'", 'data:'], 'connect-src': ["'self'"], 'upgrade-insecure-requests': null } }, strictTransportSecurity: false })));
    expect(await headersOf((app) => app.use(ours))).toEqual(expected);
    expect(expected['content-security-policy']).toContain("default-src 'self'");
  });

  it('answers an allowed origin, varies by Origin also when none is sent, and allows no other origin', async () => {
    const mount = (app: express.Express) => app.use(corsPolicy(['https://plans.example.com']));
    expect(await headersOf(mount, { origin: 'https://plans.example.com' })).toMatchObject({ 'access-control-allow-origin': 'https://plans.example.com', vary: 'Origin' });
    expect(await headersOf(mount, { origin: 'https://evil.example.com' })).not.toHaveProperty('access-control-allow-origin');
    const none = await headersOf(mount);
    expect(none).not.toHaveProperty('access-control-allow-origin');
    expect(none.vary).toBe('Origin');
  });
});

import express, { type RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../services/logger.js';
import { ApiError, errorHandler } from '../errors.js';
import { isPublic, principalIfAny } from './middleware.js';
import { rateLimits, type SecurityOptions } from './security.js';

const options: SecurityOptions = { corsOrigins: [], tokenRequestsPerMinute: 3, anonymousRequestsPerMinute: 2 };

/** express-rate-limit as the API configured it before rateLimits replaced it: the reference. */
function reference(o: SecurityOptions): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: (_req, res) => (principalIfAny(res) ? o.tokenRequestsPerMinute : o.anonymousRequestsPerMinute),
    keyGenerator: (req, res) => {
      const principal = principalIfAny(res);
      return principal ? `token:${principal.tokenId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    skip: (_req, res) => isPublic(res),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res, next) => {
      const principal = principalIfAny(res);
      const who = principal ? `token ${principal.tokenId} ("${principal.name}")` : 'this address (no valid token)';
      const limit = principal ? o.tokenRequestsPerMinute : o.anonymousRequestsPerMinute;
      next(new ApiError(429, 'request.rate_limited', `${who} sent more than ${limit} requests in a minute; retry after ${res.get('Retry-After') ?? 'a while'} s`));
    },
  });
}

/** An app where `?token=N` signs in token N and `/public` is a public route, behind `limiter`. */
async function serve(limiter: RequestHandler) {
  const app = express();
  app.use((req, res, next) => {
    const token = typeof req.query.token === 'string' ? Number(req.query.token) : undefined;
    res.locals.policy = { policy: { role: req.path === '/public' ? 'public' : 'viewer' }, params: {} };
    if (token) res.locals.principal = { tokenId: token, name: `token-${token}`, role: 'viewer', scopes: null };
    next();
  });
  app.use(limiter);
  app.get(['/x', '/public'], (_req, res) => void res.json({ ok: true }));
  app.use(errorHandler(logger.child({}, { level: 'silent' })));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise((r) => server.close(r)) };
}

/** What a caller sees of each answer to `paths`, in order. */
async function answers(url: string, paths: string[]) {
  const seen = [];
  for (const path of paths) {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { error?: { code: string; message: string } };
    seen.push({ status: res.status, rateLimit: res.headers.get('ratelimit'), policy: res.headers.get('ratelimit-policy'), retryAfter: res.headers.get('retry-after'), error: body.error });
  }
  return seen;
}

describe('rateLimits', () => {
  afterEach(() => void vi.useRealTimers());

  it('answers and sets headers exactly as express-rate-limit did, across a window reset', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-02T10:00:00.000Z') });
    const ours = await serve(rateLimits(options));
    const theirs = await serve(reference(options));
    try {
      const round = ['/x?token=1', '/x?token=1', '/public', '/x?token=2', '/x?token=1', '/x?token=1', '/x', '/x', '/x', '/public'];
      for (const advanceMs of [0, 20_500, 40_000]) {
        vi.setSystemTime(Date.now() + advanceMs);
        const [a, b] = [await answers(ours.url, round), await answers(theirs.url, round)];
        expect(a).toEqual(b);
        // The round exceeds both limits: the comparison covers 429s, not only passes.
        expect(a.map((x) => x.status)).toContain(429);
      }
      expect((await answers(ours.url, ['/x?token=1']))[0]).toMatchObject({ status: 429, retryAfter: expect.stringMatching(/^[1-9][0-9]*$/), error: { code: 'request.rate_limited' } });
    } finally {
      await ours.close();
      await theirs.close();
    }
  });
});

/**
 * The fast lane (api/fast-lane.ts) answers `GET /plans/{id}` exactly as the Express path does:
 * the same requests go to an API with it and to one without it (API_FAST_LANE=0), in the same
 * order, and their status, headers (less Date, and a generated X-Request-Id's value), body, log
 * lines and latency metrics are compared. Both APIs run on one frozen clock, so their rate
 * limits count alike and their caches stay fresh.
 */
import { Writable } from 'node:stream';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_SCOPE, seedPlan } from '../bench/plan-fixture.js';
import { tokensRepository } from '../db/repositories/tokens.repository.js';
import { createApp } from '../api/app.js';
import { createToken } from '../api/auth/tokens.js';
import { freshDatabase, startStack, type Stack } from './helpers.js';

const TOKEN_LIMIT = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Lane {
  url: string;
  server: Server;
  /** Log lines of the request log, as JSON. */
  lines: Record<string, unknown>[];
  fastAnswers: number;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

describe('fast lane for GET /plans/{id}', () => {
  let stack: Stack;
  let fixture: Awaited<ReturnType<typeof seedPlan>>;
  let fast: Lane;
  let plain: Lane;
  const secrets: Record<'admin' | 'inScope' | 'otherScope' | 'limited', string> = { admin: '', inScope: '', otherScope: '', limited: '' };

  const startLane = async (fastLane: boolean): Promise<Lane> => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const lane = { lines, fastAnswers: 0 } as Lane;
    const at = Date.parse('2026-06-01T12:00:00Z');
    const app = createApp({
      database: stack.database,
      client: stack.client,
      logger: pino({ level: 'info' }, sink),
      security: { corsOrigins: ['https://plans.example.com'], tokenRequestsPerMinute: TOKEN_LIMIT, anonymousRequestsPerMinute: 1_000 },
      fastLane,
      onFastLane: () => void lane.fastAnswers++,
      clock: () => at,
    });
    lane.server = app.listen(0, '127.0.0.1');
    await new Promise((r) => lane.server.once('listening', r));
    lane.url = `http://127.0.0.1:${(lane.server.address() as AddressInfo).port}`;
    return lane;
  };

  beforeAll(async () => {
    const database = await freshDatabase();
    fixture = await seedPlan(database, { items: 6 });
    stack = await startStack({ namespace: 'll-api', database, queues: [] });
    const tokens = tokensRepository(database);
    const make = async (name: string, role: 'admin' | 'viewer', scopes?: string[]) => (await createToken(tokens, { name, role, scopes, createdBy: 'test/fast-lane.test.ts' })).secret;
    secrets.admin = await make('fast lane admin', 'admin');
    secrets.inScope = await make('fast lane viewer', 'viewer', [FIXTURE_SCOPE]);
    secrets.otherScope = await make('fast lane other scope', 'viewer', ['toys/west']);
    secrets.limited = await make('fast lane limited', 'viewer');
    fast = await startLane(true);
    plain = await startLane(false);
  });
  afterAll(async () => {
    for (const lane of [fast, plain]) if (lane) await new Promise((r) => lane.server.close(r));
    await stack?.close();
    await stack?.database.close();
  });

  // node:http rather than fetch: fetch adds Cache-Control and Pragma to conditional requests.
  const send = (lane: Lane, path: string, headers: Record<string, string>): Promise<Answer> =>
    new Promise((resolve, reject) => {
      http
        .get(`${lane.url}${path}`, { headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const h: Record<string, string> = {};
            // Raw headers keep the names' case and order as sent.
            for (let i = 0; i < res.rawHeaders.length; i += 2) if (res.rawHeaders[i] !== 'Date') h[res.rawHeaders[i]] = res.rawHeaders[i + 1];
            resolve({ status: res.statusCode!, headers: h, body: Buffer.concat(chunks).toString('latin1') });
          });
        })
        .on('error', reject);
    });

  /** The request to both APIs, one after the other; their answers compared; the fast lane's answer. */
  const both = async (path: string, headers: Record<string, string> = {}, expectFast?: boolean): Promise<Answer> => {
    const before = fast.fastAnswers;
    const a = await send(fast, path, headers);
    const b = await send(plain, path, headers);
    if (a.headers['X-Request-Id'] !== headers['x-request-id']) {
      // Each API made up its own id (none sent, or not a usable one): both are UUIDs, only the value differs.
      expect(a.headers['X-Request-Id']).toMatch(UUID);
      expect(b.headers['X-Request-Id']).toMatch(UUID);
      b.headers['X-Request-Id'] = a.headers['X-Request-Id'];
    }
    expect(a).toEqual(b);
    // Byte for byte, including the headers' order.
    expect(Object.keys(a.headers)).toEqual(Object.keys(b.headers));
    if (expectFast !== undefined) expect(fast.fastAnswers - before).toBe(expectFast ? 1 : 0);
    expect(plain.fastAnswers).toBe(0);
    return a;
  };

  const bearer = (who: keyof typeof secrets) => ({ authorization: `Bearer ${secrets[who]}` });

  it('answers a cached plan with the same 200, 304 and headers as Express', async () => {
    const path = `/plans/${fixture.planId}`;
    // The first read fills the token and plan caches through Express.
    await both(path, bearer('admin'), false);
    const ok = await both(path, bearer('admin'), true);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ id: fixture.planId, scopeId: FIXTURE_SCOPE });
    expect(ok.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', Vary: 'Origin', 'Cache-Control': 'private, no-cache' });
    expect(ok.headers['RateLimit']).toBe(`"${TOKEN_LIMIT}-in-1min"; r=${TOKEN_LIMIT - 2}; t=60`);
    expect(ok.headers['Content-Security-Policy']).toContain("default-src 'self'");
    const etag = ok.headers.ETag;

    expect((await both(path, { ...bearer('admin'), 'if-none-match': etag }, true)).status).toBe(304);
    expect((await both(path, { ...bearer('admin'), 'if-none-match': `"other", W/${etag}` }, true)).status).toBe(304);
    expect((await both(path, { ...bearer('admin'), 'if-none-match': '*' }, true)).status).toBe(304);
    expect((await both(path, { ...bearer('admin'), 'if-none-match': '"other"' }, true)).status).toBe(200);
    // As fetch sends it: asked past caches, so the full answer.
    expect((await both(path, { ...bearer('admin'), 'if-none-match': etag, 'cache-control': 'no-cache' }, true)).status).toBe(200);
    expect((await both(path, { ...bearer('admin'), 'if-none-match': etag, 'cache-control': 'max-age=0' }, true)).status).toBe(304);
    // A caller's request id is echoed; a made-up one is replaced.
    expect((await both(path, { ...bearer('admin'), 'x-request-id': 'trace-42' }, true)).headers['X-Request-Id']).toBe('trace-42');
    expect((await both(path, { ...bearer('admin'), 'x-request-id': 'not ok!' }, true)).headers['X-Request-Id']).toMatch(UUID);

    // Left to Express, answered the same: a CORS request, a conditional date, a query string.
    expect((await both(path, { ...bearer('admin'), origin: 'https://plans.example.com' }, false)).headers['Access-Control-Allow-Origin']).toBe('https://plans.example.com');
    await both(path, { ...bearer('admin'), 'if-modified-since': 'Mon, 01 Jun 2026 12:00:00 GMT', 'if-none-match': etag }, false);
    await both(`${path}?x=1`, bearer('admin'), false);
  });

  it('leaves 401, 403, 404 and 429 to Express and lets a token of the plan scope in', async () => {
    const path = `/plans/${fixture.planId}`;
    expect((await both(path, {}, false)).status).toBe(401);
    expect((await both(path, { authorization: 'Bearer nope' }, false)).status).toBe(401);
    expect((await both(path, { authorization: 'Basic abc' }, false)).status).toBe(401);
    expect((await both(path, bearer('otherScope'), false)).status).toBe(403);
    // Now in the token cache, and still outside the plan's scope.
    expect((await both(path, bearer('otherScope'), false)).status).toBe(403);
    expect((await both(path, bearer('inScope'), false)).status).toBe(200);
    expect((await both(path, bearer('inScope'), true)).status).toBe(200);
    expect((await both('/plans/999999', bearer('admin'), false)).status).toBe(404);
    expect((await both('/plans/2147483648', bearer('admin'), false)).status).toBe(404);
    expect((await both('/plans/0x1', bearer('admin'), false)).status).toBe(400);

    // The limit counts the fast lane's answers and Express' alike: the request over it is Express' 429.
    for (let i = 1; i <= TOKEN_LIMIT; i++) expect((await both(path, bearer('limited'), i > 1)).status).toBe(200);
    const over = await both(path, bearer('limited'), false);
    expect(over.status).toBe(429);
    expect(over.headers['Retry-After']).toBe('60');
  });

  it('writes the same request log lines and latency metrics', async () => {
    const strip = (l: Record<string, unknown>) => {
      const { time: _t, pid: _p, hostname: _h, responseTime, req, ...rest } = l as { time: unknown; pid: unknown; hostname: unknown; responseTime?: unknown; req?: { id?: string } };
      return { ...rest, responseTime: typeof responseTime, req: req && { ...req, id: req.id && (UUID.test(req.id) ? 'uuid' : req.id) } };
    };
    const requests = (lane: Lane) => lane.lines.filter((l) => l.component === 'http').map(strip);
    expect(requests(fast).length).toBeGreaterThan(20);
    expect(requests(fast)).toEqual(requests(plain));
    const histogram = async (lane: Lane) =>
      (await (await fetch(`${lane.url}/metrics`)).text())
        .split('\n')
        .filter((l) => l.startsWith('launchloop_http_request_duration_seconds_count') && !l.includes('/metrics'));
    const counts = await histogram(fast);
    expect(counts.some((l) => l.includes('route="/plans/:id"') && l.includes('status="200"'))).toBe(true);
    expect(counts).toEqual(await histogram(plain));
  });
});

import express from 'express';
import { ServiceError } from '@temporalio/client';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { logger } from '../services/logger.js';
import { errorHandler } from './errors.js';

/** The error handler's answer to a route that throws `err`. */
async function answer(err: unknown) {
  const app = express();
  app.get('/boom', () => {
    throw err;
  });
  app.use(errorHandler(logger.child({}, { level: 'silent' })));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/boom`);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

const failedQuery = (cause: Error) => new DrizzleQueryError('update "runs" set "status" = $1 where "runs"."workflow_id" = $2', ['failed', 'replan/x'], cause);
/** gRPC status codes (@grpc/grpc-js `status`), written out: the package is Temporal's dependency, not ours. */
const grpcStatus = { DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, UNAVAILABLE: 14 } as const;
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

describe('errorHandler', () => {
  it('answers an unreachable database with 503 service.database_unavailable and no SQL', async () => {
    const r = await answer(failedQuery(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })));
    expect(r.status).toBe(503);
    expect(r.retryAfter).toBe('5');
    expect(JSON.parse(r.text).error.code).toBe('service.database_unavailable');
    expect(r.text).not.toMatch(/update|runs|Failed query/);
  });

  it('answers a restarting database (57P03) and a deadlock (40P01) with 503', async () => {
    expect(JSON.parse((await answer(failedQuery(Object.assign(new Error('the database system is starting up'), { code: '57P03' })))).text).error.code).toBe('service.database_unavailable');
    expect(JSON.parse((await answer(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).text).error.code).toBe('service.database_busy');
  });

  it('answers an unreachable Temporal with 503 service.temporal_unavailable', async () => {
    for (const code of [grpcStatus.UNAVAILABLE, grpcStatus.DEADLINE_EXCEEDED]) {
      const r = await answer(new ServiceError('Failed to start Workflow', { cause: grpcError(code, 'No connection established') }));
      expect({ status: r.status, code: JSON.parse(r.text).error.code }).toEqual({ status: 503, code: 'service.temporal_unavailable' });
    }
  });

  it('keeps any other failure a plain 500 that quotes nothing', async () => {
    const r = await answer(failedQuery(Object.assign(new Error('duplicate key value violates unique constraint "runs_pkey"'), { code: '23505' })));
    expect(r.status).toBe(500);
    expect(JSON.parse(r.text)).toEqual({ error: { code: 'internal', message: 'internal error; see the API logs' } });
    const notFound = await answer(new ServiceError('namespace missing', { cause: grpcError(grpcStatus.NOT_FOUND, 'namespace not found') }));
    expect(notFound.status).toBe(500);
  });
});

describe('errorHandler: bodies the JSON parser cannot read', () => {
  /** The answer to a POST through express.json (as api/app.ts mounts it) with these headers and body. */
  async function post(headers: Record<string, string>, body: string | Uint8Array) {
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.post('/x', (req, res) => void res.json({ got: req.body as unknown }));
    app.use(errorHandler(logger.child({}, { level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/x`, { method: 'POST', headers, body });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
    } finally {
      await new Promise((r) => server.close(r));
    }
  }

  it('answers a charset other than UTF-8 with 415 naming it, not a 500', async () => {
    const r = await post({ 'content-type': 'application/json; charset=latin1' }, '{"a":1}');
    expect(r.status).toBe(415);
    expect(r.body.error?.code).toBe('request.unsupported_media_type');
    expect(r.body.error?.message).toBe('POST /x: the body\'s charset "latin1" is not supported; send UTF-8 JSON ("Content-Type: application/json")');
  });

  it('answers an unknown Content-Encoding with 415 naming it', async () => {
    const r = await post({ 'content-type': 'application/json', 'content-encoding': 'compress' }, '{"a":1}');
    expect(r.status).toBe(415);
    expect(r.body.error).toEqual({ code: 'request.unsupported_media_type', message: 'POST /x: unsupported content encoding "compress"; send the body uncompressed or as gzip, deflate or br' });
  });

  it('answers a body that is not the gzip it says with 400 request.invalid', async () => {
    const r = await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, '{"a":1}');
    expect(r.status).toBe(400);
    expect(r.body.error?.code).toBe('request.invalid');
    expect(r.body.error?.message).toMatch(/^POST \/x: the request body could not be read: /);
  });

  it('answers a body over the limit with 413 saying its size and the limit', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(1_100_000) });
    const r = await post({ 'content-type': 'application/json' }, body);
    expect(r.status).toBe(413);
    expect(r.body.error).toEqual({ code: 'request.too_large', message: `POST /x: the request body (${body.length} bytes) is over the API's limit of 1048576 bytes` });
  });

  it('still reads UTF-8 JSON and answers malformed JSON with request.invalid_json', async () => {
    expect(await post({ 'content-type': 'application/json; charset=utf-8' }, '{"a":1}')).toEqual({ status: 200, body: { got: { a: 1 } } });
    expect((await post({ 'content-type': 'application/json' }, '{"a":')).body.error?.code).toBe('request.invalid_json');
  });
});

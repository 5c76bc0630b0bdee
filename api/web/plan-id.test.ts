import express from 'express';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.js';
import { logger } from '../../services/logger.js';
import { errorHandler } from '../errors.js';
import { webRoutes } from './web.routes.js';

/**
 * The page's routes over stand-ins that fail any database call: a plan id is checked before
 * the plan is read, so only malformed ids get an answer of their own.
 */
async function kpis(id: string) {
  const database = { db: {}, sql: () => Promise.reject(new Error('not connected')), close: async () => {} } as unknown as Database;
  const client = { connection: {}, options: { namespace: 'default' } } as never;
  const app = express();
  app.use(webRoutes({ database, client, logger: logger.child({}, { level: 'silent' }) }));
  app.use(errorHandler(logger.child({}, { level: 'silent' })));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/plans/${id}/kpis`);
    return { status: res.status, error: ((await res.json()) as { error: { code: string; message: string } }).error };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe('GET /plans/:id/kpis plan ids', () => {
  it('answers an id beyond the id range 404 plans.not_found, as every plan route does (docs/api.md), not 400', async () => {
    expect(await kpis('99999999999')).toEqual({ status: 404, error: { code: 'plans.not_found', message: 'plan 99999999999 does not exist' } });
  });

  it('answers anything but decimal digits 400 naming it', async () => {
    for (const id of ['0', 'abc', '0x1']) expect(await kpis(id), id).toEqual({ status: 400, error: { code: 'request.invalid', message: `plan id must be a positive integer, got "${id}"` } });
  });
});

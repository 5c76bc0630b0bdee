import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.js';
import type { Logger } from '../services/logger.js';
import { errorHandler, errors } from './errors.js';
import { plansRoutes } from './routes/plans.routes.js';
import { runsRoutes } from './routes/runs.routes.js';
import { schedulesRoutes } from './routes/schedules.routes.js';
import { scopesRoutes } from './routes/scopes.routes.js';

export interface ApiDeps {
  database: Database;
  client: Client;
  logger: Logger;
}

/** The HTTP API (docs/api.md). Express 5 forwards rejected async handlers to the error handler. */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  app.get('/health', async (_req, res) => {
    const checks: Record<string, string> = {};
    try {
      await deps.database.sql`select 1`;
      checks.database = 'ok';
    } catch (err) {
      checks.database = `error: ${(err as Error).message}`;
    }
    try {
      await deps.client.connection.workflowService.getSystemInfo({});
      checks.temporal = 'ok';
    } catch (err) {
      checks.temporal = `error: ${(err as Error).message}`;
    }
    const workers = await deps.database.sql`select queue, identity, backend, detail, started_at as "startedAt" from worker_status order by started_at desc`.catch(() => []);
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks, workers });
  });

  app.use(scopesRoutes(deps));
  app.use(runsRoutes(deps));
  app.use(plansRoutes(deps));
  app.use(schedulesRoutes(deps));
  app.use((req, _res, next) => next(errors.notFound('route.not_found', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return app;
}

import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import { ping, type Database } from '../db/client.js';
import { workerStatusRepository } from '../db/repositories/worker-status.repository.js';
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
  const workerStatus = workerStatusRepository(deps.database);
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  app.get('/health', async (_req, res) => {
    const checks: Record<string, string> = {};
    try {
      await ping(deps.database);
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
    const workers = await workerStatus.list().catch(() => []);
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

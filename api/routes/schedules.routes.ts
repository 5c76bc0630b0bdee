import { Router } from 'express';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';
import { isValidScopeId, scopeIdProblem, workflowIds } from '../../contracts/ids.js';
import { TASK_QUEUES } from '../../contracts/queues.js';
import { runSearchAttributes } from '../../contracts/search-attributes.js';
import type { Database } from '../../db/client.js';
import { scopesRepository } from '../../db/repositories/scopes.repository.js';
import { errors } from '../errors.js';
import { scheduleBody } from '../schemas.js';

/** Retraining on a cadence, as Temporal Schedules (visible under Schedules in the Web UI). */
export function schedulesRoutes({ database, client }: { database: Database; client: Client }): Router {
  const router = Router();
  const scopes = scopesRepository(database);

  router.post('/schedules/retrain', async (req, res) => {
    const body = scheduleBody.safeParse(req.body ?? {});
    if (!body.success) throw errors.validation(body.error, 'schedule');
    const { scopeId, cron, every } = body.data;
    if (!isValidScopeId(scopeId)) throw errors.badRequest(scopeIdProblem(scopeId));
    if (!(await scopes.exists(scopeId))) throw errors.notFound('scopes.not_found', `scope ${scopeId} does not exist`);
    const scheduleId = workflowIds.retrainSchedule(scopeId);
    const spec = cron ? { cronExpressions: [cron] } : { intervals: [{ every: every! as never }] };
    try {
      await client.schedule.create({
        scheduleId,
        spec,
        action: {
          type: 'startWorkflow',
          workflowType: 'retrainWorkflow',
          taskQueue: TASK_QUEUES.workflows,
          workflowId: workflowIds.scheduledRetrain(scopeId),
          args: [{ scopeId, trigger: 'schedule' }],
          typedSearchAttributes: runSearchAttributes(scopeId, 'retrain', 'schedule'),
        },
        policies: { overlap: 'SKIP' },
      });
    } catch (err) {
      if (err instanceof ScheduleAlreadyRunning) throw errors.conflict('schedules.exists', `a retraining schedule for ${scopeId} exists; DELETE /schedules/${scheduleId} first`);
      if (err instanceof Error && /invalid|parse/i.test(err.message)) throw errors.badRequest(`schedule rejected by Temporal: ${err.message}`);
      throw err;
    }
    res.status(201).json({ scheduleId });
  });

  router.get('/schedules', async (_req, res) => {
    const out: Array<Record<string, unknown>> = [];
    for await (const s of client.schedule.list()) out.push({ scheduleId: s.scheduleId, spec: s.spec, recentActions: s.info.recentActions.length, nextActionTimes: s.info.nextActionTimes });
    res.json({ schedules: out });
  });

  router.delete('/schedules/*id', async (req, res) => {
    const id = (req.params as unknown as { id: string[] }).id.join('/');
    try {
      await client.schedule.getHandle(id).delete();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw errors.notFound('schedules.not_found', `schedule ${id} does not exist`);
      throw err;
    }
    res.status(204).end();
  });

  return router;
}

import { Router } from 'express';
import type { Database } from '../../db/client.js';
import { plansRepository } from '../../db/repositories/plans.repository.js';
import { errors } from '../errors.js';
import { planItemParams } from './plans.routes.js';


/**
 * The weekly launch curve of one plan item against its sales: `demand` is the uncapped forecast
 * (mean, 80% and 95% bounds per week from the launch week), `sales` the observed weeks once
 * the item sells. The plan's `expectedUnits` are sales capped at the opening quantity; this is
 * the demand behind them.
 */
export function planForecastRoutes({ database }: { database: Database }): Router {
  const router = Router();
  const plans = plansRepository(database);

  router.get('/plans/:id/items/:candidateId/forecast', async (req, res) => {
    const { id, candidateId } = planItemParams(req.params);
    const found = await plans.itemForecast(id, candidateId);
    if (!found.plan) throw errors.notFound('plans.not_found', `plan ${id} does not exist`);
    if (!found.item) throw errors.notFound('plans.item_not_found', `plan ${id} has no item for candidate ${candidateId}`);
    res.json(found.item);
  });

  return router;
}

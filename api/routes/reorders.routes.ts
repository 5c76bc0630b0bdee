import { Router, type Response } from 'express';
import { z } from 'zod';
import { isValidScopeId, scopeIdProblem } from '../../contracts/ids.js';
import type { Database } from '../../db/client.js';
import { PURCHASE_ORDER_STATUSES, purchaseOrdersRepository, type PurchaseOrderStatus } from '../../db/repositories/purchase-orders.repository.js';
import { scopesRepository } from '../../db/repositories/scopes.repository.js';
import { isMonday } from '../../engine/calendar/index.js';
import { errors } from '../errors.js';
import { pageRequest, toPage } from '../pagination.js';

/** Reorder ids are Postgres `serial`s: decimal digits only, at most 2^31 − 1. */
const MAX_ID = 2_147_483_647;

function numericId(raw: string, what: string): number | undefined {
  if (!/^[1-9][0-9]*$/.test(raw)) throw errors.badRequest(`${what} must be a positive integer, got "${raw}"`);
  const id = Number(raw);
  return id > MAX_ID ? undefined : id;
}

/** A reorders page's cursor: the last order's week and item. */
const reorderCursor = z.tuple([z.string().refine(isMonday), z.string().min(1).max(200)]).readonly();

/** Who decides: the signed-in token's name when the API authenticates, else the body's `by`. */
const reorderDecisionBody = z
  .object({ by: z.string().trim().min(1, 'must name who decides').max(200).optional(), note: z.string().max(2000).optional() })
  .strict();

function decider(res: Response, by: string | undefined): string {
  const principal = (res.locals as { principal?: { name: string } }).principal;
  if (principal) return principal.name;
  if (!by) throw errors.badRequest('invalid decision: by: must name who decides');
  return by;
}

/** In-season reorders proposed by the adjust stage: listed per scope and plan, pending ones decided here. */
export function reordersRoutes({ database }: { database: Database }): Router {
  const router = Router();
  const orders = purchaseOrdersRepository(database);
  const scopes = scopesRepository(database);

  /** A scope's reorders, latest order week first, a page at a time (api/pagination.ts). */
  router.get('/scopes/:group/:region/reorders', async (req, res) => {
    const scopeId = `${req.params.group}/${req.params.region}`;
    if (!isValidScopeId(scopeId)) throw errors.badRequest(scopeIdProblem(scopeId));
    if (!(await scopes.get(scopeId))) throw errors.notFound('scopes.not_found', `scope ${scopeId} does not exist`);
    const raw = typeof req.query.status === 'string' ? req.query.status : undefined;
    const isStatus = (s: string): s is PurchaseOrderStatus => (PURCHASE_ORDER_STATUSES as readonly string[]).includes(s);
    if (raw !== undefined && !isStatus(raw)) throw errors.badRequest(`status must be one of ${PURCHASE_ORDER_STATUSES.join(', ')}, got "${raw}"`);
    const rawPlan = typeof req.query.planId === 'string' ? req.query.planId : undefined;
    const planId = rawPlan === undefined ? undefined : numericId(rawPlan, 'planId');
    const { limit, after } = pageRequest(req.query, reorderCursor);
    // A plan id beyond any serial has no reorders.
    if (rawPlan !== undefined && planId === undefined) return void res.json({ scopeId, items: [], nextCursor: null });
    const rows = await orders.list({ scopeId, status: raw !== undefined && isStatus(raw) ? raw : undefined, planId, limit: limit + 1, after });
    res.json({ scopeId, ...toPage(rows, limit, (o) => [o.orderWeek, o.candidateId] as const) });
  });

  router.get('/reorders/:id', async (req, res) => {
    const id = numericId(req.params.id, 'reorder id');
    const order = id === undefined ? undefined : await orders.get(id);
    if (!order) throw errors.notFound('reorders.not_found', `reorder ${req.params.id} does not exist`);
    res.json(order);
  });

  /** pending → published (approve) or rejected; the decision is recorded with who made it. */
  const decide = (approve: boolean) =>
    router.post(`/reorders/:id/${approve ? 'approve' : 'reject'}`, async (req, res) => {
      const id = numericId(req.params.id, 'reorder id');
      const body = reorderDecisionBody.safeParse(req.body ?? {});
      if (!body.success) throw errors.validation(body.error, 'decision');
      if (id === undefined) throw errors.notFound('reorders.not_found', `reorder ${req.params.id} does not exist`);
      const outcome = await orders.decide({ id, to: approve ? 'published' : 'rejected', by: decider(res, body.data.by), note: body.data.note });
      if ('error' in outcome)
        throw outcome.error.code === 'reorders.not_found' ? errors.notFound(outcome.error.code, outcome.error.message) : errors.conflict(outcome.error.code, outcome.error.message);
      res.json(outcome.order);
    });
  decide(true);
  decide(false);

  return router;
}

import { Router } from 'express';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { decidePlanUpdate, type DecisionResult, type PlanDecision } from '../../contracts/workflows.js';
import type { Database } from '../../db/client.js';
import { plansRepository } from '../../db/repositories/plans.repository.js';
import { z } from 'zod';
import { principalOf } from '../auth/middleware.js';
import { errors } from '../errors.js';
import { pageRequest, timestampKey, toPage } from '../pagination.js';
import { planViewCache, type PlanViewCache } from '../plan-view-cache.js';
import { decisionBody, plansListQuery } from '../schemas.js';

/**
 * A decision is recorded under the signed-in token's name. `by` is still accepted for older
 * clients and ignored (docs/api.md); the answer's `decidedBy` says who was recorded.
 */
export const decisionRequest = decisionBody.extend({ by: z.string().max(200).optional() });

/** Plan ids are Postgres `serial`s: decimal digits only ("0x1" is not plan 1), at most 2^31 − 1. */
const MAX_PLAN_ID = 2_147_483_647;

/** A plans page's cursor: the last plan's created_at and id. */
const planCursor = z.tuple([timestampKey, z.number().int().min(1).max(MAX_PLAN_ID)]).readonly();

export function planId(raw: string): number {
  if (!/^[1-9][0-9]*$/.test(raw)) throw errors.badRequest(`plan id must be a positive integer, got "${raw}"`);
  const id = Number(raw);
  if (id > MAX_PLAN_ID) throw errors.notFound('plans.not_found', `plan ${raw} does not exist`);
  return id;
}

/** Candidate ids are free text in the catalogue; anything longer than this names none of them. */
const MAX_CANDIDATE_ID = 200;

/** `/plans/:id/items/:candidateId/…`: the plan id checked as above, the candidate id bounded. */
export function planItemParams(params: { id: string; candidateId: string }): { id: number; candidateId: string } {
  const id = planId(params.id);
  const { candidateId } = params;
  if (candidateId.length > MAX_CANDIDATE_ID) throw errors.badRequest(`candidate id must be at most ${MAX_CANDIDATE_ID} characters`);
  return { id, candidateId };
}

/**
 * The draft row is written by the plan activity a moment before its owner workflow starts
 * waiting for the decision; a decision arriving in that moment is retried briefly instead of
 * being refused.
 */
async function decideWhenPending(client: Client, workflowId: string, decision: PlanDecision): Promise<DecisionResult> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await client.workflow.getHandle(workflowId).executeUpdate(decidePlanUpdate, { args: [decision] });
    } catch (err) {
      const notYet = err instanceof WorkflowUpdateFailedError && /no plan is pending/.test(err.cause?.message ?? '');
      if (!notYet || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** `views`: the plan answers' cache, shared with api/fast-lane.ts; one of its own when absent. */
export function plansRoutes({ database, client, views: shared }: { database: Database; client: Client; views?: PlanViewCache }): Router {
  const router = Router();
  const plans = plansRepository(database);
  const views = shared ?? planViewCache((id) => plans.view(id));

  /** Plans newest first, a page at a time (api/pagination.ts). */
  router.get('/plans', async (req, res) => {
    const query = plansListQuery.safeParse(req.query);
    if (!query.success) throw errors.validation(query.error, 'plans query');
    const { limit, after } = pageRequest(req.query, planCursor);
    const rows = await plans.list({ scopeId: query.data.scope, status: query.data.status, limit: limit + 1, after });
    res.json(toPage(rows, limit, (p) => [p.createdAt, p.id] as const));
  });

  /**
   * A plan with its items. Each item carries `expectedUnits` (expected sales: the demand capped
   * by the opening quantity, so `hi` never exceeds it) and `demand` (the uncapped launch-curve
   * forecast summed over the curve's weeks); docs/api.md names both.
   */
  router.get('/plans/:id', async (req, res) => {
    const plan = await views.get(planId(req.params.id));
    if (!plan) throw errors.notFound('plans.not_found', `plan ${req.params.id} does not exist`);
    // Clients keep the answer but ask again each time; an unchanged plan is a 304 without a body.
    res.set('Cache-Control', 'private, no-cache').set('ETag', plan.etag);
    if (req.fresh) return void res.status(304).end();
    res.type('application/json').send(plan.body);
  });

  /** Approve or reject through the owning workflow's Update: the answer means it happened. */
  const decide = (approve: boolean) =>
    router.post(`/plans/:id/${approve ? 'approve' : 'reject'}`, async (req, res) => {
      const id = planId(req.params.id);
      const body = decisionRequest.safeParse(req.body ?? {});
      const by = principalOf(res).name;
      if (!body.success) throw errors.validation(body.error, 'decision');
      const plan = await plans.get(id);
      if (!plan) throw errors.notFound('plans.not_found', `plan ${id} does not exist`);
      if (plan.status !== 'draft') throw errors.conflict('plans.not_draft', `plan ${id} is ${plan.status}; only a draft plan can be ${approve ? 'approved' : 'rejected'}`);
      // Answered here when already known; the publish checks again in its transaction, and a
      // draft that became stale meanwhile comes back from the workflow as a StalePlan failure.
      const stale = approve ? await plans.stalePublish(id) : null;
      if (stale) throw errors.conflict(stale.code, stale.message);
      try {
        const result = await decideWhenPending(client, plan.runId, { planId: id, approve, by, note: body.data.note });
        res.json({ planId: id, status: result.status, workflowId: plan.runId, decidedBy: by });
      } catch (err) {
        if (err instanceof WorkflowNotFoundError)
          throw errors.conflict('plans.owner_not_running', `the workflow ${plan.runId} that owns plan ${id} is no longer running; start a replan instead`);
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === 'StalePlan')
          throw errors.conflict('plans.stale', err.cause.message);
        if (err instanceof WorkflowUpdateFailedError) throw errors.conflict('plans.decision_rejected', `${err.message}: ${err.cause?.message ?? ''}`.trim());
        throw err;
      } finally {
        // Whatever the outcome, the decision may have changed the scope's plans (a publish
        // supersedes the previous one): their cached answers go before anyone reads them again.
        views.invalidateScope(plan.scopeId);
      }
    });
  decide(true);
  decide(false);

  return router;
}

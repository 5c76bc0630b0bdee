import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { createRunsReconciler, temporalWorkflowStatus } from '../../activities/runs.activities.js';
import { workflowIds, isValidScopeId } from '../../contracts/ids.js';
import { nonEmptyOverrides, plannerOnlyKeys, type RuleOverrides } from '../../contracts/rule-overrides.js';
import { loopStatusQuery, replanStatusQuery, salesObservedSignal } from '../../contracts/workflows.js';
import type { Database } from '../../db/client.js';
import { idempotencyRepository } from '../../db/repositories/idempotency.repository.js';
import { runsRepository } from '../../db/repositories/runs.repository.js';
import { scopesRepository } from '../../db/repositories/scopes.repository.js';
import { startLoop, startReplan } from '../../services/workflow-starts.js';
import { principalIfAny } from '../auth/middleware.js';
import { roleAtLeast } from '../auth/tokens.js';
import { ApiError, errors } from '../errors.js';
import { replanRuleProblems } from '../rule-references.js';
import { pageRequest, timestampKey, toPage } from '../pagination.js';
import { idempotencyKey, replanBody, runsListQuery, salesFeedbackBody, startRunBody } from '../schemas.js';

/** Heartbeat details are JSON payloads (default data converter); anything else is shown as absent. */
function decodeHeartbeat(data: Uint8Array | null | undefined): unknown {
  if (!data?.length) return undefined;
  try {
    return JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A runs page's cursor: the last run's started_at and workflow id. */
const runCursor = z.tuple([timestampKey, z.string().min(1).max(1000)]).readonly();

/**
 * The replan's Idempotency-Key, or a 400 that says whether it was missing or malformed (a client
 * that sent `a b` was told the header "is required" and looked for a missing header).
 */
export function idempotencyKeyOf(header: string | undefined): string {
  if (header === undefined || header.trim() === '')
    throw errors.badRequest('Idempotency-Key header is required: one key per replan request (8–100 characters of letters, digits, ".", "_" or "-"), the same key again when retrying it');
  const key = idempotencyKey.safeParse(header);
  if (!key.success) throw errors.badRequest(`Idempotency-Key ${JSON.stringify(header.length > 120 ? `${header.slice(0, 120)}…` : header)} is not valid: ${key.error.issues[0].message}`);
  return key.data;
}

/** Temporal statuses of a replan that a retry with the same Idempotency-Key starts again. */
const RESTARTABLE = new Set(['FAILED', 'TERMINATED', 'TIMED_OUT']);

/**
 * Who asked for a replan: the signed-in token's name (like decisions and reorders), so the
 * body's `requestedBy`, still accepted for older clients, cannot name someone else.
 */
function requester(res: Response, requestedBy: string | undefined): string {
  const principal = (res.locals as { principal?: { name: string } }).principal;
  if (principal) return principal.name;
  if (!requestedBy) throw errors.badRequest('invalid replan request: requestedBy: must name who asks for the replan (or sign in with a token)');
  return requestedBy;
}

/**
 * A replan's rule overrides, checked as `PUT rules` checks rules (bounds, then names the scope
 * must have) against the scope's rules they go on top of. Planner-only keys (the solver's compute)
 * need the planner role: a merchandiser may replan but not buy an hour-long solve.
 */
async function checkOverrides(
  res: Response,
  scopes: ReturnType<typeof scopesRepository>,
  scopeId: string,
  overrides: RuleOverrides,
): Promise<void> {
  const principal = principalIfAny(res);
  const plannerKeys = plannerOnlyKeys(overrides);
  if (principal && plannerKeys.length && !roleAtLeast(principal.role, 'planner'))
    throw new ApiError(
      403,
      'auth.forbidden',
      `ruleOverrides.${plannerKeys.join(', ruleOverrides.')} needs the planner role or higher; token "${principal.name}" has the ${principal.role} role (planning rules such as monthlyBudget or maxLaunchesPerWeek need only merchandiser)`,
    );
  const row = await scopes.get(scopeId);
  if (!row) throw errors.notFound('scopes.not_found', `scope ${scopeId} does not exist`);
  const problem = await replanRuleProblems(scopes, row, overrides);
  if (problem && 'stored' in problem) throw errors.conflict('scopes.invalid_rules', `scope ${scopeId} has invalid stored rules, fix them first: ${problem.stored.join('; ')}`);
  if (problem) throw errors.badRequest(`invalid replan request: ${problem.overrides.join('; ')}`);
}

export function runsRoutes({ database, client }: { database: Database; client: Client }): Router {
  const router = Router();
  const runs = runsRepository(database);
  const scopes = scopesRepository(database);
  const idempotency = idempotencyRepository(database);
  const reconciler = createRunsReconciler({ repo: runs, lookup: temporalWorkflowStatus(client) });

  /** Temporal's status of a workflow's latest run; undefined when Temporal does not know it. */
  async function workflowStatus(workflowId: string): Promise<string | undefined> {
    try {
      return (await client.workflow.getHandle(workflowId).describe()).status.name;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  async function requireScope(scopeId: string) {
    if (!isValidScopeId(scopeId)) throw errors.badRequest(`scope id must look like "group/region" (lowercase), got "${scopeId}"`);
    if (!(await scopes.exists(scopeId))) throw errors.notFound('scopes.not_found', `scope ${scopeId} does not exist`);
  }

  /** Start the planning loop of a scope (one per scope; an existing one is returned). */
  router.post('/scopes/:group/:region/runs', async (req, res) => {
    const scopeId = `${req.params.group}/${req.params.region}`;
    await requireScope(scopeId);
    const body = startRunBody.safeParse(req.body ?? {});
    if (!body.success) throw errors.validation(body.error, 'run request');
    const handle = await startLoop(client, { scopeId, trigger: 'api', ...body.data });
    res.status(202).json({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId });
  });

  /**
   * A merchandiser's replan. The Idempotency-Key names the workflow, so a retried request
   * (same key, same body) never starts a second one; a reused key with another body is a 422.
   * A retry whose workflow failed, was terminated or timed out starts it again (a new run of
   * the same workflow id) instead of replaying the failure: that is what the client retries for.
   */
  router.post('/scopes/:group/:region/replans', async (req, res) => {
    const scopeId = `${req.params.group}/${req.params.region}`;
    const key = idempotencyKeyOf(req.get('Idempotency-Key'));
    await requireScope(scopeId);
    const body = replanBody.safeParse(req.body ?? {});
    if (!body.success) throw errors.validation(body.error, 'replan request');
    // `{}` overrides nothing: dropped, so it hashes (and replays) like a body without it.
    const ruleOverrides = nonEmptyOverrides(body.data.ruleOverrides);
    const { ruleOverrides: _given, ...rest } = body.data;
    const request = ruleOverrides ? { ...rest, ruleOverrides } : rest;
    if (ruleOverrides) await checkOverrides(res, scopes, scopeId, ruleOverrides);
    const storedKey = `${scopeId}:${key}`;
    const hash = createHash('sha256').update(JSON.stringify({ scopeId, ...request })).digest('hex');

    const workflowId = workflowIds.replan(scopeId, key);
    const requestedBy = requester(res, body.data.requestedBy);
    // Concurrent duplicates attach to the first start instead of failing or starting twice.
    const start = async () => {
      const handle = await startReplan(client, { scopeId, reason: body.data.reason, requestedBy, trigger: 'api', horizonWeeks: body.data.horizonWeeks, ...(ruleOverrides ? { ruleOverrides } : {}) }, key);
      return { workflowId, runId: handle.firstExecutionRunId, status: `/runs/${workflowId}` };
    };
    const replay = async () => {
      const row = await idempotency.find(storedKey);
      if (!row) return false;
      if (row.requestHash !== hash)
        throw errors.unprocessable('replans.idempotency_key_reused', `Idempotency-Key ${key} was already used for a different replan request of ${scopeId}`);
      if (RESTARTABLE.has((await workflowStatus(row.workflowId)) ?? '')) {
        const response = await start();
        await idempotency.replaceResponse(storedKey, response);
        res.status(202).set('Idempotent-Replay', 'false').json(response);
        return true;
      }
      res.status(200).set('Idempotent-Replay', 'true').json(row.response);
      return true;
    };
    if (await replay()) return;

    const response = await start();
    const stored = await idempotency.remember({ key: storedKey, route: 'replans', requestHash: hash, workflowId, response });
    // Lost the race to a concurrent request with the same key: answer as its replay.
    if (!stored && (await replay())) return;
    res.status(202).json(response);
  });

  router.post('/scopes/:group/:region/sales-feedback', async (req, res) => {
    const scopeId = `${req.params.group}/${req.params.region}`;
    await requireScope(scopeId);
    const body = salesFeedbackBody.safeParse(req.body ?? {});
    if (!body.success) throw errors.validation(body.error, 'sales feedback');
    try {
      await client.workflow.getHandle(workflowIds.loop(scopeId)).signal(salesObservedSignal, body.data);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw errors.conflict('runs.loop_not_running', `no planning loop is running for ${scopeId}; start one with POST /scopes/${scopeId}/runs`);
      throw err;
    }
    res.status(202).json({ signalled: workflowIds.loop(scopeId) });
  });

  /** Runs most recently started first, a page at a time (api/pagination.ts). */
  router.get('/runs', async (req, res) => {
    const query = runsListQuery.safeParse(req.query);
    if (!query.success) throw errors.validation(query.error, 'runs query');
    const { limit, after } = pageRequest(req.query, runCursor);
    const rows = await runs.list({ scopeId: query.data.scope, limit: limit + 1, after });
    res.json(toPage(rows, limit, (r) => [r.startedAt, r.workflowId] as const));
  });

  /** Run status: the mirrored row, Temporal's view, the live stage, and activity progress. */
  router.get('/runs/*id', async (req, res) => {
    const parts = (req.params as unknown as { id: string[] }).id;
    const workflowId = parts.join('/');
    let row = await runs.get(workflowId);
    const handle = client.workflow.getHandle(workflowId);
    let temporal: Record<string, unknown> | undefined;
    let live: unknown;
    try {
      const d = await handle.describe();
      const raw = d.raw.pendingActivities ?? [];
      temporal = {
        status: d.status.name,
        runId: d.runId,
        type: d.type,
        startTime: d.startTime,
        closeTime: d.closeTime,
        historyLength: d.historyLength,
        pendingActivities: raw.map((a) => ({
          activityType: a.activityType?.name,
          attempt: a.attempt,
          state: a.state,
          lastFailure: a.lastFailure?.message,
          heartbeat: decodeHeartbeat(a.heartbeatDetails?.payloads?.[0]?.data),
        })),
      };
      if (d.status.name === 'RUNNING') {
        if (d.type === 'planningLoopWorkflow') live = await handle.query(loopStatusQuery);
        if (d.type === 'replanWorkflow') live = await handle.query(replanStatusQuery);
      }
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    if (!row && !temporal) throw errors.notFound('runs.not_found', `run ${workflowId} does not exist`);
    // The row still says running but Temporal has closed the run: close the row now rather than
    // wait for the reconciler's next sweep, and answer with what it says.
    if (row?.status === 'running' && temporal && temporal.status !== 'RUNNING' && (await reconciler.reconcile(workflowId))) row = await runs.get(workflowId);
    res.json({ workflowId, run: row ?? null, temporal: temporal ?? null, live: live ?? null });
  });

  return router;
}

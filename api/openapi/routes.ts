/**
 * Every route of the API with its parameters, request body and answers, as zod schemas: the
 * handlers validate with these same schema objects (api/schemas.ts and the route files export
 * them), and api/openapi/document.ts turns this list into the OpenAPI 3.1 document served at
 * /openapi.json. A route the app registers that is missing here fails api/openapi/openapi.test.ts,
 * with the line to add. Roles come from the route table in api/auth/policy.ts, not from here.
 */
import { z } from 'zod';
import { scopeRulesSchema } from '../../contracts/scope-rules.js';
import { createTokenBody } from '../auth/tokens.routes.js';
import {
  decisionResponse,
  healthResponse,
  idempotencyKey,
  itemForecastResponse,
  modelRow,
  pageOf,
  pageQuery,
  planRow,
  plansListQuery,
  planView,
  replanBody,
  replanResponse,
  runDetail,
  runRow,
  runsListQuery,
  salesFeedbackBody,
  salesFeedbackResponse,
  scheduleBody,
  scheduleCreated,
  schedulesResponse,
  scopeRow,
  startRunBody,
  startRunResponse,
} from '../schemas.js';
import { audienceQuery, itemAudienceResponse } from '../routes/plan-audience.routes.js';
import { decisionRequest } from '../routes/plans.routes.js';
import { promotionBody } from '../web/web.routes.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export interface Answer {
  description: string;
  /** JSON body; absent for 204 and non-JSON answers. */
  schema?: z.ZodType;
  /** Non-JSON answers: their media type and a plain description (the page, its assets, metrics). */
  mediaType?: string;
  /** Error codes this answer carries (its body is the error shape). */
  codes?: readonly string[];
}

export interface RouteSpec {
  method: HttpMethod;
  /** As registered in Express: `:name` one segment, `*name` one or more (slashes kept). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Path parameters by name (each a string schema with its description). */
  params?: Record<string, z.ZodType<string>>;
  query?: z.ZodObject;
  headers?: Record<string, { schema: z.ZodType<string>; required: boolean; description: string }>;
  body?: { schema: z.ZodType; name: string };
  /** Answers by status; the generic ones (auth, 5xx, malformed bodies) are added by the document. */
  answers: Record<number, Answer>;
  /** Schema names of the answers' bodies, for components. */
  names?: Record<number, string>;
}

const segment = (description: string) => z.string().min(1).describe(description);
const scopePath = { group: segment('category group of the scope, e.g. electronics'), region: segment('region of the scope, e.g. east') };
/** The `:id` of a table with serial ids (plans, reorders): the routes answer 400 and 404 alike. */
const serialIdParam = (what: string) => ({ id: z.string().regex(/^[1-9][0-9]*$/).describe(`${what} id (decimal digits; 400 otherwise, 404 beyond the id range)`) });
const planIdParam = serialIdParam('plan');
const reorderIdParam = serialIdParam('reorder');
const json = z.record(z.string(), z.unknown());
const ok = (description: string, schema: z.ZodType): Answer => ({ description, schema });
const fail = (description: string, ...codes: string[]): Answer => ({ description, codes });
const scopeNotFound = fail('the scope does not exist', 'scopes.not_found');
const invalid = (what: string) => fail(`${what} is invalid (the message names each bad field)`, 'request.invalid');

const reordersQuery = pageQuery.extend({
  status: z.enum(['pending', 'published', 'rejected', 'cancelled']).optional(),
  planId: z.string().optional().describe('only orders proposed under this plan version'),
});
const reorderDecision = z.object({ note: z.string().max(2000).optional(), by: z.string().max(200).optional().describe('ignored when signed in: the token is recorded') }).strict();
const reorder = z.looseObject({
  id: z.number().int(),
  scopeId: z.string(),
  candidateId: z.string(),
  planId: z.number().int().nullable(),
  orderWeek: z.string(),
  arrivalWeek: z.string(),
  quantity: z.number().int(),
  status: z.string(),
  rationale: z.array(z.string()),
});
const scopeRulesResponse = z.object({ scopeId: z.string(), rules: scopeRulesSchema });
const tokenInfo = z.looseObject({ id: z.number().int(), name: z.string(), prefix: z.string(), role: z.string(), scopes: z.array(z.string()).nullable() });

export const ROUTES: readonly RouteSpec[] = [
  // The API itself and the page.
  { method: 'get', path: '/health', tag: 'service', summary: 'Health of the API, Postgres, Temporal and the registered workers', answers: { 200: ok('all dependencies answer', healthResponse), 503: ok('degraded: a dependency does not answer', healthResponse) } },
  { method: 'get', path: '/metrics', tag: 'service', summary: 'Prometheus metrics: request latency by route and status, process, runs, plan gap, champion backtest, reorders (no token)', answers: { 200: { description: 'Prometheus text exposition format', mediaType: 'text/plain; version=0.0.4' } } },
  { method: 'get', path: '/openapi.json', tag: 'service', summary: 'This OpenAPI 3.1 document', answers: { 200: ok('the document', json) } },
  { method: 'get', path: '/docs', tag: 'service', summary: 'The API reference page (Swagger UI over /openapi.json)', answers: { 200: { description: 'HTML page', mediaType: 'text/html' } } },
  { method: 'get', path: '/docs/:file', tag: 'service', summary: "The reference page's assets", params: { file: segment('asset file name') }, answers: { 200: { description: 'script, style sheet or image', mediaType: 'application/octet-stream' }, 404: fail('no such asset', 'route.not_found') } },
  { method: 'get', path: '/', tag: 'page', summary: 'The merchandiser page (sign in with /#token=<secret>)', answers: { 200: { description: 'HTML page', mediaType: 'text/html' } } },
  { method: 'get', path: '/assets/:name', tag: 'page', summary: "The page's scripts and style sheets", params: { name: segment('asset file name') }, answers: { 200: { description: 'script or style sheet (ETag; 304 when unchanged)', mediaType: 'application/octet-stream' }, 404: fail('no such asset', 'route.not_found') } },

  // Sign-in with an identity provider (OIDC_ISSUER); 404 auth.oidc_not_configured without one.
  {
    method: 'get',
    path: '/auth/oidc/login',
    tag: 'auth',
    summary: "Sign in with the configured OpenID Connect provider: redirects to its login page",
    answers: { 302: { description: 'to the provider (authorization code flow with PKCE)', mediaType: 'text/plain' }, 404: fail('no provider is configured', 'auth.oidc_not_configured'), 503: fail('the provider cannot be reached, or too many sign-ins are under way', 'auth.oidc_unavailable', 'auth.oidc_busy') },
  },
  {
    method: 'get',
    path: '/auth/oidc/callback',
    tag: 'auth',
    summary: "The provider's redirect back: creates a short-lived token with the role and scopes of the ID token's claims and redirects to the page signed in (/#token=…)",
    query: z.object({ code: z.string().optional(), state: z.string().optional(), error: z.string().optional(), error_description: z.string().optional() }),
    answers: {
      303: { description: 'to the page, signed in', mediaType: 'text/plain' },
      400: fail('unknown, used or expired sign-in (state)', 'auth.oidc_state'),
      401: fail('the provider refused, or the code exchange or ID token check failed', 'auth.oidc_failed'),
      403: fail('the claims give no launchloop role, or bad scope patterns', 'auth.forbidden'),
      404: fail('no provider is configured', 'auth.oidc_not_configured'),
      503: fail('the provider cannot be reached', 'auth.oidc_unavailable'),
    },
  },

  // Scopes.
  { method: 'get', path: '/scopes', tag: 'scopes', summary: 'Scopes with region and categories, by id', query: pageQuery, answers: { 200: ok('a page of scopes', pageOf(scopeRow)), 400: invalid('limit or cursor') }, names: { 200: 'ScopesPage' } },
  { method: 'get', path: '/scopes/:group/:region/rules', tag: 'scopes', summary: 'Effective planning rules of a scope (stored values with defaults)', params: scopePath, answers: { 200: ok('the rules', scopeRulesResponse), 400: invalid('the scope id'), 404: scopeNotFound, 409: fail('the stored rules no longer validate (the message names each problem; PUT replaces them)', 'scopes.invalid_rules') }, names: { 200: 'ScopeRulesResponse' } },
  {
    method: 'put',
    path: '/scopes/:group/:region/rules',
    tag: 'scopes',
    summary: "Replace a scope's planning rules",
    description: 'Unknown fields are rejected; categories, promotions and candidates the scope does not have are named in the 400.',
    params: scopePath,
    body: { schema: scopeRulesSchema, name: 'ScopeRules' },
    answers: { 200: ok('the effective rules', scopeRulesResponse), 400: invalid('a rule'), 404: scopeNotFound },
    names: { 200: 'ScopeRulesResponse' },
  },
  { method: 'get', path: '/scopes/:group/:region/models', tag: 'scopes', summary: 'The model registry of a scope (versions, backtest metrics, champion)', params: scopePath, answers: { 200: ok('the models', z.object({ scopeId: z.string(), models: z.array(modelRow) })), 400: invalid('the scope id'), 404: scopeNotFound }, names: { 200: 'ModelsResponse' } },
  { method: 'post', path: '/scopes/:group/:region/runs', tag: 'runs', summary: "Start the scope's planning loop (or return the running one)", params: scopePath, body: { schema: startRunBody, name: 'StartRunRequest' }, answers: { 202: ok('started or already running', startRunResponse), 400: invalid('the run request'), 404: scopeNotFound } },
  {
    method: 'post',
    path: '/scopes/:group/:region/replans',
    tag: 'runs',
    summary: "A merchandiser's replan, idempotent per Idempotency-Key",
    description:
      'The key names the replan workflow: a repeat with the same key and body answers 200 with `Idempotent-Replay: true` and starts nothing; a key whose replan failed, was terminated or timed out starts it again (202). ' +
      "`ruleOverrides` apply to this replan's plan only (the scope's rules are unchanged): planning rules for merchandisers, `solver` for planners (403 otherwise); training, forecasting and adjust-stage settings are refused (400).",
    params: scopePath,
    headers: { 'Idempotency-Key': { schema: idempotencyKey, required: true, description: '8–100 of [A-Za-z0-9._-]; one replan per key' } },
    body: { schema: replanBody, name: 'ReplanRequest' },
    answers: { 202: ok('a new replan', replanResponse), 200: ok('a repeat of an earlier request (Idempotent-Replay: true)', replanResponse), 400: invalid('the key, the replan request or a rule override'), 404: scopeNotFound, 409: fail("the scope's stored rules are invalid (overrides go on top of them)", 'scopes.invalid_rules'), 422: fail('the key was used for another body', 'replans.idempotency_key_reused') },
  },
  { method: 'post', path: '/scopes/:group/:region/sales-feedback', tag: 'runs', summary: "Tell the scope's loop that sales arrived (it adjusts the plan)", params: scopePath, body: { schema: salesFeedbackBody, name: 'SalesFeedbackRequest' }, answers: { 202: ok('the loop was signalled', salesFeedbackResponse), 400: invalid('the feedback'), 404: scopeNotFound, 409: fail('no loop is running for the scope', 'runs.loop_not_running') } },
  { method: 'get', path: '/scopes/:group/:region/calendar', tag: 'page', summary: "The scope's launch calendar context: promotions and competitor launches", params: scopePath, answers: { 200: ok('categories, promotions and competitor launches', z.looseObject({ scopeId: z.string(), categories: z.array(z.string()), promotions: z.array(json), competitorLaunches: z.array(json) })), 400: invalid('the scope id'), 404: scopeNotFound }, names: { 200: 'CalendarResponse' } },
  { method: 'post', path: '/scopes/:group/:region/promotions', tag: 'page', summary: "Add a promotion to the scope's region", params: scopePath, body: { schema: promotionBody, name: 'PromotionRequest' }, answers: { 201: ok("the region's promotions", z.looseObject({ scopeId: z.string(), promotions: z.array(json) })), 400: invalid('the promotion'), 404: scopeNotFound }, names: { 201: 'PromotionsResponse' } },
  { method: 'get', path: '/scopes/:group/:region/reorders', tag: 'reorders', summary: 'In-season reorders of the scope, latest order week first', params: scopePath, query: reordersQuery, answers: { 200: ok('a page of reorders', pageOf(reorder).extend({ scopeId: z.string() })), 400: invalid('a filter, limit or cursor'), 404: scopeNotFound }, names: { 200: 'ReordersPage' } },

  // Runs.
  { method: 'get', path: '/runs', tag: 'runs', summary: 'Runs, most recently started first (mirrored from the workflows)', query: runsListQuery, answers: { 200: ok('a page of runs', pageOf(runRow)), 400: invalid('limit or cursor') }, names: { 200: 'RunsPage' } },
  { method: 'get', path: '/runs/*id', tag: 'runs', summary: "A run's row, Temporal status, live stage and pending activities", params: { id: segment('workflow id, slashes kept as path segments (loop/electronics/east)') }, answers: { 200: ok('the run', runDetail), 404: fail('neither the table nor Temporal knows the run', 'runs.not_found') } },

  // Plans.
  { method: 'get', path: '/plans', tag: 'plans', summary: 'Plans, newest first', query: plansListQuery, answers: { 200: ok('a page of plans', pageOf(planRow)), 400: invalid('a filter, limit or cursor') }, names: { 200: 'PlansPage' } },
  {
    method: 'get',
    path: '/plans/:id',
    tag: 'plans',
    summary: 'A plan with its launches, summary and diff',
    description: "Each item's `expectedUnits` is expected sales (capped by the opening quantity); `demand` is the uncapped launch-curve forecast. Answers carry an ETag; a matching If-None-Match is answered 304.",
    params: planIdParam,
    answers: { 200: ok('the plan', planView), 304: { description: 'not modified since the ETag sent in If-None-Match' }, 400: invalid('the plan id'), 404: fail('no such plan', 'plans.not_found') },
  },
  { method: 'get', path: '/plans/:id/items/:candidateId/forecast', tag: 'plans', summary: "One item's weekly launch curve (uncapped demand) and observed sales", params: { ...planIdParam, candidateId: segment('candidate id of the item') }, answers: { 200: ok('the curve and sales', itemForecastResponse), 400: invalid('the plan or candidate id'), 404: fail('no such plan, or the plan has no such item', 'plans.not_found', 'plans.item_not_found') } },
  {
    method: 'get',
    path: '/plans/:id/items/:candidateId/audience',
    tag: 'plans',
    summary: "One item's launch audience: ranked customers, demand shares per region and segment",
    description:
      "Scored from customers' purchase histories with the plan's forecast set. JSON by default; `Accept: text/csv` or `?format=csv` answers `customer_id,score,rank,region` (best first, every stored customer unless `limit` says fewer) for a campaign tool.",
    params: { ...planIdParam, candidateId: segment('candidate id of the item') },
    query: audienceQuery,
    answers: {
      200: { ...ok('the audience (or its CSV, media type text/csv)', itemAudienceResponse) },
      400: invalid('the plan id, candidate id, limit or format'),
      404: fail('no such plan, the plan has no such item, or no audience was scored for it (no customer orders)', 'plans.not_found', 'plans.item_not_found', 'audiences.not_found'),
    },
    names: { 200: 'ItemAudience' },
  },
  { method: 'get', path: '/plans/:id/kpis', tag: 'plans', summary: "A plan's KPIs: expected margin, spend per month (openings and planned reorders) against the budget, cadence load per week", params: planIdParam, answers: { 200: ok('the KPIs', z.looseObject({ planId: z.number().int(), scopeId: z.string() })), 400: invalid('the plan id'), 404: fail('no such plan', 'plans.not_found') }, names: { 200: 'PlanKpis' } },
  ...(['approve', 'reject'] as const).map(
    (decision): RouteSpec => ({
      method: 'post',
      path: `/plans/:id/${decision}`,
      tag: 'plans',
      summary: decision === 'approve' ? 'Approve (publish) a draft' : 'Reject a draft',
      description:
        (decision === 'approve'
          ? 'Answers once published (the owning workflow’s Update returns after the publish). Only a draft revising the scope’s published plan can be published: 409 plans.stale names the newer plan. '
          : '') + 'The decision is recorded under the signed-in token’s name.',
      params: planIdParam,
      body: { schema: decisionRequest, name: 'DecisionRequest' },
      answers: {
        200: ok('decided', decisionResponse),
        400: invalid('the decision'),
        404: fail('no such plan', 'plans.not_found'),
        409: fail('the plan is not a pending draft, is stale, or its workflow is gone', 'plans.not_draft', 'plans.stale', 'plans.owner_not_running', 'plans.decision_rejected'),
      },
    }),
  ),

  // Reorders.
  { method: 'get', path: '/reorders/:id', tag: 'reorders', summary: 'One reorder', params: reorderIdParam, answers: { 200: ok('the order', reorder), 400: invalid('the reorder id'), 404: fail('no such reorder', 'reorders.not_found') }, names: { 200: 'Reorder' } },
  ...(['approve', 'reject'] as const).map(
    (decision): RouteSpec => ({
      method: 'post',
      path: `/reorders/:id/${decision}`,
      tag: 'reorders',
      summary: decision === 'approve' ? 'Approve a pending reorder' : 'Reject a pending reorder',
      params: reorderIdParam,
      body: { schema: reorderDecision, name: 'ReorderDecisionRequest' },
      answers: { 200: ok('the decided order', reorder), 400: invalid('the reorder id or the decision'), 404: fail('no such reorder', 'reorders.not_found'), 409: fail('the order is not pending', 'reorders.not_pending') },
      names: { 200: 'Reorder' },
    }),
  ),

  // Schedules.
  { method: 'post', path: '/schedules/retrain', tag: 'schedules', summary: 'Retrain a scope on a cron or an interval (a Temporal Schedule, overlap: skip)', body: { schema: scheduleBody, name: 'ScheduleRequest' }, answers: { 201: ok('created', scheduleCreated), 400: invalid('the schedule (the message quotes the cron parser)'), 404: scopeNotFound, 409: fail('the scope has a retraining schedule', 'schedules.exists') } },
  { method: 'get', path: '/schedules', tag: 'schedules', summary: 'Schedules with their next action times', answers: { 200: ok('the schedules', schedulesResponse) } },
  { method: 'delete', path: '/schedules/*id', tag: 'schedules', summary: 'Delete a schedule', params: { id: segment('schedule id, slashes kept (retrain-schedule/electronics/east)') }, answers: { 204: { description: 'deleted' }, 404: fail('no such schedule', 'schedules.not_found') } },

  // Tokens.
  { method: 'get', path: '/auth/me', tag: 'tokens', summary: 'Who the token signs in: its id, name, role and scopes (the page shows or hides actions by it)', answers: { 200: ok('the principal', z.object({ tokenId: z.number().int(), name: z.string(), role: z.enum(['viewer', 'merchandiser', 'planner', 'admin']), scopes: z.array(z.string()).nullable().describe('scope patterns; null: every scope') })) }, names: { 200: 'Principal' } },
  { method: 'get', path: '/tokens', tag: 'tokens', summary: 'API tokens (never their secrets)', answers: { 200: ok('the tokens', z.object({ tokens: z.array(tokenInfo) })) }, names: { 200: 'TokensResponse' } },
  { method: 'post', path: '/tokens', tag: 'tokens', summary: 'Create a token; its secret is shown only in this answer', body: { schema: createTokenBody, name: 'CreateTokenRequest' }, answers: { 201: ok('the token and its secret', z.object({ token: tokenInfo, secret: z.string() })), 400: invalid('the token request') }, names: { 201: 'CreatedToken' } },
  { method: 'delete', path: '/tokens/:id', tag: 'tokens', summary: 'Revoke a token', params: { id: z.string().regex(/^[1-9][0-9]*$/).describe('token id') }, answers: { 204: { description: 'revoked' }, 400: invalid('the token id'), 404: fail('no such token', 'tokens.not_found') } },
];

/** Codes any route may answer, whatever it does. */
export const COMMON_CODES = {
  auth: ['auth.missing_token', 'auth.invalid_token', 'auth.forbidden', 'request.rate_limited'],
  body: ['request.invalid_json', 'request.too_large', 'request.unsupported_media_type'],
  service: ['service.database_unavailable', 'service.database_busy', 'service.temporal_unavailable'],
  other: ['route.not_found', 'internal'],
} as const;

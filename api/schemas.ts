import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { ruleOverridesSchema } from '../contracts/rule-overrides.js';
import { dayNumber, isMonday } from '../engine/calendar/index.js';
import { pageQuery } from './pagination.js';

/** A week is named by its Monday, a real calendar date ("2026-13-45" is not one). */
const week = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date YYYY-MM-DD')
  .refine((v) => dayNumber(v) !== undefined, { message: 'is not a calendar date' })
  .refine((v) => dayNumber(v) === undefined || isMonday(v), { message: 'must be a Monday (weeks are named by their Monday)' });

/** Cron as Temporal Schedules read it (5 fields or @daily-style macros), checked before Temporal sees it. */
const cron = z
  .string()
  .min(1)
  .superRefine((v, ctx) => {
    try {
      CronExpressionParser.parse(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `is not a cron expression: ${err instanceof Error ? err.message : String(err)}` });
    }
  });
const person = z.string().trim().min(1, 'must name who decides').max(200);

export const startRunBody = z
  .object({
    horizonWeeks: z.number().int().min(1).max(104).optional(),
    feedbackInterval: z.string().regex(/^\d+\s*(ms|s|seconds?|m|minutes?|h|hours?|d|days?)$/, 'must be a duration such as "7 days" or "30s"').optional(),
    maxIterations: z.number().int().min(1).optional(),
  })
  .strict();

export const replanBody = z
  .object({
    reason: z.string().trim().min(3, 'must say why (e.g. "618 promotion moved forward")').max(500),
    /** Accepted for older clients; the API records the signed-in token's name instead. */
    requestedBy: person.optional(),
    horizonWeeks: z.number().int().min(1).max(104).optional(),
    /** Rules for this replan's plan only (contracts/rule-overrides.ts); the scope's rules stay as they are. */
    ruleOverrides: ruleOverridesSchema.optional(),
  })
  .strict();

/** `by` is accepted for older clients and ignored: a decision is recorded under the signed-in token's name. */
export const decisionBody = z.object({ by: person.optional(), note: z.string().max(2000).optional() }).strict();

export const salesFeedbackBody = z.object({ throughWeek: week, rows: z.number().int().min(0).optional() }).strict();

export const scheduleBody = z
  .object({
    scopeId: z.string().min(1),
    cron: cron.optional(),
    every: z
      .string()
      .regex(/^\d+\s*(m|minutes?|h|hours?|d|days?)$/, 'must be an interval such as "7d" or "12 hours"')
      .refine((v) => Number.parseInt(v, 10) > 0, { message: 'must be longer than zero' })
      .optional(),
  })
  .strict()
  .refine((b) => (b.cron ? !b.every : !!b.every), { message: 'give exactly one of cron or every' });

export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9._-]{8,100}$/, 'Idempotency-Key must be 8–100 characters of letters, digits, ".", "_" or "-"');

/*
 * Response bodies. The OpenAPI document (api/openapi/) is generated from these and the request
 * schemas above; the API tests check answers against them. Timestamps are written as Postgres
 * writes a timestamptz ("2026-12-05 10:57:51.123+00"), weeks as their Monday (YYYY-MM-DD).
 */
const timestamp = z.string().describe('a timestamp with time zone, as Postgres writes it');
const weekDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('a week, named by its Monday (YYYY-MM-DD)');
const json = z.record(z.string(), z.unknown());

/** Every error answer: a stable code (listed in the OpenAPI document), a message for people, details for some. */
export const errorResponse = (codes: readonly [string, ...string[]]) =>
  z
    .object({
      error: z
        .object({
          code: z.enum(codes).describe('stable machine-readable code'),
          message: z.string().describe('what went wrong and what to do, in words'),
          details: z.unknown().optional().describe('per-field problems of a 400, or the stale plan of a 409'),
        })
        .strict(),
    })
    .strict();

/** A list endpoint's page (api/pagination.ts): pass nextCursor as ?cursor= for the next page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable().describe('cursor of the next page; null on the last page') });

/** Query of every list endpoint. */
export { pageQuery };

export const plansListQuery = pageQuery.extend({
  scope: z.string().optional().describe('only plans of this scope (group/region)'),
  status: z.enum(['draft', 'published', 'rejected', 'superseded']).optional().describe('only plans in this status'),
});

export const runsListQuery = pageQuery.extend({ scope: z.string().optional().describe('only runs of this scope (group/region)') });

export const healthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  checks: z.object({ database: z.string(), temporal: z.string() }).describe('"ok" or "error: <why>" per dependency'),
  workers: z.array(z.looseObject({ queue: z.string(), identity: z.string(), backend: z.string().nullable() })).describe('workers that registered (the GPU pool names its TensorFlow.js backend)'),
});

export const scopeRow = z.object({ id: z.string().describe('group/region'), region: z.string(), categories: z.array(z.string()), updatedAt: timestamp });

export const modelRow = z.looseObject({
  id: z.number().int(),
  kind: z.string(),
  version: z.number().int(),
  snapshotId: z.number().int().nullable(),
  hyper: json,
  metrics: z.record(z.string(), z.number()).describe('backtest metrics'),
  artifactUri: z.string().nullable(),
  backend: z.string().nullable(),
  status: z.string(),
  isChampion: z.boolean(),
});

export const startRunResponse = z.object({ workflowId: z.string(), runId: z.string() });
export const replanResponse = z.object({ workflowId: z.string(), runId: z.string(), status: z.string().describe('the run status path, /runs/{workflowId}') });
export const salesFeedbackResponse = z.object({ signalled: z.string().describe('workflow id of the loop that was signalled') });

export const runRow = z.object({
  workflowId: z.string(),
  scopeId: z.string(),
  kind: z.string().describe('loop, retrain, forecast, plan, replan, …'),
  trigger: z.string(),
  status: z.string(),
  detail: json,
  error: z.string().nullable(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
});

export const runDetail = z.object({
  workflowId: z.string(),
  run: runRow.nullable().describe('the mirrored row, null when Temporal knows the run but the table does not'),
  temporal: z
    .looseObject({
      status: z.string().describe("Temporal's execution status (RUNNING, COMPLETED, FAILED, …)"),
      pendingActivities: z.array(
        z.object({
          activityType: z.string().optional(),
          attempt: z.number().int().optional(),
          state: z.unknown().optional(),
          lastFailure: z.string().optional(),
          heartbeat: z.unknown().optional().describe('the last heartbeat details (training: epoch, losses, samples/s, checkpoint)'),
        }),
      ),
    })
    .nullable(),
  live: z.unknown().describe("the loop's or replan's live status (its stage), null when not running"),
});

const planStatus = z.enum(['draft', 'published', 'rejected', 'superseded']);

export const planRow = z.object({
  id: z.number().int(),
  scopeId: z.string(),
  version: z.number().int(),
  parentPlanId: z.number().int().nullable().describe('the plan this one revises'),
  runId: z.string().describe('workflow id of the run that owns the draft'),
  attemptKey: z.string().nullable(),
  forecastSetId: z.number().int().nullable(),
  status: planStatus,
  method: z.string(),
  objective: z.number(),
  gap: z.number().nullable(),
  summary: json,
  diff: json.nullable(),
  ruleOverrides: json
    .nullable()
    .optional()
    .describe("the replan's rule overrides this plan was built with (its scope's stored rules were not changed); null when none. summary.overrideNotes says each in words"),
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
  decidedAt: timestamp.nullable(),
  publishedAt: timestamp.nullable(),
  createdAt: timestamp,
});

export const planItem = z.object({
  candidateId: z.string(),
  name: z.string().nullable(),
  category: z.string().nullable(),
  launchWeek: weekDate,
  openingQty: z.number().int(),
  expectedUnits: z
    .object({ mean: z.number(), lo: z.number(), hi: z.number(), level: z.literal(80) })
    .describe('expected SALES: demand capped by the opening quantity (hi never exceeds openingQty); an 80% interval'),
  demand: z
    .object({ mean: z.number(), lo80: z.number(), hi80: z.number(), weeks: z.number().int() })
    .nullable()
    .describe("uncapped DEMAND: the item's launch curve summed over its weeks from launch (lo80/hi80: sums of the weekly 80% bounds); null without a curve"),
  expectedNetMargin: z.number(),
  fixed: z.boolean().describe('launched or committed: a replan keeps it'),
  rationale: z.array(z.string()),
  audience: z
    .object({
      size: z.number().int().describe('customers in its ranked audience (GET …/items/{candidateId}/audience)'),
      expectedBuyers: z.number().describe('expected buyers among existing customers in the first 13 weeks'),
      topSegments: z.array(z.object({ key: z.string(), share: z.number() })).describe('the three customer segments with the largest share of its expected units'),
    })
    .nullable()
    .describe("the item's launch audience scored with the plan's forecast set; null when its scope had no customer orders"),
});

export const planView = planRow.extend({ items: z.array(planItem) });

export const decisionResponse = z.object({
  planId: z.number().int(),
  status: z.string(),
  workflowId: z.string(),
  decidedBy: z.string().optional().describe('who the decision is recorded under'),
});

export const itemForecastResponse = z.object({
  planId: z.number().int(),
  candidateId: z.string(),
  launchWeek: weekDate,
  openingQty: z.number().int(),
  demand: z
    .array(z.object({ week: weekDate, step: z.number().int().describe('1 = the launch week'), mean: z.number(), lo80: z.number(), hi80: z.number(), lo95: z.number(), hi95: z.number() }))
    .describe('uncapped weekly demand: the launch curve of the plan’s forecast set'),
  sales: z.array(z.object({ week: weekDate, units: z.number(), stockout: z.boolean().describe('sold out that week: demand was above units') })).describe('observed weekly sales in the scope’s region once the item sells'),
});

export const scheduleCreated = z.object({ scheduleId: z.string() });
export const schedulesResponse = z.object({
  schedules: z.array(z.object({ scheduleId: z.string(), spec: z.unknown(), recentActions: z.number().int(), nextActionTimes: z.array(z.string()) })),
});

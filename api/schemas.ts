import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { dayNumber, isMonday } from '../engine/calendar/index.js';

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
    requestedBy: person,
    horizonWeeks: z.number().int().min(1).max(104).optional(),
  })
  .strict();

export const decisionBody = z.object({ by: person, note: z.string().max(2000).optional() }).strict();

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

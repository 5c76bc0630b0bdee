/**
 * The one place where an activity's error becomes a Temporal failure with a type, so retrying
 * depends on what went wrong rather than on how many attempts are left:
 *
 * | error                                             | failure type          | retried                         |
 * |---------------------------------------------------|-----------------------|---------------------------------|
 * | already an ApplicationFailure / cancellation      | as thrown             | as thrown                       |
 * | Postgres unreachable, restarting, out of slots    | `DatabaseUnavailable` | yes, until schedule-to-close    |
 * | serialization failure, deadlock, lock timeout     | `DatabaseContention`  | yes, until schedule-to-close    |
 * | a value Postgres cannot hold (`22xxx`)            | `InvalidData`         | no                              |
 * | anything else (a bug)                             | the error's name      | up to `unexpectedErrorAttempts` |
 *
 * Messages keep the database's own words and code but never the SQL text drizzle puts into its
 * `Failed query: …` errors (it reaches the runs table and the API); the worker log keeps it.
 * Workers install {@link failureClassificationInterceptor} for every activity they run.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import { ACTIVITY_TIMING } from '../contracts/loop-timing.js';
import { classifyDatabaseError } from '../db/client.js';

/** The innermost message of an error chain, skipping drizzle's wrapper that quotes the SQL. */
function rootMessage(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e instanceof Error; depth++) {
    const cause = (e as { cause?: unknown }).cause;
    if (!(cause instanceof Error)) break;
    e = cause;
  }
  const message = e instanceof Error ? e.message : String(e);
  return message.startsWith('Failed query:') ? 'database query failed' : message;
}

/**
 * The failure an activity should end its attempt with, for an error `err` seen on attempt
 * `attempt` (1-based) of an activity allowed `unexpectedAttempts` attempts for unclassified errors.
 */
export function classifyActivityError(err: unknown, o: { attempt: number; unexpectedAttempts: number }): unknown {
  // Failures the activity typed itself (invalid scope data, not found, cancellation) stand.
  if (err instanceof TemporalFailure) return err;
  const db = classifyDatabaseError(err);
  if (db?.kind === 'unavailable')
    return ApplicationFailure.retryable(`database unavailable (${db.code}): ${rootMessage(err)}`, 'DatabaseUnavailable');
  if (db?.kind === 'contention')
    return ApplicationFailure.retryable(`database contention (${db.code}): ${rootMessage(err)}`, 'DatabaseContention');
  if (db?.kind === 'invalid-data')
    return ApplicationFailure.nonRetryable(`invalid data (${db.code}): ${rootMessage(err)}`, 'InvalidData');
  const type = err instanceof Error ? err.name : 'Error';
  const failure = ApplicationFailure.create({
    message: rootMessage(err),
    type,
    nonRetryable: o.attempt >= o.unexpectedAttempts,
  });
  // Keep where it happened: the original error's frames (its message may quote SQL, so not that).
  if (err instanceof Error && err.stack) failure.stack = [`${type}: ${failure.message}`, ...err.stack.split('\n').filter((l) => /^\s+at /.test(l))].join('\n');
  return failure;
}

/** Attempts for unclassified errors of an activity type (contracts/loop-timing.ts). */
export function unexpectedAttemptsFor(activityType: string): number {
  return ACTIVITY_TIMING.unexpectedErrorAttempts[activityType] ?? ACTIVITY_TIMING.unexpectedErrorAttempts.default;
}

/** Worker interceptor: every activity's error goes through {@link classifyActivityError}. */
export const failureClassificationInterceptor: ActivityInterceptorsFactory = (ctx: Context) => {
  const inbound: ActivityInboundCallsInterceptor = {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (err) {
        const { attempt, activityType } = ctx.info;
        const failure = classifyActivityError(err, { attempt, unexpectedAttempts: unexpectedAttemptsFor(activityType) });
        if (failure !== err) {
          // The full error (with any SQL text) stays in the worker's log.
          ctx.log.warn(`${activityType} attempt ${attempt} failed: ${(failure as Error).message}`, { error: err instanceof Error ? err.stack ?? err.message : String(err) });
        }
        throw failure;
      }
    },
  };
  return { inbound };
};

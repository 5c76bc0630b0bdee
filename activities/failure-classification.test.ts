import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { connect } from '../db/client.js';
import { runs } from '../db/schema.js';
import { freePort } from '../services/ports.js';
import { classifyActivityError, failureClassificationInterceptor } from './failure-classification.js';
import { createRunActivities } from './runs.activities.js';
import { failures } from './errors.js';

/** A real drizzle error for an unreachable database: `Failed query: update "runs" …` around ECONNREFUSED. */
async function refusedQueryError(): Promise<Error> {
  const database = connect(`postgres://u:p@127.0.0.1:${await freePort()}/db`, { max: 1 });
  try {
    await database.db.update(runs).set({ status: 'failed' }).execute();
  } catch (err) {
    return err as Error;
  } finally {
    await database.close();
  }
  throw new Error('expected a refused connection');
}

/** Runs `fn` as attempt `attempt` of `activityType` with the worker's interceptor; returns its failure, or undefined on success. */
async function attempt(activityType: string, n: number, fn: () => Promise<unknown>): Promise<ApplicationFailure | undefined> {
  const env = new MockActivityEnvironment({ attempt: n, activityType }, { interceptors: [failureClassificationInterceptor] });
  try {
    await env.run(fn);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
}

describe('activity failure classification', () => {
  it('retries run bookkeeping while the database refuses connections and succeeds once it is back, without SQL in the failure', async () => {
    const refused = await refusedQueryError();
    let calls = 0;
    const written: unknown[] = [];
    const activities = createRunActivities({
      started: async (input) => {
        calls++;
        if (calls <= 3) throw refused;
        written.push(input);
      },
      finished: async () => {},
    });
    const input = { workflowId: 'replan/electronics/east/k1', scopeId: 'electronics/east', kind: 'replan', trigger: 'api' as const };
    // Attempts beyond the old limit of 6 are still retryable: the schedule-to-close bounds them.
    for (const n of [1, 2, 9]) {
      const failure = await attempt('recordRunStarted', n, () => activities.recordRunStarted(input));
      expect(failure?.type).toBe('DatabaseUnavailable');
      expect(failure?.nonRetryable).toBe(false);
      expect(failure?.message).toMatch(/^database unavailable \(ECONNREFUSED\)/);
      expect(failure?.message).not.toMatch(/Failed query|update "runs"/);
    }
    expect(await attempt('recordRunStarted', 10, () => activities.recordRunStarted(input))).toBeUndefined();
    expect(written).toEqual([input]);
  });

  it('fails invalid data at once and lets typed failures through as thrown', async () => {
    const invalid = Object.assign(new Error('invalid input syntax for type date: "2026-13-45"'), { code: '22007' });
    const failure = await attempt('snapshotScope', 1, async () => {
      throw invalid;
    });
    expect({ type: failure?.type, nonRetryable: failure?.nonRetryable }).toEqual({ type: 'InvalidData', nonRetryable: true });

    const typed = failures.invalidData('scope electronics/east has no sales');
    expect(await attempt('snapshotScope', 1, async () => Promise.reject(typed))).toBe(typed);
  });

  it('retries contention like an outage', () => {
    const f = classifyActivityError(Object.assign(new Error('deadlock detected'), { code: '40P01' }), { attempt: 30, unexpectedAttempts: 6 }) as ApplicationFailure;
    expect({ type: f.type, nonRetryable: f.nonRetryable }).toEqual({ type: 'DatabaseContention', nonRetryable: false });
  });

  it('gives an unexpected error (a bug) its attempts, then makes it final', async () => {
    const bug = () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'id')"));
    const fifth = await attempt('buildLaunchPlan', 5, bug);
    expect({ type: fifth?.type, nonRetryable: fifth?.nonRetryable }).toEqual({ type: 'TypeError', nonRetryable: false });
    expect((await attempt('buildLaunchPlan', 6, bug))?.nonRetryable).toBe(true);
    // Training has more attempts for unexpected errors (each resumes from a checkpoint).
    expect((await attempt('trainColdStartModel', 6, bug))?.nonRetryable).toBe(false);
    expect((await attempt('trainColdStartModel', 10, bug))?.nonRetryable).toBe(true);
  });
});

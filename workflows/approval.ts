import { msToNumber } from '@temporalio/common/lib/time.js';
import { ActivityFailure, ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import { expiredNote } from '../contracts/loop-timing.js';
import { decidePlanUpdate, type DecisionResult, type PlanDecision } from '../contracts/workflows.js';
import { bookkeeping } from './activity-proxies.js';

/** The publish found a newer published plan than the one the draft revises (activities/plan.activities.ts). */
const isStale = (err: unknown): err is ActivityFailure & { cause: ApplicationFailure } =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'StalePlan';

/**
 * The approve/reject Update shared by the loop and replan workflows. The validator rejects a
 * decision for a plan this workflow is not waiting on (nothing is written to history then);
 * an accepted decision returns only once the plan is published or rejected, so the API's
 * answer means it happened.
 *
 * An approval of a draft that became stale (another plan of the scope was published after it
 * was built) is refused with a non-retryable `StalePlan` failure, which the API answers as
 * `409 plans.stale`. The draft stays pending: it can still be rejected, or it expires.
 */
export function planDecisions(getPendingPlanId: () => number | undefined) {
  let decision: PlanDecision | undefined;
  /** Each accepted Update waits for its own answer: a plan can be refused as stale, then rejected. */
  let accepted = 0;
  let current = 0;
  const answers = new Map<number, DecisionResult | ApplicationFailure>();
  /** The draft waiting again after a stale refusal (its owner may already show another stage). */
  let reopened: number | undefined;
  let deadline: { planId: number; at: number; timeout: string } | undefined;

  setHandler(
    decidePlanUpdate,
    async (d) => {
      decision = d;
      const ticket = (current = ++accepted);
      await condition(() => answers.has(ticket));
      const answer = answers.get(ticket)!;
      answers.delete(ticket);
      if (answer instanceof ApplicationFailure) throw answer;
      return answer;
    },
    {
      validator: (d) => {
        const pending = reopened ?? getPendingPlanId();
        if (!Number.isInteger(d.planId)) throw new Error('planId must be an integer');
        if (pending === undefined) throw new Error(`plan ${d.planId} is not awaiting a decision: no plan is pending in this run`);
        if (d.planId !== pending) throw new Error(`plan ${d.planId} is not awaiting a decision here; plan ${pending} is`);
        if (decision) throw new Error(`a decision on plan ${decision.planId} is already being carried out`);
      },
    },
  );

  const next = async (planId: number, timeout: string | number): Promise<PlanDecision | undefined> => {
    const arrived = await condition(() => decision?.planId === planId, timeout);
    return arrived ? decision : undefined;
  };

  const carryOut = async (d: PlanDecision): Promise<DecisionResult> => {
    let result: DecisionResult;
    try {
      result = d.approve
        ? await bookkeeping.publishPlan({ planId: d.planId, by: d.by, note: d.note })
        : await bookkeeping.rejectPlan({ planId: d.planId, by: d.by, note: d.note });
    } catch (err) {
      // Histories from before the stale check end here with a failed workflow, as they did.
      if (!isStale(err) || !patched('stale-plan-refused')) throw err;
      // Refuse this approval only, and wait for another decision for the rest of the time.
      answers.set(current, ApplicationFailure.create({ message: err.cause.message, type: 'StalePlan', nonRetryable: true, details: err.cause.details ?? undefined }));
      decision = undefined;
      reopened = d.planId;
      const left = deadline?.planId === d.planId ? Math.max(0, deadline.at - Date.now()) : 0;
      const again = left > 0 ? await next(d.planId, left) : undefined;
      reopened = undefined;
      const timeout = deadline?.timeout ?? '0 ms';
      return carryOut(again ?? { planId: d.planId, approve: false, by: 'launchloop', note: expiredNote(timeout) });
    }
    // An expiry carried out with no Update in flight has nobody to answer.
    if (decision) answers.set(current, result);
    decision = undefined;
    return result;
  };

  return {
    /** Waits for the decision; undefined if the timeout passes first. */
    async next(planId: number, timeout: string): Promise<PlanDecision | undefined> {
      deadline = { planId, at: Date.now() + msToNumber(timeout), timeout };
      return next(planId, timeout);
    },
    /** Carries out an accepted decision and answers the waiting Update. */
    carryOut,
  };
}

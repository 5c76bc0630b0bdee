import { condition, setHandler } from '@temporalio/workflow';
import { decidePlanUpdate, type DecisionResult, type PlanDecision } from '../contracts/workflows.js';
import { bookkeeping } from './activity-proxies.js';

/**
 * The approve/reject Update shared by the loop and replan workflows. The validator rejects a
 * decision for a plan this workflow is not waiting on (nothing is written to history then);
 * an accepted decision returns only once the plan is published or rejected, so the API's
 * answer means it happened.
 */
export function planDecisions(getPendingPlanId: () => number | undefined) {
  let decision: PlanDecision | undefined;
  const outcomes = new Map<number, DecisionResult>();

  setHandler(
    decidePlanUpdate,
    async (d) => {
      decision = d;
      await condition(() => outcomes.has(d.planId));
      return outcomes.get(d.planId)!;
    },
    {
      validator: (d) => {
        const pending = getPendingPlanId();
        if (!Number.isInteger(d.planId)) throw new Error('planId must be an integer');
        if (pending === undefined) throw new Error(`plan ${d.planId} is not awaiting a decision: no plan is pending in this run`);
        if (d.planId !== pending) throw new Error(`plan ${d.planId} is not awaiting a decision here; plan ${pending} is`);
        if (decision) throw new Error(`a decision on plan ${decision.planId} is already being carried out`);
      },
    },
  );

  return {
    /** Waits for the decision; undefined if the timeout passes first. */
    async next(planId: number, timeout: string): Promise<PlanDecision | undefined> {
      const arrived = await condition(() => decision?.planId === planId, timeout);
      return arrived ? decision : undefined;
    },
    /** Carries out an accepted decision and answers the waiting Update. */
    async carryOut(d: PlanDecision): Promise<DecisionResult> {
      const result: DecisionResult = d.approve
        ? await bookkeeping.publishPlan({ planId: d.planId, by: d.by, note: d.note })
        : await bookkeeping.rejectPlan({ planId: d.planId, by: d.by, note: d.note });
      outcomes.set(d.planId, result);
      decision = undefined;
      return result;
    },
  };
}

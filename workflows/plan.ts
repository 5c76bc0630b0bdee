import type { PlanInput, PlanWorkflowResult } from '../contracts/workflows.js';
import { cpuHeavy } from './activity-proxies.js';
import { recordedRun } from './run-record.js';

/** Build a draft launch plan from a forecast set (the owner workflow waits for its approval). */
export async function planWorkflow(input: PlanInput): Promise<PlanWorkflowResult> {
  return recordedRun(
    'plan',
    input.scopeId,
    input.trigger,
    () =>
      cpuHeavy.buildLaunchPlan({
        scopeId: input.scopeId,
        forecastSetId: input.forecastSetId,
        parentPlanId: input.parentPlanId,
        runId: input.ownerWorkflowId,
        reason: input.reason,
        // Absent (not sent) without overrides, so the activity's input is what it always was.
        ...(input.ruleOverrides ? { ruleOverrides: input.ruleOverrides } : {}),
      }),
    (r) => ({ planId: r.planId, version: r.version, method: r.method, items: r.items, summary: r.summary }),
  );
}

import { executeChild, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { workflowIds } from '../contracts/ids.js';
import { expiredNote, LOOP_TIMING } from '../contracts/loop-timing.js';
import { runSearchAttributes, STAGE } from '../contracts/search-attributes.js';
import { replanStatusQuery, type ReplanInput, type ReplanStatus } from '../contracts/workflows.js';
import { bookkeeping } from './activity-proxies.js';
import { planDecisions } from './approval.js';
import { forecastWorkflow } from './forecast.js';
import { planWorkflow } from './plan.js';
import { recordedRun } from './run-record.js';

/**
 * A merchandiser's replan (e.g. before a promotion): fresh snapshot and forecast, a plan that
 * revises the published one (launched items and committed orders fixed), then approval.
 */
export async function replanWorkflow(input: ReplanInput): Promise<ReplanStatus> {
  const state: ReplanStatus = { scopeId: input.scopeId, stage: 'forecasting' };
  setHandler(replanStatusQuery, () => ({ ...state }));
  const decisions = planDecisions(() => (state.stage === 'awaiting-approval' ? state.planId : undefined));
  const enter = (stage: ReplanStatus['stage']) => {
    state.stage = stage;
    upsertSearchAttributes([{ key: STAGE, value: stage }]);
  };
  const { workflowId } = workflowInfo();
  // Children are named after the replan's Idempotency-Key: `plan/electronics/east/replan-<key>`.
  const childTag = `replan-${workflowId.split('/').pop()}`;
  const children = (kind: string) => ({ typedSearchAttributes: runSearchAttributes(input.scopeId, kind, input.trigger) });

  return recordedRun(
    'replan',
    input.scopeId,
    input.trigger,
    async () => {
      const snapshot = await bookkeeping.snapshotScope({ scopeId: input.scopeId });
      const forecast = await executeChild(forecastWorkflow, {
        workflowId: workflowIds.forecast(input.scopeId, childTag),
        args: [{ scopeId: input.scopeId, snapshotId: snapshot.snapshotId, horizonWeeks: input.horizonWeeks ?? LOOP_TIMING.horizonWeeks, trigger: input.trigger }],
        ...children('forecast'),
      });
      enter('planning');
      const parent = await bookkeeping.latestPublishedPlan({ scopeId: input.scopeId });
      const plan = await executeChild(planWorkflow, {
        workflowId: workflowIds.plan(input.scopeId, childTag),
        args: [
          {
            scopeId: input.scopeId,
            forecastSetId: forecast.forecastSetId,
            parentPlanId: parent.planId ?? undefined,
            ownerWorkflowId: workflowId,
            reason: `replan: ${input.reason} (requested by ${input.requestedBy})`,
            trigger: input.trigger,
            ...(input.ruleOverrides ? { ruleOverrides: input.ruleOverrides } : {}),
          },
        ],
        ...children('plan'),
      });
      state.planId = plan.planId;
      enter('awaiting-approval');
      const approvalTimeout = input.approvalTimeout ?? LOOP_TIMING.approvalTimeout;
      const decision =
        (await decisions.next(plan.planId, approvalTimeout)) ??
        ({ planId: plan.planId, approve: false, by: 'launchloop', note: expiredNote(approvalTimeout) } as const);
      if (decision.approve) enter('publishing');
      const outcome = await decisions.carryOut(decision);
      enter(outcome.status);
      return { ...state };
    },
    (r) => ({ planId: r.planId, stage: r.stage }),
  );
}

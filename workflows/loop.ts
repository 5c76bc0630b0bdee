import { msToNumber } from '@temporalio/common/lib/time.js';
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  executeChild,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  log,
} from '@temporalio/workflow';
import { workflowIds } from '../contracts/ids.js';
import { expiredNote, LOOP_TIMING } from '../contracts/loop-timing.js';
import { runSearchAttributes, STAGE } from '../contracts/search-attributes.js';
import {
  loopStatusQuery,
  replanRequestedSignal,
  salesObservedSignal,
  type LoopInput,
  type LoopStage,
  type LoopStatus,
  type Trigger,
} from '../contracts/workflows.js';
import { bookkeeping, cpuHeavy } from './activity-proxies.js';
import { planDecisions } from './approval.js';
import { forecastWorkflow } from './forecast.js';
import { planWorkflow } from './plan.js';
import { retrainWorkflow } from './retrain.js';
import { describeError } from './run-record.js';

/**
 * The long-running loop of one planning scope, one cycle per run:
 * retrain → forecast → plan → wait for approval → publish → monitor → adjust (replan the
 * remaining horizon) → continue-as-new. While monitoring, each sales batch runs the adjust
 * activity (launched items' curves updated from their sales, tracking signals, reorders); the
 * cycle replans early when a tracking signal is beyond the scope's limit, when nothing is
 * launched yet to judge the plan by, on a replan request, or when the feedback interval ends.
 * A stage that fails is recorded and retried on the next trigger instead of ending the loop.
 */
/** Workflows started before the adjust stage existed replan on any sales signal, without it. */
export const ADJUST_STAGE_PATCH = 'adjust-stage';

export async function planningLoopWorkflow(input: LoopInput): Promise<LoopStatus> {
  const iteration = input.iteration ?? 1;
  const horizonWeeks = input.horizonWeeks ?? LOOP_TIMING.horizonWeeks;
  const feedbackInterval = input.feedbackInterval ?? LOOP_TIMING.feedbackInterval;
  const approvalTimeout = input.approvalTimeout ?? LOOP_TIMING.approvalTimeout;
  const { workflowId } = workflowInfo();

  const state: LoopStatus = { scopeId: input.scopeId, stage: 'starting', iteration, replanRequests: 0 };
  let salesSignals = 0;
  /** Last sales week adjusted, in this run or one before it (continue-as-new carries it). */
  let adjustedThrough = input.adjustedThrough;
  const replanReasons: string[] = [];

  setHandler(loopStatusQuery, () => ({ ...state }));
  setHandler(salesObservedSignal, ({ throughWeek }) => {
    salesSignals++;
    state.salesObservedThrough = throughWeek;
  });
  setHandler(replanRequestedSignal, ({ reason, requestedBy }) => {
    state.replanRequests++;
    replanReasons.push(`${reason} (requested by ${requestedBy})`);
  });
  const decisions = planDecisions(() => state.pendingPlanId);

  const enter = (stage: LoopStage) => {
    state.stage = stage;
    upsertSearchAttributes([{ key: STAGE, value: stage }]);
    log.info('loop stage', { scopeId: input.scopeId, stage, iteration });
  };
  const childOptions = (kind: string, trigger: Trigger) => ({ typedSearchAttributes: runSearchAttributes(input.scopeId, kind, trigger) });
  // Children read as `retrain/electronics/east/cycle-3`, `plan/…/cycle-3-adjust` in the UI.
  const tag = (suffix: string) => `cycle-${iteration}${suffix}`;

  /** forecast → plan → decision → publish; returns false when the plan was rejected or expired. */
  const forecastPlanDecide = async (snapshotId: number, reason: string, trigger: Trigger, suffix: string): Promise<boolean> => {
    enter(suffix === '' ? 'forecasting' : 'adjusting');
    const forecast = await executeChild(forecastWorkflow, {
      workflowId: workflowIds.forecast(input.scopeId, tag(suffix)),
      args: [{ scopeId: input.scopeId, snapshotId, horizonWeeks, trigger }],
      ...childOptions('forecast', trigger),
    });
    state.lastForecastSetId = forecast.forecastSetId;
    if (suffix === '') enter('planning');
    const parent = await bookkeeping.latestPublishedPlan({ scopeId: input.scopeId });
    const plan = await executeChild(planWorkflow, {
      workflowId: workflowIds.plan(input.scopeId, tag(suffix)),
      args: [
        {
          scopeId: input.scopeId,
          forecastSetId: forecast.forecastSetId,
          parentPlanId: parent.planId ?? undefined,
          ownerWorkflowId: workflowId,
          reason,
          trigger,
        },
      ],
      ...childOptions('plan', trigger),
    });
    state.pendingPlanId = plan.planId;
    enter('awaiting-approval');
    const decision = await decisions.next(plan.planId, approvalTimeout);
    if (!decision) {
      await decisions.carryOut({ planId: plan.planId, approve: false, by: 'launchloop', note: expiredNote(approvalTimeout) });
      state.pendingPlanId = undefined;
      return false;
    }
    if (decision.approve) enter('publishing');
    const outcome = await decisions.carryOut(decision);
    state.pendingPlanId = undefined;
    if (outcome.status === 'published') state.publishedPlanId = plan.planId;
    return outcome.status === 'published';
  };

  /**
   * Until the cycle should replan: each new sales batch is adjusted once (a batch through a week
   * already adjusted, e.g. sent twice, changes nothing); the feedback interval runs from the start
   * of monitoring, so a steady stream of batches does not postpone the cycle's replan forever.
   */
  const monitor = async (): Promise<{ trigger: Trigger; reason: string }> => {
    const deadline = Date.now() + msToNumber(feedbackInterval);
    const seenReplans = state.replanRequests;
    // Batches that arrived while the cycle planned are adjusted too (they are deduplicated by week).
    let handledSales = 0;
    for (;;) {
      const left = deadline - Date.now();
      const woke = left > 0 && (await condition(() => salesSignals > handledSales || state.replanRequests > seenReplans, left));
      if (!woke)
        return {
          trigger: 'timer',
          reason: adjustedThrough === undefined ? `no sales feedback within ${feedbackInterval}` : `scheduled after ${feedbackInterval}, sales adjusted through ${adjustedThrough}`,
        };
      if (state.replanRequests > seenReplans) return { trigger: 'api', reason: replanReasons.slice(seenReplans).join('; ') };
      handledSales = salesSignals;
      const through = state.salesObservedThrough!;
      if (adjustedThrough !== undefined && through <= adjustedThrough) {
        log.info('sales batch already adjusted; nothing changes', { throughWeek: through, adjustedThrough });
        continue;
      }
      enter('adjusting');
      try {
        const summary = await cpuHeavy.adjustLaunchedItems({ scopeId: input.scopeId, throughWeek: through, runId: workflowId });
        adjustedThrough = through;
        state.lastAdjust = summary;
        state.lastError = undefined;
        if (summary.earlyReplan) return { trigger: 'sales-feedback', reason: `sales observed through ${through}; early replan: ${summary.earlyReplanReason}` };
        // Nothing launched: no tracking signal can judge the plan yet, so the batch replans as before.
        if (summary.launchedItems === 0) return { trigger: 'sales-feedback', reason: `sales observed through ${through}` };
      } catch (err) {
        state.lastError = describeError(err);
        log.warn('adjusting the sales batch failed; the next batch or the cycle retries', { error: state.lastError, throughWeek: through });
      }
      enter('monitoring');
    }
  };

  try {
    enter('retraining');
    const retrain = await executeChild(retrainWorkflow, {
      workflowId: workflowIds.retrain(input.scopeId, tag('')),
      args: [{ scopeId: input.scopeId, trigger: input.trigger }],
      ...childOptions('retrain', input.trigger),
    });
    state.lastModelId = retrain.championId ?? undefined;
    await forecastPlanDecide(retrain.snapshotId, `scheduled cycle ${iteration}`, input.trigger, '');
  } catch (err) {
    if (err instanceof ApplicationFailure && err.nonRetryable) throw err;
    state.lastError = describeError(err);
    log.warn('loop cycle failed; waiting for the next trigger', { error: state.lastError });
  }

  // Monitoring: adjust when sales arrive, a replan is requested, or the timer fires.
  enter('monitoring');
  let replan: { trigger: Trigger; reason: string };
  if (patched(ADJUST_STAGE_PATCH)) {
    replan = await monitor();
  } else {
    const seenSales = salesSignals;
    const seenReplans = state.replanRequests;
    const woke = await condition(() => salesSignals > seenSales || state.replanRequests > seenReplans, feedbackInterval);
    const trigger: Trigger = !woke ? 'timer' : state.replanRequests > seenReplans ? 'api' : 'sales-feedback';
    const reason = !woke
      ? `no sales feedback within ${feedbackInterval}`
      : state.replanRequests > seenReplans
        ? replanReasons.slice(seenReplans).join('; ')
        : `sales observed through ${state.salesObservedThrough}`;
    replan = { trigger, reason };
  }
  try {
    const snapshot = await bookkeeping.snapshotScope({ scopeId: input.scopeId });
    await forecastPlanDecide(snapshot.snapshotId, `adjust: ${replan.reason}`, replan.trigger, '-adjust');
    state.lastError = undefined;
  } catch (err) {
    if (err instanceof ApplicationFailure && err.nonRetryable) throw err;
    state.lastError = describeError(err);
    log.warn('adjust failed; the next cycle retries', { error: state.lastError });
  }

  await condition(allHandlersFinished);
  if (input.maxIterations !== undefined && iteration >= input.maxIterations) {
    enter('done');
    return state;
  }
  return continueAsNew<typeof planningLoopWorkflow>({ ...input, iteration: iteration + 1, ...(adjustedThrough !== undefined ? { adjustedThrough } : {}) });
}

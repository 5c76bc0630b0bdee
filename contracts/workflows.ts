/**
 * Contracts shared by workflows, workers, the API and the CLI: inputs, results, signals,
 * updates and queries. Workflow inputs carry ids, never data: series and plans stay in Postgres.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RuleOverrides } from './rule-overrides.js';

export type Trigger = 'demo' | 'api' | 'cli' | 'schedule' | 'sales-feedback' | 'timer' | 'test';

export interface LoopInput {
  scopeId: string;
  trigger: Trigger;
  /** Weeks ahead to forecast existing products (and launch curves of candidates). */
  horizonWeeks?: number;
  /** How long to wait for sales feedback before adjusting anyway (default LOOP_TIMING.feedbackInterval). */
  feedbackInterval?: string;
  /** How long a draft waits for a decision before it is rejected (default LOOP_TIMING.approvalTimeout). */
  approvalTimeout?: string;
  /** Loop iterations before continue-as-new keeps the history short. */
  iterationsPerRun?: number;
  /** Total iterations after which the loop ends (undefined: runs until cancelled). */
  maxIterations?: number;
  /** Carried across continue-as-new. */
  iteration?: number;
  /** Skip retraining when a champion model already exists (used by the adjust step). */
  skipRetrainIfChampion?: boolean;
  /** Last sales week the adjust stage has handled (carried across continue-as-new): a repeated batch changes nothing. */
  adjustedThrough?: string;
}

export interface RetrainInput {
  scopeId: string;
  trigger: Trigger;
}
export interface RetrainResult {
  snapshotId: number;
  modelId: number;
  version: number;
  promoted: boolean;
  /** The model that serves forecasts now; null when none does and the like-item baseline serves. */
  championId: number | null;
  metrics: Record<string, number>;
  backend: string;
  /** Why the model was or was not promoted (it must beat like-item and the champion on the same backtest). */
  decision?: string;
}

export interface ForecastInput {
  scopeId: string;
  snapshotId: number;
  horizonWeeks: number;
  trigger: Trigger;
  /** Series per forecast shard (default FORECAST_SHARDS.seriesPerShard). */
  seriesPerShard?: number;
}
export interface ForecastResult {
  forecastSetId: number;
  seriesForecast: number;
  seriesFailed: number;
  candidatesForecast: number;
  coldStartMethod: string;
  /** The audience stage's summary line (absent in runs before it existed). */
  audiences?: string;
}

export interface PlanInput {
  scopeId: string;
  forecastSetId: number;
  /** The published plan this one revises; launched items and committed orders stay fixed. */
  parentPlanId?: number;
  /** The workflow that will wait for the decision on this plan (the loop or a replan). */
  ownerWorkflowId: string;
  reason: string;
  trigger: Trigger;
  /** A replan's rule overrides for this plan only (contracts/rule-overrides.ts); stored with the plan. */
  ruleOverrides?: RuleOverrides;
}
export interface PlanWorkflowResult {
  planId: number;
  version: number;
  method: string;
  objective: number;
  items: number;
  summary: string;
}

export interface ReplanInput {
  scopeId: string;
  reason: string;
  requestedBy: string;
  trigger: Trigger;
  horizonWeeks?: number;
  /** How long the draft waits for a decision before it is rejected (default LOOP_TIMING.approvalTimeout). */
  approvalTimeout?: string;
  /**
   * Rules for this replan's plan only, checked before the start (API, CLI) and again by the plan
   * activity; the scope's stored rules are unchanged. Absent in histories written before it existed.
   */
  ruleOverrides?: RuleOverrides;
}

export type PlanDecision = { planId: number; approve: boolean; by: string; note?: string };
export interface DecisionResult {
  planId: number;
  status: 'published' | 'rejected';
}

export interface LoopStatus {
  scopeId: string;
  stage: LoopStage;
  iteration: number;
  pendingPlanId?: number;
  publishedPlanId?: number;
  lastForecastSetId?: number;
  lastModelId?: number;
  salesObservedThrough?: string;
  /** The adjust stage's last sales batch: what it updated, reordered and decided. */
  lastAdjust?: AdjustSummary;
  replanRequests: number;
  lastError?: string;
}

export type LoopStage =
  | 'starting'
  | 'retraining'
  | 'forecasting'
  | 'planning'
  | 'awaiting-approval'
  | 'publishing'
  | 'monitoring'
  | 'adjusting'
  | 'done';

export interface ReplanStatus {
  scopeId: string;
  stage: 'forecasting' | 'planning' | 'awaiting-approval' | 'publishing' | 'published' | 'rejected';
  planId?: number;
}

export const decidePlanUpdate = defineUpdate<DecisionResult, [PlanDecision]>('decidePlan');
export const salesObservedSignal = defineSignal<[{ throughWeek: string; rows?: number }]>('salesObserved');
export const replanRequestedSignal = defineSignal<[{ reason: string; requestedBy: string }]>('replanRequested');
export const loopStatusQuery = defineQuery<LoopStatus>('status');
export const replanStatusQuery = defineQuery<ReplanStatus>('status');

/**
 * What one adjust of the loop did for a sales batch (the adjust activity's result, in the loop's
 * history and its `status` query): curves of launched items updated from their sales, reorders
 * proposed, the largest tracking signal, and whether it calls for an early replan.
 */
export interface AdjustSummary {
  /** Last week of sales the batch covered; reorders are placed the week after (`orderWeek`). */
  throughWeek: string;
  orderWeek: string;
  launchedItems: number;
  curvesUpdated: number;
  /** The forecast set (method 'curve-update') holding the updated curves, when any. */
  curveSetId: number | null;
  /** Reorders of this order week (stored now or by an earlier run of the same batch). */
  reordersProposed: number;
  /** Of those, stored by this run (0 for a repeated batch). */
  reordersCreated: number;
  /** Of those, waiting for a merchandiser's approval (above the scope's reorderApprovalLimit). */
  reordersPending: number;
  /** The tracking signal furthest from 0 (signed: positive = curve too low), and its item. */
  maxTrackingSignal: number;
  maxTrackingSignalItem: string | null;
  trackingSignalLimit: number;
  /** A launched item's tracking signal is beyond the limit: replan the candidates not yet launched now. */
  earlyReplan: boolean;
  /** Why, in a merchandiser's words (names the items and their signals); the plan's reason repeats it. */
  earlyReplanReason?: string;
}

/**
 * Contracts shared by workflows, workers, the API and the CLI: inputs, results, signals,
 * updates and queries. Workflow inputs carry ids, never data: series and plans stay in Postgres.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

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
}
export interface ForecastResult {
  forecastSetId: number;
  seriesForecast: number;
  seriesFailed: number;
  candidatesForecast: number;
  coldStartMethod: string;
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

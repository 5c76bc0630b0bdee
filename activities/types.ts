/**
 * Activity contracts. Workflows import only these types (`proxyActivities<CpuActivities>`),
 * never the implementations, which live behind factories wired by the workers.
 */
import type { AdjustSummary, PlanWorkflowResult, RetrainResult, Trigger } from '../contracts/workflows.js';
import type { RuleOverrides } from '../contracts/rule-overrides.js';

/**
 * The methods K of a repository R as an activity factory needs them: query results as plain
 * arrays (a postgres RowList is one), so tests can pass in-memory fakes for the real repository.
 */
export type RepositoryPort<R, K extends keyof R> = {
  [M in K]: R[M] extends (...args: infer A) => Promise<infer T> ? (...args: A) => Promise<T extends ReadonlyArray<infer E> ? E[] : T> : R[M];
};

export interface RunRecord {
  workflowId: string;
  scopeId: string;
  kind: string;
  trigger: Trigger;
}

export interface CpuActivities {
  recordRunStarted(input: RunRecord): Promise<void>;
  recordRunFinished(input: { workflowId: string; status: 'completed' | 'failed' | 'cancelled'; detail?: Record<string, unknown>; error?: string }): Promise<void>;
  /** Validates the scope's data and fingerprints it; invalid data fails non-retryably. */
  snapshotScope(input: { scopeId: string }): Promise<{ snapshotId: number; salesThrough: string; series: number; candidates: number }>;
  createForecastSet(input: { scopeId: string; snapshotId: number; runId: string; horizonWeeks: number }): Promise<{ forecastSetId: number; startWeek: string }>;
  /** Forecasts every existing product series of the scope, fanned out over worker threads. */
  forecastScopeSeries(input: { forecastSetId: number }): Promise<{ seriesForecast: number; seriesFailed: number; models: Record<string, number> }>;
  /** How many shards the scope's series of a forecast set fan out into (about `seriesPerShard` each). */
  planForecastShards(input: { forecastSetId: number; seriesPerShard: number }): Promise<{ shards: number; series: number }>;
  /** Forecasts the series of one shard not stored yet; any CPU worker may run any shard. */
  forecastSeriesShard(input: { forecastSetId: number; shard: number; shards: number }): Promise<{ shard: number; series: number; forecast: number; skipped: number }>;
  /** Counts a set's stored product series into its summary, once every shard is done. */
  summariseSeriesForecasts(input: { forecastSetId: number }): Promise<{ seriesForecast: number; seriesFailed: number; models: Record<string, number> }>;
  buildLaunchPlan(input: { scopeId: string; forecastSetId: number; parentPlanId?: number; runId: string; reason: string; ruleOverrides?: RuleOverrides }): Promise<PlanWorkflowResult>;
  publishPlan(input: { planId: number; by: string; note?: string }): Promise<{ planId: number; status: 'published' }>;
  rejectPlan(input: { planId: number; by: string; note?: string }): Promise<{ planId: number; status: 'rejected' }>;
  latestPublishedPlan(input: { scopeId: string }): Promise<{ planId: number | null }>;
  /**
   * The adjust stage for one sales batch: launched items' curves updated from their sales,
   * tracking signals, reorders proposed into purchase_orders (idempotent per item and week).
   */
  adjustLaunchedItems(input: { scopeId: string; throughWeek: string; runId: string }): Promise<AdjustSummary>;
  /**
   * After the forecast: each candidate's launch audience (ranked customers, demand shares per
   * region and segment) from the scope's customer orders, stored with the forecast set; skipped
   * with a summary when the scope has none.
   */
  scoreLaunchAudiences(input: { forecastSetId: number }): Promise<AudienceStageResult>;
}

export interface AudienceStageResult {
  skipped: boolean;
  candidates: number;
  customers: number;
  orders: number;
  /** One line for the run's record and the Temporal UI: what was scored, or why nothing was. */
  summary: string;
}

export interface GpuActivities {
  /** Trains a cold-start LSTM challenger; heartbeats each epoch and resumes from checkpoints. */
  trainColdStartModel(input: { scopeId: string; snapshotId: number; runId: string }): Promise<Omit<RetrainResult, 'snapshotId'>>;
  /** Launch curves for every open candidate of the scope, from the champion (like-item fallback). */
  forecastCandidates(input: { forecastSetId: number }): Promise<{ candidatesForecast: number; method: string }>;
}

/**
 * The loop's use of the signals: given a forecast set's candidate curves, the cold-start context
 * they were forecast from and the stored signal weeks of the scope's items, fit the correction on
 * the scope's past launches and apply it to the candidates that have signals. Without any
 * candidate signals nothing is fitted and the very same series come back.
 */
import type { CandidateRow, ColdStartContext } from '../coldstart/index.js';
import { fitSignalAdjustment, type BandPoint } from './adjust.js';
import { pastLaunchExamples } from './examples.js';
import { adjustCandidateSeries } from './series.js';
import { summariseSignals, type SignalWeek } from './summary.js';

export interface PrelaunchSummary {
  /** Candidates whose curve the signals moved. */
  adjusted: number;
  /** Candidates with signals. */
  withSignals: number;
  /** Past launches the correction was fitted on. */
  examples: number;
  /** Measures calibrated (each recorded by enough past launches). */
  models: number;
}

export function correctWithSignals<S extends { seriesKey: string; params: Record<string, unknown>; error?: string; points: BandPoint[] }>(o: {
  series: S[];
  candidates: readonly CandidateRow[];
  context: ColdStartContext;
  signals: readonly SignalWeek[];
  horizon: number;
  /** Candidate attribute whose values group past launches (default the history's category column). */
  groupColumn?: string;
}): { series: S[]; summary?: PrelaunchSummary } {
  const summaries = summariseSignals(o.signals);
  const withSignals = o.candidates.filter((c) => summaries.has(c.itemId));
  if (withSignals.length === 0) return { series: o.series };
  const { history, items, schema } = o.context;
  const examples = pastLaunchExamples({ history, items, schema, horizon: o.horizon, signalsOf: (id) => summaries.get(id) });
  const model = fitSignalAdjustment(examples);
  const column = o.groupColumn ?? history.categoryColumn;
  const group = new Map(o.candidates.map((c) => [c.itemId, column ? String(c.attributes[column] ?? '') : '']));
  const out = adjustCandidateSeries({ series: o.series, signals: summaries, model, groupOf: (id) => group.get(id) });
  return {
    series: out.series,
    summary: { adjusted: out.adjusted.length, withSignals: withSignals.length, examples: model.examples, models: Math.max(0, model.calibrations.length - 1) },
  };
}

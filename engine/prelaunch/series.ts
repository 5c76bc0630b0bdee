/**
 * The correction applied to a forecast set's candidate curves. A series whose item has no
 * signals (or no fitted set it can use) is returned as the same object, so a scope without
 * signals stores exactly what it stored before.
 */
import { adjustBand, adjustmentFor, meanLevel, type BandPoint, type SignalAdjustmentModel } from './adjust.js';
import type { SignalSummary } from './summary.js';

interface Series {
  seriesKey: string;
  params: Record<string, unknown>;
  error?: string;
  points: BandPoint[];
}

export interface AdjustedSeries<S> {
  series: S[];
  /** Items whose curve moved, with the factor applied. */
  adjusted: Array<{ itemId: string; factor: number; measures: string[] }>;
}

export function adjustCandidateSeries<S extends Series>(o: {
  series: readonly S[];
  signals: ReadonlyMap<string, SignalSummary>;
  model: SignalAdjustmentModel;
  /** Each item's group (its category), as the examples were grouped. */
  groupOf?: (itemId: string) => string | undefined;
}): AdjustedSeries<S> {
  const adjusted: AdjustedSeries<S>['adjusted'] = [];
  const series = o.series.map((s) => {
    if (s.error || s.points.length === 0) return s;
    const a = adjustmentFor(o.model, o.signals.get(s.seriesKey), meanLevel(s.points.map((p) => p.mean)), o.groupOf?.(s.seriesKey));
    if (!a) return s;
    adjusted.push({ itemId: s.seriesKey, factor: a.factor, measures: a.measures });
    // The weights say how far the signals were trusted over the forecast (`base`).
    const weights = Object.fromEntries(Object.entries(a.weights).map(([k, w]) => [k, round4(w)]));
    const prelaunch = { factor: round4(a.factor), spread: round4(a.spread), measures: a.measures, weights, examples: o.model.examples };
    return { ...s, params: { ...s.params, prelaunch }, points: adjustBand(s.points, a) };
  });
  return { series, adjusted };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

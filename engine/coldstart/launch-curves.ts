/**
 * Launch curves for a scope's open candidates, as stored in a forecast set: from the champion
 * cold-start model when there is one and its curves are plausible, else from the like-item
 * baseline. Pure: the GPU activity loads the candidates, context and champion, and stores the
 * series.
 */
import { sdFromInterval80 } from '../math/index.js';
import { likeItemForecast, withBaselineIntervals } from './baselines.js';
import type { ColdStartContext } from './features.js';
import { predictColdStart, type TrainedModel } from './model/index.js';
import type { CandidateRow, LaunchForecast } from './types.js';

/** An open candidate as stored (fixed columns plus the catalogue's extra attributes). */
export interface StoredCandidate {
  id: string;
  category: string;
  subcategory: string;
  brand: string;
  price: number;
  attributes: Record<string, string | number>;
  earliestWeek: string;
}

/** One candidate's curve as a forecast-set series: mean with 80% and 95% bounds per step. */
export interface CandidateSeries {
  seriesKey: string;
  kind: 'candidate';
  model: string;
  params: Record<string, unknown>;
  error?: string;
  points: Array<{ step: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }>;
}

/** Curves are forecast for the first week each candidate could launch in this plan. */
export function candidateRows(candidates: StoredCandidate[], startWeek: string): CandidateRow[] {
  return candidates.map((c) => ({
    itemId: c.id,
    launchWeek: c.earliestWeek > startWeek ? c.earliestWeek : startWeek,
    attributes: { category: c.category, subcategory: c.subcategory, brand: c.brand, price: c.price, ...c.attributes },
  }));
}

/**
 * A model artifact can outlive the feature code it was trained with, or diverge: a launch
 * curve far above anything the scope ever sold is a broken model, not a forecast.
 */
export function implausible(points: LaunchForecast[], context: ColdStartContext): string | undefined {
  let maxWeekly = 0;
  for (const u of context.history.units) for (const v of u) if (v > maxWeekly) maxWeekly = v;
  const limit = 20 * Math.max(1, maxWeekly);
  const bad = points.find((p) => ![p.mean, p.p10, p.p90].every((v) => Number.isFinite(v) && v >= 0 && v <= limit));
  return bad ? `${bad.itemId} step ${bad.step}: mean ${bad.mean}, p10 ${bad.p10}, p90 ${bad.p90} (limit ${limit})` : undefined;
}

export function launchCurves(input: {
  candidates: CandidateRow[];
  context: ColdStartContext;
  champion?: { id: number; model: TrainedModel; metrics: Record<string, number> };
  horizon: number;
}): { method: string; series: CandidateSeries[]; championId: number | null; championRejected?: string } {
  const { candidates: rows, context, champion } = input;
  let method = 'lstm';
  let points = champion ? predictColdStart(champion.model, rows, context) : [];
  const insane = champion ? implausible(points, context) : undefined;
  if (!champion || insane) {
    // No trained model yet (first run, or training failed): the like-item baseline.
    method = insane ? 'like-item (champion failed sanity check)' : 'like-item';
    const curves = likeItemForecast({ history: context.history, items: context.items, schema: context.schema, candidates: rows, horizon: input.horizon });
    points = withBaselineIntervals(curves, rows.map((r) => r.itemId));
  }
  const byItem = new Map<string, LaunchForecast[]>();
  for (const p of points) byItem.set(p.itemId, [...(byItem.get(p.itemId) ?? []), p]);
  const series: CandidateSeries[] = rows.map((r) => {
    const pts = byItem.get(r.itemId) ?? [];
    if (pts.length === 0) return { seriesKey: r.itemId, kind: 'candidate', model: method, params: { refWeek: r.launchWeek }, error: 'no forecast produced', points: [] };
    return {
      seriesKey: r.itemId,
      kind: 'candidate',
      model: method === 'lstm' ? `coldstart-lstm #${champion!.id}` : method,
      params: { refWeek: r.launchWeek, ...(method === 'lstm' ? { modelId: champion!.id, ...errorSpreadOf(champion!.metrics) } : {}) },
      points: pts.map((p) => {
        // p10..p90 is the 80% interval; 95% bounds extrapolate its normal-equivalent spread.
        const sd = sdFromInterval80(p.p10, p.p90);
        return { step: p.step, mean: p.mean, lo80: p.p10, hi80: p.p90, lo95: Math.max(0, p.mean - 1.96 * sd), hi95: p.mean + 1.96 * sd };
      }),
    };
  });
  return { method, series, championId: champion?.id ?? null, ...(insane !== undefined ? { championRejected: insane } : {}) };
}

/** The champion's measured weekly error correlation, for the planner (absent for models trained before it was measured). */
function errorSpreadOf(metrics: Record<string, number>): { errorCorrelation?: number } {
  return Number.isFinite(metrics.errorCorrelation) ? { errorCorrelation: metrics.errorCorrelation } : {};
}

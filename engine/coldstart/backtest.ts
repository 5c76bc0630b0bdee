/**
 * The champion/challenger backtest: score any trained cold-start model on the same held-out
 * launches (the validation launches of the newest dataset), each model encoding them with its
 * own feature spec, so models trained on different snapshots compare on equal terms.
 */
import type { ColdStartContext, Samples } from './features.js';
import { addWeeks } from './history.js';
import type { CandidateRow } from './types.js';
import { predictColdStart, type TrainedModel } from '../lstm/coldstartModel.js';

export interface BacktestScore {
  /** Σ|forecast − actual| / Σ actual over observed launch weeks. */
  wape: number;
  /** Σ(forecast − actual) / Σ actual. */
  bias: number;
  launches: number;
}

/** The held-out launches of a prepared dataset as candidate rows, with their actual curves. */
export function heldOutLaunches(ctx: ColdStartContext, val: Samples, horizon: number) {
  const attrs = new Map(ctx.items.map((i) => [i.itemId, i.attributes]));
  const rows: CandidateRow[] = [];
  const actual = new Map<string, Array<number | undefined>>();
  for (let i = 0; i < val.n; i++) {
    const itemId = val.itemIds[i];
    rows.push({ itemId, attributes: attrs.get(itemId) ?? {}, launchWeek: addWeeks(ctx.history.start, val.week[i]) });
    actual.set(
      itemId,
      Array.from({ length: horizon }, (_, s) => (val.mask[i * horizon + s] > 0 ? val.target[i * horizon + s] * val.scale[i * horizon + s] : undefined)),
    );
  }
  return { rows, actual };
}

export function backtestModel(model: TrainedModel, ctx: ColdStartContext, launches: ReturnType<typeof heldOutLaunches>): BacktestScore {
  const forecast = predictColdStart(model, launches.rows, ctx);
  let absErr = 0;
  let err = 0;
  let total = 0;
  for (const f of forecast) {
    const a = launches.actual.get(f.itemId)?.[f.step - 1];
    if (a === undefined) continue;
    absErr += Math.abs(f.mean - a);
    err += f.mean - a;
    total += a;
  }
  return { wape: total > 0 ? absErr / total : Number.POSITIVE_INFINITY, bias: total > 0 ? err / total : 0, launches: launches.rows.length };
}

/**
 * The champion/challenger backtest: score any trained cold-start model on the same held-out
 * launches (the validation launches of the newest dataset), each model encoding them with its
 * own feature spec, so models trained on different snapshots compare on equal terms.
 */
import type { ColdStartContext, Samples } from './features.js';
import { addWeeks, weekDiff } from './history.js';
import type { CandidateRow, ItemRow, SalesRow } from './types.js';
import { predictColdStart, type TrainedModel } from './model/index.js';
import { estimateErrorCorrelation, type ErrorCorrelation } from '../demand/index.js';
import { sdFromInterval80 } from '../math/index.js';


export interface BacktestScore {
  /** Σ|forecast − actual| / Σ actual over observed launch weeks. */
  wape: number;
  /** Σ(forecast − actual) / Σ actual. */
  bias: number;
  launches: number;
  /** Weekly error correlation on the same launches (NaN when too few to measure). */
  errorSpread: ErrorCorrelation;
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

/**
 * Scores the model on the held-out launches (WAPE and bias of the mean over observed weeks) and
 * measures how its weekly errors add up over a launch (`errorSpread`: the correlation the
 * planner needs to turn weekly intervals into a coverage-period spread; sds from p10..p90).
 */
export function backtestModel(model: TrainedModel, ctx: ColdStartContext, launches: ReturnType<typeof heldOutLaunches>): BacktestScore {
  const forecast = predictColdStart(model, launches.rows, ctx);
  let absErr = 0;
  let err = 0;
  let total = 0;
  const byItem = new Map<string, { mean: number[]; sd: number[]; actual: number[] }>();
  for (const f of forecast) {
    const a = launches.actual.get(f.itemId)?.[f.step - 1];
    if (a === undefined) continue;
    absErr += Math.abs(f.mean - a);
    err += f.mean - a;
    total += a;
    const l = byItem.get(f.itemId) ?? byItem.set(f.itemId, { mean: [], sd: [], actual: [] }).get(f.itemId)!;
    l.mean.push(f.mean);
    l.sd.push(sdFromInterval80(f.p10, f.p90));
    l.actual.push(a);
  }
  return {
    wape: total > 0 ? absErr / total : Number.POSITIVE_INFINITY,
    bias: total > 0 ? err / total : 0,
    launches: launches.rows.length,
    errorSpread: estimateErrorCorrelation([...byItem.values()]),
  };
}

export interface TimeHonestSplit {
  /** Sales before the cut, of items first sold before it. */
  sales: SalesRow[];
  /** Items first sold before the cut (what an items file at the cut would hold). */
  items: ItemRow[];
  /** Items first sold in [cut, cut + launchWeeks), with their first sale week as launch week. */
  candidates: CandidateRow[];
  /** Their units from the launch week on, as far as the data reaches (at most `horizon` weeks). */
  truth: Map<string, number[]>;
}

/**
 * A rolling-origin split of one catalogue: the history is cut at `cut` (an ISO Monday), and the
 * items first sold in the `launchWeeks` weeks from the cut become candidates, scored on the weeks
 * of their launch curves that the data holds. Nothing after the cut reaches the history, so a
 * method scored on such splits is judged as it would be used: forecasting launches that follow.
 * Items first sold within `burnIn` weeks of the data start may predate the data and never count
 * as candidates.
 */
export function timeHonestSplit(o: {
  sales: SalesRow[];
  items: ItemRow[];
  cut: string;
  horizon: number;
  launchWeeks: number;
  burnIn?: number;
}): TimeHonestSplit {
  let start = o.sales[0]?.week ?? o.cut;
  let end = start;
  const first = new Map<string, string>();
  for (const r of o.sales) {
    if (r.week < start) start = r.week;
    if (r.week > end) end = r.week;
    if (r.units > 0) {
      const f = first.get(r.itemId);
      if (f === undefined || r.week < f) first.set(r.itemId, r.week);
    }
  }
  const lastLaunch = addWeeks(o.cut, o.launchWeeks - 1);
  const earliest = addWeeks(start, o.burnIn ?? 4);
  const items: ItemRow[] = [];
  const candidates: CandidateRow[] = [];
  const truth = new Map<string, number[]>();
  for (const it of o.items) {
    const f = first.get(it.itemId);
    if (f === undefined) continue;
    if (f < o.cut) items.push(it);
    else if (f <= lastLaunch && f >= earliest) {
      candidates.push({ ...it, launchWeek: f });
      const observed = Math.min(o.horizon, weekDiff(f, end) + 1);
      truth.set(it.itemId, new Array<number>(observed).fill(0));
    }
  }
  const known = new Set(items.map((i) => i.itemId));
  const sales: SalesRow[] = [];
  for (const r of o.sales) {
    if (r.week < o.cut) {
      if (known.has(r.itemId)) sales.push(r);
      continue;
    }
    const a = truth.get(r.itemId);
    if (!a) continue;
    const s = weekDiff(first.get(r.itemId)!, r.week);
    if (s >= 0 && s < a.length) a[s] += r.units;
  }
  return { sales, items, candidates, truth };
}

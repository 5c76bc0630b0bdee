/**
 * A scope's existing products as forecasting work: one request per product with a dense weekly
 * series, and each batch's results as the series a forecast set stores. Pure: the CPU activity
 * loads the sales, runs the batches on the thread pool and stores what comes back.
 */
import type { ForecastRequest, ForecastResult, ModelName } from '../forecast/index.js';
import { denseSeries } from './dense-series.js';

/** Intervals every product forecast carries (percent). */
export const PRODUCT_LEVELS = [80, 95];

/** A product's forecast as a forecast-set series (failed ones keep their error and no points). */
export interface ProductSeries {
  seriesKey: string;
  kind: 'product';
  model: string;
  params: Record<string, unknown>;
  backtest?: ForecastResult['backtest'];
  error?: string;
  points: Array<{ step: number; mean: number; lo80: number; hi80: number; lo95: number; hi95: number }>;
}

/**
 * One request per product with sales (rows ordered by week within a product), except those
 * already stored by an earlier attempt; `total` counts them all.
 */
export function productRequests(
  rows: Array<{ sku: string; week: string; units: number; stockout: boolean }>,
  o: { through: string; horizon: number; model: ModelName; done: Set<string> },
): { requests: ForecastRequest[]; total: number } {
  const bySku = new Map<string, Array<(typeof rows)[number]>>();
  for (const r of rows) {
    const list = bySku.get(r.sku);
    if (list) list.push(r);
    else bySku.set(r.sku, [r]);
  }
  const requests: ForecastRequest[] = [];
  for (const [sku, list] of bySku) {
    if (o.done.has(sku)) continue;
    requests.push({ id: sku, y: denseSeries(list, o.through).y, horizon: o.horizon, season: 52, model: o.model, levels: PRODUCT_LEVELS });
  }
  return { requests, total: bySku.size };
}

/** A batch's results, in request order, as stored series. */
export function productSeries(batch: ForecastRequest[], results: Array<{ ok: true; result: ForecastResult } | { ok: false; error: string }>): ProductSeries[] {
  return results.map((r, i) => {
    const key = batch[i].id!;
    if (!r.ok) return { seriesKey: key, kind: 'product', model: 'none', params: {}, error: r.error, points: [] };
    const f = r.result;
    return {
      seriesKey: key,
      kind: 'product',
      model: f.model,
      params: { ...f.params, ...(f.fallback ? { fallback: f.fallback } : {}) },
      backtest: f.backtest,
      points: f.mean.map((mean, s) => ({ step: s + 1, mean, lo80: f.lo['80'][s], hi80: f.hi['80'][s], lo95: f.lo['95'][s], hi95: f.hi['95'][s] })),
    };
  });
}

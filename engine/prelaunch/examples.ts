/**
 * Past launches as fitting examples: each launch with signals and a full horizon of sales in
 * the history, its forecast made as it would have been before it (the like-item baseline over
 * the launches before it, with only the weeks known then), and its actual mean weekly units.
 *
 * The like-item forecast is the reference because it can be made time-honestly for every past
 * launch at no cost; a trained model's in-sample forecasts of launches it learned from would
 * look better than its forecasts of new items, and the correction would come out too timid.
 */
import { addWeeks, likeItemForecast, type AttributeSchema, type History, type ItemRow } from '../coldstart/index.js';
import type { SignalExample } from './adjust.js';
import type { SignalSummary } from './summary.js';

export function pastLaunchExamples(o: {
  history: History;
  items: readonly ItemRow[];
  schema: AttributeSchema;
  horizon: number;
  /** The signals of an item of the history (by its id), if any. */
  signalsOf: (itemId: string) => SignalSummary | undefined;
  /** Like-item neighbours (default 10, as the loop's baseline). */
  k?: number;
  /**
   * The most recent launches with signals kept (default 500): each forecast ranks every earlier
   * launch, so a catalogue of thousands would cost seconds, and recent launches say more.
   */
  maxExamples?: number;
}): SignalExample[] {
  const h = o.history;
  const items = [...o.items];
  const attrs = new Map(items.map((i) => [i.itemId, i.attributes]));
  const out: SignalExample[] = [];
  const usable = h.launches.filter((l) => l.week + o.horizon <= h.weeks && o.signalsOf(h.itemIds[l.item]) !== undefined);
  // Launches are sorted by week: the last ones are the most recent.
  for (const l of usable.slice(-(o.maxExamples ?? 500))) {
    const itemId = h.itemIds[l.item];
    const signals = o.signalsOf(itemId)!;
    const candidate = { itemId, attributes: attrs.get(itemId) ?? {}, launchWeek: addWeeks(h.start, l.week) };
    const curve = likeItemForecast({ history: h, items, schema: o.schema, candidates: [candidate], horizon: o.horizon }, { k: o.k ?? 10, before: l.week }).get(itemId) ?? [];
    const forecast = curve.reduce((s, v) => s + v, 0) / o.horizon;
    if (!(forecast > 0)) continue;
    const weeks = Array.from({ length: o.horizon }, (_, s) => h.units[l.item][l.week + s]);
    const actual = weeks.reduce((s, v) => s + v, 0) / o.horizon;
    out.push({ itemId, forecast, actual, signals, group: h.category[l.item], weekly: { forecast: curve.slice(0, o.horizon), actual: weeks } });
  }
  return out;
}

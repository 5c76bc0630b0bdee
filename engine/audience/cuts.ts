/**
 * A launch-audience evaluation set cut from a history, built like audience-dev itself:
 * the orders before `cutoff`, the products first sold in [cutoff, cutoff + launchWeeks) as
 * candidates (with their attributes and first week), and who bought each in its first
 * `truthWeeks` weeks (clipped where the history ends). A method tuned on one cut has to hold on
 * the others: the rolling cut-offs the model's defaults were chosen on.
 */
import { addWeeks } from '../calendar/index.js';
import type { AudienceCandidate, AudienceItem, OrderRow, TruthRow } from './types.js';

export interface AudienceCut {
  orders: OrderRow[];
  candidates: AudienceCandidate[];
  truth: TruthRow[];
}

export function rollingCut(
  orders: readonly OrderRow[],
  items: readonly AudienceItem[],
  cutoff: string,
  launchWeeks: number,
  truthWeeks = 13,
): AudienceCut {
  const launchEnd = addWeeks(cutoff, launchWeeks);
  const first = new Map<string, string>();
  for (const o of orders) {
    const f = first.get(o.itemId);
    if (f === undefined || o.week < f) first.set(o.itemId, o.week);
  }
  const attrs = new Map(items.map((it) => [it.itemId, it]));
  const candidates: AudienceCandidate[] = [];
  for (const [itemId, week] of first) {
    const it = attrs.get(itemId);
    if (it && week >= cutoff && week < launchEnd) candidates.push({ ...it, launchWeek: week });
  }
  candidates.sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  const isCandidate = new Set(candidates.map((c) => c.itemId));
  const units = new Map<string, number>();
  for (const o of orders) {
    if (!isCandidate.has(o.itemId) || o.week >= addWeeks(first.get(o.itemId)!, truthWeeks)) continue;
    const key = `${o.itemId}\u0000${o.customerId}`;
    units.set(key, (units.get(key) ?? 0) + o.units);
  }
  const truth = [...units].map(([key, u]) => {
    const [itemId, customerId] = key.split('\u0000');
    return { itemId, customerId, units: u };
  });
  return { orders: orders.filter((o) => o.week < cutoff), candidates, truth };
}

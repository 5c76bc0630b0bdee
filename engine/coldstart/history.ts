/**
 * The sales history as a dense item × week panel, plus the launch events inside it and the
 * demand levels (shop, category, recent launches) that give a launch week its context.
 */
import type { AttributeSchema, ItemRow, SalesRow } from './types.js';

import { addWeeks, isoWeekOfYear, weeksBetween } from '../calendar/index.js';

export { addWeeks, isoWeekOfYear };
/** Whole weeks from `from` to `to`. */
export const weekDiff = weeksBetween;

export interface Launch {
  item: number;
  /** Week index of the first sale. */
  week: number;
}

export interface History {
  start: string;
  /** Number of weeks T (week indices 0..T-1). */
  weeks: number;
  itemIds: string[];
  itemIndex: Map<string, number>;
  /** units[item][week], zero where the file has no row. */
  units: Float32Array[];
  /** First week with sales, -1 when never sold. */
  firstSale: Int32Array;
  /** Category label per item ('' when unknown) from the category column. */
  category: string[];
  categoryColumn: string | undefined;
  shopTotal: Float64Array;
  /** Launches inside the history: first sale at or after `burnIn` (earlier first sales are left-censored). */
  launches: Launch[];
  horizon: number;
  /** Mean units per launch-week over all launches' first `horizon` weeks: the neutral level. */
  globalLaunchLevel: number;
}

export interface HistoryOptions {
  sales: SalesRow[];
  items: ItemRow[];
  schema: AttributeSchema;
  horizon: number;
  /** Weeks at the start whose first sales are not launches (the item may predate the data). Default 4. */
  burnIn?: number;
  /** Column naming the product type; default "category" when present, else the first categorical column. */
  categoryColumn?: string;
}

export function pickCategoryColumn(schema: AttributeSchema, requested?: string): string | undefined {
  if (requested) return requested;
  if (schema.kinds.category === 'categorical') return 'category';
  return schema.columns.find((c) => schema.kinds[c] === 'categorical');
}

export function buildHistory(o: HistoryOptions): History {
  if (o.sales.length === 0) throw new Error('the sales history is empty');
  let start = o.sales[0].week;
  let end = start;
  for (const r of o.sales) {
    if (r.week < start) start = r.week;
    if (r.week > end) end = r.week;
  }
  const T = weekDiff(start, end) + 1;
  const itemIds = o.items.map((i) => i.itemId);
  const itemIndex = new Map(itemIds.map((id, k) => [id, k]));
  // Items that sell but are missing from the items file still count towards shop totals.
  for (const r of o.sales)
    if (!itemIndex.has(r.itemId)) {
      itemIndex.set(r.itemId, itemIds.length);
      itemIds.push(r.itemId);
    }
  const units = itemIds.map(() => new Float32Array(T));
  const shopTotal = new Float64Array(T);
  for (const r of o.sales) {
    const w = weekDiff(start, r.week);
    units[itemIndex.get(r.itemId)!][w] += r.units;
    shopTotal[w] += r.units;
  }
  const firstSale = new Int32Array(itemIds.length).fill(-1);
  units.forEach((u, k) => {
    firstSale[k] = u.findIndex((v) => v > 0);
  });
  const categoryColumn = pickCategoryColumn(o.schema, o.categoryColumn);
  const byId = new Map(o.items.map((i) => [i.itemId, i]));
  const category = itemIds.map((id) => String(categoryColumn ? (byId.get(id)?.attributes[categoryColumn] ?? '') : ''));
  const burnIn = o.burnIn ?? 4;
  const launches: Launch[] = [];
  firstSale.forEach((w, item) => {
    if (w >= burnIn && byId.has(itemIds[item])) launches.push({ item, week: w });
  });
  launches.sort((a, b) => a.week - b.week || a.item - b.item);
  let num = 0;
  let den = 0;
  for (const l of launches)
    for (let s = 0; s < o.horizon && l.week + s < T; s++) {
      num += units[l.item][l.week + s];
      den++;
    }
  return {
    start,
    weeks: T,
    itemIds,
    itemIndex,
    units,
    firstSale,
    category,
    categoryColumn,
    shopTotal,
    launches,
    horizon: o.horizon,
    globalLaunchLevel: den > 0 ? num / den : 1,
  };
}

/**
 * Recent launch level at week t: mean units per launch-week of the launches in the `window`
 * weeks before t, counting only weeks before t (what was known then), shrunk towards the
 * history-wide launch level with `prior` pseudo-weeks so a quiet spell cannot give ~0.
 */
export function recentLaunchLevel(h: History, t: number, window = 13, prior = 30): number {
  let num = 0;
  let den = 0;
  for (const l of h.launches) {
    if (l.week >= t || l.week < t - window) continue;
    for (let w = l.week; w < Math.min(t, l.week + h.horizon, h.weeks); w++) {
      num += h.units[l.item][w];
      den++;
    }
  }
  return (num + prior * h.globalLaunchLevel) / (den + prior);
}

/** Shop units per week over [t-window, t-1] (clamped to the history). */
export function shopLevel(h: History, t: number, window = 4): number {
  let s = 0;
  let n = 0;
  for (let w = Math.max(0, t - window); w < Math.min(t, h.weeks); w++) {
    s += h.shopTotal[w];
    n++;
  }
  return n > 0 ? s / n : 0;
}

/**
 * Demand per active item over [t-window, t-1] of every value of one attribute (`groupOf[item]`,
 * any categorical column), relative to the shop's per-item demand in the same weeks (1 =
 * typical), shrunk towards 1 with `prior` pseudo item-weeks. Values with no active items map to
 * nothing (their shrunk level is 1).
 */
export function groupRelativeLevels(h: History, groupOf: readonly string[], t: number, window = 8, prior = 20): Map<string, number> {
  const sum = new Map<string, number>();
  const cnt = new Map<string, number>();
  let ss = 0;
  let sn = 0;
  const lo = Math.max(0, t - window);
  const hi = Math.min(t, h.weeks);
  for (let i = 0; i < h.itemIds.length; i++) {
    const f = h.firstSale[i];
    if (f < 0 || f >= hi) continue;
    const u = h.units[i];
    let s = 0;
    let n = 0;
    for (let w = Math.max(lo, f); w < hi; w++) {
      s += u[w];
      n++;
    }
    ss += s;
    sn += n;
    const g = groupOf[i] ?? '';
    sum.set(g, (sum.get(g) ?? 0) + s);
    cnt.set(g, (cnt.get(g) ?? 0) + n);
  }
  const out = new Map<string, number>();
  const shopPerItem = sn > 0 ? ss / sn : 1;
  if (!(shopPerItem > 0)) return out;
  for (const [g, s] of sum) out.set(g, (s + prior * shopPerItem) / (cnt.get(g)! + prior) / shopPerItem);
  return out;
}

/**
 * The history as it stood before week `weeks` (an inner cut): the same items and weeks
 * 0..weeks-1, launches and first sales only where they fall before the cut. Arrays are views
 * where possible; the result must be treated as read-only, like the history it comes from.
 */
export function truncateHistory(h: History, weeks: number): History {
  const T = Math.max(1, Math.min(h.weeks, Math.floor(weeks)));
  if (T === h.weeks) return h;
  const units = h.units.map((u) => u.subarray(0, T));
  const firstSale = h.firstSale.map((f) => (f >= 0 && f < T ? f : -1));
  const launches = h.launches.filter((l) => l.week < T);
  let num = 0;
  let den = 0;
  for (const l of launches)
    for (let s = 0; s < h.horizon && l.week + s < T; s++) {
      num += units[l.item][l.week + s];
      den++;
    }
  return {
    ...h,
    weeks: T,
    units,
    firstSale,
    shopTotal: h.shopTotal.subarray(0, T),
    launches,
    globalLaunchLevel: den > 0 ? num / den : 1,
  };
}

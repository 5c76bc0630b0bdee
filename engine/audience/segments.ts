/**
 * Customer segments from purchase histories, as of a cut-off.
 *
 * RFM: recency (weeks since the last purchase), frequency (weeks with a purchase) and value
 * (units × list price) are each scored 1..3 by terciles over the customers known at the cut-off
 * (3 = most recent / most frequent / highest value). The scores map to one of six classes:
 *   new         first purchase within the last `newCustomerWeeks` weeks
 *   champions   R = 3 and F = 3
 *   loyal       R >= 2 and F >= 2
 *   at-risk     R = 1 and F >= 2 (used to buy often, not lately)
 *   lapsed      R = 1 and F = 1
 *   occasional  the rest (recent but infrequent)
 * Category mix: each customer's three largest categories by share of value bought, and
 * `mixBreadth`, the effective number of categories (exp of the entropy of the value shares).
 */
import type { Snapshot } from './snapshot.js';

export const SEGMENTS = ['new', 'champions', 'loyal', 'at-risk', 'lapsed', 'occasional'] as const;
export type SegmentName = (typeof SEGMENTS)[number];

export interface CustomerSegment {
  customerId: string;
  country: string;
  segment: SegmentName;
  recency: 1 | 2 | 3;
  frequency: 1 | 2 | 3;
  value: 1 | 2 | 3;
  weeksSinceLast: number;
  activeWeeks: number;
  totalValue: number;
  topCategories: Array<{ category: string; share: number }>;
  mixBreadth: number;
}

/**
 * 1..3 by terciles of `x` over the known customers, by mid-rank: a value's position is the
 * share of customers below it plus half the share equal to it (so a value shared by many, e.g.
 * one active week, lands in the middle of its run), < 1/3 scores 1, < 2/3 scores 2, else 3.
 */
function terciles(x: Float64Array, known: Int32Array): (v: number) => 1 | 2 | 3 {
  const sorted = Float64Array.from(known, (c) => x[c]).sort();
  const bound = (v: number, orEqual: boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v || (orEqual && sorted[mid] === v)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (v) => {
    const position = (bound(v, false) + bound(v, true)) / 2 / sorted.length;
    return position < 1 / 3 ? 1 : position < 2 / 3 ? 2 : 3;
  };
}

export function segmentCustomers(s: Snapshot, newCustomerWeeks = 8): CustomerSegment[] {
  const h = s.h;
  const nc = h.customers.length;
  const negRecency = new Float64Array(nc);
  for (const c of s.known) negRecency[c] = -(s.cutoff - 1 - s.lastWeek[c]);
  const rScore = terciles(negRecency, s.known);
  const fScore = terciles(s.activeWeeks, s.known);
  const mScore = terciles(s.rawValue, s.known);
  // Value per (customer, category) over the whole history before the cut-off.
  const catValue = new Map<number, Map<number, number>>();
  const names = [...h.values.category.keys()];
  for (let k = 0; k < h.rowCustomer.length && h.rowWeek[k] < s.cutoff; k++) {
    const i = h.rowItem[k];
    const v = h.attr.category[i];
    if (v < 0 || !Number.isFinite(h.logPrice[i])) continue;
    const c = h.rowCustomer[k];
    let m = catValue.get(c);
    if (!m) catValue.set(c, (m = new Map()));
    m.set(v, (m.get(v) ?? 0) + h.rowUnits[k] * Math.exp(h.logPrice[i]));
  }
  const out: CustomerSegment[] = [];
  for (const c of s.known) {
    const r = rScore(negRecency[c]);
    const f = fScore(s.activeWeeks[c]);
    const m = mScore(s.rawValue[c]);
    let segment: SegmentName;
    if (s.firstWeek[c] >= s.cutoff - newCustomerWeeks) segment = 'new';
    else if (r === 3 && f === 3) segment = 'champions';
    else if (r >= 2 && f >= 2) segment = 'loyal';
    else if (r === 1 && f >= 2) segment = 'at-risk';
    else if (r === 1) segment = 'lapsed';
    else segment = 'occasional';
    const mix = [...(catValue.get(c) ?? new Map<number, number>())].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const total = mix.reduce((acc, [, x]) => acc + x, 0);
    let entropy = 0;
    for (const [, x] of mix) if (x > 0) entropy -= (x / total) * Math.log(x / total);
    out.push({
      customerId: h.customers[c],
      country: h.country[c],
      segment,
      recency: r,
      frequency: f,
      value: m,
      weeksSinceLast: s.cutoff - 1 - s.lastWeek[c],
      activeWeeks: s.activeWeeks[c],
      totalValue: s.rawValue[c],
      topCategories: mix.slice(0, 3).map(([v, x]) => ({ category: names[v], share: total > 0 ? x / total : 0 })),
      mixBreadth: total > 0 ? Math.exp(entropy) : 0,
    });
  }
  return out;
}

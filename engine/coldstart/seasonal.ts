/**
 * Demand-level multipliers for the weeks a launch curve covers, so targets can be expressed
 * relative to the shop's (and the item's attribute groups') demand at the time.
 *
 * log multiplier(w | ref) = [log shop(w) − mean log shop over the reference weeks]
 *                          + mean over categorical columns of [log share_g(w) − ref]
 * where shop(w) is the shop's 3-week smoothed weekly units and share_g(w) the smoothed share of
 * the item's group (its category, keyword, …) in them, shrunk towards the group's overall share.
 * Inside the history these are observed; for later weeks they come from the same week of
 * year in the history, and weeks of year the history never saw are interpolated linearly (in
 * logs, around the year) between the nearest seen ones — a seasonal profile, not a trend.
 */
import { addWeeks, isoWeekOfYear, type History } from './history.js';

const SMOOTH = 1; // half-width of the centred moving average (3 weeks)

function smooth(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    let s = 0;
    let n = 0;
    for (let j = Math.max(0, i - SMOOTH); j <= Math.min(a.length - 1, i + SMOOTH); j++) {
      s += a[j];
      n++;
    }
    out[i] = s / n;
  }
  return out;
}

/** log series by week of year (1..53), NaN-free: unseen weeks interpolated around the year. */
function byWeekOfYear(h: History, logs: Float64Array): Float64Array {
  const sum = new Float64Array(54);
  const cnt = new Float64Array(54);
  for (let w = 0; w < h.weeks; w++) {
    const y = isoWeekOfYear(addWeeks(h.start, w));
    sum[y] += logs[w];
    cnt[y]++;
  }
  const seen: number[] = [];
  for (let y = 1; y <= 53; y++) if (cnt[y] > 0) seen.push(y);
  const out = new Float64Array(54);
  for (let y = 1; y <= 53; y++) {
    if (cnt[y] > 0) {
      out[y] = sum[y] / cnt[y];
      continue;
    }
    // Nearest seen week of year before and after, cyclically over 53 weeks.
    let prev = seen[seen.length - 1];
    let next = seen[0];
    for (const s of seen) {
      if (s < y) prev = s;
      if (s > y) {
        next = s;
        break;
      }
    }
    const dPrev = (y - prev + 53) % 53 || 53;
    const dNext = (next - y + 53) % 53 || 53;
    out[y] = (dNext * (sum[prev] / cnt[prev]) + dPrev * (sum[next] / cnt[next])) / (dPrev + dNext);
  }
  return out;
}

interface Series {
  logs: Float64Array;
  woy: Float64Array;
}

export interface SeasonalOptions {
  /** Reference window length in weeks (the weeks before the launch level is measured). */
  refWeeks?: number;
  /** Pseudo-share weight towards a group's overall share (1 = equal weight to the data). */
  shrink?: number;
}

export class SeasonalIndex {
  private readonly shop: Series;
  private readonly groups = new Map<string, Series | undefined>();
  private readonly groupValues: Array<{ column: string; values: string[] }>;
  private readonly smoothedShop: Float64Array;
  private readonly refWeeks: number;
  private readonly shrink: number;
  /** Launch week per item index, -1 for items that are not launches inside the history. */
  private readonly launchWeek: Int32Array;

  constructor(
    private readonly h: History,
    attributesByItem: Array<Record<string, string | number> | undefined>,
    columns: string[],
    o: SeasonalOptions = {},
  ) {
    this.refWeeks = o.refWeeks ?? 8;
    this.launchWeek = new Int32Array(h.itemIds.length).fill(-1);
    for (const l of h.launches) this.launchWeek[l.item] = l.week;
    this.shrink = o.shrink ?? 1;
    this.smoothedShop = smooth(h.shopTotal);
    const logs = this.smoothedShop.map((v) => Math.log(v + 1));
    this.shop = { logs, woy: byWeekOfYear(h, logs) };
    this.groupValues = columns.map((column) => ({ column, values: attributesByItem.map((a) => String(a?.[column] ?? '')) }));
  }

  /** undefined for a value with no sales in the history (nothing to learn a profile from). */
  private group(column: string, value: string): Series | undefined {
    const key = `${column}\u0000${value}`;
    if (this.groups.has(key)) return this.groups.get(key);
    let s: Series | undefined;
    const gv = this.groupValues.find((g) => g.column === column);
    const tot = new Float64Array(this.h.weeks);
    if (gv) gv.values.forEach((v, i) => {
      if (v !== value) return;
      // A launch's own first weeks are left out: its sales would raise its group's share from
      // its launch on, and a target divided by a multiplier that contains it is biased low.
      const skipTo = this.launchWeek[i] >= 0 ? this.launchWeek[i] + this.h.horizon : -1;
      for (let w = 0; w < this.h.weeks; w++) if (w >= skipTo || w < this.launchWeek[i]) tot[w] += this.h.units[i][w];
    });
    const sm = smooth(tot);
    const all = sm.reduce((a, b) => a + b, 0);
    if (!(all > 0)) {
      this.groups.set(key, undefined);
      return undefined;
    }
    const shopAll = this.smoothedShop.reduce((a, b) => a + b, 0);
    const overall = shopAll > 0 ? all / shopAll : 0;
    // Shrunk share: a group with little volume keeps close to its overall share.
    const logs = sm.map((g, w) => {
      const shop = this.smoothedShop[w];
      const share = (g + this.shrink * overall * shop) / ((1 + this.shrink) * shop + 1e-9);
      return Math.log(share + 1e-6);
    });
    s = { logs, woy: byWeekOfYear(this.h, logs) };
    this.groups.set(key, s);
    return s;
  }

  private at(s: Series, w: number): number {
    if (w >= 0 && w < this.h.weeks) return s.logs[w];
    return s.woy[isoWeekOfYear(addWeeks(this.h.start, w))];
  }

  private ref(s: Series, refEnd: number): number {
    const end = Math.min(refEnd, this.h.weeks);
    const start = Math.max(0, end - this.refWeeks);
    let sum = 0;
    for (let w = start; w < end; w++) sum += s.logs[w];
    return end > start ? sum / (end - start) : s.logs[0];
  }

  /**
   * Demand multiplier at week `w` relative to the `refWeeks` weeks before `refEnd`, for an
   * item with these attributes (unseen attribute values fall back to the shop alone).
   */
  multiplier(attributes: Record<string, string | number>, w: number, refEnd: number): number {
    let lg = this.at(this.shop, w) - this.ref(this.shop, refEnd);
    let g = 0;
    let n = 0;
    for (const { column } of this.groupValues) {
      const s = this.group(column, String(attributes[column] ?? ''));
      // Unseen values carry no seasonal information; they must not dilute the known ones.
      if (!s) continue;
      g += this.at(s, w) - this.ref(s, refEnd);
      n++;
    }
    if (n > 0) lg += g / n;
    return Math.exp(lg);
  }
}

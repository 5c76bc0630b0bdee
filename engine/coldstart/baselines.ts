/**
 * Two transparent cold-start baselines the model must beat:
 * - like-item: the mean launch curve of the k most similar launches in the history (same
 *   category, nearest in log price, then other attributes), optionally rescaled by the recent
 *   launch level at the candidate's launch vs at theirs;
 * - category-share: the category's current weekly demand × the share of it a new item of the
 *   category has taken at launch, spread with the category's launch-curve shape.
 */
import { recentLaunchLevel, weekDiff, type History, type Launch } from './history.js';
import { Z90 } from '../math/index.js';
import type { AttributeSchema, CandidateRow, ItemRow, LaunchForecast } from './types.js';

export interface BaselineInput {
  history: History;
  items: ItemRow[];
  schema: AttributeSchema;
  candidates: CandidateRow[];
  horizon: number;
}

/** Per-step launch curve of one launch, NaN where the week lies beyond the history. */
export function launchCurve(h: History, l: Launch, horizon: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < horizon; s++) out.push(l.week + s < h.weeks ? h.units[l.item][l.week + s] : Number.NaN);
  return out;
}

/** Mean over curves per step, ignoring NaN (unobserved) entries; 0 where none observed. */
export function meanCurve(curves: number[][], horizon: number, weights?: number[]): number[] {
  const out: number[] = [];
  for (let s = 0; s < horizon; s++) {
    let sum = 0;
    let n = 0;
    curves.forEach((c, k) => {
      if (!Number.isNaN(c[s])) {
        const w = weights?.[k] ?? 1;
        sum += w * c[s];
        n += w;
      }
    });
    out.push(n > 0 ? sum / n : 0);
  }
  return out;
}

function priceColumn(schema: AttributeSchema): string | undefined {
  if (schema.kinds.price === 'numeric') return 'price';
  return schema.columns.find((c) => schema.kinds[c] === 'numeric');
}

function logPositive(v: unknown): number {
  return typeof v === 'number' && v > 0 ? Math.log(v) : Number.NaN;
}

export interface LikeItemOptions {
  k?: number;
  /** Rescale each neighbour's curve by (recent launch level at the candidate's launch) / (at its own). */
  scaleByLaunchLevel?: boolean;
  /** Distance added per differing categorical attribute other than the category (0 = price only). */
  attributePenalty?: number;
  /** Use only launches before this week index (time-honest features); default all. */
  before?: number;
}

/**
 * Like-item forecast for one item launching at week index `t` (may lie beyond the history).
 * Falls back to all launches when the category has fewer than k/2 of them.
 */
export function likeItemCurve(
  h: History,
  schema: AttributeSchema,
  attrsById: Map<string, Record<string, string | number>>,
  item: { attributes: Record<string, string | number> },
  t: number,
  horizon: number,
  o: LikeItemOptions = {},
): number[] {
  const k = o.k ?? 10;
  const pc = priceColumn(schema);
  const cat = h.categoryColumn ? String(item.attributes[h.categoryColumn] ?? '') : '';
  const pool = h.launches.filter((l) => o.before === undefined || l.week < o.before);
  let same = pool.filter((l) => h.category[l.item] === cat);
  if (same.length < Math.max(1, Math.floor(k / 2))) same = pool;
  const lp = pc ? logPositive(item.attributes[pc]) : Number.NaN;
  const others = schema.columns.filter((c) => schema.kinds[c] === 'categorical' && c !== h.categoryColumn);
  const penalty = o.attributePenalty ?? 0;
  const dist = (l: Launch): number => {
    const a = attrsById.get(h.itemIds[l.item]) ?? {};
    let d = pc ? Math.abs(logPositive(a[pc]) - lp) : 0;
    if (Number.isNaN(d)) d = 10;
    for (const c of others) if (a[c] !== item.attributes[c]) d += penalty;
    return d;
  };
  const ranked = same.map((l) => ({ l, d: dist(l) })).sort((x, y) => x.d - y.d || x.l.item - y.l.item);
  const nearest = ranked.slice(0, k).map((r) => r.l);
  const target = o.scaleByLaunchLevel ? recentLaunchLevel(h, Math.min(t, h.weeks)) : 1;
  const curves = nearest.map((l) => {
    const c = launchCurve(h, l, horizon);
    // Only weeks known before `before` count when features must be time-honest.
    if (o.before !== undefined) for (let s = 0; s < horizon; s++) if (l.week + s >= o.before) c[s] = Number.NaN;
    const f = o.scaleByLaunchLevel ? target / recentLaunchLevel(h, l.week) : 1;
    return c.map((v) => v * f);
  });
  return meanCurve(curves, horizon);
}

function candidateWeek(h: History, c: CandidateRow): number {
  return weekDiff(h.start, c.launchWeek);
}

export function likeItemForecast(input: BaselineInput, o: LikeItemOptions = {}): Map<string, number[]> {
  const attrs = new Map(input.items.map((i) => [i.itemId, i.attributes]));
  const out = new Map<string, number[]>();
  for (const c of input.candidates)
    out.set(c.itemId, likeItemCurve(input.history, input.schema, attrs, c, candidateWeek(input.history, c), input.horizon, o));
  return out;
}

export interface CategoryShareOptions {
  /** Weeks of category demand averaged for the level (before launch / before history end). */
  window?: number;
  /** Pseudo-launches of the shop-wide share/shape mixed into each category's (shrinkage). */
  prior?: number;
}

/** Mean weekly units of the category's items (other than `exclude`) over [t-window, t-1]. */
export function categoryWeeklyUnits(h: History, cat: string, t: number, window: number, exclude = -1): number {
  let s = 0;
  let n = 0;
  for (let w = Math.max(0, t - window); w < Math.min(t, h.weeks); w++) {
    for (let i = 0; i < h.itemIds.length; i++) if (i !== exclude && h.category[i] === cat) s += h.units[i][w];
    n++;
  }
  return n > 0 ? s / n : 0;
}

interface ShareStats {
  share: number;
  shape: number[];
  n: number;
}

/**
 * Category-share forecast: level = category's weekly units over the last `window` weeks of
 * the history × mean share (launch's mean weekly units in its observed first weeks ÷ its
 * category's weekly units before launch); shape = mean of launches' curves divided by their
 * own mean, so it averages to ~1. Categories with few launches borrow the shop-wide share and
 * shape through `prior` pseudo-launches.
 */
export function categoryShareForecast(input: BaselineInput, o: CategoryShareOptions = {}): Map<string, number[]> {
  const h = input.history;
  const H = input.horizon;
  const window = o.window ?? 8;
  const prior = o.prior ?? 2;
  // Shares are ratios of sums (Σ launch level / Σ category level), not means of ratios: a
  // launch into a nearly empty category would otherwise dominate with a huge ratio.
  const perCat = new Map<string, { num: number; den: number; n: number; shapes: number[][] }>();
  const all = { num: 0, den: 0, n: 0, shapes: [] as number[][] };
  for (const l of h.launches) {
    const curve = launchCurve(h, l, H);
    const obs = curve.filter((v) => !Number.isNaN(v));
    const m = obs.reduce((a, b) => a + b, 0) / obs.length;
    const cat = h.category[l.item];
    const level = categoryWeeklyUnits(h, cat, l.week, window, l.item);
    if (!(level > 0) || !(m > 0)) continue;
    let e = perCat.get(cat);
    if (!e) perCat.set(cat, (e = { num: 0, den: 0, n: 0, shapes: [] }));
    const shape = curve.map((v) => v / m);
    for (const acc of [e, all]) {
      acc.num += m;
      acc.den += level;
      acc.n++;
      acc.shapes.push(shape);
    }
  }
  const global: ShareStats = { share: all.den > 0 ? all.num / all.den : 0, shape: meanCurve(all.shapes, H), n: all.n };
  const stats = (cat: string): ShareStats => {
    const e = perCat.get(cat);
    if (!e) return global;
    const w = e.n / (e.n + prior);
    const shape = meanCurve(e.shapes, H).map((v, s) => w * v + (1 - w) * global.shape[s]);
    return { share: w * (e.num / e.den) + (1 - w) * global.share, shape, n: e.n };
  };
  const out = new Map<string, number[]>();
  for (const c of input.candidates) {
    const cat = h.categoryColumn ? String(c.attributes[h.categoryColumn] ?? '') : '';
    const st = stats(cat);
    const level = categoryWeeklyUnits(h, cat, h.weeks, window);
    const base = level > 0 ? level * st.share : 0;
    // A category with no current demand still gets the shop-wide launch level, not zero.
    const fallback = base > 0 ? base : h.globalLaunchLevel;
    out.set(c.itemId, st.shape.map((v) => v * fallback));
  }
  return out;
}

/**
 * Baseline curves as forecasts with intervals: a baseline gives a mean only, so the 80%
 * interval comes from a documented dispersion, sd = sqrt(mean + (0.6 mean)^2) (a Poisson floor
 * plus a coefficient of variation of 0.6), clipped at 0.
 */
export function withBaselineIntervals(curves: Map<string, number[]>, itemIds: string[]): LaunchForecast[] {
  return itemIds.flatMap((itemId) =>
    (curves.get(itemId) ?? []).map((mean, s) => {
      const sd = Math.sqrt(mean + (0.6 * mean) ** 2);
      return { itemId, step: s + 1, mean, p10: Math.max(0, mean - Z90 * sd), p90: mean + Z90 * sd };
    }),
  );
}

/**
 * Global median launch curve: per step, the median of every launch's units in that week of its
 * curve (weeks beyond the history left out), the same curve for every candidate. The data
 * README's simplest reference; zero-heavy launches make it low.
 */
export function globalMedianForecast(input: BaselineInput): Map<string, number[]> {
  const h = input.history;
  const curve: number[] = [];
  for (let s = 0; s < input.horizon; s++) {
    const v = h.launches.filter((l) => l.week + s < h.weeks).map((l) => h.units[l.item][l.week + s]).sort((a, b) => a - b);
    const m = v.length;
    curve.push(m === 0 ? 0 : m % 2 === 1 ? v[(m - 1) / 2] : (v[m / 2 - 1] + v[m / 2]) / 2);
  }
  return new Map(input.candidates.map((c) => [c.itemId, [...curve]]));
}

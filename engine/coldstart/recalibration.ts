/**
 * Post-hoc recalibration of launch curves on recent launches whose outcome is known before the
 * forecast is made: one multiplicative level and a conformal 10–90% band.
 *
 * Why: a cold-start forecaster learns curves relative to the launch level and seasonal
 * multipliers it can read from the history. Where those extrapolate badly (a season the
 * history has seen once or never, the shop's growth between the history and the launches, a
 * network shrinking towards the typical launch) every curve is off by a similar factor, and its
 * quantile band, centred on the wrong level, under-covers. Scoring the same forecaster on the
 * latest launches before the cut, each forecast as it would have been made then, measures that
 * factor and the spread of what is left:
 *
 * - level = exp(w · log(Σ actual / Σ forecast)) over the observed weeks (a ratio of totals: the
 *   quantity bias is measured on), with w = n / (n + prior) shrinking it towards 1 when few
 *   launches were scored, and clamped to [1/maxLevel, maxLevel];
 * - band: split-conformal on a log scale (Vovk et al. 2005; Romano et al. 2019's conformalised
 *   quantile regression, one side at a time): with c an offset for the many zero weeks,
 *   lower score  = log(level·lo + c) − log(actual + c),
 *   upper score  = log(actual + c) − log(level·hi + c),
 *   and each bound moved by its score's (1 − α/2) empirical quantile, so each side misses about
 *   α/2 of the weeks. `lo`/`hi` are the forecaster's own 10%/90% quantiles where it has them
 *   (the band keeps their item-to-item widths), or its mean (a band proportional to the level).
 */
import type { ColdStartContext } from './features.js';
import { addWeeks, recentLaunchLevel, shopLevel, truncateHistory } from './history.js';
import { SeasonalIndex } from './seasonal.js';
import type { CandidateRow, LaunchForecast } from './types.js';

export interface CalibrationLaunch {
  /** Per step: the forecaster's mean, and its own lower/upper quantiles (the mean where it has none). */
  mean: readonly number[];
  lo?: readonly number[];
  hi?: readonly number[];
  /** Per step: what sold, undefined where the week was not observed yet. */
  actual: ReadonlyArray<number | undefined>;
}

export interface Recalibration {
  /** Multiplier on the forecaster's mean and quantiles. */
  level: number;
  /** Log-scale shift of the lower bound downwards (negative: upwards). */
  lowerShift: number;
  /** Log-scale shift of the upper bound upwards (negative: downwards). */
  upperShift: number;
  /** Offset (units) added before taking logs. */
  offset: number;
  /** Launches and observed weeks it was fitted on. */
  launches: number;
  weeks: number;
  /** Σ forecast / Σ actual − 1 on those weeks before the level (the bias it corrects). */
  rawBias: number;
}

export interface RecalibrationOptions {
  /** Nominal coverage of the band. Default 0.8 (10–90%). */
  coverage?: number;
  /** Pseudo-launches pulling the level towards 1. Default 20. */
  prior?: number;
  /** Largest factor either way. Default 4. */
  maxLevel?: number;
  /** Offset in units for the log scores. Default 1. */
  offset?: number;
}

/** The identity: forecasts as they are (no launches to learn from). */
const NO_RECALIBRATION: Recalibration = { level: 1, lowerShift: 0, upperShift: 0, offset: 1, launches: 0, weeks: 0, rawBias: 0 };

/** The k-th order statistic at level p (the conformal ⌈p(n+1)⌉-th smallest, capped at n). */
function conformalQuantile(scores: number[], p: number): number {
  const s = [...scores].sort((a, b) => a - b);
  const k = Math.min(s.length, Math.max(1, Math.ceil(p * (s.length + 1))));
  return s[k - 1];
}

export function fitRecalibration(launches: readonly CalibrationLaunch[], o: RecalibrationOptions = {}): Recalibration {
  const coverage = o.coverage ?? 0.8;
  const prior = o.prior ?? 20;
  const maxLevel = o.maxLevel ?? 4;
  const c = o.offset ?? 1;
  let sumF = 0;
  let sumA = 0;
  let weeks = 0;
  let n = 0;
  for (const l of launches) {
    let seen = false;
    l.actual.forEach((a, s) => {
      if (a === undefined || !Number.isFinite(l.mean[s])) return;
      sumF += l.mean[s];
      sumA += a;
      weeks++;
      seen = true;
    });
    if (seen) n++;
  }
  if (weeks === 0 || !(sumA > 0) || !(sumF > 0)) return { ...NO_RECALIBRATION, offset: c, launches: n, weeks, rawBias: sumA > 0 ? sumF / sumA - 1 : 0 };
  const w = n / (n + prior);
  const level = Math.min(maxLevel, Math.max(1 / maxLevel, Math.exp(w * Math.log(sumA / sumF))));
  const lower: number[] = [];
  const upper: number[] = [];
  for (const l of launches)
    l.actual.forEach((a, s) => {
      if (a === undefined || !Number.isFinite(l.mean[s])) return;
      const lo = Math.max(0, l.lo?.[s] ?? l.mean[s]) * level;
      const hi = Math.max(0, l.hi?.[s] ?? l.mean[s]) * level;
      lower.push(Math.log(lo + c) - Math.log(a + c));
      upper.push(Math.log(a + c) - Math.log(hi + c));
    });
  const tail = 1 - (1 - coverage) / 2;
  return {
    level,
    lowerShift: conformalQuantile(lower, tail),
    upperShift: conformalQuantile(upper, tail),
    offset: c,
    launches: n,
    weeks,
    rawBias: sumF / sumA - 1,
  };
}

/** One step's recalibrated mean and band from the forecaster's mean and quantiles (lo/hi default to the mean). */
export function recalibrate(r: Recalibration, mean: number, lo = mean, hi = mean): { mean: number; p10: number; p90: number } {
  const c = r.offset;
  const m = Math.max(0, mean) * r.level;
  const p10 = Math.max(0, (Math.max(0, lo) * r.level + c) * Math.exp(-r.lowerShift) - c);
  const p90 = Math.max(0, (Math.max(0, hi) * r.level + c) * Math.exp(r.upperShift) - c);
  // The mean stays inside its own band: the shifts are fitted on weeks, not on the mean.
  return { mean: m, p10: Math.min(p10, m), p90: Math.max(p90, m) };
}

/** The context of `ctx` as it stood before week index `cut` (see truncateHistory). */
function contextAt(ctx: ColdStartContext, cut: number): ColdStartContext {
  return { ...ctx, history: truncateHistory(ctx.history, cut) };
}

/**
 * The launches of weeks [from, to) inside the history as candidates of the context cut at
 * `from`, with what they sold in the weeks before the history's end (undefined after it).
 */
export function launchesSince(ctx: ColdStartContext, from: number, to = ctx.history.weeks): { context: ColdStartContext; rows: CandidateRow[]; actual: Map<string, Array<number | undefined>> } {
  const h = ctx.history;
  const attrs = new Map(ctx.items.map((i) => [i.itemId, i.attributes]));
  const rows: CandidateRow[] = [];
  const actual = new Map<string, Array<number | undefined>>();
  for (const l of h.launches) {
    if (l.week < from || l.week >= to) continue;
    const itemId = h.itemIds[l.item];
    rows.push({ itemId, attributes: attrs.get(itemId) ?? {}, launchWeek: addWeeks(h.start, l.week) });
    actual.set(
      itemId,
      Array.from({ length: h.horizon }, (_, s) => (l.week + s < h.weeks ? h.units[l.item][l.week + s] : undefined)),
    );
  }
  return { context: contextAt(ctx, from), rows, actual };
}

/** A forecaster as the recalibration sees it: launch curves for candidates from a context. */
export type LaunchForecaster = (context: ColdStartContext, candidates: CandidateRow[]) => LaunchForecast[];

export interface InnerCutOptions extends RecalibrationOptions {
  /** Inner cuts, counted back from the history's end. Default 2. */
  cuts?: number;
  /** Weeks between inner cuts (and launches scored per cut). Default 8. */
  spacing?: number;
  /** Launches an inner cut's history must hold for the forecaster to be run there. Default 20. */
  minLaunches?: number;
}

/** The calibration launches of inner cuts T − k·spacing (k = 1..cuts), each forecast from its cut. */
export function innerCutLaunches(ctx: ColdStartContext, forecaster: LaunchForecaster, o: InnerCutOptions = {}): CalibrationLaunch[] {
  const h = ctx.history;
  const spacing = o.spacing ?? 8;
  const out: CalibrationLaunch[] = [];
  for (let k = 1; k <= (o.cuts ?? 2); k++) {
    const from = h.weeks - k * spacing;
    if (from <= 0) break;
    const { context, rows, actual } = launchesSince(ctx, from, from + spacing);
    if (rows.length === 0 || context.history.launches.length < (o.minLaunches ?? 20)) continue;
    out.push(...calibrationLaunchesOf(forecaster(context, rows), actual));
  }
  return out;
}

/** Pairs a forecaster's points with the actual curves, per launch. */
export function calibrationLaunchesOf(points: readonly LaunchForecast[], actual: ReadonlyMap<string, ReadonlyArray<number | undefined>>): CalibrationLaunch[] {
  const byItem = new Map<string, { mean: number[]; lo: number[]; hi: number[] }>();
  for (const p of points) {
    let e = byItem.get(p.itemId);
    if (!e) byItem.set(p.itemId, (e = { mean: [], lo: [], hi: [] }));
    e.mean[p.step - 1] = p.mean;
    e.lo[p.step - 1] = p.p10;
    e.hi[p.step - 1] = p.p90;
  }
  const out: CalibrationLaunch[] = [];
  for (const [id, a] of actual) {
    const e = byItem.get(id);
    if (e) out.push({ ...e, actual: a });
  }
  return out;
}

/** Applies a recalibration to a forecaster's points (mean, quantiles, point forecast). */
export function recalibratePoints(r: Recalibration, points: readonly LaunchForecast[]): LaunchForecast[] {
  return points.map((p) => {
    const { mean, p10, p90 } = recalibrate(r, p.mean, p.p10, p.p90);
    return {
      ...p,
      mean,
      p10,
      p90,
      ...(p.p50 !== undefined ? { p50: p.p50 * r.level } : {}),
      ...(p.point !== undefined ? { point: p.point * r.level } : {}),
    };
  });
}

/**
 * Demand levels known at the end of a context's history, each relative to what a forecaster that
 * copies the history's launches (like-item) assumes: candidates for a multiplicative level on
 * launches of the weeks after it. Measured per rolling cut (bench:coldstart --level-evidence;
 * docs/gpu.md): none brings the bias within 0.15 in most cuts, so none is applied.
 */
export interface HistoryLevels {
  /** Units per launch-week of the launches of the last 13 weeks over those of all the history's launches. */
  recentLaunches: number;
  /** The shop's weekly units over its last 8 weeks over its mean in the weeks the history's launches sold in. */
  shopTrend: number;
  /**
   * shopTrend times the shop's week-of-year profile over the `span` weeks after the history
   * against its last 8 weeks (SeasonalIndex: weeks of the year the history has not seen are
   * interpolated around the year).
   */
  shopTrendSeason: number;
}

export function historyLevels(ctx: ColdStartContext, span: number): HistoryLevels {
  const h = ctx.history;
  const T = h.weeks;
  let shopThen = 0;
  let n = 0;
  for (const l of h.launches)
    for (let w = l.week; w < Math.min(T, l.week + h.horizon); w++) {
      shopThen += h.shopTotal[w];
      n++;
    }
  const shopTrend = n > 0 && shopThen > 0 ? shopLevel(h, T, 8) / (shopThen / n) : 1;
  const season = new SeasonalIndex(h, [], []);
  let lg = 0;
  for (let w = T; w < T + span; w++) lg += Math.log(season.multiplier({}, w, T));
  return {
    recentLaunches: recentLaunchLevel(h, T, 13) / h.globalLaunchLevel,
    shopTrend,
    shopTrendSeason: shopTrend * Math.exp(span > 0 ? lg / span : 0),
  };
}

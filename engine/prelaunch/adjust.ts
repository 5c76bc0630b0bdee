/**
 * A multiplicative correction of a cold-start forecast from pre-launch interest, learned on past
 * launches that had both signals and a forecast made before them:
 *
 *   log(actual / forecast) = a + Σ_m b_m · log(signal_m / forecast)       (per-week means, +0.5)
 *
 * One ridge regression per set of measures (the slopes shrunk towards 0, the intercept free),
 * each on the past launches that recorded all of its measures, plus an intercept shift per group
 * (the category: how browsed a category is per unit sold differs), the group's mean residual
 * shrunk towards 0 with `groupPrior` pseudo-launches. An item uses, among the fitted
 * sets its own measures cover, the one with the smallest leave-one-out error relative to the
 * no-signal error on the same launches; an item with no usable set, or no signals, keeps its
 * forecast unchanged. b = 1 trusts the signal alone, b = 0 the forecast alone; the fit decides.
 *
 * The level moves by exp(prediction) times a mean correction measured on the examples (Σ actual /
 * Σ corrected forecast: the forecasts are means, a log fit gives medians), and the interval's
 * half-widths by the same factor times sqrt((σ² + w²) / (σ₀² + w²)): σ and σ₀ the spreads of
 * the level with and without the signals, w² the weekly variance the level does not explain, so
 * a weekly band narrows only by the share of its width the signals remove.
 */
import { SIGNAL_MEASURES, type SignalMeasure, type SignalSummary } from './summary.js';

/** One past launch for fitting: its forecast and actual mean weekly units over the horizon, and its signals. */
export interface SignalExample {
  itemId: string;
  forecast: number;
  actual: number;
  signals: SignalSummary;
  /** The launch's category (or any group whose signal-to-sales scale differs). */
  group?: string;
  /** Weekly forecast and actual units (same length): measures the week-to-week error the level cannot fix. */
  weekly?: { forecast: number[]; actual: number[] };
}

export interface AdjustmentOptions {
  /** Ridge penalty on each slope, in squared log units summed over examples. Default 2. */
  ridge?: number;
  /**
   * Fewest examples per fitted set: max(minExamples, 5 × (measures + 1)). Default 30: a scope
   * has tens of past launches with signals, and a set fitted on fewer overfits (bench:prelaunch).
   */
  minExamples?: number;
  /** Pseudo-launches shrinking each group's intercept shift towards 0. Default 5. */
  groupPrior?: number;
}

export interface SubsetModel {
  measures: SignalMeasure[];
  intercept: number;
  slopes: number[];
  /** Intercept shift per group (absent group: 0). */
  groupOffsets: Record<string, number>;
  /**
   * log of Σ actual / Σ forecast·exp(prediction) over the examples: turns the fitted median
   * ratio into a mean one (a ratio of sums, so large launches weigh as they do in WAPE and bias).
   */
  meanShift: number;
  /** Leave-one-out residual sd of log(actual / forecast) with the signals. */
  sigma: number;
  /** The same without them (intercept only), on the same launches. */
  sigma0: number;
  examples: number;
}

/** The fitted correction: plain data, serialisable into a forecast set's params. */
export interface SignalAdjustmentModel {
  models: SubsetModel[];
  examples: number;
  /**
   * Variance of the weekly log error left once a forecast's level is right (its shape and the
   * weekly noise): the part of a weekly interval the signals cannot narrow. 0 when unmeasured.
   */
  weeklyVariance: number;
}

export interface ItemAdjustment {
  /** Multiplier of the forecast level. */
  factor: number;
  /** Multiplier of the interval half-widths after the level factor (≤ 1). */
  spread: number;
  measures: SignalMeasure[];
  /** Predicted log(actual / forecast) before the log-normal mean correction. */
  logRatio: number;
}

const OFFSET = 0.5;
const logRatio = (num: number, den: number) => Math.log((Math.max(0, num) + OFFSET) / (Math.max(0, den) + OFFSET));

export function fitSignalAdjustment(examples: readonly SignalExample[], o: AdjustmentOptions = {}): SignalAdjustmentModel {
  const ridge = o.ridge ?? 2;
  const minExamples = o.minExamples ?? 30;
  const prior = o.groupPrior ?? 5;
  const usable = examples.filter((e) => Number.isFinite(e.forecast) && Number.isFinite(e.actual) && e.forecast > 0 && e.actual >= 0);
  const models: SubsetModel[] = [];
  // Every non-empty subset of the four measures (15), in a fixed order.
  for (let mask = 1; mask < 1 << SIGNAL_MEASURES.length; mask++) {
    const measures = SIGNAL_MEASURES.filter((_, k) => mask & (1 << k));
    const rows = usable.filter((e) => measures.every((m) => e.signals[m] !== undefined));
    if (rows.length < Math.max(minExamples, 5 * (measures.length + 1))) continue;
    const X = rows.map((e) => [1, ...measures.map((m) => logRatio(e.signals[m]!, e.forecast))]);
    const y = rows.map((e) => logRatio(e.actual, e.forecast));
    const fit = ridgeLoo(X, y, ridge);
    if (!fit) continue;
    const groups = groupShifts(rows.map((e) => e.group ?? ''), fit.residuals, fit.looResiduals, prior);
    const sigma0 = interceptLoo(y);
    let num = 0;
    let den = 0;
    rows.forEach((e, i) => {
      num += e.actual;
      den += e.forecast * Math.exp(y[i] - fit.residuals[i] + (groups.offsets[e.group ?? ''] ?? 0));
    });
    const meanShift = num > 0 && den > 0 ? Math.log(num / den) : 0;
    models.push({ measures, intercept: fit.beta[0], slopes: fit.beta.slice(1), groupOffsets: groups.offsets, meanShift, sigma: groups.looSd, sigma0, examples: rows.length });
  }
  return { models, examples: usable.length, weeklyVariance: weeklyVariance(usable) };
}

/** Mean squared weekly log error of the examples' forecasts rescaled to their actual level. */
function weeklyVariance(examples: readonly SignalExample[]): number {
  let sse = 0;
  let n = 0;
  for (const e of examples) {
    const w = e.weekly;
    if (!w || w.forecast.length !== w.actual.length || !(e.forecast > 0)) continue;
    const scale = e.actual / e.forecast;
    for (let s = 0; s < w.actual.length; s++) {
      const r = logRatio(w.actual[s], w.forecast[s] * scale);
      sse += r * r;
      n++;
    }
  }
  return n > 0 ? sse / n : 0;
}

/**
 * The correction for one item with forecast level `forecast` (mean weekly units over the
 * horizon), or undefined when it has no signals or no fitted set helps.
 */
export function adjustmentFor(model: SignalAdjustmentModel, signals: SignalSummary | undefined, forecast: number, group?: string): ItemAdjustment | undefined {
  if (!signals || !(forecast > 0) || !Number.isFinite(forecast)) return undefined;
  let best: SubsetModel | undefined;
  for (const m of model.models) {
    if (!(m.sigma < m.sigma0) || !m.measures.every((k) => signals[k] !== undefined)) continue;
    if (!best || m.sigma / m.sigma0 < best.sigma / best.sigma0) best = m;
  }
  if (!best) return undefined;
  let pred = best.intercept + (best.groupOffsets[group ?? ''] ?? 0);
  best.measures.forEach((k, j) => (pred += best.slopes[j] * logRatio(signals[k]!, forecast)));
  const factor = Math.exp(pred + best.meanShift);
  if (!Number.isFinite(factor)) return undefined;
  const w2 = model.weeklyVariance;
  const spread = Math.min(1, Math.sqrt((best.sigma ** 2 + w2) / (best.sigma0 ** 2 + w2)));
  return { factor, spread, measures: best.measures, logRatio: pred };
}

/** A forecast point with an 80% and a 95% interval, as forecast sets store candidate curves. */
export interface BandPoint {
  step: number;
  mean: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

/** Scales a curve's level by `factor` and its half-widths by `factor × spread`, bounds kept ≥ 0. */
export function adjustBand<P extends BandPoint>(points: readonly P[], a: Pick<ItemAdjustment, 'factor' | 'spread'>): P[] {
  const w = a.factor * a.spread;
  return points.map((p) => {
    const mean = p.mean * a.factor;
    return {
      ...p,
      mean,
      lo80: Math.max(0, mean - (p.mean - p.lo80) * w),
      hi80: mean + (p.hi80 - p.mean) * w,
      lo95: Math.max(0, mean - (p.mean - p.lo95) * w),
      hi95: mean + (p.hi95 - p.mean) * w,
    };
  });
}

/** Mean of the steps' means: the forecast level the correction is fitted on. */
export function meanLevel(values: readonly number[]): number {
  return values.length > 0 ? values.reduce((s, v) => s + v, 0) / values.length : 0;
}

/** Ridge fit (no penalty on column 0) with leave-one-out residual sd via the hat matrix. */
function ridgeLoo(X: number[][], y: number[], lambda: number): { beta: number[]; residuals: number[]; looResiduals: number[] } | undefined {
  const p = X[0].length;
  const A = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j && i > 0 ? lambda : 0)));
  const b = new Array<number>(p).fill(0);
  for (let r = 0; r < X.length; r++)
    for (let i = 0; i < p; i++) {
      b[i] += X[r][i] * y[r];
      for (let j = 0; j < p; j++) A[i][j] += X[r][i] * X[r][j];
    }
  const inv = invert(A);
  if (!inv) return undefined;
  const beta = inv.map((row) => row.reduce((s, v, j) => s + v * b[j], 0));
  const residuals: number[] = [];
  const looResiduals: number[] = [];
  for (let r = 0; r < X.length; r++) {
    const x = X[r];
    let fit = 0;
    let h = 0;
    for (let i = 0; i < p; i++) {
      fit += x[i] * beta[i];
      for (let j = 0; j < p; j++) h += x[i] * inv[i][j] * x[j];
    }
    residuals.push(y[r] - fit);
    looResiduals.push((y[r] - fit) / Math.max(1e-6, 1 - h));
  }
  return { beta, residuals, looResiduals };
}

/**
 * Each group's shrunk mean residual, and the leave-one-out sd with them: a launch's own shift is
 * worked out without it, from the other launches of its group.
 */
function groupShifts(groups: string[], residuals: number[], looResiduals: number[], prior: number): { offsets: Record<string, number>; looSd: number } {
  const sum = new Map<string, number>();
  const count = new Map<string, number>();
  groups.forEach((g, i) => {
    sum.set(g, (sum.get(g) ?? 0) + residuals[i]);
    count.set(g, (count.get(g) ?? 0) + 1);
  });
  const offsets: Record<string, number> = {};
  for (const [g, s] of sum) offsets[g] = s / (count.get(g)! + prior);
  let sse = 0;
  groups.forEach((g, i) => {
    const shift = (sum.get(g)! - residuals[i]) / (count.get(g)! - 1 + prior);
    const e = looResiduals[i] - shift;
    sse += e * e;
  });
  return { offsets, looSd: Math.sqrt(sse / groups.length) };
}

/** Leave-one-out sd of y around its mean (the no-signal correction). */
function interceptLoo(y: number[]): number {
  const n = y.length;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const k = n / (n - 1);
  return Math.sqrt(y.reduce((s, v) => s + ((v - mean) * k) ** 2, 0) / n);
}

/** Gauss–Jordan with partial pivoting; undefined when singular. Matrices here are at most 5 × 5. */
function invert(M: number[][]): number[][] | undefined {
  const n = M.length;
  const a = M.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
    if (Math.abs(a[piv][c]) < 1e-12) return undefined;
    [a[c], a[piv]] = [a[piv], a[c]];
    const d = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row) => row.slice(n));
}

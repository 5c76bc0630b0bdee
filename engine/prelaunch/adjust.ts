/**
 * A multiplicative correction of a cold-start forecast from pre-launch interest, learned on past
 * launches that had both signals and a forecast made before them. The target is the launch's
 * level error y = log(actual / forecast) (13-week mean weekly units, +0.5), and each recorded
 * measure m gives x_m = log(signal_m / forecast) (mean weekly count, +0.5).
 *
 * 1. One calibration per measure, on every past launch that recorded it (so a measure most
 *    launches lack still has its own fit): y = a_m + b_m · x_m + c_{m,g}, with c_{m,g} a shift
 *    per group (the category: how browsed a category is per unit sold differs) shrunk by ridge,
 *    intercept and slope free, each launch weighted by √forecast (WAPE counts units). A base
 *    calibration without signals, y = a_0 + c_{0,g}, stands for the forecast itself.
 * 2. Their leave-one-out errors, measured by the hat matrix, and the covariance of those errors
 *    between every two calibrations on the launches that recorded both: views, wish-lists and
 *    pre-orders share the page's exposure, so their errors are correlated and must not be
 *    counted as independent evidence.
 * 3. An item combines the calibrations of the measures it recorded with the base one, weighted by
 *    the minimum-variance weights w ∝ C⁻¹1 on their error covariance C (the best linear unbiased
 *    combination, Bates & Granger 1969), with weights kept ≥ 0 (a negative weight extrapolates
 *    from a difference of two noisy errors) and a measure admitted only where its own
 *    leave-one-out error is below the base's. The base's weight is how far the signals are
 *    shrunk towards the forecast; an item without signals, or whose measures all fail, keeps its
 *    forecast unchanged.
 *
 * The level moves by exp(ŷ): a median, with no log-normal mean correction, which bench:prelaunch
 * measured as adding bias (+0.05) and WAPE. The interval's half-widths move by the same factor
 * times sqrt((σ² + w²) / (σ₀² + w²)): σ² = wᵀCw and σ₀² the base's error variance, w² the weekly
 * variance the level does not explain, so a weekly band narrows only by the share of its width
 * the signals remove.
 *
 * The signals inform the level only. bench:prelaunch found nothing in them about the curve's
 * shape: tilting the curve by the predicted level error (a launch the signals place above its
 * forecast might sell on for longer) raised held-out WAPE, and the synthetic marketplace draws
 * the weekly interest with the same ramp for every item and fulfils no pre-order in launch week.
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
  /** Ridge penalty on each group shift, in squared log units summed over examples (≈ pseudo-launches). Default 2. */
  groupRidge?: number;
  /** Fewest past launches recording a measure for its calibration. Default 15. */
  minExamples?: number;
  /** Fewest launches recording both of two measures to measure their error covariance. Default 10. */
  minPairs?: number;
  /**
   * Each past launch weighs (forecast + 0.5)^volumeWeight in the fits and error covariances:
   * WAPE counts a launch's error in units, so a large launch's level matters more; 1 lets a few
   * large launches steer a scope's fit. 0 weighs launches equally. Default 0.5: the best of
   * 0, 0.5 and 1 on bench:prelaunch seeds 7–9 and 19–24 together.
   */
  volumeWeight?: number;
}

/** One calibration y = intercept + slope · x + groupOffsets[g]; the base one has slope 0 and no measure. */
export interface Calibration {
  measure?: SignalMeasure;
  intercept: number;
  slope: number;
  /** Shift per group (absent group: 0). */
  groupOffsets: Record<string, number>;
  /** Past launches it was fitted on. */
  examples: number;
}

/** The fitted correction: plain data, serialisable into a forecast set's params. */
export interface SignalAdjustmentModel {
  /** The base calibration (no signals) first, then one per measure with enough launches. */
  calibrations: Calibration[];
  /**
   * Covariance of the calibrations' leave-one-out errors, in the order of `calibrations`; null
   * where too few launches recorded both measures (such a pair is never combined).
   */
  errorCovariance: Array<Array<number | null>>;
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
  /** Measures that carried weight. */
  measures: SignalMeasure[];
  /** Predicted log(actual / forecast): log(factor). */
  logRatio: number;
  /** Weight of each measure used, and of the forecast (`base`); they sum to 1. */
  weights: Partial<Record<SignalMeasure | 'base', number>>;
}

const OFFSET = 0.5;
const logRatio = (num: number, den: number) => Math.log((Math.max(0, num) + OFFSET) / (Math.max(0, den) + OFFSET));

export function fitSignalAdjustment(examples: readonly SignalExample[], o: AdjustmentOptions = {}): SignalAdjustmentModel {
  const groupRidge = o.groupRidge ?? 2;
  const minExamples = o.minExamples ?? 15;
  const minPairs = o.minPairs ?? 10;
  const volumeWeight = o.volumeWeight ?? 0.5;
  const usable = examples.filter((e) => Number.isFinite(e.forecast) && Number.isFinite(e.actual) && e.forecast > 0 && e.actual >= 0);
  const w2 = weeklyVariance(usable);
  const empty: SignalAdjustmentModel = { calibrations: [], errorCovariance: [], examples: usable.length, weeklyVariance: w2 };
  if (usable.length < minExamples) return empty;
  const groups = [...new Set(usable.map((e) => e.group ?? ''))].sort();
  const y = usable.map((e) => logRatio(e.actual, e.forecast));
  const weight = usable.map((e) => Math.pow(e.forecast + OFFSET, volumeWeight));
  const dummies = (e: SignalExample) => groups.map((g) => ((e.group ?? '') === g ? 1 : 0));
  const calibrations: Calibration[] = [];
  /** Leave-one-out error of each calibration per example (NaN where the measure is not recorded). */
  const errors: number[][] = [];
  const fitOne = (measure: SignalMeasure | undefined): void => {
    const rows = usable.map((e, i) => i).filter((i) => measure === undefined || usable[i].signals[measure] !== undefined);
    // Also with minExamples 0: a calibration needs at least one launch to fit on.
    if (rows.length === 0 || rows.length < minExamples) return;
    const X = rows.map((i) => [1, ...(measure ? [logRatio(usable[i].signals[measure]!, usable[i].forecast)] : []), ...dummies(usable[i])]);
    const free = measure ? 2 : 1;
    const fit = ridgeLoo(X, rows.map((i) => y[i]), X[0].map((_, j) => (j < free ? 0 : groupRidge)), rows.map((i) => weight[i]));
    if (!fit) return;
    const groupOffsets = Object.fromEntries(groups.map((g, j) => [g, fit.beta[free + j]]));
    calibrations.push({ ...(measure ? { measure } : {}), intercept: fit.beta[0], slope: measure ? fit.beta[1] : 0, groupOffsets, examples: rows.length });
    const e = new Array<number>(usable.length).fill(Number.NaN);
    rows.forEach((i, r) => (e[i] = fit.looResiduals[r]));
    errors.push(e);
  };
  fitOne(undefined);
  if (calibrations.length === 0) return empty;
  for (const m of SIGNAL_MEASURES) fitOne(m);
  const errorCovariance = errors.map((a) =>
    errors.map((b) => {
      let s = 0;
      let sw = 0;
      let n = 0;
      a.forEach((v, i) => {
        if (Number.isNaN(v) || Number.isNaN(b[i])) return;
        s += weight[i] * v * b[i];
        sw += weight[i];
        n++;
      });
      return n >= minPairs && sw > 0 ? s / sw : null;
    }),
  );
  return { calibrations, errorCovariance, examples: usable.length, weeklyVariance: w2 };
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
 * horizon), or undefined when it has no signals or none of its measures helps.
 */
export function adjustmentFor(model: SignalAdjustmentModel, signals: SignalSummary | undefined, forecast: number, group?: string): ItemAdjustment | undefined {
  if (!signals || !(forecast > 0) || !Number.isFinite(forecast) || model.calibrations.length < 2) return undefined;
  const C = model.errorCovariance;
  const baseVar = C[0][0];
  if (baseVar === null) return undefined;
  const cal = model.calibrations;
  // A measure enters only if, alone, it forecasts past launches better than no signals; the
  // better ones first, each admitted when its error covariance with those before it is known.
  const candidates = cal
    .map((c, k) => k)
    .filter((k) => {
      const m = cal[k].measure;
      const own = C[k][k];
      return m !== undefined && signals[m] !== undefined && own !== null && own < baseVar;
    })
    .sort((a, b) => C[a][a]! - C[b][b]!);
  const chosen = [0];
  for (const k of candidates) if (chosen.every((j) => C[j][k] !== null)) chosen.push(k);
  if (chosen.length === 1) return undefined;
  const weights = minVarianceWeights(chosen.map((i) => chosen.map((j) => C[i][j]!)));
  if (!weights || weights[0] >= 1 - 1e-12) return undefined;
  let pred = 0;
  let variance = 0;
  chosen.forEach((k, i) => {
    const c = cal[k];
    const x = c.measure ? logRatio(signals[c.measure]!, forecast) : 0;
    pred += weights[i] * (c.intercept + c.slope * x + (c.groupOffsets[group ?? ''] ?? 0));
    chosen.forEach((l, j) => (variance += weights[i] * weights[j] * C[k][l]!));
  });
  const factor = Math.exp(pred);
  if (!Number.isFinite(factor)) return undefined;
  const w2 = model.weeklyVariance;
  const spread = Math.min(1, Math.sqrt((Math.max(0, variance) + w2) / (baseVar + w2)));
  const used = chosen.filter((k, i) => k > 0 && weights[i] > 0);
  const named = Object.fromEntries(chosen.flatMap((k, i) => (weights[i] > 0 ? [[cal[k].measure ?? 'base', weights[i]]] : [])));
  return { factor, spread, measures: used.map((k) => cal[k].measure!), logRatio: pred, weights: named };
}

/**
 * Minimum-variance weights summing to 1 for estimates with error covariance C, kept ≥ 0: the
 * w ≥ 0 with Σw = 1 that make wᵀCw least. That minimum is the unconstrained optimum
 * C_S⁻¹1 / 1ᵀC_S⁻¹1 of some subset S of the estimates (its support), so every subset is solved
 * and the least variance among those with no negative weight kept (at most 2⁵ − 1 subsets here).
 * Dropping the most negative weight and re-solving, as this first did, can stop at a subset
 * worse than one estimate alone; and C, measured pairwise on the launches that recorded both
 * measures, need not be positive definite, where only the subsets find the minimum. Undefined
 * when no subset can be solved (C empty, or no diagonal entry > 0).
 */
export function minVarianceWeights(C: readonly (readonly number[])[]): number[] | undefined {
  const n = C.length;
  let best: { w: number[]; variance: number } | undefined;
  // Masks in increasing order: among equal variances the subset found first is kept.
  for (let mask = 1; mask < 1 << n; mask++) {
    const active = C.map((_, i) => i).filter((i) => mask & (1 << i));
    const inv = invert(active.map((i) => active.map((j) => C[i][j])));
    if (!inv) continue;
    const raw = inv.map((row) => row.reduce((s, v) => s + v, 0));
    const total = raw.reduce((s, v) => s + v, 0);
    if (!(total > 0)) continue;
    const w = raw.map((v) => v / total);
    if (w.some((v) => v < 0)) continue;
    let variance = 0;
    active.forEach((i, a) => active.forEach((j, b) => (variance += w[a] * w[b] * C[i][j])));
    if (best && !(variance < best.variance)) continue;
    const out = new Array<number>(n).fill(0);
    active.forEach((i, a) => (out[i] = w[a]));
    best = { w: out, variance };
  }
  return best?.w;
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

/**
 * Weighted least squares with a ridge penalty per column (0 = free), and the leave-one-out
 * residuals e_i / (1 − h_ii) from the hat matrix: each launch's error as if it had not been
 * fitted on.
 */
export function ridgeLoo(
  X: readonly (readonly number[])[],
  y: readonly number[],
  penalty: readonly number[],
  weights?: readonly number[],
): { beta: number[]; residuals: number[]; looResiduals: number[] } | undefined {
  const p = X[0].length;
  // Weights scaled to mean 1, so the penalty keeps its meaning in launches.
  const meanW = weights ? weights.reduce((s, v) => s + v, 0) / weights.length : 1;
  const W = X.map((_, r) => (weights ? weights[r] / meanW : 1));
  const A = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => (i === j ? penalty[i] : 0)));
  const b = new Array<number>(p).fill(0);
  for (let r = 0; r < X.length; r++)
    for (let i = 0; i < p; i++) {
      b[i] += W[r] * X[r][i] * y[r];
      for (let j = 0; j < p; j++) A[i][j] += W[r] * X[r][i] * X[r][j];
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
      for (let j = 0; j < p; j++) h += W[r] * x[i] * inv[i][j] * x[j];
    }
    residuals.push(y[r] - fit);
    looResiduals.push((y[r] - fit) / Math.max(1e-6, 1 - h));
  }
  return { beta, residuals, looResiduals };
}

/** Gauss–Jordan with partial pivoting; undefined when singular. Matrices here are at most 2 + groups wide. */
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

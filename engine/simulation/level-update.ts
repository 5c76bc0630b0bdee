/**
 * A simple level update of a launch curve from its first weeks of sales: the stand-in for the
 * calibrated curve update of engine/demand (issue 13 §2) until that exists; the simulator takes
 * any `CurveUpdate`, so the calibrated one replaces this without other changes.
 *
 * Model: true demand = level × curve, with a lognormal level error shared by every week (the part
 * of the curve's sd the weekly correlation rho calls common) and weekly noise around it (the rest,
 * at least `noiseCv` per week, plus Poisson counting). The observed ratio r = sales / forecast
 * over the uncensored weeks estimates the level; shrinkage on the log scale gives
 * level = r^k, k = vLevel / (vLevel + vObs), with vLevel the prior log-level variance and vObs
 * that of log r, so the weight grows with the units observed. On the log scale one surprising
 * week (sales 10× a tiny ramp-up forecast) moves the level by a factor, not by a multiple of the
 * surprise.
 *
 * Censoring: in a stock-out week demand was at least the sales. Those weeks are left out of r;
 * counted as if their sales were demand they can only raise the estimate, so the level is the
 * larger of the two estimates. The updated sd keeps the weekly noise and the unexplained part of
 * the level error (sd × sqrt(1 - k rho)), and its correlation drops accordingly.
 *
 * Options (engine/simulation/README.md, "Curve updates"): `smoothRemaining` gives the weeks
 * still to come the prior's smoothed shape with their own total (on in the closed loop);
 * `smoothing` (optionally faded in by the prior's roughness) learns the level on the smoothed
 * prior and keeps its smoothed shape, and `tailWeight` makes the log level's prior a scale
 * mixture, so a launch far off its curve moves further than k says (both measured, off).
 */
import { smoothCurve } from '../demand/index.js';
import type { WeeklyCurve } from '../replenishment/index.js';
import type { CurveUpdate } from './types.js';

/**
 * Weekly relative error of sales around level × curve that the level does not explain. Measured
 * with the like-item curves of synthetic seeds 101–110 (held out from bench:kpi's seeds 1–30),
 * scope electronics/east, 300 launches with negative-binomial sales: pooled over the season it is
 * 0.45, but the ratio of the first 2 (4) weeks to the season level has a log sd of 0.69 (0.46),
 * the ramp-up being the least known part of a curve; 0.8 per week reproduces those first-weeks
 * spreads under independence (0.8 / sqrt(2) = 0.57, 0.8 / 2 = 0.4), so early weeks move the
 * level about as much as they deserve.
 */
export const DEFAULT_NOISE_CV = 0.8;

export interface LevelUpdateOptions {
  /** Correlation of weekly errors of the launch curves (the scenario's weeklyCorrelation). */
  weeklyCorrelation: number;
  /** Minimum weekly noise CV of sales around the level (default DEFAULT_NOISE_CV). */
  noiseCv?: number;
  /**
   * Ramp-up bias of the curves: entry n - 1 is the mean of log(first-n-weeks sales / forecast)
   * minus log(season sales / forecast) on launches with known outcomes (negative when the curves
   * ramp up faster than launches do). Subtracted from the observed log ratio before shrinkage;
   * weeks beyond the list: no correction. Default none.
   */
  rampBias?: readonly number[];
  /**
   * Half-width h (weeks, ≥ 0) of the triangular kernel (engine/demand smoothCurve) the prior's
   * mean and sd are smoothed with once a week is observed, each total kept; 0 = none. A like-item
   * curve averages a few neighbours' lumpy curves, so its week-to-week spikes are noise that a
   * learned level would multiply; smoothing keeps the season total and the level prior.
   */
  smoothing?: number;
  /**
   * Roughness band [lo, hi] over which the smoothing fades in: the prior moves
   * β = clamp((r − lo) / (hi − lo), 0, 1) of the way to its smoothed curve, r = roughness(mean).
   * A smooth prior (a ramp-up and decay the model learned) keeps its shape; a spiky one (a few
   * neighbours' lumpy weeks) is smoothed. Unset: β = 1 whenever smoothing > 0.
   */
  smoothingRoughness?: readonly [number, number];
  /**
   * Half-width (weeks, ≥ 0) of the kernel that reshapes only the weeks still to come: the level is
   * learned on the prior as given, then the remaining weeks take the smoothed prior's shape with
   * the prior's own remaining total (mean and sd alike), so the units expected for the rest of the
   * season do not move, only when they come. 0 = none.
   */
  smoothRemaining?: number;
  /**
   * Heavy-tailed level prior: with probability `tailWeight` the log level's variance is
   * `tailScale` × vLevel (a launch that is a hit or a flop), else vLevel. The shrunk log level is
   * the mixture posterior mean, so an observed ratio far beyond what vLevel explains is believed
   * more than the Gaussian weight k would. Default 0 (one Gaussian).
   */
  tailWeight?: number;
  tailScale?: number;
}

/**
 * Week-to-week roughness of a curve: Σ|m − smooth(m, 1)| / Σm, the share of its units that a
 * one-week triangular kernel moves (0 for a flat or an all-zero curve).
 */
export function roughness(mean: readonly number[]): number {
  const total = mean.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return 0;
  const s = smoothCurve(mean, 1);
  return mean.reduce((a, m, i) => a + Math.abs(m - s[i]), 0) / total;
}

/** The curve moved `beta` of the way to its smoothCurve(·, h), mean and sd alike. */
function smoothedPrior(prior: WeeklyCurve, h: number, band: readonly [number, number] | undefined): WeeklyCurve {
  let beta = 1;
  if (band) {
    const r = roughness(prior.mean);
    beta = band[1] > band[0] ? Math.min(1, Math.max(0, (r - band[0]) / (band[1] - band[0]))) : r >= band[0] ? 1 : 0;
  }
  if (beta === 0) return prior;
  const mix = (x: readonly number[]) => {
    const s = smoothCurve(x, h);
    return x.map((v, i) => (1 - beta) * v + beta * s[i]);
  };
  return { ...prior, mean: mix(prior.mean), sd: mix(prior.sd) };
}

/**
 * Weeks from n on take smoothCurve(x, h)'s shape with x's own total over those weeks; weeks before
 * n stay. `s` is that smoothed curve when the caller already has it.
 */
export function reshapeRemaining(x: readonly number[], n: number, h: number, s: readonly number[] = smoothCurve(x, h)): number[] {
  let own = 0;
  let smooth = 0;
  for (let i = n; i < x.length; i++) {
    own += x[i];
    smooth += s[i];
  }
  if (!(smooth > 0)) return [...x];
  return x.map((v, i) => (i < n ? v : (s[i] * own) / smooth));
}

/** Posterior of the log level x ~ N(θ, vObs) under the mixture prior Σ p_c N(0, v_c): mean weight. */
export function mixtureWeight(x: number, vObs: number, components: ReadonlyArray<{ p: number; v: number }>): number {
  let wsum = 0;
  let ksum = 0;
  // Log densities relative to their largest, so a far-out x cannot underflow every weight to 0.
  const logs = components.map((c) => (c.p > 0 ? Math.log(c.p) - 0.5 * Math.log(c.v + vObs) - (0.5 * x * x) / (c.v + vObs) : Number.NEGATIVE_INFINITY));
  const top = Math.max(...logs);
  components.forEach((c, i) => {
    const w = Math.exp(logs[i] - top);
    wsum += w;
    ksum += (w * c.v) / (c.v + vObs);
  });
  return wsum > 0 ? ksum / wsum : 0;
}

export function levelUpdate(options: LevelUpdateOptions): CurveUpdate {
  const rho = Math.min(1, Math.max(0, options.weeklyCorrelation));
  const noiseCv = options.noiseCv ?? DEFAULT_NOISE_CV;
  const smoothing = options.smoothing ?? 0;
  const smoothRemaining = options.smoothRemaining ?? 0;
  const tailWeight = options.tailWeight ?? 0;
  const tailScale = options.tailScale ?? 1;
  if (!(noiseCv >= 0)) throw new RangeError(`levelUpdate: noiseCv must be ≥ 0, got ${noiseCv}`);
  if (!(smoothRemaining >= 0)) throw new RangeError(`levelUpdate: smoothRemaining must be ≥ 0, got ${smoothRemaining}`);
  if (!(smoothing >= 0)) throw new RangeError(`levelUpdate: smoothing must be ≥ 0, got ${smoothing}`);
  if (!(tailWeight >= 0 && tailWeight < 1)) throw new RangeError(`levelUpdate: tailWeight must be in [0, 1), got ${tailWeight}`);
  const band = options.smoothingRoughness;
  if (band && !(band[0] >= 0 && band[1] >= band[0])) throw new RangeError(`levelUpdate: smoothingRoughness must be [lo, hi] with 0 ≤ lo ≤ hi, got [${band.join(', ')}]`);
  if (!(tailScale >= 1)) throw new RangeError(`levelUpdate: tailScale must be ≥ 1, got ${tailScale}`);
  // What depends on the prior alone, once per prior: the simulation reviews one item's prior
  // every week, and smoothing it each time repeated the same work.
  const perPrior = new WeakMap<WeeklyCurve, { prior: WeeklyCurve; totalMean: number; totalSd: number; smoothMean?: number[]; smoothSd?: number[] }>();
  const priorTerms = (given: WeeklyCurve) => {
    const cached = perPrior.get(given);
    if (cached) return cached;
    const prior = smoothing > 0 ? smoothedPrior(given, smoothing, options.smoothingRoughness) : given;
    let totalMean = 0;
    let totalSd = 0;
    for (let h = 0; h < prior.mean.length; h++) {
      totalMean += prior.mean[h];
      totalSd += prior.sd[h] ?? 0;
    }
    const terms = { prior, totalMean, totalSd, ...(smoothRemaining > 0 ? { smoothMean: smoothCurve(prior.mean, smoothRemaining), smoothSd: smoothCurve(prior.sd, smoothRemaining) } : {}) };
    perPrior.set(given, terms);
    return terms;
  };
  return (given: WeeklyCurve, observed: readonly number[], censored: readonly boolean[]): WeeklyCurve => {
    const n = Math.min(observed.length, given.mean.length);
    // Reshaping needs evidence: with no week observed the prior stays as given.
    if (n === 0) return given;
    const { prior, totalMean, totalSd, smoothMean, smoothSd } = priorTerms(given);
    if (totalMean <= 0) return given;
    // Prior variance of the log level: the common share of the curve's relative sd.
    const vLevel = Math.log1p(rho * (totalSd / totalMean) ** 2);
    if (vLevel <= 0) return given;
    const components = tailWeight > 0 ? [{ p: 1 - tailWeight, v: vLevel }, { p: tailWeight, v: tailScale * vLevel }] : [{ p: 1, v: vLevel }];
    const bias = options.rampBias?.[n - 1] ?? 0;
    // Shrunk log level from weeks h < n (those with include(h)), and its weight k.
    const estimate = (include: (h: number) => boolean): { level: number; k: number } => {
      let s = 0;
      let e = 0;
      let noiseVar = 0;
      for (let h = 0; h < n; h++) {
        if (!include(h)) continue;
        const m = Math.max(0, prior.mean[h]);
        const sd = prior.sd[h] ?? 0;
        s += observed[h];
        e += m;
        noiseVar += Math.max((1 - rho) * sd * sd, (noiseCv * m) ** 2) + m;
      }
      if (e <= 0) return { level: 1, k: 0 };
      const vObs = Math.log1p(noiseVar / (e * e));
      // Half a unit on both sides keeps a week without sales finite in the log.
      const x = Math.log((s + 0.5) / (e + 0.5)) - bias;
      const k = mixtureWeight(x, vObs, components);
      return { level: Math.exp(k * x), k };
    };
    const uncensored = estimate((h) => !censored[h]);
    // Censored weeks' sales are lower bounds: counted as if they were demand, they can only
    // pull the level up, so they are used when they do.
    const all = estimate(() => true);
    const { level, k } = all.level > uncensored.level ? all : uncensored;
    const rest = 1 - k * rho;
    const sdScale = level * Math.sqrt(Math.max(0, rest));
    const reshape = (x: readonly number[], s: readonly number[] | undefined) => (s ? reshapeRemaining(x, n, smoothRemaining, s) : x);
    return {
      mean: reshape(prior.mean, smoothMean).map((m) => m * level),
      sd: reshape(prior.sd, smoothSd).map((sd) => sd * sdScale),
      weeklyCorrelation: rest > 0 ? (rho * (1 - k)) / rest : 0,
    };
  };
}

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
 */
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
}

export function levelUpdate(options: LevelUpdateOptions): CurveUpdate {
  const rho = Math.min(1, Math.max(0, options.weeklyCorrelation));
  const noiseCv = options.noiseCv ?? DEFAULT_NOISE_CV;
  if (!(noiseCv >= 0)) throw new RangeError(`levelUpdate: noiseCv must be ≥ 0, got ${noiseCv}`);
  return (prior: WeeklyCurve, observed: readonly number[], censored: readonly boolean[]): WeeklyCurve => {
    const n = Math.min(observed.length, prior.mean.length);
    let totalMean = 0;
    let totalSd = 0;
    for (let h = 0; h < prior.mean.length; h++) {
      totalMean += prior.mean[h];
      totalSd += prior.sd[h] ?? 0;
    }
    if (n === 0 || totalMean <= 0) return prior;
    // Prior variance of the log level: the common share of the curve's relative sd.
    const vLevel = Math.log1p(rho * (totalSd / totalMean) ** 2);
    if (vLevel <= 0) return prior;
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
      const k = vLevel / (vLevel + vObs);
      // Half a unit on both sides keeps a week without sales finite in the log.
      return { level: Math.exp(k * (Math.log((s + 0.5) / (e + 0.5)) - bias)), k };
    };
    const uncensored = estimate((h) => !censored[h]);
    // Censored weeks' sales are lower bounds: counted as if they were demand, they can only
    // pull the level up, so they are used when they do.
    const all = estimate(() => true);
    const { level, k } = all.level > uncensored.level ? all : uncensored;
    const rest = 1 - k * rho;
    const sdScale = level * Math.sqrt(Math.max(0, rest));
    return {
      mean: prior.mean.map((m) => m * level),
      sd: prior.sd.map((sd) => sd * sdScale),
      weeklyCorrelation: rest > 0 ? (rho * (1 - k)) / rest : 0,
    };
  };
}

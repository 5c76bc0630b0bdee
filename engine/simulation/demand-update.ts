/**
 * engine/demand's calibrated launch-curve update (updateLaunchCurve: gamma level, negative-
 * binomial weeks, EM for sold-out weeks) as the simulator's CurveUpdate. The weeks observed keep
 * the prior times the posterior level (reviews never read them); the remaining weeks take the
 * update's predictive mean and sd, and the curve's weekly correlation is the share of their
 * variance that is the shared level's (the rest is weekly noise).
 */
import { updateLaunchCurve, type CurveUpdateParams } from '../demand/index.js';
import type { WeeklyCurve } from '../replenishment/index.js';
import type { CurveUpdate } from './types.js';

export function demandCurveUpdate(params: Partial<CurveUpdateParams> = {}): CurveUpdate {
  return (prior: WeeklyCurve, observed: readonly number[], censored: readonly boolean[]): WeeklyCurve => {
    const n = Math.min(observed.length, prior.mean.length);
    if (n === 0) return prior;
    const u = updateLaunchCurve({
      prior: { mean: prior.mean.map((m) => Math.max(0, m)), sd: prior.sd.map((s) => Math.max(0, s)) },
      sales: observed.slice(0, n).map((s) => Math.max(0, s)),
      censored: censored.slice(0, n),
      params,
    });
    const level = u.level.mean;
    const mean = prior.mean.slice(0, n).map((m) => m * level);
    const sd = prior.sd.slice(0, n).map((s) => s * level);
    let common = 0;
    let total = 0;
    for (const step of u.remaining) {
      mean.push(step.mean);
      sd.push(step.sd);
      // The level's share of this week's variance: (mean / level)² × level variance.
      const m0 = level > 0 ? step.mean / level : 0;
      common += m0 * m0 * u.level.sd * u.level.sd;
      total += step.sd * step.sd;
    }
    return { mean, sd, weeklyCorrelation: total > 0 ? Math.min(1, common / total) : 0 };
  };
}
